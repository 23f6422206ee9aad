"""Calendar feeds (RFC 5545): times in UTC, so clients get them right across the clock changes."""

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
