"""The SENCo's pages, through the signed link of their site: no account needed.

The link names the site; a link that was stopped or replaced answers 410, one for another
programme 404, and a pupil of another site is not found.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tutti.core.errors import DomainError
from tutti.core.links import LinkProblem
from tutti.programmes import selectors, services
from tutti.programmes.access import Need, ProgrammeRequest, programme_page
from tutti.programmes.forms import PupilForm
from tutti.programmes.models import Programme, Pupil, Site
from tutti.programmes.tokens import senco_link_check, senco_link_read
from tutti.programmes.views import _scores_page, audit_pupils_read, remove_page


def _link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request, "core/link_problem.html", {"message": problem.message}, status=problem.status
    )


def _site_for_link(programme: Programme, token: str) -> Site:
    site_id, version = senco_link_read(token)
    site = Site.objects.select_related("school", "programme").filter(pk=site_id).first()
    if site is None or site.programme_id != programme.pk:
        raise LinkProblem(
            "This link is for another programme's site. Use the link the tutor sent you.", 404
        )
    senco_link_check(version, current=site.senco_link_version, active=site.senco_link_active)
    if not services.senco_link_in_time(programme, timezone.localdate()):
        raise LinkProblem("The programme has ended, so this link no longer works.", 410)
    return site


def _senco_ctx(programme: Programme, site: Site, token: str, **extra: Any) -> dict[str, Any]:
    return {"programme": programme, "site": site, "token": token, **extra}


@programme_page(Need.PUBLIC)
def senco_home(request: ProgrammeRequest, slug: str, token: str) -> HttpResponse:
    """The group: add pupils (with consent), see them and record their scores."""
    programme: Programme = request.programme
    try:
        site = _site_for_link(programme, token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_add(
                site=site, by=request.user, by_senco=True, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{pupil.name} has joined the group.")
            return redirect("programmes:senco", slug=slug, token=token)
    group = list(selectors.site_pupils(site=site))
    audit_pupils_read(request, site, "pupils", senco=True)
    return render(
        request,
        "programmes/senco_home.html",
        _senco_ctx(
            programme,
            site,
            token,
            form=form,
            pupils=group,
            full=len(group) >= programme.max_group,
        ),
    )


@programme_page(Need.PUBLIC)
def senco_scores(request: ProgrammeRequest, slug: str, token: str, pupil_id: int) -> HttpResponse:
    programme: Programme = request.programme
    try:
        site = _site_for_link(programme, token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    pupil = Pupil.objects.select_related("site__programme").filter(pk=pupil_id, site=site).first()
    if pupil is None:
        raise Http404("No such pupil in this group.")
    done = reverse("programmes:senco", kwargs={"slug": slug, "token": token})
    return _scores_page(
        request,
        pupil,
        by_senco=True,
        done_url=done,
        template_ctx=_senco_ctx(programme, site, token, senco=True),
    )


@programme_page(Need.PUBLIC)
def senco_remove(request: ProgrammeRequest, slug: str, token: str, pupil_id: int) -> HttpResponse:
    programme = request.programme
    try:
        site = _site_for_link(programme, token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    pupil = Pupil.objects.select_related("site__programme").filter(pk=pupil_id, site=site).first()
    if pupil is None:
        raise Http404("No such pupil in this group.")
    done = reverse("programmes:senco", kwargs={"slug": slug, "token": token})
    return remove_page(
        request, pupil, by_senco=True, done_url=done, ctx=_senco_ctx(programme, site, token)
    )
