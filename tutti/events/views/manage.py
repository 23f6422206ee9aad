"""Running events, for staff, coordinators and partners: /<hub>/manage/events/.

Who may manage which event, and give it which cluster and organiser, is decided in
``tutti.events.access``, the same rules as the API's.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from tutti.core.audit import ReadAction, audit_read
from tutti.events import exports, selectors, services
from tutti.events.access import (
    can_create_event,
    event_cluster_choices,
    event_for_edit,
    event_organiser_choices,
    event_owner_errors,
    event_venue_choices,
    manages_every_event,
)
from tutti.events.forms import (
    CancelEventForm,
    EventForm,
    SessionFormSet,
    session_initial,
    session_specs,
)
from tutti.events.models import Booking, Event
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


def _form_choices(request: MemberRequest, event: Event | None = None) -> dict[str, QuerySet]:
    """What this person may pick in the event form: the API's rules (events/access.py)."""
    hub = request.hub
    return {
        "categories": selectors.hub_categories(hub=hub),
        "clusters": event_cluster_choices(request, event),
        "organisations": event_organiser_choices(request, event),
        "venues": event_venue_choices(hub).order_by("name"),
    }


@hub_permission_required("can_edit_event")
def manage_event_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    events = selectors.manageable_events(
        hub=request.hub, membership=request.membership, user=request.user
    )
    page = selectors.EventPaginator(
        events, 50, related=("category", "cluster", "organiser")
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "events/manage_event_list.html",
        {"page": page, "everything": manages_every_event(request)},
    )


def _form_problems(form: EventForm, sessions) -> list[tuple[str, str]]:
    """Every problem on the event page, with the field it links to, for one summary at the top:
    the event's own fields, then each session's."""
    problems = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        problems += [(field.id_for_label, f"{field.label}: {error}") for error in field.errors]
    return problems + sessions.error_list()


def _own_defaults(choices: dict[str, Any]) -> dict[str, int]:
    """For someone running only their own cluster's or organisation's events: start with it."""
    initial = {}
    for name, options in (
        ("cluster", choices["clusters"]),
        ("organiser", choices["organisations"]),
    ):
        only = list(options[:2])
        if len(only) == 1:
            initial[name] = only[0].pk
    return initial


def _event_form_page(request: MemberRequest, event: Event | None) -> HttpResponse:
    choices = _form_choices(request, event)
    own_only = not manages_every_event(request)
    initial = _own_defaults(choices) if event is None and own_only else {}
    form = EventForm(
        request.POST or None, instance=event, initial=initial, own_only=own_only, **choices
    )
    sessions = SessionFormSet(
        request.POST or None,
        prefix="sessions",
        initial=session_initial(event) if event else None,
    )
    can_create = can_create_event(request, event)
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        fields = form.event_fields()
        if event is not None:
            # The form wrote its values onto the instance; the rules compare with the saved ones.
            event.refresh_from_db()
        owner_errors = event_owner_errors(
            request, cluster=fields["cluster"], organiser=fields["organiser"], event=event
        )
        for field, message in owner_errors.items():
            form.add_error(None if field == "__all__" else field, message)
        if not owner_errors:
            try:
                if event is None:
                    event = services.event_create(
                        hub=request.hub, by=request.user, sessions=session_specs(sessions), **fields
                    )
                    messages.success(request, "Event saved as a draft. Publish it when ready.")
                else:
                    services.event_update(
                        event=event, by=request.user, sessions=session_specs(sessions), **fields
                    )
                    messages.success(request, "Saved.")
            except services.EventError as error:
                form.add_error(None, str(error))
            else:
                if event.status == "draft" and event.starts_at <= timezone.now():
                    messages.warning(
                        request,
                        "Check the dates: the first session, "
                        f"{timezone.localtime(event.starts_at):%-d %B %Y}, is in the past, so "
                        "people cannot book it. It is saved, but cannot be published.",
                    )
                return redirect("events-manage:detail", hub_slug=request.hub.slug, pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "sessions": sessions,
            "event": event,
            "can_create": can_create,
            "problems": _form_problems(form, sessions) if request.method == "POST" else [],
        },
    )


@hub_permission_required("can_edit_event")
def event_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return _event_form_page(request, None)


@hub_permission_required("can_edit_event")
def event_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _event_form_page(request, event_for_edit(request, pk))


@hub_permission_required("can_edit_event")
def manage_event_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """An event for its organisers: status, sessions, bookings and the waiting list."""
    event = event_for_edit(request, pk)
    audit_read(request, ReadAction.EVENT_ATTENDEES, obj=event)
    bookings = selectors.event_bookings(event=event)
    booked = sum(b.places for b in bookings["confirmed"])
    return render(
        request,
        "events/manage_event_detail.html",
        {
            "event": event,
            "sessions": selectors.sessions_with_attendance(event=event),
            "confirmed": bookings["confirmed"],
            "waiting": bookings["waiting"],
            "cancelled": bookings["cancelled"],
            "booked": booked,
            "waiting_places": sum(b.places for b in bookings["waiting"]),
            "places_left": None if event.capacity is None else event.capacity - booked,
        },
    )


@hub_permission_required("can_edit_event")
def event_publish(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    event = event_for_edit(request, pk)
    if request.method == "POST":
        try:
            services.event_publish(event=event, by=request.user)
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{event.title} is now on the What's On, open for booking.")
    return redirect("events-manage:detail", hub_slug=hub_slug, pk=pk)


@hub_permission_required("can_edit_event")
def event_cancel(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    event = event_for_edit(request, pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "The event is cancelled. We are emailing everyone who booked."
            )
        return redirect("events-manage:detail", hub_slug=hub_slug, pk=pk)
    live = event.bookings.exclude(status="cancelled").count()
    return render(request, "events/event_cancel.html", {"event": event, "form": form, "live": live})


@hub_permission_required("can_edit_event")
def event_duplicate(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    event = event_for_edit(request, pk)
    if request.method != "POST":
        return redirect("events-manage:detail", hub_slug=hub_slug, pk=pk)
    copy = services.event_duplicate(event=event, by=request.user)
    messages.success(request, "This is a draft copy. Change its dates and details, then publish.")
    return redirect("events-manage:edit", hub_slug=hub_slug, pk=copy.pk)


@hub_permission_required("can_edit_event")
def manage_booking_cancel(
    request: MemberRequest, hub_slug: str, pk: int, booking_pk: int
) -> HttpResponse:
    """Cancel someone's booking (or take them off the waiting list), after a confirmation."""
    event = event_for_edit(request, pk)
    booking = get_object_or_404(Booking, event=event, pk=booking_pk)
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, by=request.user, by_organiser=True)
        except services.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Cancelled {booking.name}'s booking and emailed them.")
        return redirect("events-manage:detail", hub_slug=hub_slug, pk=pk)
    return render(
        request, "events/manage_booking_cancel.html", {"event": event, "booking": booking}
    )


@hub_permission_required("can_edit_event")
def attendees_csv(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Everyone booked, then the waiting list in order, as CSV for a spreadsheet."""
    event = event_for_edit(request, pk)
    audit_read(request, ReadAction.EVENT_ATTENDEES_CSV, obj=event)
    response = HttpResponse(exports.attendees_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    return response


@hub_permission_required("can_edit_event")
def attendees_xlsx(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """The CSV's columns and rows as an Excel workbook."""
    event = event_for_edit(request, pk)
    audit_read(request, ReadAction.EVENT_ATTENDEES_XLSX, obj=event)
    response = HttpResponse(exports.attendees_xlsx(event), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.xlsx"'
    return response
