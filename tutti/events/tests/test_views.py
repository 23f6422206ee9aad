"""The public What's On: list, filters, event pages, booking and cancelling by link."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tutti.directory.tests.factories import OrganisationFactory
from tutti.events.models import Booking, BookingStatus, EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.events.tokens import booking_token

LONDON = ZoneInfo("Europe/London")
WHATS_ON = "/wiltshire/whats-on/"


def at(days, hour=19):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def titles(response):
    return [e.title for e in response.context["page"].object_list]


def event(world, **fields):
    starts_at = fields.pop("starts_at", at(14))
    return EventFactory(
        hub=world.hub,
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=2)),
        **fields,
    )


# The list


def test_whats_on_lists_upcoming_published_events_soonest_first(client, world):
    event(world, title="Later", starts_at=at(30))
    event(world, title="Sooner", starts_at=at(3))
    event(world, title="A draft", status=EventStatus.DRAFT, published_at=None)
    event(world, title="Called off", status=EventStatus.CANCELLED)
    event(world, title="Last week", starts_at=at(-7))
    EventFactory(hub=world.other_hub, title="Cambridgeshire's")
    response = client.get(WHATS_ON)
    assert response.status_code == 200
    assert titles(response) == ["Sooner", "Later"]
    assert "2 events coming up" in response.content.decode()


def test_an_event_under_way_is_still_listed(client, world):
    start = timezone.now() - timedelta(hours=1)
    event(world, title="Under way", starts_at=start, ends_at=start + timedelta(hours=3))
    assert titles(client.get(WHATS_ON)) == ["Under way"]


def test_empty_whats_on_says_so(client, world):
    html = client.get(WHATS_ON).content.decode()
    assert "Nothing is on the What's On yet" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "festivals"}, ["Festival"]),
        ({"cluster": "devizes-area"}, ["Cluster meeting"]),
        ({"audience": "families"}, ["Festival"]),
        ({"audience": "schools"}, ["Cluster meeting", "Paid course"]),
        ({"price": "free"}, ["Cluster meeting", "Festival"]),
        ({"price": "paid"}, ["Paid course"]),
        ({"q": "songwriting"}, ["Paid course"]),
        ({"q": "devizes primary"}, ["Cluster meeting"]),  # the venue's name
        ({"date_from": "+20", "date_to": "+40"}, ["Festival"]),
        ({"category": "festivals", "price": "paid"}, []),
    ],
)
def test_filters(client, world, query, expected):
    event(
        world, title="Cluster meeting", cluster=world.cluster, venue=world.school, for_schools=True
    )
    event(
        world,
        title="Festival",
        starts_at=at(30),
        category=world.hub.event_categories.get(slug="festivals"),
        for_families=True,
    )
    event(
        world,
        title="Paid course",
        summary="Inclusive songwriting for teachers.",
        starts_at=at(60),
        price=25,
        for_schools=True,
    )
    for name in ("date_from", "date_to"):
        if name in query:
            query[name] = (timezone.localdate() + timedelta(days=int(query[name]))).isoformat()
    response = client.get(WHATS_ON, query)
    assert response.status_code == 200
    assert titles(response) == expected
    # The form shows what was chosen, so the URL can be shared and the search refined.
    for value in query.values():
        assert f'value="{value}"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"category": "nope"}, "There is no category “nope” in this hub&#x27;s What&#x27;s On."),
        ({"cluster": "fenland"}, "There is no cluster “fenland”"),
        ({"audience": "cats"}, "There is no audience “cats”"),
        ({"price": "cheap"}, "Price must be free or paid."),
        ({"date_from": "next tuesday"}, "From: enter a date like 2026-07-15."),
        ({"date_to": "2026-13-45"}, "To: enter a date like 2026-07-15."),
        ({"date_to": "9999-12-31"}, "To: enter a date between 2000 and 2199."),
        ({"date_from": "0001-01-01"}, "From: enter a date between 2000 and 2199."),
        ({"date_from": "2026-01-02", "date_to": "2026-01-01"}, "To: the date is before the From"),
    ],
)
def test_unknown_filter_values_say_so_and_apply_the_rest(client, world, query, message):
    event(world, title="Cluster meeting", cluster=world.cluster)
    event(world, title="Something else")
    response = client.get(WHATS_ON, {**query, "q": "cluster"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "The rest of the search is shown without it." in html
    assert titles(response) == ["Cluster meeting"]


def test_a_search_with_a_null_character_is_explained(client, world):
    event(world)
    response = client.get(WHATS_ON, {"q": "tuba\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert client.get("/wiltshire/whats-on/feed.ics", {"q": "\x00"}).status_code == 400


def test_no_match_has_a_helpful_message(client, world):
    event(world)
    html = client.get(WHATS_ON, {"q": "tuba"}).content.decode()
    assert "No events match your search" in html
    assert "0 events" in html


def test_the_list_is_paginated_and_pages_keep_the_filters(client, world):
    for n in range(25):
        event(world, title=f"Meeting {n:02}", starts_at=at(2 + n), cluster=world.cluster)
    response = client.get(WHATS_ON, {"cluster": "devizes-area"})
    html = response.content.decode()
    assert "25 events" in html
    assert len(titles(response)) == 20
    assert 'href="?cluster=devizes-area&amp;page=2"' in html
    assert titles(client.get(WHATS_ON, {"cluster": "devizes-area", "page": 2}))[0] == "Meeting 20"
    assert client.get(WHATS_ON, {"page": "lots"}).status_code == 200


def test_a_deep_page_has_its_own_events_in_order_with_their_places(client, world):
    for n in range(45):
        e = event(world, title=f"Meeting {n:02}", starts_at=at(2 + n), capacity=5)
        BookingFactory.create_batch(n % 3, event=e)
    for page in ("3", "999"):
        response = client.get(WHATS_ON, {"page": page})
        shown = response.context["page"].object_list
        assert [e.title for e in shown] == [f"Meeting {n}" for n in range(40, 45)]
        assert [e.places_left for e in shown] == [5 - n % 3 for n in range(40, 45)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("marlborough", ["Recital", "Strings day"]),  # the venue's town
        ("music centre", ["Run by the centre"]),  # the organiser's name
        ("college recital", ["Recital"]),  # every word: the venue's name and the title
        ("Devizes recital", []),
    ],
)
def test_search_finds_the_venue_and_organiser(client, world, q, expected):
    college = OrganisationFactory(name="St John's College", town="Marlborough", hub=world.hub)
    event(world, title="Recital", venue=college, summary="Piano.")
    event(world, title="Strings day", venue=college, summary="Violins.", starts_at=at(15))
    event(world, title="Run by the centre", organiser=world.partner, starts_at=at(20))
    assert titles(client.get(WHATS_ON, {"q": q})) == expected


def test_places_left_and_full_are_shown(client, world):
    roomy = event(world, title="Roomy", capacity=10)
    BookingFactory.create_batch(3, event=roomy)
    BookingFactory(event=roomy, status=BookingStatus.CANCELLED)
    full = event(world, title="Full", capacity=1, starts_at=at(20))
    BookingFactory(event=full)
    html = client.get(WHATS_ON).content.decode()
    assert "7 places left" in html
    assert "Full</strong>: join the waiting list" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_uses_a_fixed_number_of_queries(client, world, django_assert_num_queries, rows):
    for n in range(rows):
        e = event(world, starts_at=at(2 + n), cluster=world.cluster, venue=world.school, capacity=5)
        BookingFactory(event=e)
    # hub, categories and clusters (the filter's choices), the count, then one page of events
    # with their category, cluster, venue, places and sessions counted (only the columns the
    # list shows: reading another would be a query per event)
    with django_assert_num_queries(5):
        response = client.get(WHATS_ON, {"cluster": "devizes-area"})
    assert len(titles(response)) == min(rows, 20)


# An event's page


def test_event_page_shows_details_places_map_and_json_ld(client, world):
    world.school.address = "Long Street"
    world.school.save(update_fields=["address"])
    e = event(
        world,
        title="Devizes cluster meeting",
        venue=world.school,
        is_online=False,
        cluster=world.cluster,
        organiser=world.partner,
        capacity=12,
        for_schools=True,
        starts_at=datetime(2027, 7, 15, 16, tzinfo=LONDON),
        ends_at=datetime(2027, 7, 15, 17, 30, tzinfo=LONDON),
    )
    BookingFactory.create_batch(2, event=e)
    response = client.get(f"{WHATS_ON}{e.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thursday 15 July 2027, 16:00" in html
    assert "10 places left" in html
    assert "Devizes Primary School, Long Street, Devizes, SN10 1AA" in html
    assert "Wiltshire Music Centre" in html
    assert 'class="map-point' in html
    assert "Book a place" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Event"
    assert data["name"] == "Devizes cluster meeting"
    assert data["startDate"] == "2027-07-15T16:00:00+01:00"
    assert data["location"]["address"]["postalCode"] == "SN10 1AA"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["organizer"]["name"] == "Wiltshire Music Centre"


def test_a_series_page_lists_its_sessions(client, world):
    e = event(
        world,
        sessions=[(at(10, 9), at(10, 15)), (at(100, 9), at(100, 15)), (at(190, 9), at(190, 15))],
    )
    html = client.get(f"{WHATS_ON}{e.pk}/").content.decode()
    assert "3 sessions:" in html
    assert "One booking is for all 3 sessions." in html


def test_json_ld_cannot_break_out_of_its_script(client, world):
    e = event(world, title="</script><script>alert(1)</script>")
    html = client.get(f"{WHATS_ON}{e.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


@pytest.mark.parametrize("which", ["draft", "other_hub", "unknown"])
def test_drafts_other_hubs_and_unknown_events_are_404(client, world, which):
    if which == "draft":
        pk = event(world, status=EventStatus.DRAFT, published_at=None).pk
    elif which == "other_hub":
        pk = EventFactory(hub=world.other_hub).pk
    else:
        pk = 999999
    assert client.get(f"{WHATS_ON}{pk}/").status_code == 404
    assert client.get(f"{WHATS_ON}{pk}/event.ics").status_code == 404


def test_a_cancelled_event_says_so_and_cannot_be_booked(client, world):
    e = event(world, status=EventStatus.CANCELLED, cancellation_reason="The hall is flooded.")
    html = client.get(f"{WHATS_ON}{e.pk}/").content.decode()
    assert "This event has been cancelled" in html
    assert "The hall is flooded." in html
    assert '<form method="post" class="form"' not in html
    response = client.post(f"{WHATS_ON}{e.pk}/", {"name": "Pat", "email": "pat@example.org"})
    assert response.status_code == 200
    assert "cannot be booked" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_event_calendar_file(client, world):
    e = event(world, title="Devizes cluster meeting")
    response = client.get(f"{WHATS_ON}{e.pk}/event.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Devizes cluster meeting" in response.content.decode()


# Booking


def test_a_guest_books_and_gets_an_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    e = event(world, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{WHATS_ON}{e.pk}/",
            {"name": "Pat Jones", "email": "pat@example.org", "organisation_name": "Ely School"},
        )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{WHATS_ON}bookings/{booking_token(booking)}/"
    assert (booking.name, booking.organisation_name, booking.user) == (
        "Pat Jones",
        "Ely School",
        None,
    )
    assert booking.status == BookingStatus.CONFIRMED
    assert mailoutbox[0].to == ["pat@example.org"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "You have a place" in html
    assert "Your place is booked. We have emailed you." in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    # The next person joins the waiting list.
    detail = client.get(f"{WHATS_ON}{e.pk}/").content.decode()
    assert "Join the waiting list" in detail
    client.post(f"{WHATS_ON}{e.pk}/", {"name": "Sam", "email": "sam@example.org"}, follow=True)
    sam = Booking.objects.get(email="sam@example.org")
    assert sam.status == BookingStatus.WAITING
    html = client.get(f"{WHATS_ON}bookings/{booking_token(sam)}/").content.decode()
    assert "number 1 on the waiting list" in html


def test_a_signed_in_person_finds_the_form_filled_in(client_for, world):
    e = event(world)
    client = client_for("partner")
    person = world.users["partner"]
    response = client.get(f"{WHATS_ON}{e.pk}/")
    form = response.context["form"]
    assert form.initial["email"] == person.email
    assert form.initial["organisation_name"] == "Wiltshire Music Centre"
    client.post(f"{WHATS_ON}{e.pk}/", {"name": "Me", "email": person.email})
    assert Booking.objects.get().user == person


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Pat", "email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "", "email": "pat@example.org"}, "This field is required."),
        ({"name": "Pat", "email": "taken@example.org"}, "taken@example.org has already booked"),
    ],
)
def test_bad_bookings_are_explained_and_write_nothing(client, world, data, message):
    e = event(world)
    BookingFactory(event=e, email="taken@example.org")
    response = client.post(f"{WHATS_ON}{e.pk}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert Booking.objects.count() == 1


def test_a_past_event_cannot_be_booked(client, world):
    start = timezone.now() - timedelta(days=1)
    e = event(world, starts_at=start, ends_at=start + timedelta(hours=1))
    html = client.get(f"{WHATS_ON}{e.pk}/").content.decode()
    assert "already started, so it can no longer be booked" in html
    client.post(f"{WHATS_ON}{e.pk}/", {"name": "Pat", "email": "pat@example.org"})
    assert not Booking.objects.exists()


# Cancelling by the link in the email


def test_cancel_link_asks_first_then_cancels_and_promotes(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    e = event(world, capacity=1)
    first = BookingFactory(event=e, email="first@example.org")
    waiting = BookingFactory(event=e, email="waiting@example.org", status=BookingStatus.WAITING)
    url = f"{WHATS_ON}bookings/{booking_token(first)}/cancel/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, cancel my booking" in page.content.decode()
    first.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED  # a GET (a link preview) changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED
    assert {m.to[0] for m in mailoutbox} == {"first@example.org", "waiting@example.org"}
    html = client.get(response["Location"]).content.decode()
    assert "This booking is cancelled" in html
    again = client.post(url)
    assert again.status_code == 400
    assert "already cancelled" in again.content.decode()


@pytest.mark.parametrize("which", ["forged", "other_hub", "altered"])
def test_a_bad_booking_link_is_404(client, world, which):
    booking = BookingFactory(event=event(world))
    token = booking_token(booking)
    if which == "forged":
        token = f"{booking.reference}:not-the-signature"
    elif which == "altered":
        token = "x" + token
    prefix = "/cambridgeshire/whats-on/" if which == "other_hub" else WHATS_ON
    assert client.get(f"{prefix}bookings/{token}/").status_code == 404
    assert client.post(f"{prefix}bookings/{token}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# Cluster pages


def test_a_cluster_page_lists_its_upcoming_meetings(client, world):
    event(world, title="Devizes termly meeting", cluster=world.cluster)
    event(world, title="Chippenham meeting", cluster=world.other_cluster)
    event(world, title="Old meeting", cluster=world.cluster, starts_at=at(-30))
    html = client.get("/wiltshire/clusters/devizes-area/").content.decode()
    assert "Devizes termly meeting" in html
    assert "Chippenham meeting" not in html and "Old meeting" not in html
    html = client.get("/wiltshire/clusters/chippenham/").content.decode()
    assert "Chippenham meeting" in html
    assert (
        "No meetings are planned yet"
        in client.get("/cambridgeshire/clusters/fenland/").content.decode()
    )
