"""Calendars: the What's On to subscribe to, one event to download, a person's bookings."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tutti.events import feeds as calendar_feeds
from tutti.events import selectors, services
from tutti.events.forms import event_filter_form
from tutti.events.ics import calendar_bytes
from tutti.events.views.common import private, public_event_or_404
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view
from tutti.tenancy.request import HubRequest, SignedInHubRequest


@public_hub_view
def feed(request: HubRequest, hub_slug: str) -> HttpResponse:
    """The What's On as a calendar to subscribe to, with the same filters as the page."""
    return calendar_feeds.hub_feed(request, event_filter_form(request.GET or None, hub=request.hub))


@public_hub_view
def event_ics(request: HubRequest, hub_slug: str, pk: int) -> HttpResponse:
    """One event as a calendar file, for "Add to my calendar"."""
    event = public_event_or_404(request, pk)
    response = HttpResponse(
        calendar_bytes([event], name=event.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@signed_in_hub_view
def my_feed_reset(request: SignedInHubRequest, hub_slug: str) -> HttpResponse:
    """Make the person's secret calendar address, or replace it with a new one."""
    if request.method == "POST":
        had_one = selectors.calendar_feed_for(user=request.user) is not None
        services.calendar_feed_reset(user=request.user, hub=request.hub)
        messages.success(
            request,
            "Your calendar has a new address. The old one no longer works: subscribe again "
            "with the new one."
            if had_one
            else "Here is your calendar address. Subscribe to it in your calendar app.",
        )
    return redirect(f"{reverse('events:my-bookings', kwargs={'hub_slug': hub_slug})}#calendar")


@public_hub_view
def my_feed(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """A person's bookings as a calendar. The secret token stands in for signing in, since
    calendar apps cannot sign in."""
    return private(calendar_feeds.person_feed(request, token))
