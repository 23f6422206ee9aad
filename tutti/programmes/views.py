"""The programme's pages: public, the leads' dashboard, and each site's pages.

Each view is decorated with ``access.programme_page(Need...)``, which answers 302, 404 or 403
before the view runs; pupil-level reads are audited here, once per page view.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tutti.core.audit import audit
from tutti.core.errors import DomainError
from tutti.core.maps import MapPoint, MapShape, authority_outline, build_map
from tutti.core.urls import absolute_url
from tutti.directory.models import Hub
from tutti.events.models import Event
from tutti.programmes import exports, selectors, services
from tutti.programmes.access import (
    STAFF_ROLES,
    Need,
    ProgrammeRequest,
    can_create_programme,
    programme_page,
    public_page,
    signed_in_page,
)
from tutti.programmes.forms import (
    AcceptForm,
    AttendanceForm,
    InviteForm,
    LeadInviteForm,
    MeasureForm,
    PlanForm,
    ProgrammeEditForm,
    ProgrammeForm,
    PublishForm,
    ReflectionForm,
    ResourceForm,
    ScoresForm,
    SiteForm,
)
from tutti.programmes.models import Point, Programme, Pupil, Session, Site
from tutti.programmes.tokens import senco_token

READ_PUPILS = "read.programmes.pupils"


def audit_pupils_read(request: HttpRequest, site: Site, what: str, *, senco: bool = False) -> None:
    """Record that someone saw a site's pupils (names, attendance or scores)."""
    audit(
        READ_PUPILS,
        hub=site.programme.lead_hub,
        actor=request.user,
        obj=site,
        path=request.get_full_path()[:500],
        what=what,
        senco=senco,
    )


def _ctx(request: ProgrammeRequest, **extra: Any) -> dict[str, Any]:
    return {
        "programme": request.programme,
        "standing": request.standing,
        "site": request.programme_site,
        **extra,
    }


# Public pages ---------------------------------------------------------------------------------


@public_page
def programme_list(request: HttpRequest) -> HttpResponse:
    mine: list[Programme] = []
    if request.user.is_authenticated:
        mine = list(
            Programme.objects.filter(
                Q(leads=request.user) | Q(sites__people__user=request.user)
            ).distinct()
        )
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": selectors.public_programmes(),
            "mine": mine,
            "can_create": can_create_programme(request.user),
        },
    )


def _site_map(programme: Programme) -> Any:
    sites = list(programme.sites.select_related("school__local_authority", "organisation"))
    points = [
        MapPoint(
            lat=s.school.latitude,
            lon=s.school.longitude,
            label=f"{s.organisation.name} at {s.school.name}",
            group="school",
        )
        for s in sites
        if s.school.latitude is not None and s.school.longitude is not None
    ]
    las = {s.school.local_authority for s in sites if s.school.local_authority is not None}
    shapes = [
        MapShape(label=la.name, rings=authority_outline(la.gss_code), group="map-area")
        for la in las
        if la.gss_code
    ]
    return sites, build_map(points=points, shapes=shapes)


@programme_page(Need.PUBLIC)
def programme_detail(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    sites, site_map = _site_map(programme)
    return render(
        request,
        "programmes/programme_detail.html",
        _ctx(
            request,
            sites=sites,
            map=site_map,
            phase=programme.phase(timezone.localdate()),
            figures=selectors.published_figures(programme=programme),
            suppressed_text=selectors.SUPPRESSED,
        ),
    )


@programme_page(Need.PUBLIC)
def outcomes_pdf(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    if programme.outcomes_published_at is None:
        raise Http404("The outcomes are not published yet.")
    pdf = exports.outcomes_pdf(request=request, programme=programme)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{programme.slug}-outcomes.pdf"'
    return response


# Starting a programme and joining one -----------------------------------------------------------


@signed_in_page
def programme_create(request: HttpRequest) -> HttpResponse:
    if not can_create_programme(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Hub admins and staff start programmes.")
    hubs = (
        Hub.objects.all()
        if request.user.is_superuser
        else Hub.objects.filter(
            memberships__user_id=request.user.pk or 0, memberships__role__in=STAFF_ROLES
        ).distinct()
    )
    form = ProgrammeForm(request.POST or None, hubs=hubs.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(by=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, f"{programme.name} is ready. Now add its sites.")
            return redirect("programmes:dashboard", slug=programme.slug)
    return render(request, "programmes/programme_form.html", {"form": form})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@public_page
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's link: accept, with a new account or the one they are signed in to."""
    try:
        invite = services.invitation_for_token(token)
    except DomainError as problem:
        return render(
            request,
            "programmes/invitation_problem.html",
            {"message": problem.message},
            status=problem.status if problem.status != 409 else 410,
        )
    signed_in = request.user.is_authenticated
    form = (
        None
        if signed_in
        else AcceptForm(
            request.POST or None,
            initial={"first_name": invite.first_name, "last_name": invite.last_name},
        )
    )
    if request.method == "POST":
        try:
            if signed_in:
                user = services.invitation_accept(invitation=invite, user=request.user)  # type: ignore[arg-type]
            elif form is not None and form.is_valid():
                user = services.invitation_accept(
                    invitation=invite,
                    password=form.cleaned_data["password"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                user = None
        except (DomainError, ValidationError) as error:
            if form is None:
                return render(
                    request,
                    "programmes/invitation_problem.html",
                    {"message": _message(error)},
                    status=409,
                )
            form.add_error(
                "password" if isinstance(error, ValidationError) else None, _message(error)
            )
            user = None
        if user is not None:
            messages.success(request, f"Welcome to {invite.programme.name}.")
            if invite.site is not None:
                return redirect(
                    "programmes:site", slug=invite.programme.slug, site_id=invite.site.pk
                )
            return redirect("programmes:dashboard", slug=invite.programme.slug)
    return render(
        request,
        "programmes/invitation_accept.html",
        {"invitation": invite, "form": form, "signed_in": signed_in},
    )


# The leads' pages ------------------------------------------------------------------------------


@programme_page(Need.LEAD)
def dashboard(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    return render(
        request,
        "programmes/dashboard.html",
        _ctx(
            request,
            figures=selectors.programme_figures(programme=programme),
            rows=selectors.site_rows(programme=programme),
            leads=programme.leads.order_by("last_name", "first_name"),
            events=programme.events.order_by("pk"),
            suppressed_text=selectors.SUPPRESSED,
        ),
    )


@programme_page(Need.LEAD)
def programme_edit(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme = request.programme
    initial = {field: getattr(programme, field) for field in services.EDITABLE}
    form = ProgrammeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, by=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, "The programme's details are saved.")
            return redirect("programmes:dashboard", slug=slug)
    return render(request, "programmes/programme_edit.html", _ctx(request, form=form))


@programme_page(Need.LEAD)
def site_create(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(
                programme=programme,
                organisation=form.cleaned_data["organisation"],
                school=form.cleaned_data["school_urn"],
                senco_name=form.cleaned_data["senco_name"],
                senco_email=form.cleaned_data["senco_email"],
                by=request.user,
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, f"Added {site.school.name}. Now invite its tutor.")
            return redirect("programmes:site", slug=slug, site_id=site.pk)
    return render(request, "programmes/site_form.html", _ctx(request, form=form))


@programme_page(Need.LEAD)
def lead_invite(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    form = LeadInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                programme=programme, role="lead", by=request.user, **form.cleaned_data
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request, f"We have emailed an invitation to {form.cleaned_data['email']}."
            )
            return redirect("programmes:dashboard", slug=slug)
    return render(request, "programmes/lead_invite.html", _ctx(request, form=form))


@programme_page(Need.LEAD)
def publish(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    form = PublishForm(request.POST or None, initial={"narrative": programme.outcomes_narrative})
    figures = selectors.programme_figures(programme=programme)
    if request.method == "POST" and form.is_valid():
        services.outcomes_publish(
            programme=programme, narrative=form.cleaned_data["narrative"], by=request.user
        )
        messages.success(request, "The outcomes are published on the programme's public page.")
        return redirect("programmes:detail", slug=slug)
    return render(
        request,
        "programmes/publish.html",
        _ctx(request, form=form, figures=figures, suppressed_text=selectors.SUPPRESSED),
    )


@programme_page(Need.LEAD)
def measures(request: ProgrammeRequest, slug: str) -> HttpResponse:
    """The programme's outcome measures, and a form to add one."""
    programme = request.programme
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(programme=programme, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Added the measure {form.cleaned_data['name']}.")
            return redirect("programmes:measures", slug=slug)
    return render(
        request,
        "programmes/measures.html",
        _ctx(request, form=form, measures=list(programme.measures.all())),
    )


@programme_page(Need.LEAD)
def funder_report(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    data = exports.funder_report_xlsx(programme=programme)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-funder-report.xlsx"'
    return response


@programme_page(Need.LEAD)
def events_link(request: ProgrammeRequest, slug: str) -> HttpResponse:
    """Choose the lead hub's What's On events that are this programme's training days."""
    programme: Programme = request.programme
    events = (
        list(Event.objects.filter(hub=programme.lead_hub).order_by("-pk")[:200])
        if programme.lead_hub is not None
        else []
    )
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("events") if v.isdigit()}
        programme.events.set([e for e in events if e.pk in chosen])
        audit(
            "programmes.events.linked",
            hub=programme.lead_hub,
            actor=request.user,
            obj=programme,
            events=sorted(chosen),
        )
        messages.success(request, "The programme's events are saved.")
        return redirect("programmes:dashboard", slug=slug)
    linked = set(programme.events.values_list("pk", flat=True))
    return render(
        request, "programmes/events_link.html", _ctx(request, events=events, linked=linked)
    )


# The team's pages: resources and reflection ----------------------------------------------------


@programme_page(Need.TEAM)
def resources(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    items, seen_at = selectors.resources_with_news(programme=programme, user=request.user)
    new_ids = {r.pk for r in items if seen_at is None or r.created_at > seen_at}
    services.resources_seen(programme=programme, user=request.user, at=timezone.now())
    return render(
        request,
        "programmes/resources.html",
        _ctx(request, resources=items, new_ids=new_ids, seen_at=seen_at),
    )


@programme_page(Need.LEAD)
def resource_create(request: ProgrammeRequest, slug: str) -> HttpResponse:
    programme: Programme = request.programme
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(programme=programme, by=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, "The resource is shared with every site.")
            return redirect("programmes:resources", slug=slug)
    return render(request, "programmes/resource_form.html", _ctx(request, form=form))


@programme_page(Need.TEAM)
def reflection(request: ProgrammeRequest, slug: str) -> HttpResponse:
    """A tutor's own reflection log; the leads read everyone's."""
    programme: Programme = request.programme
    who = request.standing
    form = ReflectionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_add(
                programme=programme,
                author=request.user,
                day=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect("programmes:reflection", slug=slug)
    entries = programme.reflections.select_related("author")
    if not who.is_lead:
        entries = entries.filter(author_id=request.user.pk)
    return render(
        request, "programmes/reflection.html", _ctx(request, form=form, entries=list(entries))
    )


# A site's pages ----------------------------------------------------------------------------


@programme_page(Need.SITE)
def site_detail(request: ProgrammeRequest, slug: str, site_id: int) -> HttpResponse:
    """The site's summary: people, the SENCo and the weeks; no pupil's name."""
    site: Site = request.programme_site  # type: ignore[assignment]
    programme: Programme = request.programme
    return render(
        request,
        "programmes/site_detail.html",
        _ctx(
            request,
            people=site.people.select_related("user"),
            weeks=selectors.site_weeks(site=site, programme=programme),
            invitations=site.invitations.filter(
                accepted_at__isnull=True, expires_at__gt=timezone.now()
            ),
            sees_pupils=request.standing.sees_pupils(site),
        ),
    )


@programme_page(Need.LEAD)
def site_invite(request: ProgrammeRequest, slug: str, site_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                programme=request.programme,
                site=site,
                by=request.user,
                **form.cleaned_data,
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request, f"We have emailed an invitation to {form.cleaned_data['email']}."
            )
            return redirect("programmes:site", slug=slug, site_id=site.pk)
    return render(request, "programmes/site_invite.html", _ctx(request, form=form))


@programme_page(Need.LEAD)
def invitation_withdraw(
    request: ProgrammeRequest, slug: str, site_id: int, invitation_id: int
) -> HttpResponse:
    """Withdraw an invitation (POST); a GET goes back to the site's page."""
    site: Site = request.programme_site  # type: ignore[assignment]
    invitation = get_object_or_404(site.invitations.all(), pk=invitation_id)
    if request.method == "POST":
        try:
            services.invitation_withdraw(invitation=invitation, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("programmes:site", slug=slug, site_id=site.pk)


def senco_url(request: HttpRequest, site: Site) -> str:
    token = senco_token(site_id=site.pk, version=site.senco_link_version)
    path = reverse("programmes:senco", kwargs={"slug": site.programme.slug, "token": token})
    return absolute_url(path, request)


@programme_page(Need.PUPILS)
def senco_link(request: ProgrammeRequest, slug: str, site_id: int) -> HttpResponse:
    """The SENCo's link to copy, a new one, or stopping it."""
    site: Site = request.programme_site  # type: ignore[assignment]
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "email":
            try:
                services.senco_link_send(site=site, by=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"We have emailed the link to {site.senco_email}.")
        elif action == "stop":
            services.senco_link_stop(site=site, by=request.user)
            messages.success(request, "The SENCo's link has stopped working.")
        else:
            services.senco_link_renew(site=site, by=request.user)
            messages.success(request, "Here is a new link; the old one no longer works.")
        return redirect("programmes:senco-link", slug=slug, site_id=site.pk)
    return render(
        request,
        "programmes/senco_link.html",
        _ctx(request, url=senco_url(request, site) if site.senco_link_active else ""),
    )


@programme_page(Need.PUPILS)
def pupils(request: ProgrammeRequest, slug: str, site_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    programme: Programme = request.programme
    group = list(selectors.site_pupils(site=site).prefetch_related("scores", "attendance"))
    measures = list(programme.measures.all())
    audit_pupils_read(request, site, "pupils")
    return render(
        request,
        "programmes/pupils.html",
        _ctx(request, pupils=_pupil_rows(group, measures), measures=measures),
    )


def _pupil_rows(group: list[Pupil], measures: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for pupil in group:
        scores = {(s.measure_id, s.point): s.value for s in pupil.scores.all()}
        marks = list(pupil.attendance.all())
        rows.append(
            {
                "pupil": pupil,
                "present": sum(1 for m in marks if m.present),
                "marked": len(marks),
                "scores": [
                    (m, scores.get((m.pk, Point.START)), scores.get((m.pk, Point.END)))
                    for m in measures
                ],
            }
        )
    return rows


def _scores_page(
    request: HttpRequest, pupil: Pupil, *, by_senco: bool, done_url: str, template_ctx: dict
) -> HttpResponse:
    programme = pupil.site.programme
    measures = list(programme.measures.all())
    point = request.POST.get("point") or request.GET.get("point") or Point.START
    existing = selectors.pupil_scores(pupil=pupil)
    initial: dict[str, Any] = {"point": point}
    for m in measures:
        initial[f"measure_{m.pk}"] = existing.get((m.pk, point))
    form = ScoresForm(request.POST or None, measures=measures, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(
                pupil=pupil,
                point=form.cleaned_data["point"],
                values=form.values(),
                by=request.user,
                by_senco=by_senco,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{pupil.name}'s scores are saved.")
            return redirect(done_url)
    audit_pupils_read(request, pupil.site, "scores", senco=by_senco)
    return render(
        request,
        "programmes/scores.html",
        {**template_ctx, "form": form, "pupil": pupil, "existing": existing, "measures": measures},
    )


@programme_page(Need.PUPILS)
def scores(request: ProgrammeRequest, slug: str, site_id: int, pupil_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    pupil = get_object_or_404(
        Pupil.objects.select_related("site__programme"), pk=pupil_id, site=site
    )
    done = reverse("programmes:pupils", kwargs={"slug": slug, "site_id": site.pk})
    return _scores_page(request, pupil, by_senco=False, done_url=done, template_ctx=_ctx(request))


def remove_page(
    request: HttpRequest, pupil: Pupil, *, by_senco: bool, done_url: str, ctx: dict[str, Any]
) -> HttpResponse:
    """Ask, then remove a pupil from the group: a pupil added by mistake, or whose parent or
    carer withdrew consent. Their attendance and scores go with them."""
    if request.method == "POST":
        services.pupil_remove(pupil=pupil, by=request.user, by_senco=by_senco)
        messages.success(request, f"{pupil.name} has left the group; their records are erased.")
        return redirect(done_url)
    audit_pupils_read(request, pupil.site, "remove", senco=by_senco)
    return render(
        request, "programmes/pupil_remove.html", {**ctx, "pupil": pupil, "back": done_url}
    )


@programme_page(Need.PUPILS)
def pupil_remove(request: ProgrammeRequest, slug: str, site_id: int, pupil_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    pupil = get_object_or_404(
        Pupil.objects.select_related("site__programme"), pk=pupil_id, site=site
    )
    done = reverse("programmes:pupils", kwargs={"slug": slug, "site_id": site.pk})
    return remove_page(request, pupil, by_senco=False, done_url=done, ctx=_ctx(request))


@programme_page(Need.PUPILS)
def sessions_plan(request: ProgrammeRequest, slug: str, site_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            planned = services.sessions_plan(site=site, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Planned {len(planned)} sessions.")
            return redirect("programmes:site", slug=slug, site_id=site.pk)
    return render(request, "programmes/sessions_plan.html", _ctx(request, form=form))


@programme_page(Need.PUPILS)
def attendance(request: ProgrammeRequest, slug: str, site_id: int, session_id: int) -> HttpResponse:
    site: Site = request.programme_site  # type: ignore[assignment]
    session = get_object_or_404(Session, pk=session_id, site=site)
    group = list(selectors.site_pupils(site=site))
    form = AttendanceForm(
        request.POST or None,
        pupils=group,
        marks=selectors.session_marks(session=session),
        initial={"note": session.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                session=session,
                present=form.present(),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The register for {session.date:%-d %B} is saved.")
            return redirect("programmes:site", slug=slug, site_id=site.pk)
    audit_pupils_read(request, site, "attendance")
    return render(request, "programmes/attendance.html", _ctx(request, form=form, session=session))
