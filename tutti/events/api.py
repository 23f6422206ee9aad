"""The What's On's JSON API: a hub's published events, with the same filters as its page."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from tutti.clusters.models import Cluster
from tutti.core.api import READ_ERRORS, ErrorOut, hub_operation
from tutti.events import selectors
from tutti.events.forms import EventFilterForm
from tutti.events.ics import absolute_url
from tutti.events.models import Event, EventStatus

router = Router(tags=["events"])

PAGE_SIZE = 50


class VenueOut(Schema):
    id: int
    name: str
    address: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None


class SessionOut(Schema):
    title: str
    starts_at: datetime = Field(description="In UTC.")
    ends_at: datetime = Field(description="In UTC.")


class EventOut(Schema):
    id: int
    title: str
    summary: str
    category: str = Field(description="The category's slug, as the `category` filter takes it.")
    category_name: str
    audiences: list[str] = Field(description="Any of schools, providers, young_people, families.")
    cluster: str | None = Field(description="The cluster's slug; null when not a cluster's.")
    venue: VenueOut | None
    is_online: bool
    organiser: str | None = Field(description="The partner running it; null when the hub is.")
    starts_at: datetime = Field(description="The first session's start, in UTC.")
    ends_at: datetime = Field(description="The last session's end, in UTC.")
    session_count: int
    capacity: int | None = Field(description="Places; null for no limit.")
    places_left: int | None = Field(description="Null for no limit; 0 or less when full.")
    price: str = Field(description='In pounds, e.g. "0.00" (free) or "25.00".')
    status: EventStatus = Field(description="published, or cancelled after it was published.")
    url: str = Field(description="The event's public page, with the booking form.")

    @staticmethod
    def resolve_category(obj: Event) -> str:
        return obj.category.slug

    @staticmethod
    def resolve_category_name(obj: Event) -> str:
        return obj.category.name

    @staticmethod
    def resolve_audiences(obj: Event) -> list[str]:
        return obj.audience_values

    @staticmethod
    def resolve_cluster(obj: Event) -> str | None:
        return obj.cluster.slug if obj.cluster_id else None

    @staticmethod
    def resolve_organiser(obj: Event) -> str | None:
        return obj.organiser.name if obj.organiser_id else None

    @staticmethod
    def resolve_price(obj: Event) -> str:
        return f"{obj.price:.2f}"

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return absolute_url(f"/{obj.hub.slug}/whats-on/{obj.pk}/")


class EventDetailOut(EventOut):
    description: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj: Event) -> list[Any]:
        return obj.session_list  # type: ignore[attr-defined,no-any-return]


class EventPageOut(Schema):
    count: int = Field(description="Events matching, on all pages.")
    page: int
    pages: int
    results: list[EventOut]


class EventFilterIn(Schema):
    q: str = Field("", description="Words to find in the title, summary, venue or organiser.")
    category: str = Field("", description="A category's slug.")
    cluster: str = Field("", description="A cluster's slug.")
    audience: str = Field("", description="schools, providers, young_people or families.")
    date_from: str = Field("", description="YYYY-MM-DD. Without it, events not yet finished.")
    date_to: str = Field("", description="YYYY-MM-DD.")
    price: str = Field("", description="free or paid.")
    page: int = Field(1, ge=1)


def _filter_form(request: HttpRequest, data: dict[str, Any]) -> EventFilterForm:
    hub = request.hub  # type: ignore[attr-defined]
    return EventFilterForm(
        data,
        hub=hub,
        categories=list(selectors.hub_categories(hub=hub)),
        clusters=list(Cluster.objects.filter(hub=hub).order_by("name")),
    )


@router.get(
    "/{hub_slug}/events",
    response={200: EventPageOut, 400: ErrorOut, **READ_ERRORS},
    auth=None,
)
@hub_operation(None)
def event_list(request: HttpRequest, hub_slug: str, filters: Query[EventFilterIn]) -> Any:
    """The hub's published events that have not finished, soonest first, 50 a page. The filters
    are those of the What's On page; an unknown category, cluster or audience is a 400."""
    data = filters.model_dump()
    page_number = data.pop("page")
    form = _filter_form(request, {k: v for k, v in data.items() if v})
    chosen = form.filters()
    if form.errors:
        raise DjangoValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    events = selectors.public_events(hub=request.hub, filters=chosen)  # type: ignore[attr-defined]
    page = Paginator(events.select_related("hub"), PAGE_SIZE).get_page(page_number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get("/{hub_slug}/events/{id}", response={200: EventDetailOut, **READ_ERRORS}, auth=None)
@hub_operation(None)
def event_detail(request: HttpRequest, hub_slug: str, id: int) -> Any:
    """One published (or cancelled) event of the hub, with its sessions."""
    event = selectors.event_get(hub=request.hub, pk=id)  # type: ignore[attr-defined]
    if event is None:
        raise Http404("No such event in this hub's What's On.")
    event.session_list = selectors.event_sessions(event=event)  # type: ignore[attr-defined]
    return event
