"""Calendars in iCalendar (RFC 5545) form: the What's On feeds and the file sent with a booking.

Every time is written in UTC (``DTSTART:20260715T180000Z``), which every calendar client reads
the same way on both sides of the clocks changing; it shows the time in the reader's own zone.
"""

from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from tutti.core.text import strip_controls
from tutti.core.urls import absolute_url
from tutti.events.models import Event, EventSession

PRODID = "-//Tutti//What's On//EN"


def ics_text(value: str) -> vText:
    """Any text as an iCalendar TEXT value: escaped, and without control characters."""
    # RFC 5545 TEXT may not hold control characters; icalendar escapes line breaks as \n.
    return vText(strip_controls(value.replace("\r\n", "\n").replace("\r", "\n")))


def _uid(session: EventSession) -> str:
    # From the site's address, not the request's, so that a session's UID never changes.
    host = urlsplit(absolute_url("/")).hostname or "tutti"
    return f"event-{session.event_id}-session-{session.pk}@{host}"


def _location(event: Event) -> str:
    if not event.has_venue:
        return "Online" if event.is_online else ""
    place = event.venue_text
    return f"{place} (and online)" if event.is_online else place


def _vevents(
    event: Event, sessions: list[EventSession], stamp: datetime, *, waiting: bool = False
) -> list[CalendarEvent]:
    url = absolute_url(event.get_absolute_url())
    items = []
    for number, session in enumerate(sessions, start=1):
        item = CalendarEvent()
        item.add("uid", _uid(session))
        item.add("dtstamp", stamp)
        item.add("last-modified", max(event.updated_at, session.updated_at).astimezone(UTC))
        item.add("dtstart", session.starts_at.astimezone(UTC))
        item.add("dtend", session.ends_at.astimezone(UTC))
        title = event.title
        if len(sessions) > 1:
            title = f"{title}: {session.title or f'session {number} of {len(sessions)}'}"
        item.add("summary", ics_text(title))
        description = f"{event.summary}\n\n{url}"
        if waiting and not event.is_cancelled:
            description = f"You are on the waiting list.\n\n{description}"
        item.add("description", ics_text(description))
        item.add("url", url)
        location = _location(event)
        if location:
            item.add("location", ics_text(location))
        item.add("categories", [ics_text(event.category.name)])
        item.add(
            "status",
            "CANCELLED" if event.is_cancelled else "TENTATIVE" if waiting else "CONFIRMED",
        )
        # A cancellation is a new version of the entry, so clients replace the old one.
        item.add("sequence", 1 if event.is_cancelled else 0)
        items.append(item)
    return items


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    subscription: bool = False,
    waiting: Collection[int] = (),
) -> bytes:
    """A calendar of these events: a feed to subscribe to, or a file to import once.

    Events whose ids are in ``waiting`` are the reader's waiting lists: TENTATIVE, not CONFIRMED.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar escapes only the properties it knows; this one it would write raw.
    calendar.add("x-wr-calname", ics_text(name))
    if subscription:
        # Ask subscribed clients to check for changes every hour.
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for event in events:
        sessions = list(event.sessions.all())
        for item in _vevents(event, sessions, stamp, waiting=event.pk in waiting):
            calendar.add_component(item)
    return calendar.to_ical()
