"""Registers for each session, and people's CPD records built from them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tutti.core.audit import ReadAction, audit_read
from tutti.events import selectors, services
from tutti.events.access import event_for_edit, events_in_reach
from tutti.events.forms import AttendanceForm, PersonForm
from tutti.events.models import EventSession
from tutti.events.views.common import private
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


@hub_permission_required("can_edit_event")
def session_attendance(
    request: MemberRequest, hub_slug: str, pk: int, session_pk: int
) -> HttpResponse:
    """The register for one session: attended or absent for everyone with a place."""
    event = event_for_edit(request, pk)
    session = get_object_or_404(EventSession, event=event, pk=session_pk)
    sessions = selectors.event_sessions(event=event)
    refusal = services.attendance_refusal(event, session)
    form = AttendanceForm(
        request.POST if request.method == "POST" and not refusal else None,
        register=selectors.session_register(session=session),
    )
    status = 200
    if request.method == "POST":
        # With a refusal the form is left unbound, so nothing is saved.
        if form.is_valid():
            try:
                result = services.attendance_record(
                    session=session, marks=form.marks(), by=request.user
                )
            except services.EventError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Attendance saved: {result.attended} attended, {result.absent} absent.",
                )
                return redirect("events-manage:detail", hub_slug=hub_slug, pk=event.pk)
        status = 400
    audit_read(request, ReadAction.ATTENDANCE_REGISTER, obj=session)
    return render(
        request,
        "events/manage_session_attendance.html",
        {
            "event": event,
            "session": session,
            "number": next(n for n, s in enumerate(sessions, start=1) if s.pk == session.pk),
            "session_count": len(sessions),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@hub_permission_required("can_edit_event")
def cpd_record(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """A person's CPD record: the events they attended and the hours, found by email. Those
    who manage only some events see only those events' attendance."""
    form = PersonForm(request.GET or None)
    events = events_in_reach(request)
    record = None
    if form.is_valid():
        record = selectors.cpd_record(
            hub=request.hub, email=form.cleaned_data["email"], events=events
        )
        audit_read(request, ReadAction.CPD_RECORD, email=form.cleaned_data["email"])
    return private(
        render(
            request,
            "events/manage_cpd_record.html",
            {
                "form": form,
                "record": record,
                "everything": events is None,
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )
    )
