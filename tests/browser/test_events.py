"""What's On in a real browser: axe-core on its pages, and the last place booked by keyboard."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone

from tutti.events.models import Booking, BookingStatus
from tutti.events.tests.factories import BookingFactory, EventFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(site):
    """A cluster meeting with one place left of three."""
    event = EventFactory(
        hub=site.hub, title="Devizes area cluster meeting", capacity=3, cluster=site.cluster
    )
    BookingFactory.create_batch(2, event=event)
    return event


def _attendance(event) -> str:
    """The register of a session held this morning, for the meeting's two bookers."""
    start = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    held = EventFactory(
        hub=event.hub,
        title="Held this morning",
        cluster=event.cluster,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    BookingFactory.create_batch(2, event=held)
    return f"/wiltshire/manage/events/{held.pk}/attendance/{held.sessions.get().pk}/"


def _held_and_attended(event) -> Booking:
    """The staff member's own booking of a session held this morning, marked attended."""
    from tutti.events.services import attendance_record

    start = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    held = EventFactory(
        hub=event.hub, title="CPD day", starts_at=start, ends_at=start + timedelta(hours=5)
    )
    staff = event.hub.memberships.get(role="hub_staff").user
    booking = BookingFactory(event=held, email=staff.email, name="Sam Tester")
    attendance_record(session=held.sessions.get(), marks={booking.pk: "attended"}, by=None)
    BookingFactory(event=event, email=staff.email, name="Sam Tester")
    return booking


def _cpd(event) -> str:
    return f"/wiltshire/manage/events/cpd/?email={_held_and_attended(event).email}"


def _mine(event) -> str:
    _held_and_attended(event)
    return "/wiltshire/whats-on/my-bookings/"


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


@pytest.mark.parametrize(
    ("path", "h1", "staff"),
    [
        (lambda e: "/wiltshire/whats-on/", "What's On", False),
        (lambda e: "/wiltshire/whats-on/?category=nowhere&q=meeting", "What's On", False),
        (lambda e: f"/wiltshire/whats-on/{e.pk}/", "Devizes area cluster meeting", False),
        (lambda e: "/wiltshire/manage/events/", "Manage events", True),
        (lambda e: "/wiltshire/manage/events/new/", "Create an event", True),
        (lambda e: f"/wiltshire/manage/events/{e.pk}/", "Devizes area cluster meeting", True),
        (
            lambda e: f"/wiltshire/manage/events/{e.pk}/edit/",
            "Edit Devizes area cluster meeting",
            True,
        ),
        (_attendance, "Attendance", True),
        (_cpd, "CPD records", True),
        (_mine, "Your bookings", True),
    ],
    ids=[
        "whats-on",
        "whats-on-bad-filter",
        "event",
        "manage",
        "create",
        "manage-event",
        "edit",
        "attendance",
        "cpd-record",
        "my-bookings",
    ],
)
def test_events_pages_have_no_axe_violations(
    request, page, meeting, sign_in, axe_check, screenshot, path, h1, staff
):
    if staff:
        sign_in("staff")
    response = page.goto(path(meeting))
    assert response.status == 200
    assert _h1(page) == h1
    screenshot(f"events-{request.node.callspec.id}")
    axe_check()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _book_by_keyboard(page, name: str, email: str) -> None:
    _tab_to(page, "#id_name")
    page.keyboard.type(name)
    _tab_to(page, "#id_email")
    page.keyboard.type(email)
    _tab_to(page, "#id_organisation_name")
    page.keyboard.type("Devizes Primary School")
    _tab_to(page, "form button[type=submit]:not(.link-button)")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_guest_books_the_last_place_by_keyboard_and_a_cancellation_promotes_the_next(
    page, meeting, axe_check
):
    page.goto(f"/wiltshire/whats-on/{meeting.pk}/")
    _book_by_keyboard(page, "Ada Guest", "ada@example.org")
    assert _h1(page) == "You have a place"
    axe_check()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ada@example.org"]
    assert any(name.endswith(".ics") for name, *_ in confirmation.attachments)

    page.goto(f"/wiltshire/whats-on/{meeting.pk}/")
    _book_by_keyboard(page, "Ben Waiting", "ben@example.org")
    assert _h1(page) == "You are on the waiting list"
    assert Booking.objects.get(email="ben@example.org").status == BookingStatus.WAITING

    cancel_url = re.search(r"https?://\S+/cancel/", confirmation.body)[0]
    page.goto(urlparse(cancel_url).path)
    _tab_to(page, "form button[type=submit]:not(.link-button)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Booking.objects.get(email="ada@example.org").status == BookingStatus.CANCELLED
    assert Booking.objects.get(email="ben@example.org").status == BookingStatus.CONFIRMED
    assert mail.outbox[-1].to == ["ben@example.org"]
