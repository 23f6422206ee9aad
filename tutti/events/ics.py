"""Calendars in iCalendar (RFC 5545) form: the What's On feeds and the file sent with a booking.

Every time is written in UTC (``DTSTART:20260715T180000Z``), which every calendar client reads
the same way on both sides of the clocks changing; it shows the time in the reader's own zone.

The lines are written here directly rather than through the icalendar library's objects: a
hub's full feed is a thousand events or more, and building and serialising a component per
session took over a second. The output is the same as the library's (same properties, order,
escaping and folding), which the tests check by reading it back with the library and with a
reader of their own.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.db import NotSupportedError
from django.db.models import CharField, Func
from django.utils import timezone

from tutti.core.text import strip_controls
from tutti.core.urls import absolute_url
from tutti.directory.models import Hub
from tutti.events.models import Event, EventSession

PRODID = "-//Tutti//What's On//EN"

CRLF = b"\r\n"
# A long line goes on after a line break and one space (RFC 5545 3.1).
FOLD = b"\r\n "
# Octets of content on each physical line, not counting the break or a folded line's space:
# RFC 5545 allows 75 with the space; this is the icalendar library's choice, and so ours.
LINE_OCTETS = 74
BACKSLASH, CARET = 0x5C, 0x5E
# A pk no real event has, swapped for each event's own in its address (see _detail_url).
URL_PK = 987654321987


def ics_text(value: str) -> str:
    """Any text as an iCalendar TEXT value (RFC 5545 3.3.11): escaped, on one line, and without
    control characters (which TEXT may not hold)."""
    value = strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
    # The backslash first, so the escapes added after it are not escaped again.
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def content_line(name: str, value: str) -> bytes:
    """One property as UTF-8, folded at 74 octets and ending in CRLF. ``value`` is already in
    iCalendar form (escaped where it is TEXT)."""
    data = f"{name}:{value}".encode()
    if len(data) <= LINE_OCTETS:
        return data + CRLF
    parts = []
    start = 0
    while len(data) - start > LINE_OCTETS:
        cut = start + LINE_OCTETS
        # Never inside a character: UTF-8 continuation bytes are 0b10xxxxxx.
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        # Nor straight after a backslash (or a parameter's caret): some clients do not
        # join an escape split over two lines, so it moves to the next line whole.
        if data[cut - 1] in (BACKSLASH, CARET) and cut - 1 > start:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return FOLD.join(parts) + CRLF


def ics_time(moment: datetime) -> str:
    """A moment as a UTC DATE-TIME, to the second (``20260715T180000Z``)."""
    # Cut from isoformat() ("2026-07-15T18:00:00.123456+00:00"): three times as fast as
    # strftime(), which was the writer's slowest step.
    text = moment.astimezone(UTC).isoformat()
    return f"{text[0:4]}{text[5:7]}{text[8:10]}T{text[11:13]}{text[14:16]}{text[17:19]}Z"


class IcsTime(Func):
    """A timestamp column as ``ics_time`` writes it, worked out by the database: a feed of a
    thousand sessions read four thousand datetimes, and making them in Python took longer than
    the query that found them."""

    output_field = CharField()

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError("IcsTime is written for PostgreSQL and SQLite only.")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Truncated to the second, as ics_time is.
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps aware datetimes as UTC text. Each % is doubled twice: once for this
        # template, once for the query's parameters.
        template = "strftime('%%%%Y%%%%m%%%%dT%%%%H%%%%M%%%%SZ', %(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra)


def location_text(*, place: str, has_venue: bool, is_online: bool) -> str:
    """Where an event is, for LOCATION: ``place`` is its venue in one line."""
    if not has_venue:
        return "Online" if is_online else ""
    return f"{place} (and online)" if is_online else place


def _location(event: Event) -> str:
    place = event.venue_text if event.has_venue else ""
    return location_text(place=place, has_venue=event.has_venue, is_online=event.is_online)


@dataclass(frozen=True, slots=True)
class EntryEvent:
    """What a calendar entry shows of an event: read from an Event, or straight from a query's
    rows for a whole feed (making a thousand model instances took longer than the writing)."""

    pk: int
    hub_slug: str
    title: str
    summary: str
    category: str
    location: str
    is_cancelled: bool

    @classmethod
    def of(cls, event: Event) -> "EntryEvent":
        return cls(
            pk=event.pk,
            hub_slug=event.hub.slug,
            title=event.title,
            summary=event.summary,
            category=event.category.name,
            location=_location(event),
            is_cancelled=event.is_cancelled,
        )


class EntrySession(NamedTuple):
    """A session as the writer reads it, its times already in iCalendar form (``ics_time``):
    from an EventSession, or straight from a query's rows (``IcsTime``)."""

    pk: int
    title: str
    dtstart: str
    dtend: str
    # The later of the session's and its event's updated_at.
    last_modified: str

    @classmethod
    def of(cls, session: EventSession, event: Event) -> "EntrySession":
        return cls(
            pk=session.pk,
            title=session.title,
            dtstart=ics_time(session.starts_at),
            dtend=ics_time(session.ends_at),
            last_modified=ics_time(max(event.updated_at, session.updated_at)),
        )


class _Writer:
    """What every entry of one calendar shares: when it was made, the site's host for UIDs and
    the address of an event's page, worked out once rather than for each of a thousand."""

    def __init__(self) -> None:
        self.stamp = ics_time(timezone.now())
        # From the site's address, not the request's, so that a session's UID never changes.
        self.host = urlsplit(absolute_url("/")).hostname or "tutti"
        self.detail_urls: dict[str, tuple[str, str]] = {}
        # A hub's few categories and venues recur through its feed: each line is made once.
        self.lines: dict[tuple[str, str], bytes] = {}

    def detail_url(self, event: EntryEvent) -> str:
        # reverse() for every event was a tenth of the feed's time: reverse once per hub, with
        # a placeholder pk, and put each event's pk in its place.
        slug = event.hub_slug
        if slug not in self.detail_urls:
            stand_in = Event(pk=URL_PK, hub=Hub(slug=slug))
            url = absolute_url(stand_in.get_absolute_url())
            before, _, after = url.rpartition(str(URL_PK))
            self.detail_urls[slug] = (before, after)
        before, after = self.detail_urls[slug]
        return f"{before}{event.pk}{after}"

    def text_line(self, name: str, text: str) -> bytes:
        key = (name, text)
        line = self.lines.get(key)
        if line is None:
            line = self.lines[key] = content_line(name, ics_text(text))
        return line

    def vevents(
        self, event: EntryEvent, sessions: Sequence[EntrySession], *, waiting: bool
    ) -> bytes:
        """One VEVENT for each session, with the properties in the icalendar library's order."""
        url = self.detail_url(event)
        description = f"{event.summary}\n\n{url}"
        if waiting and not event.is_cancelled:
            description = f"You are on the waiting list.\n\n{description}"
        location = event.location
        # Properties every session of the event shares, after the ones that differ.
        shared = b"".join(
            [
                # A cancellation is a new version of the entry, so clients replace the old one.
                b"SEQUENCE:1\r\n" if event.is_cancelled else b"SEQUENCE:0\r\n",
                self.text_line("CATEGORIES", event.category),
                content_line("DESCRIPTION", ics_text(description)),
            ]
        )
        status = "CANCELLED" if event.is_cancelled else "TENTATIVE" if waiting else "CONFIRMED"
        tail = b"".join(
            [
                self.text_line("LOCATION", location) if location else b"",
                f"STATUS:{status}\r\n".encode(),
                content_line("URL", url),
                b"END:VEVENT\r\n",
            ]
        )
        count = len(sessions)
        summary = content_line("SUMMARY", ics_text(event.title)) if count == 1 else b""
        out = []
        for number, session in enumerate(sessions, start=1):
            if count > 1:
                title = f"{event.title}: {session.title or f'session {number} of {count}'}"
                summary = content_line("SUMMARY", ics_text(title))
            # The times are 16 ASCII characters: these lines never need folding.
            times = (
                f"DTSTART:{session.dtstart}\r\nDTEND:{session.dtend}\r\nDTSTAMP:{self.stamp}\r\n"
            )
            out += [
                b"BEGIN:VEVENT\r\n",
                summary,
                times.encode(),
                content_line("UID", f"event-{event.pk}-session-{session.pk}@{self.host}"),
                shared,
                f"LAST-MODIFIED:{session.last_modified}\r\n".encode(),
                tail,
            ]
        return b"".join(out)


def write_calendar(
    entries: Iterable[tuple[EntryEvent, Sequence[EntrySession]]],
    *,
    name: str,
    subscription: bool = False,
    waiting: Collection[int] = (),
) -> bytes:
    """A calendar of these events, each with its sessions in order: a feed to subscribe to, or
    a file to import once.

    Events whose ids are in ``waiting`` are the reader's waiting lists: TENTATIVE, not CONFIRMED.
    """
    writer = _Writer()
    head = [
        b"BEGIN:VCALENDAR\r\n",
        content_line("VERSION", "2.0"),
        content_line("PRODID", PRODID),
        content_line("CALSCALE", "GREGORIAN"),
        content_line("METHOD", "PUBLISH"),
        content_line("X-WR-CALNAME", ics_text(name)),
    ]
    if subscription:
        # Ask subscribed clients to check for changes every hour.
        head += [
            content_line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H"),
            content_line("X-PUBLISHED-TTL", "PT1H"),
        ]
    body = [
        writer.vevents(event, sessions, waiting=event.pk in waiting) for event, sessions in entries
    ]
    return b"".join([*head, *body, b"END:VCALENDAR\r\n"])


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    subscription: bool = False,
    waiting: Collection[int] = (),
) -> bytes:
    """A calendar of these events (their sessions read through ``event.sessions``, prefetched
    or not)."""
    return write_calendar(
        (
            (EntryEvent.of(event), [EntrySession.of(s, event) for s in event.sessions.all()])
            for event in events
        ),
        name=name,
        subscription=subscription,
        waiting=waiting,
    )
