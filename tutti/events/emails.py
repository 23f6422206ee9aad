"""The emails a booker gets. Built when the task runs, from the booking as it is then."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.events.ics import calendar_bytes
from tutti.events.models import Booking
from tutti.events.selectors import waiting_position
from tutti.events.tokens import booking_token


@dataclass(frozen=True)
class Kind:
    subject: str
    template: str
    attach_calendar: bool


KINDS = {
    "confirmed": Kind("Your place: {title}", "booking_confirmed", True),
    "waiting": Kind("You are on the waiting list: {title}", "booking_waiting", False),
    "promoted": Kind("A place has come up for you: {title}", "booking_promoted", True),
    "cancelled": Kind("Booking cancelled: {title}", "booking_cancelled", False),
    "event_cancelled": Kind("Cancelled: {title}", "event_cancelled", True),
}


def booking_email(booking: Booking, kind: str) -> EmailMessage:
    spec = KINDS[kind]
    event = booking.event
    hub = event.hub
    token = booking_token(booking)
    context = {
        "booking": booking,
        "event": event,
        "hub": hub,
        "sessions": list(event.sessions.all()),
        "event_url": absolute_url(event.get_absolute_url()),
        "booking_url": absolute_url(
            reverse("events:booking", kwargs={"hub_slug": hub.slug, "token": token})
        ),
        "cancel_url": absolute_url(
            reverse("events:booking-cancel", kwargs={"hub_slug": hub.slug, "token": token})
        ),
        "position": waiting_position(booking) if kind == "waiting" else None,
    }
    message = EmailMessage(
        subject=spec.subject.format(title=event.title),
        body=render_to_string(f"events/email/{spec.template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
    if spec.attach_calendar:
        message.attach(
            f"event-{event.pk}.ics",
            calendar_bytes([event], name=event.title),
            "text/calendar",
        )
    return message
