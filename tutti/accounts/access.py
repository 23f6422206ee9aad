"""Who may change a hub's team: shared by the team pages and the API.

Both declare the capability ``can_manage_members`` (hub admins only); these look objects up
within the request's hub, so another hub's members and invitations are 404.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tutti.accounts.models import Invitation, InvitationStatus, Membership


def team_membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "hub"),
        hub=request.hub,  # type: ignore[attr-defined]
        pk=pk,
    )


def team_invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("hub"),
        hub=request.hub,  # type: ignore[attr-defined]
        status=InvitationStatus.PENDING,
        pk=pk,
    )


def can_grant_roles(request: HttpRequest) -> bool:
    """Only hub admins give people roles, wherever that happens (team, cluster pages, API)."""
    membership = getattr(request, "membership", None)
    return membership is not None and membership.has_capability("can_manage_members")
