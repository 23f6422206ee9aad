"""Many people booking the last places at once never overbook an event.

These tests commit for real (``transaction=True``): each thread has its own database connection
and transaction, as separate web requests would.
"""

import threading

import pytest
from django.db import connection, connections

from tutti.events import services
from tutti.events.models import Booking, BookingStatus
from tutti.events.tests.factories import EventFactory

PEOPLE = 50
PLACES = 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Needs PostgreSQL: SQLite lets only one writer in at a time, so it cannot show that the "
        "row lock works. Run with DATABASE_URL=postgres://... (CI does)."
    ),
)
def test_fifty_people_booking_ten_places_at_once_get_exactly_ten(world, mailoutbox):
    event = EventFactory(hub=world.hub, capacity=PLACES)
    start = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def book(n: int) -> None:
        try:
            start.wait()
            services.booking_create(event=event, name=f"Person {n}", email=f"p{n}@example.org")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Booking.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(BookingStatus.CONFIRMED) == PLACES
    assert statuses.count(BookingStatus.WAITING) == PEOPLE - PLACES
    # The first ten in the queue are the ten with places: first come, first served.
    queue = list(Booking.objects.filter(event=event).order_by("created_at", "pk"))
    assert {b.status for b in queue[:PLACES]} == {BookingStatus.CONFIRMED}
    subjects = [m.subject.split(":")[0] for m in mailoutbox]
    assert subjects.count("Your place") == PLACES
    assert subjects.count("You are on the waiting list") == PEOPLE - PLACES


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL, as above.",
)
def test_lowering_capacity_while_people_book_never_leaves_more_booked_than_places(world):
    event = EventFactory(hub=world.hub, capacity=PLACES)
    for n in range(4):
        services.booking_create(event=event, name=f"Early {n}", email=f"e{n}@example.org")
    bookers = 12
    start = threading.Barrier(bookers + 1)
    errors: list[BaseException] = []
    refused: list[services.EventError] = []

    def book(n: int) -> None:
        try:
            start.wait()
            services.booking_create(
                event=event, name=f"Person {n}", email=f"p{n}@example.org", places=1 + n % 2
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def shrink() -> None:
        try:
            start.wait()
            services.event_update(event=event, by=None, capacity=6)
        except services.EventError as error:
            refused.append(error)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(bookers)]
    threads.append(threading.Thread(target=shrink))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    event.refresh_from_db()
    confirmed = Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED)
    held = sum(confirmed.values_list("places", flat=True))
    # Either the capacity went down before the bookings filled it, or it was refused; both
    # ways, never more places booked than the event has.
    assert held <= event.capacity
    assert event.capacity == (PLACES if refused else 6)
    # Eighteen places were asked for: whichever capacity won, the waiting list took the rest.
    assert Booking.objects.filter(event=event, status=BookingStatus.WAITING).exists()
