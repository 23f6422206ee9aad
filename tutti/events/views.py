import csv
import io
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from tutti.clusters.models import Cluster
from tutti.core.audit import ReadAction, audit_read
from tutti.core.maps import MapPoint, MapShape, SvgMap, authority_outline, build_map
from tutti.core.spreadsheets import cell_text, text_cell
from tutti.core.urls import absolute_url
from tutti.directory.models import Hub, Organisation
from tutti.directory.postcodes import postcode_district
from tutti.directory.selectors import hub_organisations
from tutti.events import feeds, selectors, services
from tutti.events.access import (
    event_cluster_choices,
    event_for_edit,
    event_organiser_choices,
    event_owner_errors,
)
from tutti.events.forms import (
    AttendanceForm,
    BookingForm,
    CancelEventForm,
    EventFilterForm,
    EventForm,
    PersonForm,
    SessionFormSet,
    session_initial,
    session_specs,
)
from tutti.events.ics import calendar_bytes
from tutti.events.models import MAX_PLACES_PER_BOOKING, Booking, Event, EventSession
from tutti.events.selectors import EventFilters
from tutti.events.tokens import booking_token, cancel_link_expired
from tutti.tenancy.pages import hub_permission_required, public_hub_view, signed_in_hub_view

PAGE_SIZE = 20


# Public: What's On, an event, a booking


def _filter_form(request: HttpRequest) -> EventFilterForm:
    hub = request.hub
    return EventFilterForm(
        request.GET or None,
        hub=hub,
        categories=list(selectors.hub_categories(hub=hub)),
        clusters=list(Cluster.objects.filter(hub=hub).order_by("name")),
    )


def _filter_query(filters: EventFilters) -> str:
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
def whats_on(request: HttpRequest, hub_slug: str) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    events = selectors.public_events(hub=request.hub, filters=filters)
    page = selectors.EventPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _filter_query(filters)
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


@public_hub_view
def feed(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The What's On as a calendar to subscribe to, with the same filters as the page."""
    return feeds.hub_feed(request, _filter_form(request))


def _venue_map(hub: Hub, venue: Organisation | None) -> SvgMap | None:
    if venue is None or not venue.has_location:
        return None
    shapes = [
        MapShape(label=la.name, rings=authority_outline(la.gss_code), group="map-area")
        for la in hub.local_authorities.all()
        if la.gss_code
    ]
    point = MapPoint(lat=venue.latitude, lon=venue.longitude, label=venue.name, group=venue.kind)
    inside = bool(shapes) and _within(shapes, point)
    return build_map(points=[point], shapes=shapes if inside else [], fit_to_points=not inside)


def _within(shapes: list[MapShape], point: MapPoint) -> bool:
    lons = [lon for shape in shapes for ring in shape.rings for lon, _ in ring]
    lats = [lat for shape in shapes for ring in shape.rings for _, lat in ring]
    if not lons:
        return False
    return min(lons) <= point.lon <= max(lons) and min(lats) <= point.lat <= max(lats)


def _json_ld(event: Event, sessions: list[EventSession], url: str) -> SafeString:
    """schema.org Event, for search engines and the apps that read it."""
    offline = event.has_venue
    mode = (
        "MixedEventAttendanceMode"
        if offline and event.is_online
        else "OnlineEventAttendanceMode"
        if event.is_online
        else "OfflineEventAttendanceMode"
    )
    locations = []
    if offline and event.venue_id is None:
        locations.append(
            {
                "@type": "Place",
                "name": event.venue_name,
                "address": {"@type": "PostalAddress", "streetAddress": event.venue_address},
            }
        )
    elif offline:
        venue = event.venue
        # The town, when the directory has none, is the post town of the postcode's district.
        district = postcode_district(venue.postcode)
        address = {
            "streetAddress": venue.address,
            "addressLocality": venue.town or (district.town if district else ""),
            "postalCode": venue.postcode,
        }
        locations.append(
            {
                "@type": "Place",
                "name": venue.name,
                "address": {
                    "@type": "PostalAddress",
                    **{key: value for key, value in address.items() if value},
                    "addressCountry": "GB",
                },
            }
        )
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": url})
    places_left = getattr(event, "places_left", None)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": url,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": event.organiser.name if event.organiser_id else event.hub.name,
        },
        "offers": {
            "@type": "Offer",
            "price": f"{event.price:.2f}",
            "priceCurrency": "GBP",
            "url": url,
            "availability": "https://schema.org/"
            + ("SoldOut" if places_left is not None and places_left <= 0 else "InStock"),
        },
    }
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": s.title or f"{event.title}, session {n}",
                "startDate": timezone.localtime(s.starts_at).isoformat(),
                "endDate": timezone.localtime(s.ends_at).isoformat(),
            }
            for n, s in enumerate(sessions, start=1)
        ]
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # As json_script does: nothing in the data can close the script element.
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    # JavaScript before ES2019 ends a string at these two; some readers still do.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)  # noqa: S308 - escaped above


def _booking_initial(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = {"name": user.get_full_name(), "email": user.email}
    membership = request.membership
    if membership is not None and membership.pk:
        organisation = membership.organisations.order_by("name").first()
        if organisation is not None:
            initial["organisation_name"] = organisation.name
    return initial


@public_hub_view
def event_detail(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """An event's page, with its booking form (the form posts here)."""
    event = selectors.event_get(hub=request.hub, pk=pk)
    if event is None:
        raise Http404("No such event in this hub's What's On.")
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
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "form": form,
            "refusal": refusal,
            "full": event.places_left is not None and event.places_left <= 0,
            "max_places": MAX_PLACES_PER_BOOKING,
            "map": _venue_map(request.hub, event.venue),
            "json_ld": _json_ld(event, sessions, absolute_url(request.path, request)),
        },
    )


@public_hub_view
def event_ics(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """One event as a calendar file, for "Add to my calendar"."""
    event = selectors.event_get(hub=request.hub, pk=pk)
    if event is None:
        raise Http404("No such event in this hub's What's On.")
    response = HttpResponse(
        calendar_bytes([event], name=event.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def _booking_or_404(request: HttpRequest, token: str) -> Booking:
    booking = selectors.booking_from_token(hub=request.hub, token=token)
    if booking is None:
        raise Http404("This booking link is not valid. Check you copied all of it.")
    return booking


def _private(response: HttpResponse) -> HttpResponse:
    # A booking's page carries a name and an email address: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public_hub_view
def booking_detail(request: HttpRequest, hub_slug: str, token: str) -> HttpResponse:
    booking = _booking_or_404(request, token)
    return _private(
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
def booking_cancel(request: HttpRequest, hub_slug: str, token: str) -> HttpResponse:
    """From the link in the email: a button to confirm, so a link preview cannot cancel."""
    booking = _booking_or_404(request, token)
    if cancel_link_expired(booking):
        return _private(
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
    return _private(
        render(
            request,
            "events/booking_cancel.html",
            {"booking": booking, "event": booking.event, "error": error, "token": token},
            status=400 if error else 200,
        )
    )


@signed_in_hub_view
def my_bookings(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """The signed-in person's own bookings in this hub, and their CPD record."""
    email = request.user.email
    bookings = selectors.bookings_for_person(hub=request.hub, email=email)
    feed = selectors.calendar_feed_for(user=request.user)
    feed_url = None
    if feed is not None:
        feed_url = absolute_url(
            reverse("events:my-feed", kwargs={"hub_slug": hub_slug, "token": feed.token}), request
        )
    return _private(
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
    return _private(feeds.person_feed(request, token))


# Staff, coordinators and partners: /<hub>/manage/events/


def _form_choices(request: HttpRequest, event: Event | None = None) -> dict[str, QuerySet]:
    """What this person may pick in the event form: the API's rules (events/access.py)."""
    hub = request.hub
    return {
        "categories": selectors.hub_categories(hub=hub),
        "clusters": event_cluster_choices(request, event),
        "organisations": event_organiser_choices(request, event),
        "venues": hub_organisations(hub=hub).filter(is_open=True).order_by("name"),
    }


@hub_permission_required("can_edit_event")
def manage_event_list(request: HttpRequest, hub_slug: str) -> HttpResponse:
    events = selectors.manageable_events(
        hub=request.hub, membership=request.membership, user=request.user
    )
    page = selectors.EventPaginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "events/manage_event_list.html", {"page": page})


def _form_problems(form: EventForm, sessions) -> list[tuple[str, str]]:
    """Every problem on the event page, with the field it links to, for one summary at the top:
    the event's own fields, then each session's."""
    problems = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        problems += [(field.id_for_label, f"{field.label}: {error}") for error in field.errors]
    return problems + sessions.error_list()


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    choices = _form_choices(request, event)
    initial = {}
    own_only = not request.membership.has_capability("can_manage_events")
    if event is None and own_only:
        # Someone running only their own cluster's or organisation's events: start with it.
        for name, options in (
            ("cluster", choices["clusters"]),
            ("organiser", choices["organisations"]),
        ):
            only = list(options[:2])
            if len(only) == 1:
                initial[name] = only[0].pk
    form = EventForm(
        request.POST or None, instance=event, initial=initial, own_only=own_only, **choices
    )
    sessions = SessionFormSet(
        request.POST or None,
        prefix="sessions",
        initial=session_initial(event) if event else None,
    )
    can_create = request.membership.has_capability("can_manage_events") or (
        choices["clusters"].exists() or choices["organisations"].exists()
    )
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
def event_create(request: HttpRequest, hub_slug: str) -> HttpResponse:
    return _event_form_page(request, None)


@hub_permission_required("can_edit_event")
def event_edit(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _event_form_page(request, event_for_edit(request, pk))


@hub_permission_required("can_edit_event")
def manage_event_detail(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
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
def event_publish(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
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
def event_cancel(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
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
def event_duplicate(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    event = event_for_edit(request, pk)
    if request.method != "POST":
        return redirect("events-manage:detail", hub_slug=hub_slug, pk=pk)
    copy = services.event_duplicate(event=event, by=request.user)
    messages.success(request, "This is a draft copy. Change its dates and details, then publish.")
    return redirect("events-manage:edit", hub_slug=hub_slug, pk=copy.pk)


@hub_permission_required("can_edit_event")
def manage_booking_cancel(
    request: HttpRequest, hub_slug: str, pk: int, booking_pk: int
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
def session_attendance(
    request: HttpRequest, hub_slug: str, pk: int, session_pk: int
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
def cpd_record(request: HttpRequest, hub_slug: str) -> HttpResponse:
    """A person's CPD record: the events they attended and the hours, found by email. Those
    who manage only some events see only those events' attendance."""
    form = PersonForm(request.GET or None)
    record = None
    if form.is_valid():
        events = None
        if not request.membership.has_capability("can_manage_events"):
            events = selectors.events_managed_by(
                hub=request.hub, membership=request.membership, user=request.user
            )
        record = selectors.cpd_record(
            hub=request.hub, email=form.cleaned_data["email"], events=events
        )
        audit_read(request, ReadAction.CPD_RECORD, email=form.cleaned_data["email"])
    return _private(
        render(
            request,
            "events/manage_cpd_record.html",
            {
                "form": form,
                "record": record,
                "everything": request.membership.has_capability("can_manage_events"),
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )
    )


def _cell(value: str) -> str:
    return cell_text(value)


ATTENDEE_COLUMNS = ["Name", "Email", "Organisation", "Status", "Waiting list place", "Booked at"]
ATTENDEE_COLUMNS += ["Places"]


def _attendee_rows(event: Event) -> list[tuple[Booking, int | None]]:
    """Everyone booked, then the waiting list in order with each person's place in it."""
    bookings = selectors.event_bookings(event=event)
    return [(b, None) for b in bookings["confirmed"]] + [
        (b, place) for place, b in enumerate(bookings["waiting"], start=1)
    ]


@hub_permission_required("can_edit_event")
def attendees_csv(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """Everyone booked, then the waiting list in order, as CSV for a spreadsheet."""
    event = event_for_edit(request, pk)
    audit_read(request, ReadAction.EVENT_ATTENDEES_CSV, obj=event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(ATTENDEE_COLUMNS)
    for b, place in _attendee_rows(event):
        writer.writerow(
            [
                _cell(b.name),
                _cell(b.email),
                _cell(b.organisation_name),
                b.get_status_display(),
                place or "",
                timezone.localtime(b.created_at).strftime("%Y-%m-%d %H:%M"),
                b.places,
            ]
        )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@hub_permission_required("can_edit_event")
def attendees_xlsx(request: HttpRequest, hub_slug: str, pk: int) -> HttpResponse:
    """The CSV's columns and rows as an Excel workbook."""
    event = event_for_edit(request, pk)
    audit_read(request, ReadAction.EVENT_ATTENDEES_XLSX, obj=event)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Attendees")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (28, 32, 32, 20, 12, 18, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(ATTENDEE_COLUMNS)

    def text(value: str) -> WriteOnlyCell:
        return text_cell(sheet, value)

    for b, place in _attendee_rows(event):
        booked = WriteOnlyCell(sheet, value=timezone.localtime(b.created_at).replace(tzinfo=None))
        booked.number_format = "yyyy-mm-dd hh:mm"
        sheet.append(
            [
                text(b.name),
                text(b.email),
                text(b.organisation_name),
                b.get_status_display(),
                place,
                booked,
                b.places,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.xlsx"'
    return response
