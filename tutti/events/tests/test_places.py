"""Bookings of several places, and capacity that cannot fall below the places booked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.events import services
from tutti.events.models import MAX_PLACES_PER_BOOKING, Attendance, Booking, BookingStatus
from tutti.events.selectors import event_get, sessions_with_attendance, with_places
from tutti.events.services import BookingError, EventError
from tutti.events.tests.factories import BookingFactory, EventFactory

pytestmark = pytest.mark.django_db


def book(event, n, places=1):
    return services.booking_create(
        event=event, name=f"Person {n}", email=f"person{n}@example.org", places=places
    )


def test_a_family_books_three_places_and_they_count_against_capacity(world):
    event = EventFactory(hub=world.hub, capacity=5)
    family = book(event, 1, places=3)
    assert family.status == BookingStatus.CONFIRMED
    assert family.places == 3
    assert event_get(hub=world.hub, pk=event.pk).places_left == 2
    entry = AuditLog.objects.get(action="events.booking.created")
    assert entry.data["places"] == 3


def test_a_booking_larger_than_the_places_left_joins_the_waiting_list(world):
    event = EventFactory(hub=world.hub, capacity=5)
    book(event, 1, places=3)
    assert book(event, 2, places=3).status == BookingStatus.WAITING
    # A smaller party that fits still gets a place.
    assert book(event, 3, places=2).status == BookingStatus.CONFIRMED
    assert event_get(hub=world.hub, pk=event.pk).places_left == 0


@pytest.mark.parametrize("places", [0, -1, MAX_PLACES_PER_BOOKING + 1])
def test_places_outside_the_limit_are_refused_and_nothing_is_saved(world, places):
    event = EventFactory(hub=world.hub, capacity=50)
    with pytest.raises(BookingError, match=f"from 1 to {MAX_PLACES_PER_BOOKING} places"):
        book(event, 1, places=places)
    assert not Booking.objects.exists()


def test_a_cancellation_promotes_the_first_waiting_booking_that_fits(world, mailoutbox):
    event = EventFactory(hub=world.hub, capacity=4)
    first = book(event, 1, places=2)
    book(event, 2, places=2)
    big = book(event, 3, places=4)
    small = book(event, 4, places=2)
    assert (big.status, small.status) == (BookingStatus.WAITING, BookingStatus.WAITING)
    services.booking_cancel(booking=first)
    big.refresh_from_db()
    small.refresh_from_db()
    # Two places came free: the party of four still waits; the party of two behind it fits.
    assert big.status == BookingStatus.WAITING
    assert small.status == BookingStatus.CONFIRMED


def test_more_capacity_promotes_waiting_parties_in_order_while_they_fit(world):
    event = EventFactory(hub=world.hub, capacity=2)
    book(event, 1, places=2)
    second = book(event, 2, places=3)
    third = book(event, 3, places=1)
    services.event_update(event=event, by=None, capacity=5)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == BookingStatus.CONFIRMED
    assert third.status == BookingStatus.WAITING


def test_capacity_cannot_go_below_the_places_booked(world):
    event = EventFactory(hub=world.hub, capacity=10)
    book(event, 1, places=4)
    book(event, 2, places=3)
    with pytest.raises(EventError, match="7 places are already booked"):
        services.event_update(event=event, by=None, capacity=5)
    event.refresh_from_db()
    assert event.capacity == 10
    assert not AuditLog.objects.filter(action="events.event.updated").exists()


def test_capacity_may_go_down_to_exactly_the_places_booked(world):
    event = EventFactory(hub=world.hub, capacity=10)
    book(event, 1, places=4)
    BookingFactory(event=event, status=BookingStatus.CANCELLED, places=5)
    services.event_update(event=event, by=None, capacity=4)
    event.refresh_from_db()
    assert event.capacity == 4
    assert book(event, 2).status == BookingStatus.WAITING


def test_attendance_counts_places(world):
    event = EventFactory(hub=world.hub, capacity=10, starts_at=timezone.now() - timedelta(hours=1))
    session = event.sessions.get()
    family = BookingFactory(event=event, places=3)
    single = BookingFactory(event=event, places=1)
    result = services.attendance_record(
        session=session, marks={family.pk: "attended", single.pk: "absent"}, by=None
    )
    assert (result.attended, result.absent) == (3, 1)
    assert Attendance.objects.count() == 2
    [row] = sessions_with_attendance(event=event)
    assert (row.attended_count, row.absent_count) == (3, 1)


def test_places_left_sums_places_not_bookings(world):
    event = EventFactory(hub=world.hub, capacity=10)
    BookingFactory(event=event, places=4)
    BookingFactory(event=event, places=2, status=BookingStatus.WAITING)
    BookingFactory(event=event, places=3, status=BookingStatus.CANCELLED)
    annotated = with_places(type(event).objects.filter(pk=event.pk)).get()
    assert (annotated.confirmed_count, annotated.places_left) == (4, 6)
