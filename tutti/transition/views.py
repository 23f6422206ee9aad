from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from tutti.core.audit import ReadAction, audit_read
from tutti.core.errors import DomainError
from tutti.core.links import LinkProblem
from tutti.core.years import current_academic_year, year_label
from tutti.directory.models import Organisation
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest
from tutti.transition import access, selectors, services
from tutti.transition.chart import bar_chart
from tutti.transition.forms import (
    ContactForm,
    FeederAddForm,
    FeederDecisionForm,
    MusicLeadForm,
    PassportForm,
    PassportStartForm,
)
from tutti.transition.models import (
    PRIMARY_PHASES,
    RECEIVING_PHASES,
    Passport,
    PassportStatus,
)
from tutti.transition.tokens import passport_link_check, passport_link_read


def _link_problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "core/link_problem.html", {"message": message}, status=status)


def _passport_from_link(request: HubRequest, token: str) -> Passport:
    """The passport a family's link is for; LinkProblem when the link cannot be used."""
    link = passport_link_read(token)
    passport = None
    if link.hub_id == request.hub.pk:
        passport = selectors.passport_get(hub=request.hub, pk=link.passport_id)
    if passport is None or passport.status == PassportStatus.DELETED:
        raise LinkProblem(
            "This passport has been deleted: passports are kept until the end of the autumn "
            "term of Year 7. You can start a new one from the hub's website.",
            410,
        )
    passport_link_check(link, current_version=passport.link_version)
    return passport


# The family's pages, by signed link ----------------------------------------------------------
# Public (the link stands in for an account) but about a child: never kept by a browser or proxy.


@public_hub_view
def passport_start(request: HubRequest, hub_slug: str) -> HttpResponse:
    """Where a family starts a passport: they give an email address and get their link."""
    form = PassportStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.passport_start(hub=request.hub, email=form.cleaned_data["email"])
        # The same answer whether or not a link went, so the page tells nobody who asked.
        return render(
            request,
            "transition/passport_check_email.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(
        request,
        "transition/passport_start.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@public_hub_view
@never_cache
def passport(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """The family's passport: the form while it is not sent, then where it has got to."""
    try:
        found = _passport_from_link(request, token)
    except LinkProblem as problem:
        return _link_problem(request, problem.message, problem.status)
    if not found.is_draft:
        return render(
            request, "transition/passport_status.html", {"passport": found, "token": token}
        )
    form = PassportForm(request.POST or None, instance=found, hub=request.hub)
    if request.method == "POST" and form.is_valid():
        try:
            services.passport_save(passport=found, data=form.cleaned_data)
        except services.TransitionError as error:
            form.add_error(None, error.message)
        else:
            if "send" in request.POST:
                return redirect(request.path + "send/")
            messages.success(request, "Your passport is saved. Nothing has been sent yet.")
            return redirect(request.path)
    return render(
        request,
        "transition/passport_form.html",
        {
            "form": form,
            "passport": found,
            "token": token,
            "missing": services.missing_to_send(found),
        },
        status=400 if form.errors else 200,
    )


@public_hub_view
@never_cache
def passport_send(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """Check and send: a GET shows what the school will get; sending takes a POST."""
    try:
        found = _passport_from_link(request, token)
    except LinkProblem as problem:
        return _link_problem(request, problem.message, problem.status)
    back = request.path.removesuffix("send/")
    if not found.is_draft:
        return redirect(back)
    error = ""
    if request.method == "POST":
        try:
            services.passport_send(passport=found)
        except services.TransitionError as problem:
            error = problem.message
        else:
            school = found.secondary.name if found.secondary else "the school"
            messages.success(request, f"Sent to {school}. Its music lead will be in touch.")
            return redirect(back)
    missing = services.missing_to_send(found)
    return render(
        request,
        "transition/passport_send.html",
        {"passport": found, "missing": missing, "error": error, "back": back},
        status=400 if error else 200,
    )


@public_hub_view
@never_cache
def passport_withdraw(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """Withdraw: a GET asks to confirm; withdrawing takes a POST and deletes what it said."""
    try:
        found = _passport_from_link(request, token)
    except LinkProblem as problem:
        return _link_problem(request, problem.message, problem.status)
    back = request.path.removesuffix("withdraw/")
    if found.status == PassportStatus.WITHDRAWN:
        return redirect(back)
    if request.method == "POST":
        services.passport_withdraw(passport=found)
        messages.success(request, "Your passport is withdrawn and what it said is deleted.")
        return redirect(back)
    return render(request, "transition/passport_withdraw.html", {"passport": found, "back": back})


# The staff pages -----------------------------------------------------------------------------


@hub_permission_required("can_view_transition")
def home(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The secondary schools this person may open, with the hub's continuation figure."""
    schools = access.visible_schools(request)
    receiving = schools.filter(is_open=True, phase__in=RECEIVING_PHASES)
    if not access.sees_every_school(request):
        own = list(schools.order_by("name")[:2])
        if len(own) == 1:
            return redirect("transition-manage:school", hub_slug=hub_slug, urn=own[0].urn)
    return render(
        request,
        "transition/manage_home.html",
        {
            "rows": selectors.secondary_rows(hub=request.hub, schools=receiving),
            "primaries": schools.filter(phase__in=PRIMARY_PHASES).order_by("name")
            if not access.sees_every_school(request)
            else [],
            "continuation": selectors.continuation(hub=request.hub)
            if access.sees_every_school(request)
            else [],
            "definition": selectors.CONTINUATION_DEFINITION,
            "smallest": selectors.SMALLEST_SHOWN,
            "passport_start": reverse("transition:passport-start", args=[hub_slug]),
        },
    )


@hub_permission_required("can_view_transition")
def school(request: MemberRequest, hub_slug: str, urn: int) -> HttpResponse:
    """A secondary school's transition picture; for a primary, what it has sent on."""
    found = access.school_for(request, urn)
    if not selectors.is_receiving(found):
        return _primary_page(request, found)
    year = current_academic_year()
    shown = selectors.picture(hub=request.hub, secondary=found, year=year)
    audit_read(request, ReadAction.TRANSITION_PICTURE, obj=found, year=year)
    chart = bar_chart(
        shown.chart,
        title=f"What your Year 7s of September {shown.intake_year} will have played",
        description="Pupils now in Year 6 at the feeder primary schools, by the instrument "
        "they learned in whole-class ensemble teaching.",
    )
    return render(
        request,
        "transition/picture.html",
        {
            "school": found,
            "picture": shown,
            "chart": chart,
            "year_label": year_label(year),
            "year_labels": [y.label for y in shown.years],
            "smallest": selectors.SMALLEST_SHOWN,
            "continuation": selectors.continuation(hub=request.hub, secondary=found),
            "definition": selectors.CONTINUATION_DEFINITION,
            "may_open_passports": access.may_open_passports(request, found),
            "may_invite": access.may_invite_music_lead(request),
        },
    )


def _primary_page(request: MemberRequest, found: Organisation) -> HttpResponse:
    sent: list[Passport] = []
    if access.may_open_passports(request, found):
        sent = list(selectors.passports_from(hub=request.hub, school=found))
        audit_read(request, ReadAction.TRANSITION_PASSPORTS, obj=found, direction="from")
    return render(
        request,
        "transition/primary.html",
        {
            "school": found,
            "secondaries": selectors.secondaries_fed_by(hub=request.hub, primary=found),
            "sent": sent,
            "may_open_passports": access.may_open_passports(request, found),
            "may_invite": access.may_invite_music_lead(request),
            "passport_start": reverse("transition:passport-start", args=[request.hub.slug]),
        },
    )


@hub_permission_required("can_view_transition")
def feeders(request: MemberRequest, hub_slug: str, urn: int) -> HttpResponse:
    """The secondary's feeder primaries: the suggestion, with its rule, to confirm or change.
    Hub staff, the coordinator of its cluster and its own music lead may change them."""
    secondary = access.secondary_for(request, urn)
    add_form = FeederAddForm(
        request.POST if "add" in request.POST else None, hub=request.hub, secondary=secondary
    )
    status, error = 200, ""
    if request.method == "POST":
        try:
            message = _feeder_change(request, secondary, add_form)
        except services.TransitionError as problem:
            if add_form.is_bound:
                add_form.add_error(None, problem.message)
            else:
                error = problem.message
            status = 400
        else:
            if message:
                messages.success(request, message)
                return redirect(request.path)
            status = 400
    rows = selectors.feeder_rows(hub=request.hub, secondary=secondary)
    return render(
        request,
        "transition/feeders.html",
        {
            "school": secondary,
            "rows": [r for r in rows if r.is_feeder],
            "removed": [r for r in rows if not r.is_feeder],
            "rule": selectors.suggestion_rule(hub=request.hub),
            "add_form": add_form,
            "no_position": secondary.latitude is None,
            "error": error,
        },
        status=status,
    )


def _feeder_change(request: MemberRequest, secondary: Organisation, add_form: FeederAddForm) -> str:
    """Carry out the feeder change the form asks for; its message, or "" when the form is
    not valid (its errors say why)."""
    if "add" in request.POST:
        if not add_form.is_valid():
            return ""
        primary = add_form.cleaned_data["primary"]
        services.feeder_set(
            hub=request.hub,
            secondary=secondary,
            primary=primary,
            state="confirmed",
            by=request.user,
        )
        return f"{primary.name} is now a feeder school of {secondary.name}."
    form = FeederDecisionForm(request.POST)
    if not form.is_valid():
        raise services.TransitionError("Choose a feeder school on the list to change.")
    primary = selectors.hub_schools(hub=request.hub).filter(pk=form.cleaned_data["primary"]).first()
    if primary is None:
        raise services.TransitionError("That school is not in this hub's area.")
    state = form.cleaned_data["state"]
    services.feeder_set(
        hub=request.hub, secondary=secondary, primary=primary, state=state, by=request.user
    )
    done = "confirmed as a feeder school" if state == "confirmed" else "removed from the feeders"
    return f"{primary.name} {done}."


@hub_permission_required("can_view_transition")
def passports(request: MemberRequest, hub_slug: str, urn: int) -> HttpResponse:
    """The passports families have sent to this secondary school."""
    secondary = access.secondary_for(request, urn)
    access.check_passports(request, secondary)
    listed = list(selectors.passports_to(hub=request.hub, school=secondary))
    audit_read(request, ReadAction.TRANSITION_PASSPORTS, obj=secondary, direction="to")
    return render(request, "transition/passports.html", {"school": secondary, "passports": listed})


@hub_permission_required("can_view_transition")
def passport_detail(request: MemberRequest, hub_slug: str, urn: int, pk: int) -> HttpResponse:
    """One passport: acknowledge it, then record the first contact in Year 7."""
    secondary = access.secondary_for(request, urn)
    access.check_passports(request, secondary)
    found = selectors.passport_at_school(hub=request.hub, school=secondary, pk=pk)
    if found is None:
        raise Http404("No such passport for this school.")
    form = ContactForm(request.POST if "contact" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "acknowledge" in request.POST:
                services.passport_acknowledge(passport=found, by=request.user)
                messages.success(request, "Acknowledged: the family can see you have it.")
                return redirect(request.path)
            if "contact" in request.POST and form.is_valid():
                services.passport_record_contact(
                    passport=found,
                    outcome=form.cleaned_data["first_contact"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, "First contact recorded.")
                return redirect(request.path)
        except services.TransitionError as error:
            form.add_error(None, error.message)
        status = 400
    audit_read(request, ReadAction.TRANSITION_PASSPORT, obj=found)
    return render(
        request,
        "transition/passport_detail.html",
        {"school": secondary, "passport": found, "form": form},
        status=status,
    )


@hub_permission_required("can_manage_transition")
def music_lead(request: MemberRequest, hub_slug: str, urn: int) -> HttpResponse:
    """Invite a teacher to be a school's music lead: emailed like any invitation to the team."""
    found = access.school_for(request, urn)
    if not access.may_invite_music_lead(request):
        raise PermissionDenied("Only hub staff invite school music leads.")
    form = MusicLeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.music_lead_invite(
                hub=request.hub, school=found, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"We have emailed an invitation to {form.cleaned_data['email']} to be the "
                f"music lead of {found.name}.",
            )
            return redirect("transition-manage:school", hub_slug=hub_slug, urn=urn)
    return render(
        request,
        "transition/music_lead.html",
        {"school": found, "form": form},
        status=400 if form.errors else 200,
    )
