"""Reads of events and bookings, always within one hub."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from tutti.accounts.models import Membership, User
from tutti.clusters.models import Cluster
from tutti.core.search import Searched, TextIndex, contains_every_word
from tutti.directory.models import Hub, Organisation
from tutti.directory.selectors import ORGANISATION_SEARCH
from tutti.events.models import (
    AUDIENCE_FIELDS,
    Attendance,
    AttendanceStatus,
    Booking,
    BookingStatus,
    CalendarFeed,
    Event,
    EventCategory,
    EventSession,
    EventStatus,
)
from tutti.events.tokens import booking_reference

# What's On's text search over the events' own words (tutti.core.search); migration
# 0007_search_indexes builds these indexes.
EVENT_SEARCH = TextIndex(
    table="events_event",
    fields=[Searched("title"), Searched("summary"), Searched("venue_name")],
)


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


class _PerEvent(Func):
    """A number about each event from a table that refers to it (``{table}`` and ``{event}``
    in ``sql``), read by a correlated subquery written out.

    ORM subqueries did the same in the same SQL, but building and compiling them took more of
    What's On's server time than reading its page of events."""

    output_field = IntegerField()

    def __init__(self, sql: str, *, table: str, params: tuple[str, ...] = ()) -> None:
        super().__init__(F("pk"))
        self.sql, self.table, self.params = sql, table, params

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        # The event's pk is compiled as any column is, so the outer query's alias is right
        # even when it is relabelled inside another query.
        event, event_params = compiler.compile(self.get_source_expressions()[0])
        sql = self.sql.format(table=connection.ops.quote_name(self.table), event=event)
        return f"({sql})", (*event_params, *self.params)


def with_places(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``confirmed_count`` (places held by confirmed bookings), ``session_count``
    and ``places_left`` (None when there is no limit)."""
    confirmed = _PerEvent(
        "SELECT COALESCE(SUM(places), 0) FROM {table} WHERE event_id = {event} AND status = %s",
        table=Booking._meta.db_table,
        params=(BookingStatus.CONFIRMED.value,),
    )
    sessions = _PerEvent(
        "SELECT COUNT(*) FROM {table} WHERE event_id = {event}",
        table=EventSession._meta.db_table,
    )
    return events.annotate(confirmed_count=confirmed, session_count=sessions).annotate(
        places_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=F("capacity") - F("confirmed_count"),
            output_field=IntegerField(),
        )
    )


if TYPE_CHECKING:
    _Paginator = Paginator[Event]
else:  # Django's Paginator takes no type arguments at run time.
    _Paginator = Paginator


# What a list of events shows beside each (its category, cluster, venue and organiser).
LISTED = ("category", "cluster", "venue", "organiser")

# The columns What's On's list shows (templates/events/event_list.html and its includes), for
# ``EventPaginator(fields=...)``: a venue is a row of the national register, and reading,
# parsing and building every column of the four joined tables doubled the time the page's
# events took to read.
WHATS_ON_FIELDS = (
    "hub",
    "title",
    "summary",
    "starts_at",
    "ends_at",
    "venue_name",
    "is_online",
    "price",
    "capacity",
    "status",
    "category__name",
    "category__slug",
    "cluster__name",
    "cluster__slug",
    "venue__name",
    "venue__town",
)


class EventPaginator(_Paginator):
    """Pages of a list of events (filtered and ordered, not yet annotated), each page's events
    annotated with places (``with_places``) and their ``related`` rows; with ``fields``,
    only those columns (``QuerySet.only``; reading any other would cost a query per event).

    The count and the page's ids are read from the plain list and only the page's own events
    get the annotations: sliced as usual, PostgreSQL would work them out for every event the
    OFFSET skips too (0.3 s for the last of 500 pages), and Django would build the annotated
    query three times a page."""

    object_list: QuerySet[Event]

    def __init__(
        self,
        events: QuerySet[Event],
        per_page: int,
        *,
        related: tuple[str, ...] = LISTED,
        fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(events, per_page)
        self.related = related
        self.fields = fields

    def page(self, number: int | str) -> Page[Event]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        # The list's order, which is made of the event's own fields, never of annotations.
        events = (
            Event.objects.filter(pk__in=ids)
            .select_related(*self.related)
            .order_by(*self.object_list.query.order_by)
        )
        if self.fields:
            events = events.only(*self.fields)
        events = with_places(events)
        return Page(list(events), number, self)


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

    def venue_or_organiser(word: str) -> Q:
        # The directory's matches as id lists, not joins: an OR across joined tables could use
        # no index, but on one table it can (tutti.core.search: trigrams or FTS5).
        orgs = Organisation.objects.all()
        places = contains_every_word(orgs, [word], ["name", "town"], index=ORGANISATION_SEARCH)
        organisers = contains_every_word(orgs, [word], ["name"], index=ORGANISATION_SEARCH)
        return Q(venue__in=places.values("pk")) | Q(organiser__in=organisers.values("pk"))

    return contains_every_word(
        events,
        filters.q.split(),
        ["title", "summary", "venue_name"],
        index=EVENT_SEARCH,
        extra=venue_or_organiser,
    )


def public_events(
    *, hub: Hub, filters: EventFilters, now: datetime | None = None
) -> QuerySet[Event]:
    """The hub's published events that have not finished (or from ``date_from``), soonest first;
    paged by ``EventPaginator``, which adds places and what the list shows."""
    now = now or timezone.now()
    events = Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED)
    if filters.date_from:
        events = events.filter(ends_at__gte=_start_of_day(filters.date_from))
    else:
        events = events.filter(ends_at__gte=now)
    return _filtered(events, filters).order_by("starts_at", "pk")


def _in_hub(event: Event | None, hub: Hub) -> Event | None:
    # The hub the caller holds, rather than the same row joined again.
    if event is not None:
        event.hub = hub
    return event


def event_get(*, hub: Hub, pk: int) -> Event | None:
    """A public event: published, or cancelled after it was published."""
    return _in_hub(
        with_places(Event.objects.filter(hub=hub, pk=pk, published_at__isnull=False))
        .exclude(status=EventStatus.DRAFT)
        .select_related("category", "cluster", "venue", "organiser")
        .first(),
        hub,
    )


def event_for_staff(*, hub: Hub, pk: int) -> Event | None:
    """Any event of the hub, drafts too, with places; access is the caller's to check."""
    return _in_hub(
        with_places(Event.objects.filter(hub=hub, pk=pk))
        .select_related("category", "cluster", "venue", "organiser")
        .first(),
        hub,
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


def hub_upcoming_events(*, hub: Hub, limit: int = 4) -> list[Event]:
    """The next few published events of the hub, for its home page."""
    return list(
        with_places(
            Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        )
        .select_related("category", "venue")
        .order_by("starts_at", "pk")[:limit]
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


def events_managed_by(*, hub: Hub, membership: Membership, user: object) -> QuerySet[Event]:
    """The events this member may manage: all of the hub's for hub staff; otherwise those of
    the clusters they coordinate and the organisations they work for."""
    events = Event.objects.filter(hub=hub)
    if not membership.has_capability("can_manage_events"):
        events = events.filter(
            Q(cluster__coordinator=user) | Q(organiser__in=membership.own_organisations())
        )
    return events


def manageable_events(*, hub: Hub, membership: Membership, user: object) -> QuerySet[Event]:
    """``events_managed_by`` in the order of the list of events to manage (paged by
    ``EventPaginator``)."""
    events = events_managed_by(hub=hub, membership=membership, user=user)
    # What is coming up first, soonest first; then what is over, latest first.
    now = timezone.now()
    past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
    upcoming_first = Case(When(ends_at__gte=now, then=F("starts_at")))
    return events.order_by(past, upcoming_first, "-starts_at", "-pk")


def event_bookings(*, event: Event) -> dict[str, list[Booking]]:
    """The event's bookings by status, each in booking order (the waiting list's order)."""
    groups: dict[str, list[Booking]] = {s: [] for s in BookingStatus.values}
    for booking in event.bookings.order_by("created_at", "pk"):
        groups[booking.status].append(booking)
    return groups


def sessions_with_attendance(*, event: Event) -> list[EventSession]:
    """The event's sessions, each with ``attended_count`` and ``absent_count``: places, so a
    family of three who came counts three."""

    def places(status: str) -> Coalesce:
        return Coalesce(
            Sum("attendances__booking__places", filter=Q(attendances__status=status)), Value(0)
        )

    return list(
        event.sessions.annotate(
            attended_count=places(AttendanceStatus.ATTENDED),
            absent_count=places(AttendanceStatus.ABSENT),
        ).order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class RegisterRow:
    booking: Booking
    status: str | None  # attended, absent, or None while not recorded


def session_register(*, session: EventSession) -> list[RegisterRow]:
    """Everyone with a place on the session's event, by name, with what is recorded for them."""
    recorded = dict(Attendance.objects.filter(session=session).values_list("booking_id", "status"))
    bookings = Booking.objects.filter(
        event_id=session.event_id, status=BookingStatus.CONFIRMED
    ).order_by(Lower("name"), "pk")
    return [RegisterRow(booking=b, status=recorded.get(b.pk)) for b in bookings]


# People: bookings and CPD records


def _person(email: str, prefix: str = "") -> Q:
    """A person's bookings: those made in their email, and their own made when signed in (they
    may have changed their email since)."""
    # The account as a subquery run once (in_once), not a join: each side of the OR can then
    # use its index (the bookings' emails in any case, their accounts), not every booking.
    accounts = User.objects.filter(email__iexact=email).values("pk")
    return Q(**{f"{prefix}email__iexact": email}) | Q(**{f"{prefix}user__in_once": accounts})


@dataclass(frozen=True)
class CpdEntry:
    event: Event
    sessions: list[EventSession]  # those attended
    session_count: int  # all of the event's sessions

    @property
    def hours(self) -> float:
        return _hours(self.sessions)


@dataclass(frozen=True)
class CpdRecord:
    email: str
    name: str
    entries: list[CpdEntry]

    @property
    def hours(self) -> float:
        return _hours([s for entry in self.entries for s in entry.sessions])


def _hours(sessions: list[EventSession]) -> float:
    seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in sessions)
    return round(seconds / 3600, 2)


def cpd_record(*, hub: Hub, email: str, events: QuerySet[Event] | None = None) -> CpdRecord:
    """The events of this hub a person attended, with the sessions and hours, latest first.

    ``events`` limits it to those (the events someone manages); hours are the attended
    sessions' length, whatever became of the booking or the event afterwards.
    """
    attended = (
        Attendance.objects.filter(
            _person(email, "booking__"),
            status=AttendanceStatus.ATTENDED,
            session__event__hub=hub,
        )
        .select_related("booking", "session__event__category")
        .annotate(
            session_count=Subquery(
                EventSession.objects.filter(event=OuterRef("session__event"))
                .order_by()
                .values("event")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            )
        )
        .order_by("-session__event__starts_at", "session__event", "session__starts_at")
    )
    if events is not None:
        attended = attended.filter(session__event__in=events.values("pk"))
    entries: dict[int, CpdEntry] = {}
    name = ""
    for attendance in attended:
        event = attendance.session.event
        if event.pk not in entries:
            entries[event.pk] = CpdEntry(
                event=event,
                sessions=[],
                session_count=attendance.session_count,
            )
        entries[event.pk].sessions.append(attendance.session)
        name = name or attendance.booking.name
    return CpdRecord(email=email, name=name, entries=list(entries.values()))


def bookings_for_person(*, hub: Hub, email: str) -> list[Booking]:
    """A person's live bookings (places and waiting lists) for the hub's events not yet over,
    soonest first."""
    return list(
        Booking.objects.filter(_person(email), event__hub=hub, event__ends_at__gte=timezone.now())
        .exclude(status=BookingStatus.CANCELLED)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event__hub", "event__venue", "event__category")
        .order_by("event__starts_at", "event__pk")
    )


def calendar_feed_for(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_get(*, token: str) -> CalendarFeed | None:
    """The feed with this token, while its owner's account is active."""
    return (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
