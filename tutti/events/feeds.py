"""Calendar feeds that calendar apps poll: the What's On (with the page's filters) and a
person's own bookings at a secret address.

A feed covers the last ``FEED_HISTORY`` (so an event does not vanish from a subscriber's
calendar the moment it ends) and everything ahead, at most ``FEED_LIMIT`` events.

Calendar apps ask again every hour or so, mostly for a feed that has not changed. Each answer
carries an ETag and Last-Modified worked out by one aggregate query over the feed's events and
sessions (and, for a person's feed, their bookings); a request that sends them back gets 304 Not
Modified before any event is read or written out.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from tutti.core.urls import absolute_url
from tutti.directory.models import Hub
from tutti.events import selectors
from tutti.events.forms import EventFilterForm
from tutti.events.ics import EntryEvent, EntrySession, IcsTime, location_text, write_calendar
from tutti.events.models import Booking, BookingStatus, Event, EventSession, EventStatus
from tutti.events.selectors import EventFilters

# How long an event stays in a feed after it ends; the README states the same.
FEED_HISTORY = timedelta(days=30)
FEED_LIMIT = 2000
# Part of every ETag: change it when the calendar writer's output changes, so that every
# client fetches the feed again instead of keeping its copy.
FEED_VERSION = "2"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# The What's On is the same for everyone: a shared cache may keep it for five minutes.
PUBLIC_CACHE = "public, max-age=300"
# A person's feed names what they booked: no shared caches (and SecurityHeadersMiddleware
# keeps every signed link out of all caches).
PRIVATE_CACHE = "private, no-store"


def _window_start(now: datetime, filters: EventFilters | None = None) -> datetime:
    if filters is not None and filters.date_from:
        return selectors._start_of_day(filters.date_from)
    return now - FEED_HISTORY


# Columns, not model instances: making the instances (a session, its event, the event's
# category and venue, for each of a thousand) took ten times as long as the query. The times
# come as the text the writer puts out (IcsTime), not as datetimes.
_COLUMNS = (
    *EntrySession._fields,
    "event_id",
    "event__title",
    "event__summary",
    "event__status",
    "event__category__name",
    "event__is_online",
    "event__venue_id",
    "event__venue_name",
    "event__venue_address",
    "event__venue__name",
    "event__venue__address",
    "event__venue__town",
    "event__venue__postcode",
)


def _entries(
    hub: Hub, sessions: QuerySet[EventSession]
) -> list[tuple[EntryEvent, list[EntrySession]]]:
    """The feed's events, each with its sessions in order: one query for the whole feed."""
    rows = (
        sessions.annotate(
            dtstart=IcsTime("starts_at"),
            dtend=IcsTime("ends_at"),
            last_modified=IcsTime(Greatest("updated_at", "event__updated_at")),
        )
        .order_by("event__starts_at", "event_id", "starts_at", "pk")
        .values_list(*_COLUMNS)
    )
    entries: list[tuple[EntryEvent, list[EntrySession]]] = []
    for row in rows:
        session = EntrySession(*row[:5])
        (event_id, title, summary, status, category, is_online) = row[5:11]
        if entries and entries[-1][0].pk == event_id:
            entries[-1][1].append(session)
            continue
        venue_id, venue_name, venue_address, *directory_entry = row[11:]
        # As Event.has_venue and Event.venue_text: the directory's entry, or the typed place.
        parts = directory_entry if venue_id is not None else [venue_name, venue_address]
        event = EntryEvent(
            pk=event_id,
            hub_slug=hub.slug,
            title=title,
            summary=summary,
            category=category,
            location=location_text(
                place=", ".join(p for p in parts if p),
                has_venue=venue_id is not None or bool(venue_name),
                is_online=is_online,
            ),
            is_cancelled=status == EventStatus.CANCELLED,
        )
        entries.append((event, [session]))
    return entries


def _validators(hub: Hub, key: object, figures: dict) -> tuple[str, datetime]:
    """A weak ETag (each answer has a fresh DTSTAMP, so two are equal in meaning, not in bytes)
    and the Last-Modified time, from the aggregate ``figures`` and what else shapes the feed.

    The counts and sums of ids change when an entry joins or leaves the window (an event
    published, deleted or past the history), the latest ``updated_at`` when one is edited or
    cancelled, and the hub's when it is renamed.
    The site's address is in every entry's UID and address.
    """
    parts = [FEED_VERSION, absolute_url("/"), hub.pk, hub.slug, hub.name, hub.updated_at, key]
    parts.append(sorted(figures.items()))
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    times = [t for name, t in figures.items() if name.endswith("changed") and t is not None]
    return f'W/"{digest}"', max([hub.updated_at, *times])


def _respond(
    request: HttpRequest,
    validators: tuple[str, datetime],
    render: Callable[[], bytes],
    *,
    filename: str,
    cache_control: str,
) -> HttpResponse:
    """304 if the client's copy is current, without calling ``render``; else the calendar."""
    etag, last_modified = validators
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is None:
        response = HttpResponse(render(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = cache_control
    return response


# The What's On


def hub_window(
    *, hub: Hub, filters: EventFilters, now: datetime | None = None
) -> QuerySet[EventSession]:
    """The sessions of the hub's feed: of events published (cancelled ones too, so calendars
    drop them; never drafts) and not over more than FEED_HISTORY ago, or from ``date_from``."""
    events = Event.objects.filter(
        hub=hub,
        published_at__isnull=False,
        ends_at__gte=_window_start(now or timezone.now(), filters),
    ).exclude(status=EventStatus.DRAFT)
    events = selectors._filtered(events, filters).order_by("starts_at", "pk")
    # in_once, not in: with IN (SELECT ... LIMIT) PostgreSQL read every session of every hub
    # and kept those of the feed's events (a hash join); as an array of ids, found first, each
    # event's sessions come through the event_id index.
    return EventSession.objects.filter(event__in_once=events.values("pk")[:FEED_LIMIT])


def _hub_figures(sessions: QuerySet[EventSession]) -> dict:
    return sessions.aggregate(
        sessions=Count("pk"),
        session_ids=Sum("pk"),
        session_changed=Max("updated_at"),
        event_changed=Max("event__updated_at"),
        category_changed=Max("event__category__updated_at"),
        venue_changed=Max("event__venue__updated_at"),
    )


def hub_feed(request: HttpRequest, form: EventFilterForm) -> HttpResponse:
    """The What's On as a calendar to subscribe to, with the same filters as the page."""
    problems = form.problems()
    if problems:
        # A calendar app would show nothing useful for a broken link: say what is wrong.
        return HttpResponse(
            "This calendar link has a problem:\n" + "\n".join(problems) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    hub = request.hub  # type: ignore[attr-defined]
    filters = form.filters()
    sessions = hub_window(hub=hub, filters=filters)
    return _respond(
        request,
        _validators(hub, ("hub", filters), _hub_figures(sessions)),
        lambda: write_calendar(
            _entries(hub, sessions),
            name=f"{hub.name}: What's On",
            subscription=True,
        ),
        filename="whats-on.ics",
        cache_control=PUBLIC_CACHE,
    )


# A person's bookings


def person_bookings(*, hub: Hub, email: str, now: datetime | None = None) -> QuerySet[Booking]:
    """The bookings of a person's feed: their places and waiting lists on the hub's published
    events (cancelled ones too) not over more than FEED_HISTORY ago."""
    bookings = (
        Booking.objects.filter(
            selectors._person(email),
            event__hub=hub,
            event__published_at__isnull=False,
            event__ends_at__gte=_window_start(now or timezone.now()),
        )
        .exclude(status=BookingStatus.CANCELLED)
        .exclude(event__status=EventStatus.DRAFT)
        .order_by("event__starts_at", "event__pk")
    )
    return Booking.objects.filter(pk__in=bookings.values("pk")[:FEED_LIMIT])


def _person_figures(bookings: QuerySet[Booking]) -> dict:
    # One row per booking and session: hence the distinct counts and sums.
    return bookings.aggregate(
        bookings=Count("pk", distinct=True),
        booking_ids=Sum("pk", distinct=True),
        waiting_ids=Sum("pk", distinct=True, filter=Q(status=BookingStatus.WAITING)),
        booking_changed=Max("updated_at"),
        sessions=Count("event__sessions", distinct=True),
        session_ids=Sum("event__sessions__pk", distinct=True),
        session_changed=Max("event__sessions__updated_at"),
        event_changed=Max("event__updated_at"),
        category_changed=Max("event__category__updated_at"),
        venue_changed=Max("event__venue__updated_at"),
    )


def _person_calendar(hub: Hub, bookings: QuerySet[Booking]) -> bytes:
    statuses: dict[int, str] = {}
    for event_id, status in bookings.order_by("event__starts_at", "event__pk", "pk").values_list(
        "event_id", "status"
    ):
        # Two bookings of one event (one made before an email change): a place beats waiting.
        if statuses.get(event_id) != BookingStatus.CONFIRMED:
            statuses[event_id] = status
    waiting = {pk for pk, status in statuses.items() if status == BookingStatus.WAITING}
    sessions = EventSession.objects.filter(event_id__in=list(statuses))
    return write_calendar(
        _entries(hub, sessions), name=f"My bookings: {hub.name}", subscription=True, waiting=waiting
    )


def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's bookings as a calendar. The secret token stands in for signing in, since
    calendar apps cannot sign in."""
    feed = selectors.calendar_feed_get(token=token)
    if feed is None:
        raise Http404("This calendar address is not valid. It may have been reset.")
    hub = request.hub  # type: ignore[attr-defined]
    bookings = person_bookings(hub=hub, email=feed.user.email)
    return _respond(
        request,
        # The token is in the key: a new address is a new feed.
        _validators(hub, ("person", feed.pk, feed.token), _person_figures(bookings)),
        lambda: _person_calendar(hub, bookings),
        filename="my-bookings.ics",
        cache_control=PRIVATE_CACHE,
    )
