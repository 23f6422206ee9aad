"""Calendar feeds (RFC 5545): times in UTC, so clients get them right across the clock changes."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from tutti.core.models import AuditLog
from tutti.events import services
from tutti.events.models import BookingStatus, CalendarFeed, EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory

LONDON = ZoneInfo("Europe/London")
FEED = "/wiltshire/whats-on/feed.ics"


def next_date(month, day):
    """The next 15 July (or whatever) that is still to come."""
    today = timezone.localdate()
    year = today.year if (month, day) > (today.month, today.day) else today.year + 1
    return year, month, day


def evening(month, hour=19):
    year, month, day = next_date(month, 15)
    return datetime(year, month, day, hour, tzinfo=LONDON)


def vevents(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_a_7pm_london_event_is_1800z_in_july_and_1900z_in_january(client, world):
    summer = evening(7)
    winter = evening(1)
    EventFactory(
        hub=world.hub, title="Summer concert", starts_at=summer, ends_at=summer + timedelta(hours=2)
    )
    EventFactory(
        hub=world.hub, title="Winter concert", starts_at=winter, ends_at=winter + timedelta(hours=2)
    )
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert f"DTSTART:{summer.year}0715T180000Z" in text
    assert f"DTEND:{summer.year}0715T200000Z" in text
    assert f"DTSTART:{winter.year}0115T190000Z" in text
    assert f"DTEND:{winter.year}0115T210000Z" in text
    assert "TZID" not in text  # nothing for a client to misread
    calendar, events = vevents(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Wiltshire Music Connect: What's On"
    assert {str(e["SUMMARY"]) for e in events} == {"Summer concert", "Winter concert"}
    for e in events:
        assert e["UID"] and e["DTSTAMP"]
    assert "\r\n" in text  # RFC 5545 lines end in CRLF
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text


def test_the_feed_honours_the_filters(client, world):
    festival = world.hub.event_categories.get(slug="festivals")
    EventFactory(hub=world.hub, title="Festival", category=festival, for_families=True)
    EventFactory(hub=world.hub, title="Meeting", cluster=world.cluster, for_schools=True)
    for query, expected in [
        ({"category": "festivals"}, {"Festival"}),
        ({"cluster": "devizes-area"}, {"Meeting"}),
        ({"audience": "schools"}, {"Meeting"}),
        ({}, {"Festival", "Meeting"}),
    ]:
        _, events = vevents(client.get(FEED, query))
        assert {str(e["SUMMARY"]) for e in events} == expected, query


def test_every_filtered_page_links_to_its_feed(client, world, settings):
    settings.SITE_URL = "https://tutti.example.org"
    html = client.get(
        "/wiltshire/whats-on/",
        {"category": "festivals", "audience": "families", "page": 2},
        SERVER_PORT="8101",
    ).content.decode()
    # The page's own address, not SITE_URL: the box must work where the page was opened.
    assert (
        'value="http://testserver:8101/wiltshire/whats-on/feed.ics'
        '?category=festivals&amp;audience=families"'
    ) in html


@pytest.mark.parametrize(
    "query", [{"category": "nope"}, {"cluster": "fenland"}, {"date_from": "x"}]
)
def test_a_feed_with_an_unknown_filter_says_what_is_wrong(client, world, query):
    response = client.get(FEED, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "This calendar link has a problem" in response.content.decode()


def test_cancelled_events_stay_in_the_feed_marked_cancelled_and_drafts_never_show(client, world):
    EventFactory(hub=world.hub, title="Off", status=EventStatus.CANCELLED)
    EventFactory(hub=world.hub, title="Draft", status=EventStatus.DRAFT, published_at=None)
    EventFactory(hub=world.other_hub, title="Elsewhere")
    _, events = vevents(client.get(FEED))
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in events] == [("Off", "CANCELLED")]


def test_a_series_is_one_calendar_entry_per_session(client, world):
    a, b, c = evening(1, 9), evening(3, 9), evening(6, 9)
    EventFactory(
        hub=world.hub,
        title="Secondary CPD network",
        starts_at=a,
        ends_at=c + timedelta(hours=6),
        sessions=[(x, x + timedelta(hours=6)) for x in (a, b, c)],
    )
    _, events = vevents(client.get(FEED))
    assert [str(e["SUMMARY"]) for e in events] == [
        f"Secondary CPD network: session {n} of 3" for n in (1, 2, 3)
    ]
    assert len({str(e["UID"]) for e in events}) == 3


def test_recent_events_stay_for_a_month_then_drop_out(client, world):
    for days, title in [(-10, "Last week"), (-40, "Long ago")]:
        start = timezone.now() + timedelta(days=days)
        EventFactory(
            hub=world.hub, title=title, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    _, events = vevents(client.get(FEED))
    assert [str(e["SUMMARY"]) for e in events] == ["Last week"]


@pytest.mark.parametrize("rows", [2, 20])
def test_the_feed_uses_a_fixed_number_of_queries(client, world, django_assert_num_queries, rows):
    for _ in range(rows):
        EventFactory(hub=world.hub)
    # hub, the filter's categories and clusters, the events, their sessions
    with django_assert_num_queries(5):
        client.get(FEED)


# A person's own bookings, at a secret address


MINE = "/wiltshire/whats-on/my-bookings/"


@pytest.fixture
def person(world):
    return world.users["plain"]


def my_feed_url(token, hub="wiltshire"):
    return f"/{hub}/whats-on/my-bookings/{token}.ics"


def test_a_person_gets_a_calendar_address_and_subscribes(client, world, person):
    client.force_login(person)
    assert "Get my calendar address" in client.get(MINE).content.decode()
    response = client.post(f"{MINE}calendar/")
    assert response.status_code == 302
    assert response["Location"] == f"{MINE}#calendar"
    feed = CalendarFeed.objects.get(user=person)
    assert len(feed.token) >= 40
    html = client.get(MINE).content.decode()
    assert f"/wiltshire/whats-on/my-bookings/{feed.token}.ics" in html
    assert "Get a new address" in html
    entry = AuditLog.objects.get(action="events.calendar_feed.created")
    assert (entry.actor, entry.hub) == (person, world.hub)


def test_the_feed_has_places_and_waiting_lists_but_nothing_else(client, world, person):
    summer = evening(7)
    mine = EventFactory(
        hub=world.hub, title="Summer concert", starts_at=summer, ends_at=summer + timedelta(hours=2)
    )
    full = EventFactory(hub=world.hub, title="Full festival", capacity=1)
    off = EventFactory(hub=world.hub, title="Rained off")
    BookingFactory(event=mine, email=person.email.upper())
    BookingFactory(event=full)
    BookingFactory(event=full, email=person.email, status=BookingStatus.WAITING)
    BookingFactory(event=off, email=person.email)
    services.event_cancel(event=off, by=None)
    left = EventFactory(hub=world.hub, title="I cancelled")
    BookingFactory(event=left, email=person.email, status=BookingStatus.CANCELLED)
    BookingFactory(event=EventFactory(hub=world.hub, title="Someone else's"))
    BookingFactory(event=EventFactory(hub=world.other_hub, title="Elsewhere"), email=person.email)
    feed = CalendarFeed.objects.create(user=person)
    response = client.get(my_feed_url(feed.token))  # not signed in: the token is enough
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    calendar, events = vevents(response)
    assert str(calendar["X-WR-CALNAME"]) == "My bookings: Wiltshire Music Connect"
    assert {str(e["SUMMARY"]): str(e["STATUS"]) for e in events} == {
        "Summer concert": "CONFIRMED",
        "Full festival": "TENTATIVE",
        "Rained off": "CANCELLED",
    }
    assert f"DTSTART:{summer.year}0715T180000Z" in response.content.decode()
    waiting = next(e for e in events if str(e["SUMMARY"]) == "Full festival")
    assert "waiting list" in str(waiting["DESCRIPTION"])


def test_the_same_address_under_another_hub_gives_that_hubs_bookings(client, world, person):
    BookingFactory(event=EventFactory(hub=world.hub, title="Wiltshire's"), email=person.email)
    BookingFactory(event=EventFactory(hub=world.other_hub, title="Fenland's"), email=person.email)
    token = CalendarFeed.objects.create(user=person).token
    _, events = vevents(client.get(my_feed_url(token, "cambridgeshire")))
    assert [str(e["SUMMARY"]) for e in events] == ["Fenland's"]
    assert client.get(my_feed_url(token, "nowhere")).status_code == 404


def test_resetting_the_address_stops_the_old_one(client, world, person):
    old = CalendarFeed.objects.create(user=person).token
    client.force_login(person)
    response = client.post(f"{MINE}calendar/", follow=True)
    assert "The old one no longer works" in response.content.decode()
    new = CalendarFeed.objects.get(user=person).token
    assert new != old
    assert client.get(my_feed_url(old)).status_code == 404
    assert client.get(my_feed_url(new)).status_code == 200
    assert AuditLog.objects.filter(action="events.calendar_feed.reset").count() == 1


@pytest.mark.parametrize("token", ["nope", "x" * 43, "a.b"])
def test_an_unknown_token_is_404(client, world, person, token):
    CalendarFeed.objects.create(user=person)
    assert client.get(my_feed_url(token)).status_code == 404


def test_a_deactivated_persons_feed_stops(client, world, person):
    token = CalendarFeed.objects.create(user=person).token
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(my_feed_url(token)).status_code == 404


def test_a_get_or_a_stranger_writes_nothing(client, world, person):
    assert client.post(f"{MINE}calendar/")["Location"].startswith("/accounts/login/")
    client.force_login(person)
    assert client.get(f"{MINE}calendar/")["Location"] == f"{MINE}#calendar"
    assert not CalendarFeed.objects.exists()


def test_the_private_feed_uses_a_fixed_number_of_queries(
    client, world, person, django_assert_num_queries
):
    for _ in range(5):
        BookingFactory(event=EventFactory(hub=world.hub), email=person.email)
    token = CalendarFeed.objects.create(user=person).token
    # hub, the feed and its owner, the bookings, the events, their sessions
    with django_assert_num_queries(5):
        client.get(my_feed_url(token))


# The writer: RFC 5545 text, read back the same by two parsers


# Everything a title or a venue might hold: the TEXT specials, line breaks of every kind, emoji
# and other multi-byte characters (so that folding meets them), long runs, backslashes where a
# line folds, and control characters (which TEXT may not hold, so they are dropped).
CONTROLS = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") + "\x7f\x85"
HOSTILE_TITLE = f"Bell{CONTROLS}\nRinger; evening, with \\ backslash\ttab 🎻🎺 " + "x" * 120
HOSTILE_SUMMARY = (
    "Line one\r\nLine two\rLine three,;:\\" + "\\" * 71 + "é" * 40 + "🎹" * 20 + "中文" * 10
)
HOSTILE_VENUE = "Hall; one, two " + "\\;,\n" * 20 + "🥁" * 30


def _expected(text):
    """What a reader should get back: line breaks as LF, no control characters but the tab."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F))


TEXT_ESCAPE = re.compile(rb"\\(.)", re.S)


def unescape(value: str) -> str:
    raw = value.encode()
    assert all(m.group(1) in b"\\;,nN" for m in TEXT_ESCAPE.finditer(raw)), value
    return TEXT_ESCAPE.sub(lambda m: b"\n" if m.group(1) in b"nN" else m.group(1), raw).decode()


TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "X-WR-CALNAME"}


def strict_read(data: bytes):
    """A reader written from RFC 5545 alone, stricter than the icalendar library: CRLF only,
    physical lines of at most 75 octets, none split inside a UTF-8 character, TEXT escapes
    only of backslash, semicolon, comma and newline. Returns each component as
    (name, {property: [values]}), outermost first."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines), "a bare CR or LF"
    logical: list[str] = []
    for line in lines:
        assert len(line) <= 75, line
        text = line.decode("utf-8")  # fails if a fold split a character
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", text), text
        if line.startswith(b" "):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    components: list[tuple[str, dict[str, list[str]]]] = []
    stack: list[tuple[str, dict[str, list[str]]]] = []
    for line in logical:
        name_part, _, value = line.partition(":")
        name = name_part.split(";")[0]
        if name == "BEGIN":
            stack.append((value, {}))
            components.append(stack[-1])
        elif name == "END":
            assert stack.pop()[0] == value
        else:
            if name in TEXT_PROPERTIES:
                value = unescape(value)
            stack[-1][1].setdefault(name, []).append(value)
    assert not stack
    return components


def library_read(data: bytes):
    """The same, as the icalendar library reads it."""
    components = []
    for component in Calendar.from_ical(data).walk():
        values = {}
        for name, value in component.property_items(recursive=False):
            if name in ("BEGIN", "END"):
                continue
            if name == "X-WR-CALNAME":
                # The library leaves a property it does not know as written, escapes and all.
                value = unescape(value.to_ical().decode())
            elif name == "CATEGORIES":
                value = ",".join(str(c) for c in value.cats)
            elif isinstance(value.dt if hasattr(value, "dt") else None, datetime):
                value = value.dt.strftime("%Y%m%dT%H%M%SZ")
            elif hasattr(value, "to_ical") and name not in TEXT_PROPERTIES:
                value = value.to_ical().decode()
            values.setdefault(name, []).append(str(value))
        components.append((component.name, values))
    return components


def test_the_writer_keeps_any_text_and_both_parsers_read_it_the_same(client, world):
    from tutti.directory.tests.factories import OrganisationFactory

    category = world.hub.event_categories.get(slug="festivals")
    category.name = "Festivals, fairs; and \\ more"
    category.save(update_fields=["name"])
    venue = OrganisationFactory(
        name=HOSTILE_VENUE[:200], hub=world.hub, address="", town="", postcode=""
    )
    a, b = evening(3), evening(4)
    event = EventFactory(
        hub=world.hub,
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY[:300],
        category=category,
        venue=venue,
        is_online=False,
        starts_at=a,
        ends_at=b + timedelta(hours=2),
        sessions=[(a, a + timedelta(hours=2)), (b, b + timedelta(hours=2))],
    )
    event.sessions.filter(starts_at=b).update(title="Part two; the \\ end, 🎉")
    world.hub.name = "Wiltshire, Swindon; and \\ friends 🎶"
    world.hub.save(update_fields=["name"])
    response = client.get(FEED)
    assert response.status_code == 200
    data = response.content
    strict = strict_read(data)
    assert strict == library_read(data)  # parser against parser, property by property
    calendar = strict[0][1]
    assert calendar["X-WR-CALNAME"] == [f"{world.hub.name}: What's On"]
    entries = [values for name, values in strict if name == "VEVENT"]
    title = _expected(HOSTILE_TITLE)
    assert [e["SUMMARY"] for e in entries] == [
        [f"{title}: session 1 of 2"],
        [f"{title}: Part two; the \\ end, 🎉"],
    ]
    for entry in entries:
        assert entry["DESCRIPTION"][0].startswith(_expected(HOSTILE_SUMMARY[:300]) + "\n\nhttp")
        assert entry["LOCATION"] == [_expected(HOSTILE_VENUE[:200])]
        assert entry["CATEGORIES"] == ["Festivals, fairs; and \\ more"]
    # Long lines were folded, to 75 octets at most with the leading space (strict_read checked
    # that no piece splits a character).
    assert max(len(line) for line in data.split(b"\r\n")) == 75
    assert data.count(b"\r\n ") > 20


def _old_writer(events, name, subscription):
    """The icalendar library's own objects, as the feeds were written before: the new writer
    must give the same bytes."""
    from datetime import UTC

    from icalendar import Event as CalendarEvent
    from icalendar import vText

    from tutti.core.text import strip_controls
    from tutti.events import ics

    def text(value):
        return vText(strip_controls(value.replace("\r\n", "\n").replace("\r", "\n")))

    calendar = Calendar()
    calendar.add("prodid", ics.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", text(name))
    if subscription:
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for event in events:
        sessions = list(event.sessions.all())
        url = f"http://127.0.0.1:8000/{event.hub.slug}/whats-on/{event.pk}/"
        for number, session in enumerate(sessions, start=1):
            item = CalendarEvent()
            item.add("uid", f"event-{event.pk}-session-{session.pk}@127.0.0.1")
            item.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
            item.add("last-modified", max(event.updated_at, session.updated_at).astimezone(UTC))
            item.add("dtstart", session.starts_at.astimezone(UTC))
            item.add("dtend", session.ends_at.astimezone(UTC))
            title = event.title
            if len(sessions) > 1:
                title = f"{title}: {session.title or f'session {number} of {len(sessions)}'}"
            item.add("summary", text(title))
            item.add("description", text(f"{event.summary}\n\n{url}"))
            item.add("url", url)
            item.add("location", text(ics._location(event)))
            item.add("categories", [text(event.category.name)])
            item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
            item.add("sequence", 1 if event.is_cancelled else 0)
            calendar.add_component(item)
    return calendar.to_ical()


def test_the_writer_gives_the_icalendar_librarys_bytes(world, settings):
    from tutti.directory.tests.factories import OrganisationFactory
    from tutti.events.ics import calendar_bytes

    settings.SITE_URL = "http://127.0.0.1:8000"
    venue = OrganisationFactory(name=HOSTILE_VENUE[:200], hub=world.hub)
    events = [
        EventFactory(
            hub=world.hub, title=HOSTILE_TITLE, summary=HOSTILE_SUMMARY[:300], venue=venue
        ),
        EventFactory(hub=world.hub, title="Off", status=EventStatus.CANCELLED),
        EventFactory(
            hub=world.hub,
            title="Series " + "y" * 73,
            sessions=[(evening(m), evening(m) + timedelta(hours=1)) for m in (2, 5)],
        ),
    ]
    new = calendar_bytes(events, name=HOSTILE_TITLE, subscription=True)
    new = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:20260101T000000Z", new)
    assert new == _old_writer(events, HOSTILE_TITLE, subscription=True)


def test_a_typed_backslash_n_stays_as_typed(world):
    # The icalendar library turned a typed "\N" into a line break; the writer keeps it.
    from tutti.events.ics import calendar_bytes

    event = EventFactory(hub=world.hub, title="C:\\New folder")
    data = calendar_bytes([event], name="x")
    assert b"SUMMARY:C:\\\\New folder\r\n" in data
    assert str(Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]) == "C:\\New folder"


# Polling: 304 Not Modified when nothing changed, and the window


def test_a_matching_etag_gets_304_without_reading_the_events(
    client, world, django_assert_num_queries
):
    EventFactory(hub=world.hub)
    first = client.get(FEED)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=300"
    # hub, the filter's categories and clusters, the one aggregate: no events, no sessions
    with django_assert_num_queries(4):
        again = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"
    # A client that keeps only the date gets the same.
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Another feed's ETag, or none, gets the calendar.
    assert client.get(FEED, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    filtered = client.get(FEED, {"category": "festivals"}, HTTP_IF_NONE_MATCH=etag)
    assert filtered.status_code == 200


def _etag(client, url=FEED):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def test_every_change_to_the_feed_changes_its_etag(client, world):
    event = EventFactory(hub=world.hub, title="Concert")
    seen = [_etag(client)]

    def changed():
        etag = _etag(client)
        assert etag not in seen
        seen.append(etag)

    services.event_update(event=event, by=None, title="Concert, moved")
    changed()
    session = event.sessions.get()
    session.title = "Evening"
    session.save()
    changed()
    draft = EventFactory(hub=world.hub, status=EventStatus.DRAFT, published_at=None)
    assert _etag(client) == seen[-1]  # a draft is not in the feed
    services.event_publish(event=draft, by=None)
    changed()
    services.event_cancel(event=event, by=None)
    changed()
    category = event.category
    category.name = "Meetings"
    category.save()
    changed()
    world.hub.name = "Wiltshire and Swindon"
    world.hub.save()
    changed()
    draft.delete()
    changed()


def test_the_window_is_the_last_30_days_and_everything_ahead(client, world):
    for days, title in [(-29, "Ended 29 days ago"), (-31, "Ended 31 days ago"), (400, "Next year")]:
        end = timezone.now() + timedelta(days=days)
        EventFactory(hub=world.hub, title=title, starts_at=end - timedelta(hours=2), ends_at=end)
    _, events = vevents(client.get(FEED))
    assert [str(e["SUMMARY"]) for e in events] == ["Ended 29 days ago", "Next year"]


def test_a_private_feed_answers_304_and_stays_out_of_caches(client, world, person):
    event = EventFactory(hub=world.hub, title="Full festival", capacity=1)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, email=person.email, status=BookingStatus.WAITING)
    url = my_feed_url(CalendarFeed.objects.create(user=person).token)
    etag = _etag(client, url)
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["Cache-Control"] == "private, no-store"
    assert again["X-Robots-Tag"] == "noindex, nofollow"
    # A place comes free: the entry is CONFIRMED now, so the feed is new.
    services.booking_cancel(booking=event.bookings.exclude(pk=waiting.pk).get())
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    _, events = vevents(client.get(url))
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED"]


def test_a_feed_of_300_events_takes_the_same_five_queries(client, world, django_assert_num_queries):
    from tutti.events.models import Event, EventSession

    category = world.hub.event_categories.get(slug="festivals")
    start = timezone.now() + timedelta(days=3)
    events = Event.objects.bulk_create(
        Event(
            hub=world.hub,
            title=f"Concert {n}",
            summary="An evening of music, with the county youth orchestra.",
            category=category,
            is_online=True,
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n + 2),
            status=EventStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        for n in range(300)
    )
    EventSession.objects.bulk_create(
        EventSession(event=e, starts_at=e.starts_at, ends_at=e.ends_at) for e in events
    )
    with django_assert_num_queries(5):
        response = client.get(FEED)
    _, entries = vevents(response)
    assert len(entries) == 300


def test_the_feed_and_an_events_own_file_give_the_same_entry(client, world):
    # The feed reads columns, an event's file reads the Event: the two must agree on every
    # property, for every kind of place.
    from tutti.directory.tests.factories import OrganisationFactory

    hall = OrganisationFactory(name="Corn Exchange", hub=world.hub, address="Market Place")
    kinds = [
        {"venue": hall, "is_online": False},
        {"venue": hall, "is_online": True},
        {"venue_name": "St Mary's Church", "venue_address": "Church St, Devizes"},
        {"venue_name": "The Barn", "is_online": True},
        {"is_online": True},
        {"is_online": False},
    ]
    events = [EventFactory(hub=world.hub, **kind) for kind in kinds]
    EventFactory(hub=world.hub, title="Off", status=EventStatus.CANCELLED)
    feed = {str(e["UID"]): e for e in Calendar.from_ical(client.get(FEED).content).walk("VEVENT")}
    assert len(feed) == len(kinds) + 1
    for event in [*events, events[0].hub.events.get(title="Off")]:
        own = Calendar.from_ical(
            client.get(f"/wiltshire/whats-on/{event.pk}/event.ics").content
        ).walk("VEVENT")[0]
        entry = feed[str(own["UID"])]
        for name in own:
            if name != "DTSTAMP":
                assert entry[name].to_ical() == own[name].to_ical(), (event, name)
        assert set(entry) == set(own)


def test_with_the_page_cache_the_feed_keeps_its_own_etag(
    client, world, settings, django_assert_num_queries
):
    # The shared page cache (tutti.core.page_cache) stores the feed with the feed's ETag, so a
    # client gets the same answers whether the cache or the view serves it.
    from django.core.cache import cache

    settings.PUBLIC_PAGE_CACHE = True
    cache.clear()
    event = EventFactory(hub=world.hub, title="Concert")
    etag = _etag(client)
    with django_assert_num_queries(0):  # from the cache
        assert _etag(client) == etag
        assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.event_update(event=event, by=None, title="Concert, moved")
    response = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Concert, moved" in str(vevents(response)[1][0]["SUMMARY"])
