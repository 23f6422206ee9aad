"""Who may see and change which school's transition pages: shared by the pages and the API.

Hub admins and staff see every school of the hub's area. A cluster coordinator sees the schools
of the clusters they coordinate, and a school music lead only their own school: any other school
does not exist for them (404), as another hub's pages do not. Passports name children, so only
the receiving school's music lead and hub staff open them (coordinators get 403); a primary's
music lead sees what was sent from their school.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tutti.accounts.models import Role
from tutti.directory.models import Organisation
from tutti.tenancy.request import MemberRequest
from tutti.transition import selectors

NOT_YOUR_SCHOOL = "No such school among yours."


def sees_every_school(request: MemberRequest) -> bool:
    return request.membership.has_capability("can_manage_transition")


def visible_schools(request: MemberRequest) -> QuerySet[Organisation]:
    """The schools whose transition pages this person may open."""
    schools = selectors.hub_schools(hub=request.hub)
    if sees_every_school(request):
        return schools
    if request.membership.role == Role.COORDINATOR:
        return schools.filter(
            cluster_memberships__cluster__hub=request.hub,
            cluster_memberships__cluster__coordinator=request.user,
        ).distinct()
    if request.membership.role == Role.SCHOOL_MUSIC_LEAD:
        return schools.filter(pk__in=request.membership.own_organisations().values("pk"))
    return schools.none()


def school_for(request: MemberRequest, urn: int) -> Organisation:
    """The school with this URN if this person may open its pages; 404 otherwise."""
    school = visible_schools(request).select_related("local_authority").filter(urn=urn).first()
    if school is None:
        raise Http404(NOT_YOUR_SCHOOL)
    return school


def secondary_for(request: MemberRequest, urn: int) -> Organisation:
    """A secondary school this person may open; 404 for any other school."""
    school = school_for(request, urn)
    if not selectors.is_receiving(school):
        raise Http404("That school does not take pupils into Year 7.")
    return school


def is_music_lead_of(request: MemberRequest, school: Organisation) -> bool:
    return request.membership.role == Role.SCHOOL_MUSIC_LEAD and request.membership.acts_for(
        school.pk
    )


def may_open_passports(request: MemberRequest, school: Organisation) -> bool:
    return sees_every_school(request) or is_music_lead_of(request, school)


def check_passports(request: MemberRequest, school: Organisation) -> None:
    """403 unless this person may read the passports sent to or from ``school``."""
    if not may_open_passports(request, school):
        raise PermissionDenied("Only the school's music lead and hub staff open passports.")


def may_invite_music_lead(request: MemberRequest) -> bool:
    return sees_every_school(request)
