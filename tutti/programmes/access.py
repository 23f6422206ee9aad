"""Who may see and do what in a programme, for the pages and the API alike.

- Anyone: the programme's public page and its published outcomes (aggregates only).
- The programme's leads: everything, including every site's pupils.
- A site's tutors: that site's pupils, sessions, attendance and scores; their own reflections.
- A site's inclusion manager, and admins and staff of the hub whose area holds a site's school:
  the site's summary (people, sessions), never a pupil.
- The school's SENCo: their own site's group, through a signed link (views_senco.py).
Someone with no part in a site gets 404 for it, as if it did not exist (a tutor of another site
too); someone in the programme whose part does not reach a page gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from tutti.accounts.models import Membership, Role
from tutti.core import page_cache
from tutti.programmes.models import Programme, Site, SitePerson, SiteRole

View = Callable[..., HttpResponse]
STAFF_ROLES = (Role.HUB_ADMIN, Role.HUB_STAFF)


class Need(StrEnum):
    PUBLIC = "public"
    LEAD = "programme_lead"
    TEAM = "programme_team"
    SITE = "programme_site"
    PUPILS = "programme_pupils"


@dataclass(frozen=True)
class Standing:
    """A person's part in one programme."""

    is_lead: bool
    tutor_sites: frozenset[int]
    manager_sites: frozenset[int]
    # Sites whose school lies in a hub where the person is hub admin or staff.
    hub_sites: frozenset[int]

    @property
    def in_programme(self) -> bool:
        return self.is_lead or bool(self.tutor_sites | self.manager_sites | self.hub_sites)

    @property
    def in_team(self) -> bool:
        """Leads, tutors and inclusion managers: resources and reflection."""
        return self.is_lead or bool(self.tutor_sites | self.manager_sites)

    def sees_pupils(self, site: Site) -> bool:
        return self.is_lead or site.pk in self.tutor_sites

    def sees_site(self, site: Site) -> bool:
        return self.sees_pupils(site) or site.pk in self.manager_sites | self.hub_sites


NOBODY = Standing(False, frozenset(), frozenset(), frozenset())


class ProgrammeRequest(HttpRequest):
    """A request to a programme's page, as ``programme_page`` leaves it."""

    programme: Programme
    standing: Standing
    # ``site`` is django.contrib.sites' name on a request, so the programme's is this.
    programme_site: Site | None


def standing(user: Any, programme: Programme) -> Standing:
    if user is None or not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        return Standing(True, frozenset(), frozenset(), frozenset())
    is_lead = programme.leads.filter(pk=user.pk).exists()
    tutor: set[int] = set()
    manager: set[int] = set()
    for site_id, role in SitePerson.objects.filter(
        site__programme=programme, user=user
    ).values_list("site_id", "role"):
        (tutor if role == SiteRole.TUTOR else manager).add(site_id)
    hub_ids = Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("hub_id")
    hub_sites = set(
        Site.objects.filter(programme=programme, hub_id__in=hub_ids).values_list("pk", flat=True)
    )
    return Standing(is_lead, frozenset(tutor), frozenset(manager), frozenset(hub_sites))


def can_create_programme(user: Any) -> bool:
    """Admins and staff of a hub start programmes, led from their hub."""
    if not user.is_authenticated:
        return False
    return (
        bool(user.is_superuser)
        or Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()
    )


def _refuse(who: Standing, message: str) -> None:
    if not who.in_programme:
        raise Http404("No such programme page.")
    raise PermissionDenied(message)


def check(need: Need, who: Standing, programme: Programme, site: Site | None) -> None:
    """Http404 or PermissionDenied unless ``who`` may use a page of this need."""
    if need is Need.LEAD and not who.is_lead:
        _refuse(who, "Only the programme's leads can do this.")
    if need is Need.TEAM and not who.in_team:
        _refuse(who, "Only the programme's team (leads, tutors, inclusion managers) see this.")
    if site is not None:
        if not who.sees_site(site):
            raise Http404("No such site.")
        if need is Need.PUPILS and not who.sees_pupils(site):
            raise PermissionDenied(
                "Only the site's tutors, its SENCo and the programme's leads see its pupils."
            )


def programme_page(need: Need) -> Callable[[View], View]:
    """Find the programme (and site) in the URL, set ``request.programme``,
    ``request.standing`` (and ``request.site``), and answer 302, 404 or 403 first."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if need is not Need.PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            programme = (
                Programme.objects.select_related("lead_hub", "lead_organisation")
                .filter(slug=slug)
                .first()
            )
            if programme is None:
                raise Http404("No such programme.")
            who = standing(request.user, programme)
            site = None
            if "site_id" in kwargs:
                site = (
                    Site.objects.select_related("school", "organisation", "hub")
                    .filter(programme=programme, pk=kwargs["site_id"])
                    .first()
                )
                if site is None:
                    raise Http404("No such site.")
            if need is not Need.PUBLIC:
                check(need, who, programme, site)
            request.programme = programme  # type: ignore[attr-defined]
            request.standing = who  # type: ignore[attr-defined]
            request.programme_site = site  # type: ignore[attr-defined]
            return view(request, slug, *args, **kwargs)

        if need is Need.PUBLIC:
            return _public(wrapper)
        wrapper.access = str(need)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _public(view: View) -> View:
    """Anyone's page: browsers may keep it (a signed link's page, with its token, they may
    not), but the shared page cache does not, as it is kept by hub and a programme has none."""
    view.access = "public"  # type: ignore[attr-defined]
    return page_cache.exempt(view)


def signed_in_page(view: View) -> View:
    """A page for anyone signed in; the view decides the rest (starting a programme)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = "signed_in"  # type: ignore[attr-defined]
    return wrapper


def public_page(view: View) -> View:
    """A page for anyone, outside any programme (the list, an invitation link)."""
    return _public(view)
