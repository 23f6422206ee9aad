"""Every read of newsletters, always given the hub or one of its lists."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tutti.core.personal_data import ErasurePlan, plural
from tutti.directory.models import Hub
from tutti.newsletters.models import (
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    NewsletterList,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)


def public_lists(*, hub: Hub) -> QuerySet[NewsletterList]:
    """The lists anyone may join, the hub's own newsletter first."""
    return NewsletterList.objects.filter(hub=hub, is_public=True).order_by("kind", "name")


def footer_lists(*, hub: Hub) -> list[NewsletterList]:
    """What the footer form joins: the list marked for it, else the hub's only public one."""
    lists = list(public_lists(hub=hub))
    marked = [item for item in lists if item.in_footer]
    return marked or (lists if len(lists) == 1 else [])


def public_list_get(*, hub: Hub, slug: str) -> NewsletterList | None:
    return public_lists(hub=hub).filter(slug=slug).first()


def archive(*, newsletter_list: NewsletterList) -> QuerySet[Issue]:
    return newsletter_list.issues.filter(status=IssueStatus.SENT).order_by("-sent_at")


def archived_issue(*, newsletter_list: NewsletterList, pk: int) -> Issue | None:
    return archive(newsletter_list=newsletter_list).filter(pk=pk).first()


def hub_lists(*, hub: Hub) -> QuerySet[NewsletterList]:
    """The hub's lists with how many people are on each."""
    return (
        NewsletterList.objects.filter(hub=hub)
        .select_related("cluster", "network")
        .annotate(
            active_count=Count(
                "subscriptions",
                filter=Q(subscriptions__status=SubscriptionStatus.ACTIVE),
            )
        )
        .order_by("kind", "name")
    )


def list_issues(*, newsletter_list: NewsletterList) -> QuerySet[Issue]:
    return newsletter_list.issues.order_by("-created_at")


def list_members(*, newsletter_list: NewsletterList) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(newsletter_list=newsletter_list)
        .select_related("subscriber")
        .order_by("status", "subscriber__email")
    )


def consent_history(*, subscriber: Subscriber) -> QuerySet[ConsentRecord]:
    return subscriber.consent_records.select_related("newsletter_list", "by")


def subscriber_get(*, hub: Hub, pk: int) -> Subscriber | None:
    return Subscriber.objects.filter(hub=hub, pk=pk).first()


def subscriber_lists(*, subscriber: Subscriber) -> tuple[list[NewsletterList], set[int]]:
    """The lists the preference centre offers (public ones and any they are on) and the ids of
    those they are on now."""
    on = set(
        subscriber.subscriptions.filter(status=SubscriptionStatus.ACTIVE).values_list(
            "newsletter_list_id", flat=True
        )
    )
    lists = NewsletterList.objects.filter(hub_id=subscriber.hub_id).filter(
        Q(is_public=True) | Q(pk__in=on)
    )
    return list(lists.order_by("kind", "name")), on


@dataclass(frozen=True)
class IssueFigures:
    recipients: int
    delivered: int
    bounced: int
    failed: int
    unsubscribed: int
    waiting: int


def issue_figures(*, issue: Issue) -> IssueFigures:
    """Counts for one issue, from its deliveries and from who left through its links. No opens
    or clicks: nothing in an issue tracks its reader."""
    counts = dict(
        Delivery.objects.filter(issue=issue)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return IssueFigures(
        recipients=sum(n for status, n in counts.items() if status != DeliveryStatus.SKIPPED),
        delivered=counts.get(DeliveryStatus.SENT, 0) + counts.get(DeliveryStatus.DELIVERED, 0),
        bounced=counts.get(DeliveryStatus.BOUNCED, 0) + counts.get(DeliveryStatus.COMPLAINED, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        unsubscribed=Subscription.objects.filter(unsubscribed_from=issue).count(),
        waiting=counts.get(DeliveryStatus.QUEUED, 0) + counts.get(DeliveryStatus.SENDING, 0),
    )


@dataclass(frozen=True)
class GrowthPoint:
    month: date
    subscribers: int


def _month_counts(subscriptions: QuerySet[Subscription], field: str) -> dict[date, int]:
    rows = (
        subscriptions.filter(**{f"{field}__isnull": False})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return {(m.date() if hasattr(m, "date") else m): n for m, n in rows}


def list_growth(*, newsletter_list: NewsletterList, months: int = 12) -> list[GrowthPoint]:
    """People on the list at the end of each of the last ``months`` months: everyone who
    confirmed by then, less everyone who had left by then."""
    subscriptions = Subscription.objects.filter(newsletter_list=newsletter_list)
    joined = _month_counts(subscriptions, "confirmed_at")
    left = _month_counts(
        subscriptions.filter(status=SubscriptionStatus.UNSUBSCRIBED), "unsubscribed_at"
    )
    today = timezone.localdate()
    first = date(today.year, today.month, 1)
    starts = []
    year, month = first.year, first.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    points = []
    for start in starts:
        total = sum(n for m, n in joined.items() if m <= start) - sum(
            n for m, n in left.items() if m <= start
        )
        points.append(GrowthPoint(month=start, subscribers=max(total, 0)))
    return points


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, object]]:
    """What the hub's newsletters hold about an address (every hub's, when ``hub`` is None: the
    person's own request), for privacy's person page and download. Four queries, however many
    lists and issues."""
    subscribers = (
        Subscriber.objects.filter(email__iexact=email.strip())
        .select_related("hub")
        .prefetch_related(
            Prefetch(
                "subscriptions",
                queryset=Subscription.objects.select_related("newsletter_list").order_by("pk"),
            ),
            Prefetch(
                "consent_records",
                queryset=ConsentRecord.objects.select_related("newsletter_list").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .annotate(issues_sent=Count("deliveries"))
        .order_by("hub__name", "pk")
    )
    if hub is not None:
        subscribers = subscribers.filter(hub=hub)
    return [
        {
            "hub": subscriber.hub.name,
            "email": subscriber.email,
            "name": subscriber.name,
            "suppressed": subscriber.suppressed_reason or None,
            "lists": [
                {
                    "list": s.newsletter_list.name,
                    "status": s.get_status_display(),
                    "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                    "left_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
                }
                for s in subscriber.subscriptions.all()
            ],
            "consent": [
                {
                    "list": r.newsletter_list.name,
                    "what": r.get_action_display(),
                    "when": r.created_at.isoformat(),
                    "form": r.source,
                    "wording": r.wording,
                }
                for r in subscriber.consent_records.all()
            ],
            "issues_sent": subscriber.issues_sent,
        }
        for subscriber in subscribers
    ]


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing the address from the hub's newsletters will do, for privacy's erase page."""
    subscriber = (
        Subscriber.objects.filter(hub=hub, email__iexact=email.strip())
        .annotate(lists=Count("subscriptions", distinct=True))
        .first()
    )
    if subscriber is None:
        return ErasurePlan()
    lists = subscriber.lists
    return ErasurePlan(
        changes=[
            f"Their newsletter subscription ({plural(lists, 'list')}) and its consent records "
            "are deleted; the issues already sent keep their counts, with no address."
        ]
    )
