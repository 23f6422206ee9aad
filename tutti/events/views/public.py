"""The public What's On: the list with its filters, and an event's page with its booking form."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tutti.core.maps import (
    MapPoint,
    MapShape,
    SvgMap,
    authority_outline,
    build_map,
    within_bounds,
)
from tutti.core.urls import absolute_url
from tutti.directory.models import Hub, Organisation
from tutti.events import selectors, services
from tutti.events.forms import BookingForm, event_filter_form
from tutti.events.jsonld import event_json_ld
from tutti.events.models import MAX_PLACES_PER_BOOKING
from tutti.events.selectors import EventFilters
from tutti.events.tokens import booking_token
from tutti.events.views.common import public_event_or_404
from tutti.tenancy.pages import public_hub_view
from tutti.tenancy.request import HubRequest

PAGE_SIZE = 20


def filter_query(filters: EventFilters) -> str:
    """The query string of these filters, for links that keep them (a feed, a page)."""
    params = {
        "q": filters.q,
        "category": filters.category,
        "cluster": filters.cluster,
        "audience": filters.audience,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "price": filters.price,
    }
    return urlencode({k: v for k, v in params.items() if v})


@public_hub_view
def whats_on(request: HubRequest, hub_slug: str) -> HttpResponse:
    form = event_filter_form(request.GET or None, hub=request.hub)
    filters = form.filters()
    events = selectors.public_events(hub=request.hub, filters=filters)
    page = selectors.EventPaginator(
        events,
        PAGE_SIZE,
        related=("category", "cluster", "venue"),
        fields=selectors.WHATS_ON_FIELDS,
    ).get_page(request.GET.get("page"))
    query = filter_query(filters)
    feed_path = reverse("events:feed", kwargs={"hub_slug": hub_slug})
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "problems": form.problems(),
            "page": page,
            "query": query,
            "filtered": filters != EventFilters(),
            "feed_url": absolute_url(f"{feed_path}?{query}" if query else feed_path, request),
        },
    )


def _venue_map(hub: Hub, venue: Organisation | None) -> SvgMap | None:
    if venue is None or venue.latitude is None or venue.longitude is None:
        return None  # no location (``has_location``)
    shapes = [
        MapShape(label=la.name, rings=authority_outline(la.gss_code), group="map-area")
        for la in hub.local_authorities.all()
        if la.gss_code
    ]
    point = MapPoint(lat=venue.latitude, lon=venue.longitude, label=venue.name, group=venue.kind)
    inside = within_bounds(shapes, point)
    return build_map(points=[point], shapes=shapes if inside else [], fit_to_points=not inside)


def _booking_initial(request: HubRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = {"name": user.get_full_name(), "email": user.email}
    membership = request.membership
    if membership is not None:
        # A stand-in membership (a superuser's) works for no organisation: no first one.
        organisation = membership.own_organisations().order_by("name").first()
        if organisation is not None:
            initial["organisation_name"] = organisation.name
    return initial


@public_hub_view
def event_detail(request: HubRequest, hub_slug: str, pk: int) -> HttpResponse:
    """An event's page, with its booking form (the form posts here)."""
    event = public_event_or_404(request, pk)
    refusal = services.booking_refusal(event)
    form = BookingForm(request.POST or None, initial=_booking_initial(request))
    if request.method == "POST":
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            try:
                booking = services.booking_create(event=event, by=request.user, **form.cleaned_data)
            except services.BookingError as error:
                form.add_error(None, str(error))
            else:
                if booking.status == "confirmed":
                    messages.success(request, "Your place is booked. We have emailed you.")
                else:
                    messages.success(
                        request,
                        "The event is full, so you are on the waiting list. We emailed you."
                        if booking.places == 1
                        else f"There are not {booking.places} places left, so you are on the "
                        "waiting list. We emailed you.",
                    )
                return redirect("events:booking", hub_slug=hub_slug, token=booking_token(booking))
    sessions = selectors.event_sessions(event=event)
    places_left = getattr(event, "places_left", None)  # annotated by selectors.event_get
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "form": form,
            "refusal": refusal,
            "full": places_left is not None and places_left <= 0,
            "max_places": MAX_PLACES_PER_BOOKING,
            "map": _venue_map(request.hub, event.venue),
            "json_ld": event_json_ld(
                event, sessions, absolute_url(event.get_absolute_url(), request)
            ),
        },
    )
