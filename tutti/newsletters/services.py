"""Every write of newsletters: lists, sign-ups and consent, issues, and what mail servers report."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import slugify

from tutti.accounts.models import User
from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.directory.models import Hub
from tutti.newsletters.models import (
    Confirmation,
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Issue,
    IssueImage,
    IssueStatus,
    ListKind,
    NewsletterList,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)

# A second confirmation email to the same address waits this long: signing up again is
# harmless, and nobody can use the form to flood someone's inbox.
CONFIRMATION_PAUSE = timedelta(minutes=5)


class NewsletterError(DomainError):
    pass


class Action(StrEnum):
    LIST_CREATED = "newsletters.list.created"
    LIST_UPDATED = "newsletters.list.updated"
    MEMBERS_ADDED = "newsletters.list.members_added"
    SIGNUP_REQUESTED = "newsletters.signup.requested"
    SIGNUP_CONFIRMED = "newsletters.signup.confirmed"
    PREFERENCES_CHANGED = "newsletters.subscriber.preferences_changed"
    UNSUBSCRIBED = "newsletters.subscriber.unsubscribed"
    SUPPRESSED = "newsletters.subscriber.suppressed"
    ISSUE_CREATED = "newsletters.issue.created"
    ISSUE_UPDATED = "newsletters.issue.updated"
    ISSUE_SENT = "newsletters.issue.send_started"
    ISSUE_SCHEDULED = "newsletters.issue.scheduled"
    ISSUE_TEST_SENT = "newsletters.issue.test_sent"
    IMAGE_UPLOADED = "newsletters.issue.image_uploaded"
    ERASED = "newsletters.subscriber.erased"


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Lists ---------------------------------------------------------------------------------------

LIST_FIELDS = ("name", "description", "kind", "cluster", "network", "audience", "is_public")


def _check_list(newsletter_list: NewsletterList) -> None:
    kind = newsletter_list.kind
    if kind == ListKind.CLUSTER and newsletter_list.cluster_id is None:
        raise NewsletterError("Choose the cluster this list is for.")
    if kind == ListKind.NETWORK and newsletter_list.network_id is None:
        raise NewsletterError("Choose the network this list is for.")
    if kind == ListKind.AUDIENCE and not newsletter_list.audience:
        raise NewsletterError("Choose who this audience list is for.")
    if kind != ListKind.CLUSTER:
        newsletter_list.cluster = None
    if kind != ListKind.NETWORK:
        newsletter_list.network = None
    if kind != ListKind.AUDIENCE:
        newsletter_list.audience = ""


@transaction.atomic
def list_create(*, hub: Hub, by: User | None, **fields: Any) -> NewsletterList:
    """A new list of the hub, with a slug from its name."""
    newsletter_list = NewsletterList(hub=hub, **{k: fields[k] for k in LIST_FIELDS if k in fields})
    _check_list(newsletter_list)
    base = slugify(newsletter_list.name)[:150] or "list"
    slug, n = base, 1
    while NewsletterList.objects.filter(hub=hub, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    newsletter_list.slug = slug
    if fields.get("in_footer"):
        NewsletterList.objects.filter(hub=hub, in_footer=True).update(in_footer=False)
        newsletter_list.in_footer = True
    newsletter_list.full_clean()
    newsletter_list.save()
    audit(Action.LIST_CREATED, hub=hub, actor=by, obj=newsletter_list, name=newsletter_list.name)
    return newsletter_list


@transaction.atomic
def list_update(*, newsletter_list: NewsletterList, by: User | None, **fields: Any) -> None:
    """Change a list's name, description or kind."""
    for key in LIST_FIELDS:
        if key in fields:
            setattr(newsletter_list, key, fields[key])
    _check_list(newsletter_list)
    if "in_footer" in fields:
        if fields["in_footer"]:
            # One list is joined from the footer: the hub's main newsletter.
            NewsletterList.objects.filter(hub=newsletter_list.hub, in_footer=True).exclude(
                pk=newsletter_list.pk
            ).update(in_footer=False)
        newsletter_list.in_footer = bool(fields["in_footer"])
    newsletter_list.full_clean()
    newsletter_list.save(update_fields=[*LIST_FIELDS, "in_footer", "updated_at"])
    audit(Action.LIST_UPDATED, hub=newsletter_list.hub, actor=by, obj=newsletter_list)


# Sign-up and consent -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignupResult:
    confirmation: Confirmation | None
    # False when nothing was sent: every list joined already, or an email went out just now.
    email_sent: bool


def _subscriber_for(hub: Hub, email: str, name: str = "") -> Subscriber:
    subscriber, created = Subscriber.objects.get_or_create(
        hub=hub, email=normalise_email(email), defaults={"name": name.strip()[:150]}
    )
    if not created and name.strip() and not subscriber.name:
        subscriber.name = name.strip()[:150]
        subscriber.save(update_fields=["name", "updated_at"])
    return subscriber


@transaction.atomic
def signup_request(
    *,
    hub: Hub,
    email: str,
    name: str,
    lists: Iterable[NewsletterList],
    source: str,
    wording: str,
) -> SignupResult:
    """Record that someone asked to join lists and email them a link to confirm. Nobody is
    subscribed until they follow it; asking again is harmless."""
    chosen = [item for item in lists if item.hub_id == hub.pk]
    if not chosen:
        raise NewsletterError("Choose at least one list to join.")
    if any(not item.is_public for item in chosen):
        raise NewsletterError("One of those lists is not open to sign-up.")
    subscriber = Subscriber.objects.select_for_update(of=("self",)).filter(
        hub=hub, email=normalise_email(email)
    ).first() or _subscriber_for(hub, email, name)
    active = set(
        subscriber.subscriptions.filter(status=SubscriptionStatus.ACTIVE).values_list(
            "newsletter_list_id", flat=True
        )
    )
    wanted = [item for item in chosen if item.pk not in active or subscriber.suppressed_at]
    if not wanted:
        return SignupResult(confirmation=None, email_sent=False)
    now = timezone.now()
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            subscriber=subscriber,
            newsletter_list=item,
            action=ConsentAction.REQUESTED,
            source=source,
            wording=wording,
        )
        for item in wanted
    )
    confirmation = Confirmation.objects.create(
        subscriber=subscriber, source=source, wording=wording
    )
    confirmation.lists.set(wanted)
    audit(Action.SIGNUP_REQUESTED, hub=hub, obj=subscriber, lists=[item.pk for item in wanted])
    last = subscriber.last_confirmation_sent_at
    if last is not None and now - last < CONFIRMATION_PAUSE:
        return SignupResult(confirmation=confirmation, email_sent=False)
    subscriber.last_confirmation_sent_at = now
    subscriber.save(update_fields=["last_confirmation_sent_at", "updated_at"])
    from tutti.newsletters.tasks import send_confirmation_email

    confirmation_id = confirmation.pk
    transaction.on_commit(lambda: send_confirmation_email.enqueue(confirmation_id=confirmation_id))
    return SignupResult(confirmation=confirmation, email_sent=True)


@transaction.atomic
def signup_confirm(*, confirmation_id: int) -> tuple[Confirmation, bool]:
    """Subscribe the person to the lists they asked for. Returns (confirmation, done now);
    a link used before is answered as done already."""
    confirmation = (
        Confirmation.objects.select_for_update(of=("self",))
        .select_related("subscriber__hub")
        .filter(pk=confirmation_id)
        .first()
    )
    if confirmation is None:
        raise NewsletterError(
            "This confirmation link no longer works. Sign up again and we will send a new one.",
            status=410,
        )
    if confirmation.used_at is not None:
        return confirmation, False
    now = timezone.now()
    subscriber = confirmation.subscriber
    lists = list(confirmation.lists.all())
    for item in lists:
        _activate(subscriber, item, now)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            subscriber=subscriber,
            newsletter_list=item,
            action=ConsentAction.CONFIRMED,
            source=confirmation.source,
            wording=confirmation.wording,
        )
        for item in lists
    )
    confirmation.used_at = now
    confirmation.save(update_fields=["used_at"])
    if subscriber.suppressed_at is not None:
        # A fresh, confirmed opt-in lifts a bounce or complaint.
        subscriber.suppressed_at = None
        subscriber.suppressed_reason = ""
        subscriber.save(update_fields=["suppressed_at", "suppressed_reason", "updated_at"])
    audit(
        Action.SIGNUP_CONFIRMED,
        hub=subscriber.hub,
        obj=subscriber,
        lists=[item.pk for item in lists],
    )
    return confirmation, True


def _activate(subscriber: Subscriber, newsletter_list: NewsletterList, now: datetime) -> None:
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        newsletter_list=newsletter_list,
        defaults={"status": SubscriptionStatus.ACTIVE, "confirmed_at": now},
    )
    if not created and subscription.status != SubscriptionStatus.ACTIVE:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.confirmed_at = now
        subscription.unsubscribed_at = None
        subscription.unsubscribed_from = None
        subscription.save(
            update_fields=[
                "status",
                "confirmed_at",
                "unsubscribed_at",
                "unsubscribed_from",
                "updated_at",
            ]
        )


def _leave(subscription: Subscription, now: datetime, issue_id: int | None = None) -> bool:
    if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        return False
    subscription.status = SubscriptionStatus.UNSUBSCRIBED
    subscription.unsubscribed_at = now
    subscription.unsubscribed_from_id = issue_id
    subscription.save(
        update_fields=["status", "unsubscribed_at", "unsubscribed_from", "updated_at"]
    )
    return True


@transaction.atomic
def unsubscribe(*, subscription_id: int, issue_id: int | None, source: str) -> Subscription:
    """Take the person off one list (from an issue's link or its one-click header)."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("subscriber__hub", "newsletter_list")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise NewsletterError("You are no longer on this list.", status=410)
    if (
        issue_id is not None
        and not Issue.objects.filter(
            pk=issue_id, newsletter_list_id=subscription.newsletter_list_id
        ).exists()
    ):
        issue_id = None
    if _leave(subscription, timezone.now(), issue_id):
        ConsentRecord.objects.create(
            subscriber=subscription.subscriber,
            newsletter_list=subscription.newsletter_list,
            action=ConsentAction.WITHDRAWN,
            source=source,
            wording="Unsubscribe",
        )
        audit(
            Action.UNSUBSCRIBED,
            hub=subscription.subscriber.hub,
            obj=subscription.subscriber,
            list=subscription.newsletter_list_id,
            source=source,
        )
    return subscription


PREFERENCES_WORDING = "Choose the lists you want to get. Untick a list to leave it."


@transaction.atomic
def preferences_update(
    *, subscriber: Subscriber, lists: Iterable[NewsletterList], source: str
) -> None:
    """Keep the person on exactly ``lists``: the preference link proves the address is theirs,
    so joining a public list from here needs no second email."""
    wanted = {item.pk: item for item in lists if item.hub_id == subscriber.hub_id}
    now = timezone.now()
    records = []
    current = {
        s.newsletter_list_id: s
        for s in subscriber.subscriptions.select_related("newsletter_list").select_for_update(
            of=("self",)
        )
    }
    for list_id, subscription in current.items():
        if list_id not in wanted and _leave(subscription, now):
            records.append((subscription.newsletter_list, ConsentAction.WITHDRAWN))
    for list_id, item in wanted.items():
        existing = current.get(list_id)
        if existing is not None and existing.status == SubscriptionStatus.ACTIVE:
            continue
        if not item.is_public and existing is None:
            continue
        _activate(subscriber, item, now)
        records.append((item, ConsentAction.CHANGED))
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            subscriber=subscriber,
            newsletter_list=item,
            action=action,
            source=source,
            wording=PREFERENCES_WORDING,
        )
        for item, action in records
    )
    if records:
        audit(
            Action.PREFERENCES_CHANGED,
            hub=subscriber.hub,
            obj=subscriber,
            changes=[[item.pk, str(action)] for item, action in records],
        )


STAFF_BASIS = (
    "I confirm we have a basis to email these people about this list: they asked us, or it is "
    "part of their role in the partnership, and they can leave at any time."
)


@dataclass(frozen=True)
class AddResult:
    added: int
    already: int
    suppressed: list[str]


@transaction.atomic
def members_add(
    *, newsletter_list: NewsletterList, emails: list[str], by: User, basis_confirmed: bool
) -> AddResult:
    """Staff or a coordinator put known contacts on a list, confirming their basis to do so."""
    if not basis_confirmed:
        raise NewsletterError("Confirm that you have a basis to email these people.")
    hub = newsletter_list.hub
    added = already = 0
    suppressed = []
    now = timezone.now()
    for email in dict.fromkeys(normalise_email(e) for e in emails if e.strip()):
        subscriber = _subscriber_for(hub, email)
        if subscriber.suppressed_at is not None:
            suppressed.append(email)
            continue
        existing = Subscription.objects.filter(
            subscriber=subscriber, newsletter_list=newsletter_list
        ).first()
        if existing is not None and existing.status == SubscriptionStatus.ACTIVE:
            already += 1
            continue
        if existing is not None and existing.status == SubscriptionStatus.UNSUBSCRIBED:
            # They left: only they can rejoin.
            suppressed.append(email)
            continue
        _activate(subscriber, newsletter_list, now)
        ConsentRecord.objects.create(
            subscriber=subscriber,
            newsletter_list=newsletter_list,
            action=ConsentAction.ADDED_BY_STAFF,
            source="Added by staff",
            wording=STAFF_BASIS,
            by=by,
        )
        added += 1
    audit(
        Action.MEMBERS_ADDED,
        hub=hub,
        actor=by,
        obj=newsletter_list,
        added=added,
        refused=len(suppressed),
    )
    return AddResult(added=added, already=already, suppressed=suppressed)


SUPPRESSING_EVENTS = {"bounced": "hard bounce", "complained": "complaint"}


@transaction.atomic
def tracking_event(*, event_type: str, recipient: str, message_id: str, hard: bool = True) -> int:
    """What a mail provider reports: mark the delivery; a hard bounce or a complaint
    suppresses the address. Returns how many subscribers were suppressed."""
    email = normalise_email(recipient or "")
    deliveries = Delivery.objects.filter(message_id=message_id) if message_id else None
    status = {
        "delivered": DeliveryStatus.DELIVERED,
        "bounced": DeliveryStatus.BOUNCED,
        "rejected": DeliveryStatus.BOUNCED,
        "complained": DeliveryStatus.COMPLAINED,
    }.get(event_type)
    if deliveries is not None and status is not None:
        deliveries.filter(email=email).update(status=status) if email else deliveries.update(
            status=status
        )
    reason = SUPPRESSING_EVENTS.get("bounced" if event_type == "rejected" else event_type)
    if reason is None or not hard or not email:
        return 0
    subscribers = Subscriber.objects.filter(email=email, suppressed_at__isnull=True)
    hubs = list(subscribers.values_list("hub_id", flat=True))
    count = subscribers.update(suppressed_at=timezone.now(), suppressed_reason=reason)
    for hub_id in hubs:
        audit(Action.SUPPRESSED, hub=Hub(pk=hub_id), reason=reason)
    return count


# Issues --------------------------------------------------------------------------------------

ISSUE_FIELDS = (
    "subject",
    "body",
    "include_digest",
    "digest_category",
    "digest_cluster",
    "digest_audience",
    "digest_days",
)


def _check_editable(issue: Issue) -> None:
    if issue.status != IssueStatus.DRAFT:
        raise ConflictError(
            "This issue has been sent or is being sent, so it can no longer be changed."
        )


@transaction.atomic
def issue_create(*, newsletter_list: NewsletterList, by: User, **fields: Any) -> Issue:
    """A draft issue for the list."""
    issue = Issue(
        hub=newsletter_list.hub,
        newsletter_list=newsletter_list,
        created_by=by,
        **{k: v for k, v in fields.items() if k in ISSUE_FIELDS},
    )
    if not issue.subject.strip():
        raise NewsletterError("Give the issue a subject.")
    issue.full_clean()
    issue.save()
    audit(Action.ISSUE_CREATED, hub=issue.hub, actor=by, obj=issue, subject=issue.subject)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by: User, **fields: Any) -> None:
    """Change a draft."""
    issue = Issue.objects.select_for_update(of=("self",)).get(pk=issue.pk)
    _check_editable(issue)
    for key in ISSUE_FIELDS:
        if key in fields:
            setattr(issue, key, fields[key])
    if not issue.subject.strip():
        raise NewsletterError("Give the issue a subject.")
    issue.full_clean()
    issue.save(update_fields=[*ISSUE_FIELDS, "updated_at"])
    audit(Action.ISSUE_UPDATED, hub=issue.hub, actor=by, obj=issue)


def _check_sendable(issue: Issue) -> None:
    _check_editable(issue)
    if not issue.subject.strip():
        raise NewsletterError("Give the issue a subject before sending it.")
    if not issue.body.strip() and not issue.include_digest:
        raise NewsletterError("Write something in the issue, or include a digest, first.")


@transaction.atomic
def issue_send(*, issue: Issue, by: User, send_at: datetime | None = None) -> Issue:
    """Send now, or at ``send_at``: the delivery runs in the task worker, never here."""
    issue = (
        Issue.objects.select_for_update(of=("self",))
        .select_related("newsletter_list")
        .get(pk=issue.pk)
    )
    _check_sendable(issue)
    now = timezone.now()
    if send_at is not None and send_at <= now:
        raise NewsletterError("Choose a time in the future, or send it now.")
    if send_at is None:
        issue.status = IssueStatus.SENDING
        issue.send_at = now
        issue.save(update_fields=["status", "send_at", "updated_at"])
        audit(Action.ISSUE_SENT, hub=issue.hub, actor=by, obj=issue)
    else:
        issue.status = IssueStatus.SCHEDULED
        issue.send_at = send_at
        issue.save(update_fields=["status", "send_at", "updated_at"])
        audit(Action.ISSUE_SCHEDULED, hub=issue.hub, actor=by, obj=issue, at=send_at.isoformat())
    from tutti.newsletters.tasks import enqueue_delivery

    issue_id, when = issue.pk, issue.send_at
    transaction.on_commit(lambda: enqueue_delivery(issue_id, when if send_at else None))
    return issue


@transaction.atomic
def issue_unschedule(*, issue: Issue, by: User) -> None:
    """Take a scheduled issue back to a draft."""
    updated = Issue.objects.filter(pk=issue.pk, status=IssueStatus.SCHEDULED).update(
        status=IssueStatus.DRAFT, send_at=None
    )
    if not updated:
        raise ConflictError("This issue is not waiting to be sent.")
    audit(Action.ISSUE_UPDATED, hub=issue.hub, actor=by, obj=issue, unscheduled=True)


def issue_test_send(*, issue: Issue, by: User) -> None:
    """Email the issue, as it would go now, to the person writing it."""
    if not by.email:
        raise NewsletterError("Your account has no email address to send a test to.")
    from tutti.newsletters.tasks import send_test_email

    audit(Action.ISSUE_TEST_SENT, hub=issue.hub, actor=by, obj=issue)
    issue_id, email = issue.pk, by.email
    transaction.on_commit(lambda: send_test_email.enqueue(issue_id=issue_id, email=email))


@transaction.atomic
def image_add(*, issue: Issue, by: User, file: Any, alt: str) -> IssueImage:
    """Keep an image for the issue (the form has checked it is one, and its size)."""
    _check_editable(issue)
    image = IssueImage(hub=issue.hub, issue=issue, alt=alt.strip()[:200])
    image.file.save(file.name, file, save=False)
    image.save()
    audit(Action.IMAGE_UPLOADED, hub=issue.hub, actor=by, obj=issue, image=image.pk)
    return image


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: User | None) -> int:
    """Erase an address from the hub's newsletters: its subscriptions, consent records and
    the addresses of its deliveries (the issues' counts stay). Returns 1 if it was held."""
    subscriber = Subscriber.objects.filter(hub=hub, email__iexact=email.strip()).first()
    if subscriber is None:
        return 0
    Delivery.objects.filter(subscriber=subscriber).update(
        email=Concat(Cast("pk", CharField()), Value("@erased.invalid")), subscriber=None
    )
    subscriber_id = subscriber.pk
    subscriber.delete()
    audit(Action.ERASED, hub=hub, actor=by, subscriber=subscriber_id)
    return 1
