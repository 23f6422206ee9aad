"""Reads of events and bookings, always within one hub."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tutti.accounts.models import Membership
from tutti.clusters.models import Cluster
from tutti.directory.models import Hub
from tutti.events.models import (
    AUDIENCE_FIELDS,
    Booking,
    BookingStatus,
    Event,
    EventCategory,
    EventSession,
    EventStatus,
)
from tutti.events.tokens import booking_reference

# A feed keeps recent events for a while, so a subscribed calendar does not lose them at once.
FEED_HISTORY = timedelta(days=31)
FEED_LIMIT = 2000


@dataclass(frozen=True)
class EventFilters:
    q: str = ""
    category: str = ""  # category slug
    cluster: str = ""  # cluster slug
    audience: str = ""  # an Audience value
    date_from: date | None = None
    date_to: date | None = None
    price: str = ""  # "free" or "paid"


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _confirmed_count() -> Coalesce:
    confirmed = (
        Booking.objects.filter(event=OuterRef("pk"), status=BookingStatus.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0))


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``confirmed_count`` and ``places_left`` (None when there is no limit)."""
    sessions = (
        EventSession.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return events.annotate(
        confirmed_count=_confirmed_count(),
        session_count=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)),
    ).annotate(
        places_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=F("capacity") - F("confirmed_count"),
            output_field=IntegerField(),
        )
    )


def _filtered(events: QuerySet[Event], filters: EventFilters) -> QuerySet[Event]:
    if filters.date_to:
        events = events.filter(starts_at__lt=_start_of_day(filters.date_to + timedelta(days=1)))
    if filters.category:
        events = events.filter(category__slug=filters.category)
    if filters.cluster:
        events = events.filter(cluster__slug=filters.cluster)
    if filters.audience in AUDIENCE_FIELDS:
        events = events.filter(**{AUDIENCE_FIELDS[filters.audience]: True})  # type: ignore[index]
    if filters.price == "free":
        events = events.filter(price=0)
    elif filters.price == "paid":
        events = events.filter(price__gt=0)
    for word in filters.q.split():
        events = events.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(venue__name__icontains=word)
            | Q(venue__town__icontains=word)
            | Q(organiser__name__icontains=word)
        )
    return events


def public_events(
    *, hub: Hub, filters: EventFilters, now: datetime | None = None
) -> QuerySet[Event]:
    """The hub's published events that have not finished (or from ``date_from``), soonest first."""
    now = now or timezone.now()
    events = Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED)
    if filters.date_from:
        events = events.filter(ends_at__gte=_start_of_day(filters.date_from))
    else:
        events = events.filter(ends_at__gte=now)
    events = _filtered(events, filters)
    return with_places(
        events.select_related("category", "cluster", "venue", "organiser").order_by(
            "starts_at", "pk"
        )
    )


def feed_events(*, hub: Hub, filters: EventFilters, now: datetime | None = None) -> list[Event]:
    """Events for a calendar feed: cancelled ones too (so calendars drop them), and the last
    month's, so they do not vanish from a subscriber's calendar the moment they end."""
    now = now or timezone.now()
    events = Event.objects.filter(hub=hub, published_at__isnull=False).exclude(
        status=EventStatus.DRAFT
    )
    if filters.date_from:
        events = events.filter(ends_at__gte=_start_of_day(filters.date_from))
    else:
        events = events.filter(ends_at__gte=now - FEED_HISTORY)
    events = _filtered(events, filters)
    return list(
        events.select_related("hub", "category", "venue")
        .prefetch_related(Prefetch("sessions", queryset=EventSession.objects.order_by("starts_at")))
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def event_get(*, hub: Hub, pk: int) -> Event | None:
    """A public event: published, or cancelled after it was published."""
    return (
        with_places(Event.objects.filter(hub=hub, pk=pk, published_at__isnull=False))
        .exclude(status=EventStatus.DRAFT)
        .select_related("hub", "category", "cluster", "venue", "organiser")
        .first()
    )


def event_sessions(*, event: Event) -> list[EventSession]:
    return list(event.sessions.order_by("starts_at", "pk"))


def hub_categories(*, hub: Hub) -> QuerySet[EventCategory]:
    return EventCategory.objects.filter(hub=hub).order_by("position", "name")


def cluster_upcoming_events(*, cluster: Cluster, limit: int = 5) -> list[Event]:
    return list(
        Event.objects.filter(
            hub_id=cluster.hub_id,
            cluster=cluster,
            status=EventStatus.PUBLISHED,
            ends_at__gte=timezone.now(),
        ).order_by("starts_at", "pk")[:limit]
    )


def booking_from_token(*, hub: Hub, token: str) -> Booking | None:
    reference = booking_reference(token)
    if reference is None:
        return None
    return (
        Booking.objects.filter(event__hub=hub, reference=reference)
        .select_related("event__hub", "event__venue", "event__category")
        .first()
    )


def waiting_position(booking: Booking) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = Booking.objects.filter(event_id=booking.event_id, status=BookingStatus.WAITING).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


# Staff


def manageable_events(*, hub: Hub, membership: Membership, user: object) -> QuerySet[Event]:
    """The events this member may manage: all of the hub's for hub staff; otherwise those of
    the clusters they coordinate and the organisations they work for."""
    events = Event.objects.filter(hub=hub)
    if not membership.has_capability("can_manage_events"):
        organisations = membership.organisations.all() if membership.pk else []
        events = events.filter(Q(cluster__coordinator=user) | Q(organiser__in=organisations))
    # What is coming up first, soonest first; then what is over, latest first.
    past = Case(When(ends_at__lt=timezone.now(), then=Value(1)), default=Value(0))
    return with_places(
        events.select_related("category", "cluster", "organiser")
        .annotate(is_past=past)
        .order_by("is_past", Case(When(is_past=0, then=F("starts_at"))), "-starts_at", "-pk")
    )


def event_bookings(*, event: Event) -> dict[str, list[Booking]]:
    """The event's bookings by status, each in booking order (the waiting list's order)."""
    groups: dict[str, list[Booking]] = {s: [] for s in BookingStatus.values}
    for booking in event.bookings.order_by("created_at", "pk"):
        groups[booking.status].append(booking)
    return groups
