"""The signed token in a booking's links, so the booker can see or cancel it without signing in.

The token is the booking's random reference, signed with the site's secret key: it cannot be
guessed, and a forged or altered one is refused. The booking's own page stays as a record, but
its cancel link stops working once the event is over.
"""

from django.core import signing
from django.utils import timezone

from tutti.events.models import Booking

SALT = "tutti.events.booking"


def booking_token(booking: Booking) -> str:
    return signing.Signer(salt=SALT).sign(booking.reference)


def booking_reference(token: str) -> str | None:
    """The reference inside a token, or None when the token is not one of ours."""
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def cancel_link_expired(booking: Booking) -> bool:
    """The event is over, so its cancel link no longer does anything."""
    return booking.event.ends_at <= timezone.now()
