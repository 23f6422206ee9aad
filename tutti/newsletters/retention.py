"""How long newsletters keep people's addresses. The rule is registered in
tutti/privacy/retention.py, which lists every app's rule.

- A sign-up never confirmed: the address and its consent records go after 30 days.
- Someone on no list any more (they left, or were suppressed): after two years, their address,
  name and consent records go. The two years keep the proof of what they agreed to, and that
  they left, for as long as a question about it is likely.
- Each issue's deliveries lose their addresses after two years; the counts stay.
"""

from datetime import datetime, timedelta

from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from tutti.directory.models import Hub
from tutti.newsletters.models import (
    Confirmation,
    Delivery,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)

UNCONFIRMED_DAYS = 30
FORMER_DAYS = 730


def delete_old_subscribers(hub: Hub, now: datetime) -> int:
    """Delete unconfirmed sign-ups after 30 days and former subscribers after two years;
    returns how many people's records went."""
    active = Subscription.objects.filter(
        subscriber=OuterRef("pk"), status=SubscriptionStatus.ACTIVE
    )
    ever_confirmed = Subscription.objects.filter(
        subscriber=OuterRef("pk"), confirmed_at__isnull=False
    )
    subscribers = Subscriber.objects.filter(hub=hub).exclude(Exists(active))
    unconfirmed = subscribers.exclude(Exists(ever_confirmed)).filter(
        created_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)
    )
    former_cutoff = now - timedelta(days=FORMER_DAYS)
    former = (
        subscribers.filter(Exists(ever_confirmed))
        .annotate(left=Max("subscriptions__unsubscribed_at"))
        .filter(Q(left__lt=former_cutoff) | Q(left__isnull=True, suppressed_at__lt=former_cutoff))
    )
    ids = list(unconfirmed.values_list("pk", flat=True)) + list(former.values_list("pk", flat=True))
    Confirmation.objects.filter(
        subscriber__hub=hub, created_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)
    ).delete()
    Subscriber.objects.filter(pk__in=ids).delete()
    _forget_addresses(hub, former_cutoff)
    return len(ids)


def _forget_addresses(hub: Hub, cutoff: datetime) -> None:
    # The address goes; the row (and so the issue's counts) stays. Unique per issue: the
    # row's own id stands in for the address.
    Delivery.objects.filter(issue__hub=hub, issue__sent_at__lt=cutoff).exclude(
        email__endswith="@erased.invalid"
    ).update(
        email=Concat(Cast("pk", CharField()), Value("@erased.invalid")),
        subscriber=None,
    )
