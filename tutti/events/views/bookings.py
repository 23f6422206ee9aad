"""A booking's own page and its cancel link (the token is the key), and a person's bookings."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.events import selectors, services
from tutti.events.models import Booking
from tutti.events.tokens import booking_token, cancel_link_expired
from tutti.events.views.common import private
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view
from tutti.tenancy.request import HubRequest, SignedInHubRequest


def _booking_or_404(request: HubRequest, token: str) -> Booking:
    booking = selectors.booking_from_token(hub=request.hub, token=token)
    if booking is None:
        raise Http404("This booking link is not valid. Check you copied all of it.")
    return booking


@public_hub_view
def booking_detail(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    booking = _booking_or_404(request, token)
    return private(
        render(
            request,
            "events/booking_detail.html",
            {
                "booking": booking,
                "event": booking.event,
                "sessions": selectors.event_sessions(event=booking.event),
                "position": selectors.waiting_position(booking),
                "ended": cancel_link_expired(booking),
                "token": token,
            },
        )
    )


@public_hub_view
def booking_cancel(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """From the link in the email: a button to confirm, so a link preview cannot cancel."""
    booking = _booking_or_404(request, token)
    if cancel_link_expired(booking):
        return private(
            render(
                request,
                "events/booking_cancel.html",
                {"booking": booking, "event": booking.event, "ended": True, "token": token},
                status=410,
            )
        )
    error = None
    if request.method == "POST":
        by = request.user if request.user.is_authenticated else None
        try:
            services.booking_cancel(booking=booking, by=by)
        except services.BookingError as problem:
            error = str(problem)
        else:
            messages.success(request, "Your booking is cancelled. We have emailed you to confirm.")
            return redirect("events:booking", hub_slug=hub_slug, token=token)
    return private(
        render(
            request,
            "events/booking_cancel.html",
            {"booking": booking, "event": booking.event, "error": error, "token": token},
            status=400 if error else 200,
        )
    )


@signed_in_hub_view
def my_bookings(request: SignedInHubRequest, hub_slug: str) -> HttpResponse:
    """The signed-in person's own bookings in this hub, and their CPD record."""
    email = request.user.email
    bookings = selectors.bookings_for_person(hub=request.hub, email=email)
    feed = selectors.calendar_feed_for(user=request.user)
    feed_url = None
    if feed is not None:
        feed_url = absolute_url(
            reverse("events:my-feed", kwargs={"hub_slug": hub_slug, "token": feed.token}), request
        )
    return private(
        render(
            request,
            "events/my_bookings.html",
            {
                "bookings": [(b, booking_token(b)) for b in bookings],
                "record": selectors.cpd_record(hub=request.hub, email=email),
                "feed_url": feed_url,
            },
        )
    )
