"""The demo's newsletters: each hub's own newsletter, a cluster list, a list of schools' music
leads and the SEND network's list, with one sent issue (with its What's On digest) and a draft.

THE SUBSCRIBERS ARE INVENTED: every address is at example.org, and none is a real person's.
The music leads' list is addressed to real schools of the register, through invented
addresses. The growth chart has something to show because the invented readers joined over
the past year.
"""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from tutti.core.page_cache import bump_hub
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.newsletters.models import (
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    ListAudience,
    ListKind,
    NewsletterList,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from tutti.newsletters.rendering import digest_events, issue_content
from tutti.provision.models import Network

READERS = 48
DEMO_WORDING = "Demo data: an invented subscriber who never saw a form."

SENT_BODY = """# This term across the county

Our **massed choirs** days are booked up fast: if your school has not yet had its place,
reply to this email and we will do what we can.

## Instruments to borrow

Schools can borrow class sets of ukuleles, glockenspiels and samba kits for a half term.
Ask your cluster coordinator.

## Training

Whole-class ensemble teaching CPD for class teachers runs again in the spring. See the
listings below for dates.

*Tutti's demo: this issue was written for the demo, not by the hub, and its readers are
invented.*
"""

DRAFT_BODY = """# Spring concerts

A draft: the dates of the spring concerts go here once the venues confirm.
"""


def _list(hub: Hub, **fields: object) -> NewsletterList:
    found, _ = NewsletterList.objects.get_or_create(
        hub=hub, slug=str(fields.pop("slug")), defaults=fields
    )
    return found


def _subscribe(
    newsletter_list: NewsletterList, emails: list[tuple[str, str]], *, staff_added: bool
) -> None:
    """Active subscriptions, joined over the past year (a few since left)."""
    now = timezone.now()
    hub = newsletter_list.hub
    Subscriber.objects.bulk_create(
        [Subscriber(hub=hub, email=email, name=name) for email, name in emails],
        ignore_conflicts=True,
    )
    subscribers = list(Subscriber.objects.filter(hub=hub, email__in=[e for e, _ in emails]))
    subscriptions = []
    records = []
    for n, subscriber in enumerate(subscribers):
        joined = now - timedelta(days=360 * (len(subscribers) - n) // len(subscribers))
        left = n % 11 == 5
        subscriptions.append(
            Subscription(
                subscriber=subscriber,
                newsletter_list=newsletter_list,
                status=SubscriptionStatus.UNSUBSCRIBED if left else SubscriptionStatus.ACTIVE,
                confirmed_at=joined,
                unsubscribed_at=joined + timedelta(days=40) if left else None,
            )
        )
        records.append(
            ConsentRecord(
                subscriber=subscriber,
                newsletter_list=newsletter_list,
                action=ConsentAction.ADDED_BY_STAFF if staff_added else ConsentAction.CONFIRMED,
                source="Demo data",
                wording=DEMO_WORDING,
            )
        )
    Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
    ConsentRecord.objects.bulk_create(records)


def _issues(newsletter_list: NewsletterList) -> None:
    hub = newsletter_list.hub
    if newsletter_list.issues.exists():
        return
    sent = Issue.objects.create(
        hub=hub,
        newsletter_list=newsletter_list,
        subject=f"{hub.name}: news for the term",
        body=SENT_BODY,
        include_digest=True,
        digest_days=60,
        status=IssueStatus.SENDING,
    )
    content = issue_content(sent, digest_events(sent))
    sent_at = timezone.now() - timedelta(days=7)
    Issue.objects.filter(pk=sent.pk).update(
        status=IssueStatus.SENT,
        sent_at=sent_at,
        send_at=sent_at,
        sent_html=content.html,
        sent_text=content.text,
        recipients_ready=True,
    )
    active = Subscription.objects.filter(
        newsletter_list=newsletter_list, status=SubscriptionStatus.ACTIVE
    ).values_list("subscriber_id", "subscriber__email")
    Delivery.objects.bulk_create(
        Delivery(
            issue=sent,
            subscriber_id=subscriber_id,
            email=email,
            status=DeliveryStatus.SENT,
            sent_at=sent_at,
            message_id=f"<demo-{sent.pk}-{subscriber_id}@tutti.example.org>",
        )
        for subscriber_id, email in active
    )
    Issue.objects.create(
        hub=hub,
        newsletter_list=newsletter_list,
        subject="Spring concerts (draft)",
        body=DRAFT_BODY,
        include_digest=True,
    )


def load_newsletters(hubs: dict[str, Hub]) -> None:
    network = Network.objects.filter(hubs__in=hubs.values()).first()
    for slug, hub in hubs.items():
        news = _list(
            hub,
            slug="news",
            name=f"{hub.name} news",
            kind=ListKind.HUB,
            description="What's on, what's new and opportunities for young musicians, monthly.",
            in_footer=True,
        )
        readers = [(f"reader{n:02}.{slug}@example.org", "") for n in range(1, READERS + 1)]
        _subscribe(news, readers, staff_added=False)
        _issues(news)

        leads = _list(
            hub,
            slug="music-leads",
            name="Schools' music leads",
            kind=ListKind.AUDIENCE,
            audience=ListAudience.SCHOOL_MUSIC_LEADS,
            description="CPD, networks and resources for the music lead in each school.",
        )
        schools = Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__hubs=hub
        ).order_by("urn")[:20]
        _subscribe(
            leads,
            [(f"music.lead.{school.urn}@example.org", "") for school in schools],
            staff_added=True,
        )

        # A cluster with a coordinator, so that the coordinator has a list to run.
        cluster = hub.clusters.order_by(F("coordinator").asc(nulls_last=True), "name").first()
        if cluster is not None:
            _list(
                hub,
                slug=f"cluster-{cluster.slug}"[:160],
                name=f"{cluster.name} cluster",
                kind=ListKind.CLUSTER,
                cluster=cluster,
                is_public=False,
                description=f"News for the schools of the {cluster.name} cluster.",
            )
        if network is not None and network.hubs.filter(pk=hub.pk).exists():
            _list(
                hub,
                slug="send-network",
                name=network.name,
                kind=ListKind.NETWORK,
                network=network,
                is_public=False,
                description="The network's newsletter of activity and events for SEND.",
            )
        bump_hub(hub.pk)
