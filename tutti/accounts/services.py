"""Writes to accounts: invitations and roles in a hub. Each is atomic and audited."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from tutti.accounts.models import (
    INVITATION_DAYS,
    ROLES_WITH_ORGANISATIONS,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
    User,
)
from tutti.core.audit import audit
from tutti.core.errors import ConflictError
from tutti.core.models import model_update
from tutti.directory.models import Hub, Organisation


class TeamError(ConflictError):
    """A change to a hub's team that the rules do not allow; the message is for the user.

    Each is a clash with what is there (409): the last hub admin, someone already invited or
    in the team, an invitation already answered."""


class InvitationError(TeamError):
    """An invitation link that cannot be used: unknown, expired, withdrawn or used."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise TeamError(f"There is no role called “{role}”.")


def _check_organisations(hub: Hub, role: str, organisations: list[Organisation]) -> None:
    from tutti.directory.selectors import hub_organisations

    if role == Role.SCHOOL_MUSIC_LEAD:
        _check_one_school(hub, organisations)
        return
    if role != Role.PARTNER_STAFF:
        return
    if not organisations:
        raise TeamError("Choose the organisation(s) that partner staff act for.")
    ids = {o.pk for o in organisations}
    found = set(hub_organisations(hub=hub).filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise TeamError("Those organisations are not all in this hub's directory.")


def _check_one_school(hub: Hub, organisations: list[Organisation]) -> None:
    from tutti.directory.models import OrganisationKind
    from tutti.directory.selectors import hub_organisations

    if len(organisations) != 1:
        raise TeamError("Choose the one school that the school music lead leads music at.")
    school = organisations[0]
    if not (hub_organisations(hub=hub).filter(pk=school.pk, kind=OrganisationKind.SCHOOL).exists()):
        raise TeamError("That school is not in this hub's area.")


def _send(invitation: Invitation, token: str) -> None:
    from tutti.accounts.tasks import send_invitation_email

    invitation_id = invitation.pk
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=invitation_id, token=token)
    )


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    return token


@transaction.atomic
def invitation_create(
    *,
    hub: Hub,
    email: str,
    role: str,
    by: Any,
    organisations: Iterable[Organisation] = (),
    cluster: Any = None,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite someone to a role in the hub; they get an email with a link valid for 14 days."""
    email = email.strip().lower()
    _check_role(role)
    organisations = list(organisations)
    _check_organisations(hub, role, organisations)
    if Membership.objects.filter(hub=hub, user__email__iexact=email).exists():
        raise TeamError(
            f"{email} already has a role in this hub. Change their role on the team page."
        )
    if Invitation.objects.filter(
        hub=hub, email__iexact=email, status=InvitationStatus.PENDING
    ).exists():
        raise TeamError(
            f"{email} has already been invited. Resend or withdraw that invitation first."
        )
    invitation = Invitation(
        hub=hub,
        email=email,
        role=role,
        cluster=cluster,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        invited_by=by if by is not None and by.is_authenticated else None,
    )
    token = _new_token(invitation)
    invitation.full_clean(exclude=["organisations"])
    invitation.save()
    invitation.organisations.set(organisations if role in ROLES_WITH_ORGANISATIONS else [])
    audit(
        "accounts.invitation.created",
        hub=hub,
        actor=by,
        obj=invitation,
        email=email,
        role=role,
        organisations=[o.pk for o in organisations],
        cluster=cluster.pk if cluster is not None else None,
    )
    _send(invitation, token)
    return invitation


def _locked_pending(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise TeamError(f"The invitation to {locked.email} is {locked.get_status_display()}.")
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Any) -> Invitation:
    """Send the invitation again with a new link, valid for 14 days; the old link stops working."""
    invitation = _locked_pending(invitation)
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit("accounts.invitation.resent", hub=invitation.hub, actor=by, obj=invitation)
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: Any) -> Invitation:
    """Withdraw a pending invitation; its link stops working."""
    invitation = _locked_pending(invitation)
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["status", "withdrawn_at"])
    audit("accounts.invitation.withdrawn", hub=invitation.hub, actor=by, obj=invitation)
    return invitation


def invitation_check(invitation: Invitation | None) -> Invitation:
    """The invitation if its link can be used now, else an InvitationError saying why."""
    if invitation is None:
        raise InvitationError(
            "This invitation link is not right. Check that you copied the whole link."
        )
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationError("This invitation has already been accepted. Sign in instead.")
    if invitation.status == InvitationStatus.WITHDRAWN:
        raise InvitationError("This invitation has been withdrawn.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            "This invitation has expired. Ask the person who invited you to send it again."
        )
    return invitation


def _mark_email_verified(user: User) -> None:
    # The link reached the address, which proves it. Only when allauth is installed.
    if not apps.is_installed("allauth.account"):
        return
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Accept an invitation: as ``user`` (signed in, with the invited address), or as a new
    account with ``password``. The person gets the role, and the cluster if there is one."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    invitation = invitation_check(locked)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        if existing is not None:
            raise InvitationError(
                "There is already an account with this email address. Sign in to accept."
            )
        user = User(
            email=invitation.email,
            # Django admin's username holds 150 characters; an email address may be longer.
            username=invitation.email[:150],
            first_name=(first_name or invitation.first_name).strip(),
            last_name=(last_name or invitation.last_name).strip(),
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        audit("accounts.user.created", hub=invitation.hub, actor=user, obj=user)
    elif user.email.lower() != invitation.email.lower():
        raise InvitationError(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    _mark_email_verified(user)

    membership = Membership.objects.filter(hub=invitation.hub, user=user).first()
    if membership is None:
        membership = Membership.objects.create(hub=invitation.hub, user=user, role=invitation.role)
        audit(
            "accounts.membership.granted",
            hub=invitation.hub,
            actor=user,
            obj=membership,
            role=invitation.role,
            invitation=invitation.pk,
        )
    if membership.role in ROLES_WITH_ORGANISATIONS:
        membership.organisations.add(*invitation.organisations.all())

    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit("accounts.invitation.accepted", hub=invitation.hub, actor=user, obj=invitation)

    cluster = invitation.cluster
    if cluster is not None and cluster.hub_id == invitation.hub_id:
        from tutti.clusters.services import cluster_set_coordinator

        cluster_set_coordinator(cluster=cluster, coordinator=user, by=user)
    return membership


def _check_not_last_admin(membership: Membership) -> None:
    if membership.role != Role.HUB_ADMIN:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(hub=membership.hub, role=Role.HUB_ADMIN)
        .exclude(pk=membership.pk)
    )
    if not list(others):
        raise TeamError(
            f"{membership.user} is the hub's only hub admin. Make someone else a hub admin first."
        )


@transaction.atomic
def membership_change_role(
    *,
    membership: Membership,
    role: str,
    by: Any,
    organisations: Iterable[Organisation] | None = None,
) -> Membership:
    """Change someone's role in the hub (and, for partner staff, their organisations)."""
    _check_role(role)
    membership = (
        Membership.objects.select_for_update().select_related("hub", "user").get(pk=membership.pk)
    )
    previous = membership.role
    current_orgs = list(membership.organisations.all())
    organisations = current_orgs if organisations is None else list(organisations)
    _check_organisations(membership.hub, role, organisations)
    if role != previous:
        _check_not_last_admin(membership)
        model_update(membership, {"role": role}, validate=True)
    wanted = organisations if role in ROLES_WITH_ORGANISATIONS else []
    if {o.pk for o in wanted} != {o.pk for o in current_orgs}:
        membership.organisations.set(wanted)
    audit(
        "accounts.membership.changed",
        hub=membership.hub,
        actor=by,
        obj=membership,
        user=membership.user.email,
        previous=previous,
        role=role,
        organisations=[o.pk for o in wanted],
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: Any) -> None:
    """Take away someone's role in the hub; clusters they coordinate there become vacant."""
    from tutti.clusters.services import cluster_set_coordinator

    membership = (
        Membership.objects.select_for_update().select_related("hub", "user").get(pk=membership.pk)
    )
    _check_not_last_admin(membership)
    for cluster in membership.hub.clusters.filter(coordinator=membership.user):
        cluster_set_coordinator(cluster=cluster, coordinator=None, by=by)
    audit(
        "accounts.membership.removed",
        hub=membership.hub,
        actor=by,
        obj=membership,
        user=membership.user.email,
        role=membership.role,
    )
    membership.delete()
