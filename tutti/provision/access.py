"""Who may see what of the needs analysis, for the pages and the API alike.

The public gap map and summary are open to all (counts, no people); the schools' audits and
their links are for hub staff with ``can_manage_provision``; a school's own audit is reached
through its signed link, no account needed; a network's pages are for the hub admins and staff
of its member hubs (``selectors.network_get_for_user``).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tutti.core.links import LinkProblem
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.provision import selectors
from tutti.provision.tokens import AuditLink, audit_link_check, audit_link_read
from tutti.tenancy.request import HubRequest

View = Callable[..., HttpResponse]


def link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    return render(
        request, "core/link_problem.html", {"message": problem.message}, status=problem.status
    )


def area_school(*, hub: Hub, school_id: int) -> Organisation | None:
    """A school in the hub's area, or None."""
    return hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL, pk=school_id).first()


def audit_link_school(request: HubRequest, school_id: int, token: str) -> tuple[Organisation, int]:
    """The school an audit link is for and the year it asks about; LinkProblem, with the words
    for the school, when the link cannot be used here."""
    link: AuditLink = audit_link_read(token)
    if link.hub_id != request.hub.pk or link.school_id != school_id:
        raise LinkProblem(
            "This link is for another school. Use the link your music hub sent to your school, "
            "or ask the hub for a new one.",
            403,
        )
    versions = selectors.audit_link_versions(hub=request.hub, school_ids=[school_id])
    audit_link_check(link, current_version=versions.get(school_id, 0))
    school = area_school(hub=request.hub, school_id=school_id)
    if school is None:
        raise LinkProblem("This school is no longer in the music hub's area. Ask the hub.", 404)
    return school, link.year


def network_member_view(view: View) -> View:
    """The network's pages: hub admins and staff of a member hub (see network_get_for_user)."""

    @wraps(view)
    def wrapper(request: HttpRequest, network_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        network, allowed = selectors.network_get_for_user(slug=network_slug, user=request.user)
        if network is None:
            raise Http404("No such network.")
        if not allowed:
            raise PermissionDenied("Only the member hubs' admins and staff see the network.")
        request.network = network  # type: ignore[attr-defined]
        return view(request, network_slug, *args, **kwargs)

    wrapper.access = "network_member"  # type: ignore[attr-defined]
    return wrapper
