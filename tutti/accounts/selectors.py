"""Reads for accounts: a hub's team and its invitations. Always given the hub."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tutti.accounts.models import Invitation, InvitationStatus, Membership, Role
from tutti.directory.models import Hub


@dataclass(frozen=True)
class TeamMember:
    membership: Membership
    clusters: list[str]
    organisations: list[str]
    last_login: datetime | None
    two_factor: bool


def _two_factor_user_ids(user_ids: list[int]) -> set[int]:
    # Two-factor is allauth's (its Authenticator rows), once it is installed.
    if not apps.is_installed("allauth.mfa"):
        return set()
    from allauth.mfa.models import Authenticator

    return set(
        Authenticator.objects.filter(user_id__in=user_ids)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .values_list("user_id", flat=True)
    )


def team_members(*, hub: Hub) -> list[TeamMember]:
    """Everyone with a role in the hub, with what each role covers and how they sign in."""
    memberships = list(
        Membership.objects.filter(hub=hub)
        .select_related("user")
        .prefetch_related("organisations")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    # Hub admins first, then as the roles are listed.
    memberships.sort(key=lambda m: Role.values.index(m.role))
    user_ids = [m.user_id for m in memberships]
    clusters: dict[int, list[str]] = {}
    for coordinator_id, name in (
        # Through the hub's ``clusters`` relation: accounts does not import the clusters app.
        hub.clusters.filter(coordinator_id__in=user_ids)
        .order_by("name")
        .values_list("coordinator_id", "name")
    ):
        clusters.setdefault(coordinator_id, []).append(name)
    two_factor = _two_factor_user_ids(user_ids)
    return [
        TeamMember(
            membership=m,
            clusters=clusters.get(m.user_id, []),
            organisations=[o.name for o in m.organisations.all()],
            last_login=m.user.last_login,
            two_factor=m.user_id in two_factor,
        )
        for m in memberships
    ]


def pending_invitations(*, hub: Hub, cluster: Any = None) -> QuerySet[Invitation]:
    """Invitations not yet answered or withdrawn, expired ones included (they can be resent);
    with ``cluster``, only those to coordinate it."""
    invitations = Invitation.objects.filter(hub=hub, status=InvitationStatus.PENDING)
    if cluster is not None:
        invitations = invitations.filter(cluster=cluster)
    return (
        invitations.select_related("invited_by", "cluster")
        .prefetch_related(Prefetch("organisations"))
        .order_by("-sent_at")
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    from tutti.accounts.services import token_hash

    return (
        Invitation.objects.select_related("hub", "cluster")
        .filter(token_hash=token_hash(token))
        .first()
    )


def is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()
