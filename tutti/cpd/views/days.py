"""Network days: What's On events owned by the network, with their programme; members book
early and facilitators take the register. /<hub>/networks/<network>/days/."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from tutti.core.audit import ReadAction, audit_read
from tutti.cpd import selectors, services
from tutti.cpd.access import Place, facilitator_place, member_place, network_place
from tutti.cpd.forms import DayForm, DaySessionForm, this_school_year
from tutti.cpd.models import NetworkDay
from tutti.cpd.views.common import render_place
from tutti.events import selectors as event_selectors
from tutti.events.forms import AttendanceForm
from tutti.events.services import EventError, attendance_refusal, booking_refusal
from tutti.tenancy.pages import signed_in_hub_view
from tutti.tenancy.request import SignedInHubRequest


def _day(place: Place, pk: int) -> NetworkDay:
    day = selectors.day_get(network=place.network, pk=pk)
    if day is None:
        raise Http404("No such network day.")
    return day


@signed_in_hub_view
def day_detail(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """The day's programme and, for a member, their place or the button to book one."""
    place = network_place(request, network_slug)
    if not place.is_member and not place.can_facilitate:
        raise Http404("No such network day.")
    day = _day(place, pk)
    context: dict = {"day": day, "members_open_at": services.members_open_at(day)}
    if place.is_member and place.member is not None:
        context["booking"] = selectors.member_booking(day=day, member=place.member)
        context["refusal"] = booking_refusal(day.event, opens_at=services.members_open_at(day))
    return render_place(request, "cpd/day_detail.html", place, context)


@signed_in_hub_view
def day_book(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """Book the member's place (a POST); a GET goes back to the day."""
    place = member_place(request, network_slug)
    day = _day(place, pk)
    if request.method == "POST":
        try:
            booking = services.day_book(day=day, member=place.me, by=request.user)
        except services.CpdError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Your place is booked. We have emailed you the details."
                if booking.status == "confirmed"
                else "The day is full: you are on the waiting list.",
            )
    return redirect("cpd:day", hub_slug=hub_slug, network_slug=network_slug, pk=pk)


@signed_in_hub_view
def day_new(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """A facilitator adds a term's day: it goes on the What's On, members booking first."""
    place = facilitator_place(request, network_slug)
    form = DayForm(request.POST or None, initial={"year": this_school_year()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                day = services.day_create(
                    network=place.network,
                    spec=services.DaySpec(**form.cleaned_data),
                    by=request.user,
                )
            except (services.CpdError, EventError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The day is on the What's On. Now add its programme.")
                return redirect(
                    "cpd:day-programme", hub_slug=hub_slug, network_slug=network_slug, pk=day.pk
                )
        status = 400
    return render_place(request, "cpd/day_form.html", place, {"form": form}, status)


@signed_in_hub_view
def day_programme(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """A facilitator adds the day's sessions and who presents each."""
    place = facilitator_place(request, network_slug)
    day = _day(place, pk)
    form = DaySessionForm(request.POST or None, network=place.network)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.day_session_add(day=day, by=request.user, **form.cleaned_data)
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The session is in the programme.")
                return redirect(
                    "cpd:day-programme", hub_slug=hub_slug, network_slug=network_slug, pk=pk
                )
        status = 400
    return render_place(
        request, "cpd/day_programme.html", place, {"day": day, "form": form}, status
    )


@signed_in_hub_view
def day_attendance(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """The day's register, taken by a facilitator: attendance is what claims and certificates
    are made from."""
    place = facilitator_place(request, network_slug)
    day = _day(place, pk)
    session = day.event.sessions.first()
    if session is None:
        raise Http404("This day has no session.")
    refusal = attendance_refusal(day.event, session)
    form = AttendanceForm(
        request.POST if request.method == "POST" and not refusal else None,
        register=event_selectors.session_register(session=session),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.day_attendance_record(day=day, marks=form.marks(), by=request.user)
            except (services.CpdError, EventError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Attendance saved.")
                return redirect("cpd:day", hub_slug=hub_slug, network_slug=network_slug, pk=pk)
        status = 400
    audit_read(request, ReadAction.ATTENDANCE_REGISTER, obj=session)
    return render_place(
        request,
        "cpd/day_attendance.html",
        place,
        {"day": day, "form": form, "refusal": refusal, "today": timezone.localdate()},
        status,
    )
