"""The team's JSON API: who has a role in a hub, invitations, changing and removing roles.

Hub admins only, as on the team pages (the same capability and the same lookups in
``tutti.accounts.access``).
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Router, Schema, Status

from tutti.accounts import selectors, services
from tutti.accounts.access import team_invitation, team_membership
from tutti.accounts.models import Invitation, Role
from tutti.core.api import STAFF_READ_ERRORS, WRITE_ERRORS, BodyIn, invalid
from tutti.directory.models import Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import MemberRequest

router = Router(tags=["team"])


class MemberOut(Schema):
    id: int
    name: str
    email: str
    role: Role
    role_display: str
    organisations: list[str]
    clusters: list[str]
    last_login: datetime | None
    two_factor: bool


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    role_display: str
    organisations: list[str]
    cluster: str | None
    sent_at: datetime
    expires_at: datetime
    expired: bool

    @staticmethod
    def resolve_role_display(obj: Invitation) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_organisations(obj: Invitation) -> list[str]:
        return [o.name for o in obj.organisations.all()]

    @staticmethod
    def resolve_cluster(obj: Invitation) -> str | None:
        return obj.cluster.name if obj.cluster is not None else None

    @staticmethod
    def resolve_expired(obj: Invitation) -> bool:
        return selectors.is_expired(obj)


class TeamOut(Schema):
    members: list[MemberOut]
    invitations: list[InvitationOut]


class InvitationIn(BodyIn):
    email: str = Field(max_length=254)
    role: Role
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    organisation_ids: list[int] = Field(
        [], description="For partner staff: the organisations (in the hub's directory)."
    )


class RoleIn(BodyIn):
    role: Role
    organisation_ids: list[int] | None = Field(
        None, description="For partner staff; left out, their organisations stay as they are."
    )


def _member_out(member: selectors.TeamMember) -> MemberOut:
    m = member.membership
    return MemberOut(
        id=m.pk,
        name=str(m.user),
        email=m.user.email,
        role=Role(m.role),
        role_display=m.get_role_display(),
        organisations=member.organisations,
        clusters=member.clusters,
        last_login=member.last_login,
        two_factor=member.two_factor,
    )


def _organisations(request: MemberRequest, ids: list[int]) -> list[Organisation]:
    found = list(
        hub_organisations(hub=request.hub).exclude(kind=OrganisationKind.SCHOOL).filter(pk__in=ids)
    )
    missing = set(ids) - {o.pk for o in found}
    if missing:
        raise invalid(
            "organisation_ids",
            f"No partner organisation {sorted(missing)[0]} in this hub's directory.",
        )
    return found


@router.get("/{hub_slug}/team", response={200: TeamOut, **STAFF_READ_ERRORS})
@hub_operation("can_manage_members")
def team_list(request: MemberRequest, hub_slug: str) -> Any:
    """Everyone with a role in the hub, and the invitations waiting for an answer."""
    hub = request.hub
    return {
        "members": [_member_out(m) for m in selectors.team_members(hub=hub)],
        "invitations": list(selectors.pending_invitations(hub=hub)),
    }


@router.post("/{hub_slug}/team/invitations", response={201: InvitationOut, **WRITE_ERRORS})
@hub_operation("can_manage_members")
def invitation_create(request: MemberRequest, hub_slug: str, payload: InvitationIn) -> Any:
    """Invite someone to a role: they are emailed a link, valid for 14 days, to accept."""
    email = payload.email.strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise invalid("email", "Enter a valid email address.") from None
    if payload.role == Role.PARTNER_STAFF and not payload.organisation_ids:
        raise invalid("organisation_ids", "Give at least one organisation for partner staff.")
    invitation = services.invitation_create(
        hub=request.hub,
        email=email,
        role=payload.role,
        first_name=payload.first_name,
        last_name=payload.last_name,
        organisations=_organisations(request, payload.organisation_ids),
        by=request.user,
    )
    return Status(201, invitation)


@router.post(
    "/{hub_slug}/team/invitations/{id}/resend", response={200: InvitationOut, **WRITE_ERRORS}
)
@hub_operation("can_manage_members")
def invitation_resend(request: MemberRequest, hub_slug: str, id: int) -> Any:
    """Email the invitation again with a new link, valid for 14 days; the old link stops
    working."""
    return services.invitation_resend(invitation=team_invitation(request, id), by=request.user)


@router.delete("/{hub_slug}/team/invitations/{id}", response={204: None, **WRITE_ERRORS})
@hub_operation("can_manage_members")
def invitation_withdraw(request: MemberRequest, hub_slug: str, id: int) -> Any:
    """Withdraw an invitation; its link stops working."""
    services.invitation_withdraw(invitation=team_invitation(request, id), by=request.user)
    return Status(204, None)


@router.patch("/{hub_slug}/team/members/{id}", response={200: MemberOut, **WRITE_ERRORS})
@hub_operation("can_manage_members")
def member_change_role(request: MemberRequest, hub_slug: str, id: int, payload: RoleIn) -> Any:
    """Change someone's role (and, for partner staff, their organisations). The hub's last hub
    admin cannot be given another role (409)."""
    membership = team_membership(request, id)
    organisations = None
    if payload.organisation_ids is not None:
        organisations = _organisations(request, payload.organisation_ids)
    services.membership_change_role(
        membership=membership, role=payload.role, organisations=organisations, by=request.user
    )
    hub = request.hub
    member = next(m for m in selectors.team_members(hub=hub) if m.membership.pk == id)
    return _member_out(member)


@router.delete("/{hub_slug}/team/members/{id}", response={204: None, **WRITE_ERRORS})
@hub_operation("can_manage_members")
def member_remove(request: MemberRequest, hub_slug: str, id: int) -> Any:
    """Take away someone's role in the hub; clusters they coordinate become vacant. The hub's
    last hub admin cannot be removed (409)."""
    services.membership_remove(membership=team_membership(request, id), by=request.user)
    return Status(204, None)
