"""Who may change a hub's team: shared by the team pages and the API.

Both declare the capability ``can_manage_members`` (hub admins only); these look objects up
within the request's hub, so another hub's members and invitations are 404.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tutti.accounts.models import Invitation, InvitationStatus, Membership
from tutti.tenancy.request import MemberRequest


def team_membership(request: MemberRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "hub"), hub=request.hub, pk=pk
    )


def team_invitation(request: MemberRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("hub"),
        hub=request.hub,
        status=InvitationStatus.PENDING,
        pk=pk,
    )


def can_grant_roles(request: HttpRequest) -> bool:
    """Only hub admins give people roles, wherever that happens (team, cluster pages, API)."""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_capability("can_manage_members")
