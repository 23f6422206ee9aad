"""Calendars: the What's On to subscribe to, one event to download, a person's bookings."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tutti.events import selectors, services
from tutti.events.forms import event_filter_form
from tutti.events.ics import calendar_bytes
from tutti.events.views.common import private, public_event_or_404
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view


@public_hub_view
def feed(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The What's On as a calendar to subscribe to, with the same filters as the page."""
    form = event_filter_form(request.GET or None, hub=request.hub)
    filters = form.filters()
    problems = form.problems()
    if problems:
        # A calendar app would show nothing useful for a broken link: say what is wrong.
        return HttpResponse(
            "This calendar link has a problem:\n" + "\n".join(problems) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    hub = request.hub
    events = selectors.feed_events(hub=hub, filters=filters)
    response = HttpResponse(
        calendar_bytes(events, name=f"{hub.name}: What's On", subscription=True),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="whats-on.ics"'
    return response


@public_hub_view
def event_ics(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """One event as a calendar file, for "Add to my calendar"."""
    event = public_event_or_404(request, pk)
    response = HttpResponse(
        calendar_bytes([event], name=event.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@signed_in_hub_view
def my_feed_reset(request: HttpRequest, hub_slug: str) -> HttpResponse:
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
def my_feed(request: HttpRequest, hub_slug: str, token: str) -> HttpResponse:
    """A person's bookings as a calendar. The secret token stands in for signing in, since
    calendar apps cannot sign in."""
    feed = selectors.calendar_feed_get(token=token)
    if feed is None:
        raise Http404("This calendar address is not valid. It may have been reset.")
    hub = request.hub
    events, waiting = selectors.booked_feed_events(hub=hub, email=feed.user.email)
    response = HttpResponse(
        calendar_bytes(events, name=f"My bookings: {hub.name}", subscription=True, waiting=waiting),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="my-bookings.ics"'
    # It names what one person booked: no shared caches, no search engines.
    response["Cache-Control"] = "private, no-store"
    return private(response)
