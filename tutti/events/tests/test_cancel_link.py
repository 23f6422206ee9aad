"""A booking's cancel link stops working once the event is over: a plain page says so."""

from datetime import timedelta

from django.utils import timezone

from tutti.events.models import BookingStatus
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.events.tokens import booking_token


def _past_booking(world):
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(hub=world.hub, starts_at=start, ends_at=start + timedelta(hours=2))
    return BookingFactory(event=event)


def test_the_cancel_link_of_an_event_that_has_ended_says_so(client, world):
    booking = _past_booking(world)
    url = f"/wiltshire/whats-on/bookings/{booking_token(booking)}/cancel/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This event has ended" in html
        assert "Yes, cancel my booking" not in html
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_booking_page_of_an_ended_event_offers_no_cancel_link(client, world):
    booking = _past_booking(world)
    response = client.get(f"/wiltshire/whats-on/bookings/{booking_token(booking)}/")
    assert response.status_code == 200
    assert "/cancel/" not in response.content.decode()


def test_the_cancel_link_works_until_then(client, world):
    booking = BookingFactory(event=EventFactory(hub=world.hub))
    url = f"/wiltshire/whats-on/bookings/{booking_token(booking)}/cancel/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
