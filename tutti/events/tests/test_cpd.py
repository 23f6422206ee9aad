"""Each person's CPD record (events attended, hours), for staff and for the person."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tutti.accounts.tests.factories import UserFactory
from tutti.core.tests.plans import plan_without_seq_scans
from tutti.events import selectors, services
from tutti.events.models import Booking, BookingStatus, EventStatus
from tutti.events.tests.factories import BookingFactory, EventFactory

CPD = "/wiltshire/manage/events/cpd/"
MINE = "/wiltshire/whats-on/my-bookings/"


def ago(days, hours=0):
    return (timezone.now() - timedelta(days=days, hours=hours)).replace(microsecond=0)


def attended(event, email, statuses, name="Ann Teacher", **booking):
    """Book ``email`` on ``event`` and record each session's status in order."""
    found = BookingFactory(event=event, email=email, name=name, **booking)
    for session, status in zip(event.sessions.order_by("starts_at"), statuses, strict=True):
        services.attendance_record(session=session, marks={found.pk: status}, by=None)
    return found


@pytest.fixture
def network(world):
    """A CPD network of three sessions (3, 6 and 2.5 hours) run by the hub, all held."""
    a, b, c = ago(90), ago(40), ago(2)
    return EventFactory(
        hub=world.hub,
        title="Primary CPD network",
        starts_at=a,
        ends_at=c + timedelta(hours=2.5),
        sessions=[
            (a, a + timedelta(hours=3)),
            (b, b + timedelta(hours=6)),
            (c, c + timedelta(hours=2.5)),
        ],
    )


@pytest.fixture
def meeting(world):
    """The coordinator's cluster meeting of 1.5 hours, held last week."""
    start = ago(7)
    return EventFactory(
        hub=world.hub,
        title="Devizes meeting",
        cluster=world.cluster,
        starts_at=start,
        ends_at=start + timedelta(hours=1.5),
    )


# The selector


def test_hours_are_the_attended_sessions_lengths(world, network, meeting):
    attended(network, "ann@example.org", ["attended", "absent", "attended"])
    attended(meeting, "ANN@example.org", ["attended"])
    record = selectors.cpd_record(hub=world.hub, email="Ann@Example.org")
    assert record.name == "Ann Teacher"
    assert [e.event.title for e in record.entries] == ["Devizes meeting", "Primary CPD network"]
    network_entry = record.entries[1]
    assert (len(network_entry.sessions), network_entry.session_count) == (2, 3)
    assert network_entry.hours == 5.5
    assert record.hours == 7


def test_only_attended_sessions_of_this_hubs_events_count(world, meeting):
    attended(meeting, "bea@example.org", ["absent"])
    start = ago(3)
    elsewhere = EventFactory(
        hub=world.other_hub, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    attended(elsewhere, "ann@example.org", ["attended"])
    attended(meeting, "ann@example.org", ["attended"])
    assert selectors.cpd_record(hub=world.hub, email="bea@example.org").entries == []
    assert selectors.cpd_record(hub=world.hub, email="ann@example.org").hours == 1.5
    assert selectors.cpd_record(hub=world.other_hub, email="ann@example.org").hours == 1


def test_attendance_counts_even_if_the_event_was_cancelled_later(world, network):
    attended(network, "ann@example.org", ["attended", "attended", "absent"])
    services.event_cancel(event=network, by=None)
    assert selectors.cpd_record(hub=world.hub, email="ann@example.org").hours == 9


def test_a_signed_in_booking_follows_the_person_after_an_email_change(world, meeting):
    person = UserFactory(email="old@example.org")
    attended(meeting, "old@example.org", ["attended"], user=person)
    person.email = "new@example.org"
    person.save(update_fields=["email"])
    assert selectors.cpd_record(hub=world.hub, email="new@example.org").hours == 1.5


# The staff page


def test_staff_see_a_persons_whole_record(client_for, world, network, meeting):
    attended(network, "ann@example.org", ["attended", "attended", "attended"])
    attended(meeting, "ann@example.org", ["attended"])
    response = client_for("staff").get(CPD, {"email": "ann@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann Teacher" in html
    assert "attended 2 events" in html
    assert "13 hours" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize(("who", "hours"), [("coordinator", 1.5), ("partner", 0), ("admin", 13)])
def test_coordinators_and_partners_see_only_their_own_events(
    client_for, world, network, meeting, who, hours
):
    attended(network, "ann@example.org", ["attended", "attended", "attended"])
    attended(meeting, "ann@example.org", ["attended"])
    response = client_for(who).get(CPD, {"email": "ann@example.org"})
    assert response.status_code == 200
    assert response.context["record"].hours == hours
    if who == "partner":
        assert "at the events you manage" in response.content.decode()


def test_no_email_yet_shows_the_form(client_for, world):
    response = client_for("staff").get(CPD)
    assert response.status_code == 200
    assert response.context["record"] is None
    assert "Their email address" in response.content.decode()


def test_someone_with_no_attendance_gets_a_helpful_empty_state(client_for, world):
    html = client_for("staff").get(CPD, {"email": "nobody@example.org"}).content.decode()
    assert "No attendance is recorded for nobody@example.org" in html


@pytest.mark.parametrize("email", ["not-an-email", "a@b@c", "x" * 300 + "@example.org"])
def test_a_malformed_email_is_400(client_for, world, email):
    response = client_for("staff").get(CPD, {"email": email})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_other_hubs_are_404(client_for, world, meeting):
    attended(meeting, "ann@example.org", ["attended"])
    assert client_for("outsider").get(CPD, {"email": "ann@example.org"}).status_code == 404
    assert client_for("plain").get(CPD, {"email": "ann@example.org"}).status_code == 404
    # Cambridgeshire's page, for someone Cambridgeshire has no attendance for.
    response = client_for("outsider").get(
        "/cambridgeshire/manage/events/cpd/", {"email": "ann@example.org"}
    )
    assert response.status_code == 200
    assert response.context["record"].entries == []


def test_the_bookings_page_links_each_person_to_their_record(client_for, world, meeting):
    attended(meeting, "ann@example.org", ["attended"])
    html = client_for("staff").get(f"/wiltshire/manage/events/{meeting.pk}/").content.decode()
    assert f"{CPD}?email=ann%40example.org" in html


# The person's own page


@pytest.fixture
def me(client_for, world):
    person = world.users["plain"]
    return person, client_for("plain")


def test_my_bookings_lists_what_is_coming_up(world, me, meeting):
    person, client = me
    soon = EventFactory(hub=world.hub, title="Summer concert")
    full = EventFactory(hub=world.hub, title="Full festival", capacity=1)
    BookingFactory(event=soon, email=person.email.upper())
    BookingFactory(event=full)
    BookingFactory(event=full, email=person.email, status=BookingStatus.WAITING)
    BookingFactory(
        event=EventFactory(hub=world.hub, title="Cancelled by me"),
        email=person.email,
        status=BookingStatus.CANCELLED,
    )
    BookingFactory(event=EventFactory(hub=world.hub, title="Someone else's"))
    BookingFactory(event=EventFactory(hub=world.other_hub, title="Elsewhere"), email=person.email)
    attended(meeting, person.email, ["attended"])
    response = client.get(MINE)
    assert response.status_code == 200
    assert [b.event.title for b, _ in response.context["bookings"]] == [
        "Summer concert",
        "Full festival",
    ]
    html = response.content.decode()
    assert "You are on the waiting list" in html
    assert "1.5 hours" in html
    assert "Devizes meeting" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_cancelled_event_says_so(world, me):
    person, client = me
    event = EventFactory(hub=world.hub, title="Rained off")
    BookingFactory(event=event, email=person.email)
    services.event_cancel(event=event, by=None)
    assert "The event is cancelled" in client.get(MINE).content.decode()


def test_my_bookings_empty_states(world, me):
    html = me[1].get(MINE).content.decode()
    assert "You have no bookings coming up" in html
    assert "No attendance is recorded for you yet" in html


def test_my_bookings_needs_signing_in(client, world):
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_my_bookings_of_an_unknown_hub_is_404(world, me):
    assert me[1].get("/nowhere/whats-on/my-bookings/").status_code == 404


def test_drafts_are_not_listed(world, me):
    person, client = me
    draft = EventFactory(hub=world.hub, status=EventStatus.DRAFT, published_at=None)
    BookingFactory(event=draft, email=person.email)
    assert client.get(MINE).context["bookings"] == []


def test_whats_on_links_signed_in_people_to_their_bookings(client, world, me):
    assert MINE in me[1].get("/wiltshire/whats-on/").content.decode()
    client.logout()
    assert MINE not in client.get("/wiltshire/whats-on/").content.decode()


def test_hours_read_naturally():
    from tutti.events.templatetags.events_tags import hours

    assert [hours(v) for v in (7, 1, 1.5, 0.75, 0)] == [
        "7 hours",
        "1 hour",
        "1.5 hours",
        "0.75 hours",
        "0 hours",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_persons_bookings_are_found_through_indexes_not_a_scan_of_every_booking(world):
    # 500,000 bookings nationally: the account is a subquery run once, so each side of the OR
    # uses an index (the email in any case, the account); with sequential scans off, a plan
    # that still had to read every booking would say so.
    UserFactory(email="ann@example.org")
    people = Booking.objects.filter(selectors._person("Ann@Example.org")).order_by()
    plan = plan_without_seq_scans(people)
    assert "booking_email_ci" in plan
    assert "Seq Scan on events_booking" not in plan
