"""The What's On's JSON API: a hub's published events, with the same filters as its page;
and for the people who run events, writes and bookings, with the rules of the staff pages."""

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from tutti.clusters.models import Cluster
from tutti.core.api import (
    READ_ERRORS,
    STAFF_READ_ERRORS,
    WRITE_ERRORS,
    BodyIn,
    DayFilter,
    ErrorOut,
    Moment,
    PageNumber,
    Slug,
    SlugFilter,
    invalid,
)
from tutti.core.audit import ReadAction, audit_read
from tutti.core.urls import absolute_url
from tutti.events import selectors, services
from tutti.events.access import (
    check_event_owners,
    event_for_edit,
    event_venue_choices,
    hub_partners,
)
from tutti.events.forms import EARLIEST, LATEST, event_filter_form
from tutti.events.models import (
    AUDIENCE_FIELDS,
    Audience,
    Booking,
    BookingStatus,
    Event,
    EventStatus,
)
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["events"])

PENNY = Decimal("0.01")

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
        return obj.cluster.slug if obj.cluster is not None else None

    @staticmethod
    def resolve_organiser(obj: Event) -> str | None:
        return obj.organiser.name if obj.organiser is not None else None

    @staticmethod
    def resolve_price(obj: Event) -> str:
        return f"{obj.price:.2f}"

    @staticmethod
    def resolve_url(obj: Event, context: dict) -> str:
        return absolute_url(obj.get_absolute_url(), context.get("request"))


class EventDetailOut(EventOut):
    description: str
    venue_name: str = Field(description="A venue typed in, when it is not in the directory.")
    venue_address: str
    payment_instructions: str = Field(description="How to pay, for a paid event.")
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj: Event) -> list[Any]:
        return obj.session_list  # type: ignore[attr-defined]


class EventPageOut(Schema):
    count: int = Field(description="Events matching, on all pages.")
    page: int
    pages: int
    results: list[EventOut]


class EventFilterIn(Schema):
    q: str = Field(
        "", max_length=100, description="Words to find in the title, summary, venue or organiser."
    )
    category: SlugFilter = Field("", description="A category's slug.")
    cluster: SlugFilter = Field("", description="A cluster's slug.")
    audience: str = Field("", description="schools, providers, young_people or families.")
    date_from: DayFilter = Field("", description="YYYY-MM-DD. Without it, events not yet finished.")
    date_to: DayFilter = Field("", description="YYYY-MM-DD.")
    price: str = Field("", description="free or paid.")
    page: PageNumber = 1


@router.get(
    "/{hub_slug}/events",
    response={200: EventPageOut, 400: ErrorOut, **READ_ERRORS},
    auth=None,
)
@hub_operation(None)
def event_list(request: HubRequest, hub_slug: str, filters: Query[EventFilterIn]) -> Any:
    """The hub's published events that have not finished, soonest first, 50 a page. The filters
    are those of the What's On page; an unknown category, cluster or audience is a 400."""
    data = filters.model_dump()
    page_number = data.pop("page")
    hub = request.hub
    form = event_filter_form({k: v for k, v in data.items() if v}, hub=hub)
    chosen = form.filters()
    if form.errors:
        raise DjangoValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    events = selectors.public_events(hub=hub, filters=chosen)
    related = (*selectors.LISTED, "hub")
    page = selectors.EventPaginator(events, PAGE_SIZE, related=related).get_page(page_number)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get("/{hub_slug}/events/{id}", response={200: EventDetailOut, **READ_ERRORS}, auth=None)
@hub_operation(None)
def event_detail(request: HubRequest, hub_slug: str, id: int) -> Any:
    """One published (or cancelled) event of the hub, with its sessions."""
    event = selectors.event_get(hub=request.hub, pk=id)
    if event is None:
        raise Http404("No such event in this hub's What's On.")
    event.session_list = selectors.event_sessions(event=event)  # type: ignore[attr-defined]
    return event


# Staff: create, change, publish and cancel events; see their bookings.

OWN_EVENTS = (
    "Coordinators manage only the events of clusters they coordinate, and partner staff only "
    "those their organisations organise: another's event is 403."
)


# Limits go in the annotations, as PatchDict keeps only those for a PATCH. The API's parser
# refuses the NUL character everywhere (config/api.py), so no field checks it again.
ShortText = Annotated[str, Field(max_length=200)]
Summary = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=20_000)]
Reason = Annotated[str, Field(max_length=1000)]
Address = Annotated[str, Field(max_length=300)]
Places = Annotated[int, Field(ge=1, le=100_000)]
PRICE_PATTERN = r"^[0-9]{1,5}(\.[0-9]{1,2})?$"


def _to_the_penny(value: Any) -> Any:
    """A price as text must be pounds and pence, as the schema's pattern says; a number is
    rounded to the penny, as JSON numbers such as 0.5700000000000001 cannot say 0.57 exactly."""
    if isinstance(value, str):
        if not re.fullmatch(PRICE_PATTERN, value):
            raise ValueError("Give the price in pounds and pence, such as 12.50.")
        return Decimal(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value))
        # Too large, or not a number at all: left for the limits below to refuse.
        if amount.is_finite() and abs(amount) < 1_000_000:
            return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
        return amount
    return value


Price = Annotated[
    Decimal,
    BeforeValidator(_to_the_penny),
    Field(ge=0, le=Decimal("99999.99")),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 99999.99},
                {"type": "string", "pattern": PRICE_PATTERN},
            ],
            "description": "In pounds: text to the penny, or a number, rounded to the penny.",
        }
    ),
]


class SessionIn(BodyIn):
    starts_at: Moment = Field(description="With its UTC offset, e.g. 2026-07-15T18:00Z.")
    ends_at: Moment = Field(description="With its UTC offset; after starts_at.")
    title: ShortText = Field("", description="Only for a series, e.g. Autumn.")


Sessions = Annotated[list[SessionIn], Field(min_length=1, max_length=12)]


class EventIn(BodyIn):
    title: ShortText
    summary: Summary = Field(description="One or two sentences, shown in the What's On list.")
    description: LongText = ""
    category: Slug = Field(description="A category's slug, e.g. cluster-meetings.")
    audiences: Annotated[list[Audience], Field(max_length=4)] = []
    cluster: Slug | None = Field(None, description="A cluster's slug; null when not a cluster's.")
    venue_id: int | None = Field(None, description="An organisation in the hub's directory.")
    venue_name: ShortText = Field("", description="Or a venue not in the directory, by name.")
    venue_address: Address = Field("", description="That venue's address.")
    is_online: bool = False
    online_link: ShortText = Field("", description="Sent to people with a place; never public.")
    organiser_id: int | None = Field(
        None, description="A partner (not a school) in the directory; null when the hub runs it."
    )
    capacity: Places | None = Field(None, description="Places; null for no limit.")
    price: Price = Field(Decimal("0.00"), description="In pounds; 0 for free.")
    payment_instructions: LongText = Field("", description="How to pay, for a paid event.")
    booking_opens_at: Moment | None = Field(None, description="Null: when published.")
    booking_closes_at: Moment | None = Field(None, description="Null: when it starts.")
    sessions: Sessions = Field(
        description="One for a one-off; one per meeting for a series, which one booking covers."
    )


class CancelIn(BodyIn):
    reason: Reason = Field("", description="Included in the email to everyone who booked.")


class EventStaffOut(EventDetailOut):
    status: EventStatus = Field(description="draft, published or cancelled.")
    organiser_id: int | None
    online_link: str
    booking_opens_at: datetime | None
    booking_closes_at: datetime | None
    booked: int = Field(description="Places held by confirmed bookings.")
    cancellation_reason: str

    @staticmethod
    def resolve_booked(obj: Event) -> int:
        return obj.confirmed_count  # type: ignore[attr-defined]


class BookingOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    places: int = Field(description="Places the booking holds: the person and who they bring.")
    status: BookingStatus
    waiting_place: int | None = Field(description="1 for the first waiting; null if not waiting.")
    booked_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None


# Fields that a PATCH may leave out but may not set to null.
NOT_NULL: tuple[str, ...] = (
    "title",
    "summary",
    "description",
    "category",
    "audiences",
    "is_online",
)
NOT_NULL += ("online_link", "price", "sessions", "venue_name", "venue_address")
NOT_NULL += ("payment_instructions",)
PLAIN: tuple[str, ...] = (
    "title",
    "summary",
    "description",
    "is_online",
    "online_link",
    "capacity",
    "price",
)
PLAIN += ("booking_opens_at", "booking_closes_at", "venue_name", "venue_address")
PLAIN += ("payment_instructions",)


def _moment(field: str, value: datetime | None) -> datetime | None:
    if value is not None and not EARLIEST.year <= value.year <= LATEST.year:
        raise invalid(field, f"Give a date between {EARLIEST.year} and {LATEST.year}.")
    return value


def _event_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:  # noqa: C901 - one branch per optional field of the body
    """The service's fields from the request's: slugs and ids become the hub's objects. Anything
    unknown, or another hub's, is a 400 naming the field."""
    hub = request.hub  # type: ignore[attr-defined]
    for name in NOT_NULL:
        if name in data and data[name] is None:
            raise invalid(name, "Leave it out to keep it as it is; it cannot be null.")
    fields: dict[str, Any] = {k: data[k] for k in PLAIN if k in data}
    for name in ("booking_opens_at", "booking_closes_at"):
        if name in fields:
            _moment(name, fields[name])
    if "category" in data:
        category = selectors.hub_categories(hub=hub).filter(slug=data["category"]).first()
        if category is None:
            raise invalid("category", f"There is no category “{data['category']}” in this hub.")
        fields["category"] = category
    if "cluster" in data:
        cluster = None
        if data["cluster"] is not None:
            cluster = Cluster.objects.filter(hub=hub, slug=data["cluster"]).first()
            if cluster is None:
                raise invalid("cluster", f"There is no cluster “{data['cluster']}” in this hub.")
        fields["cluster"] = cluster
    # Any partner is found here; whether this person may name it is check_event_owners's 403.
    places = {
        "venue_id": ("venue", event_venue_choices(hub)),
        "organiser_id": ("organiser", hub_partners(hub)),
    }
    for key, (name, choices) in places.items():
        if key in data:
            found = None
            if data[key] is not None:
                found = choices.filter(pk=data[key]).first()
                if found is None:
                    raise invalid(key, f"There is no {name} {data[key]} in this hub's directory.")
            fields[name] = found
    if "audiences" in data:
        chosen = set(data["audiences"])
        for audience, field in AUDIENCE_FIELDS.items():
            fields[field] = audience in chosen
    if "sessions" in data:
        fields["sessions"] = [
            services.SessionSpec(
                starts_at=_moment("sessions", s["starts_at"]),  # type: ignore[arg-type]
                ends_at=_moment("sessions", s["ends_at"]),  # type: ignore[arg-type]
                title=s.get("title", ""),
            )
            for s in data["sessions"]
        ]
    return fields


def _staff_event(request: HttpRequest, pk: int) -> Event:
    event = selectors.event_for_staff(hub=request.hub, pk=pk)  # type: ignore[attr-defined]
    if event is None:
        raise Http404("No such event in this hub.")
    event.session_list = selectors.event_sessions(event=event)  # type: ignore[attr-defined]
    return event


@router.post("/{hub_slug}/events", response={201: EventStaffOut, **WRITE_ERRORS})
@hub_operation("can_edit_event", limit=OWN_EVENTS)
def event_create(request: MemberRequest, hub_slug: str, payload: EventIn) -> Any:
    """Create an event as a draft, with its sessions. Publish it to open booking."""
    fields = _event_fields(request, payload.model_dump())
    check_event_owners(request, cluster=fields.get("cluster"), organiser=fields.get("organiser"))
    sessions = fields.pop("sessions")
    event = services.event_create(
        hub=request.hub,
        by=request.user,
        sessions=sessions,
        **fields,
    )
    return Status(201, _staff_event(request, event.pk))


@router.patch("/{hub_slug}/events/{id}", response={200: EventStaffOut, **WRITE_ERRORS})
@hub_operation("can_edit_event", limit=OWN_EVENTS)
def event_update(
    request: MemberRequest, hub_slug: str, id: int, payload: PatchDict[EventIn]
) -> Any:
    """Change some of an event's details; fields left out stay as they are. ``sessions``, when
    given, replaces them all. More places move people up from the waiting list."""
    event = event_for_edit(request, id)
    fields = _event_fields(request, payload)
    check_event_owners(
        request,
        cluster=fields.get("cluster", event.cluster),
        organiser=fields.get("organiser", event.organiser),
        event=event,
    )
    services.event_update(event=event, by=request.user, **fields)
    return _staff_event(request, event.pk)


@router.post("/{hub_slug}/events/{id}/publish", response={200: EventStaffOut, **WRITE_ERRORS})
@hub_operation("can_edit_event", limit=OWN_EVENTS)
def event_publish(request: MemberRequest, hub_slug: str, id: int) -> Any:
    """Put a draft on the public What's On, open for booking. It needs a venue or to be online,
    and must not be over; publishing anything but a draft is a 409."""
    event = event_for_edit(request, id)
    # Its refusals are EventStateErrors, which config.api answers 409.
    services.event_publish(event=event, by=request.user)
    return _staff_event(request, event.pk)


@router.post("/{hub_slug}/events/{id}/cancel", response={200: EventStaffOut, **WRITE_ERRORS})
@hub_operation("can_edit_event", limit=OWN_EVENTS)
def event_cancel(request: MemberRequest, hub_slug: str, id: int, payload: CancelIn) -> Any:
    """Cancel an event; everyone with a place or on the waiting list is emailed, with the
    reason. Cancelling it again is a 409."""
    event = event_for_edit(request, id)
    services.event_cancel(event=event, by=request.user, reason=payload.reason)
    return _staff_event(request, event.pk)


def _booking_out(booking: Booking, place: int | None) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "name": booking.name,
        "email": booking.email,
        "organisation": booking.organisation_name,
        "places": booking.places,
        "status": booking.status,
        "waiting_place": place,
        "booked_at": booking.created_at,
        "confirmed_at": booking.confirmed_at,
        "cancelled_at": booking.cancelled_at,
    }


@router.get(
    "/{hub_slug}/events/{id}/bookings",
    response={200: list[BookingOut], **STAFF_READ_ERRORS},
)
@hub_operation("can_edit_event", limit=OWN_EVENTS)
def booking_list(
    request: MemberRequest,
    hub_slug: str,
    id: int,
    status: BookingStatus | None = None,
) -> Any:
    """The event's bookings: places, then the waiting list in its order, then cancellations.
    ``status`` gives only those of one status."""
    event = event_for_edit(request, id)
    audit_read(request, ReadAction.EVENT_ATTENDEES, obj=event)
    groups = selectors.event_bookings(event=event)
    rows = [_booking_out(b, None) for b in groups["confirmed"]]
    rows += [_booking_out(b, n) for n, b in enumerate(groups["waiting"], start=1)]
    rows += [_booking_out(b, None) for b in groups["cancelled"]]
    return [r for r in rows if status is None or r["status"] == status]
