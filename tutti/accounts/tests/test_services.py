import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tutti.accounts import selectors, services
from tutti.accounts.models import Invitation, InvitationStatus, Membership, Role, User
from tutti.accounts.tests.factories import MembershipFactory
from tutti.core.models import AuditLog

LINK = re.compile(r"http://testserver/accounts/invitations/([\w-]+)/")


def _token(message) -> str:
    return LINK.search(message.body)[1]


def _invite(world, django_capture_on_commit_callbacks, **kwargs):
    fields = {"email": "New.Person@Example.org", "role": Role.HUB_STAFF} | kwargs
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(hub=world.hub, by=world.users["admin"], **fields)
    return invitation, _token(mail.outbox[-1])


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_an_invitation_emails_a_link_and_keeps_only_its_hash(
    world, django_capture_on_commit_callbacks
):
    invitation, token = _invite(world, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Wiltshire Music Connect" in message.subject
    assert "hub staff" in message.body
    assert token not in invitation.token_hash
    assert invitation.token_hash == services.token_hash(token)
    assert selectors.invitation_by_token(token=token) == invitation
    assert invitation.expires_at - invitation.sent_at == timedelta(days=14)
    # Nobody gets an account before accepting.
    assert not User.objects.filter(email__iexact="new.person@example.org").exists()
    assert AuditLog.objects.filter(action="accounts.invitation.created").count() == 1


def test_the_email_goes_only_after_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(
            hub=world.hub, by=None, email="later@example.org", role=Role.HUB_STAFF
        )
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_accepting_creates_an_account_that_can_sign_in(world, django_capture_on_commit_callbacks):
    invitation, token = _invite(
        world,
        django_capture_on_commit_callbacks,
        role=Role.PARTNER_STAFF,
        organisations=[world.partner],
    )
    membership = services.invitation_accept(
        invitation=selectors.invitation_by_token(token=token),
        password="violas-and-cellos-42",
        first_name="Nia",
        last_name="Person",
    )
    user = membership.user
    assert user.email == "new.person@example.org"
    assert user.check_password("violas-and-cellos-42")
    assert membership.role == Role.PARTNER_STAFF
    assert list(membership.organisations.all()) == [world.partner]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_at is not None
    assert invitation.accepted_by == user
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"accounts.invitation.accepted", "accounts.membership.granted"} <= actions


def test_a_used_link_does_not_work_again(world, django_capture_on_commit_callbacks):
    invitation, _ = _invite(world, django_capture_on_commit_callbacks)
    services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")
    with pytest.raises(services.InvitationError, match="already been accepted"):
        services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")
    assert Membership.objects.filter(user__email="new.person@example.org").count() == 1


def test_a_weak_password_changes_nothing(world, django_capture_on_commit_callbacks):
    invitation, _ = _invite(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, password="password")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_an_existing_account_gets_the_role_with_its_own_password(
    world, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]
    invitation, _ = _invite(world, django_capture_on_commit_callbacks, email=outsider.email)
    # Without signing in, the link cannot take over the account.
    with pytest.raises(services.InvitationError, match="Sign in to accept"):
        services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")
    with pytest.raises(services.InvitationError, match="signed in as"):
        services.invitation_accept(invitation=invitation, user=world.users["plain"])
    membership = services.invitation_accept(invitation=invitation, user=outsider)
    assert membership.hub == world.hub
    assert membership.role == Role.HUB_STAFF
    outsider.refresh_from_db()
    assert outsider.check_password("a-good-test-password")
    assert outsider.memberships.count() == 2


def test_an_invitation_expires_after_14_days(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    _invitation, token = _invite(world, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=14, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    found = selectors.invitation_by_token(token=token)
    with pytest.raises(services.InvitationError, match="expired"):
        services.invitation_check(found)
    with pytest.raises(services.InvitationError, match="expired"):
        services.invitation_accept(invitation=found, password="violas-and-cellos-42")
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_resending_gives_a_new_link_and_a_new_14_days(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    invitation, old_token = _invite(world, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=20)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, by=world.users["admin"])
    new_token = _token(mail.outbox[-1])
    assert len(mail.outbox) == 2
    assert new_token != old_token
    assert selectors.invitation_by_token(token=old_token) is None
    found = selectors.invitation_by_token(token=new_token)
    assert services.invitation_check(found) == invitation
    assert found.expires_at == later + timedelta(days=14)
    assert AuditLog.objects.filter(action="accounts.invitation.resent").count() == 1


def test_a_withdrawn_invitation_cannot_be_accepted_or_resent(
    world, django_capture_on_commit_callbacks
):
    invitation, _token = _invite(world, django_capture_on_commit_callbacks)
    services.invitation_withdraw(invitation=invitation, by=world.users["admin"])
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert invitation.withdrawn_at is not None
    with pytest.raises(services.InvitationError, match="withdrawn"):
        services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")
    with pytest.raises(services.TeamError):
        services.invitation_resend(invitation=invitation, by=world.users["admin"])
    # A new invitation to the same address is allowed once the old one is withdrawn.
    services.invitation_create(
        hub=world.hub, by=None, email="new.person@example.org", role="hub_staff"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "conductor"}, "no role called"),
        ({"role": Role.PARTNER_STAFF}, "Choose the organisation"),
        ({"email": "STAFF"}, "already has a role"),
    ],
)
def test_bad_invitations_change_nothing(world, fields, message):
    if fields.get("email") == "STAFF":
        fields["email"] = world.users["staff"].email.upper()
    fields = {"email": "x@example.org", "role": Role.HUB_STAFF} | fields
    with pytest.raises(services.TeamError, match=message):
        services.invitation_create(hub=world.hub, by=world.users["admin"], **fields)
    assert not Invitation.objects.exists()
    assert not AuditLog.objects.exists()


def test_one_pending_invitation_per_address(world):
    services.invitation_create(hub=world.hub, by=None, email="x@example.org", role="hub_staff")
    with pytest.raises(services.TeamError, match="already been invited"):
        services.invitation_create(hub=world.hub, by=None, email="X@example.org", role="hub_staff")
    # Another hub may invite the same person.
    services.invitation_create(
        hub=world.other_hub, by=None, email="x@example.org", role="hub_staff"
    )


def test_partner_organisations_must_be_in_the_hub(world):
    from tutti.directory.tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Ely Music", hub=world.other_hub)
    with pytest.raises(services.TeamError, match="not all in this hub"):
        services.invitation_create(
            hub=world.hub,
            by=None,
            email="x@example.org",
            role=Role.PARTNER_STAFF,
            organisations=[elsewhere],
        )


def test_the_last_hub_admin_cannot_be_demoted_or_removed(world):
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    with pytest.raises(services.TeamError, match="only hub admin"):
        services.membership_change_role(membership=admin, role=Role.HUB_STAFF, by=admin.user)
    with pytest.raises(services.TeamError, match="only hub admin"):
        services.membership_remove(membership=admin, by=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.HUB_ADMIN
    # With a second admin, either may go.
    MembershipFactory(hub=world.hub, role=Role.HUB_ADMIN)
    services.membership_change_role(membership=admin, role=Role.HUB_STAFF, by=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.HUB_STAFF


def test_the_other_hubs_admin_does_not_count(world):
    MembershipFactory(hub=world.other_hub, role=Role.HUB_ADMIN)
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    with pytest.raises(services.TeamError):
        services.membership_remove(membership=admin, by=None)


def test_changing_a_role_to_partner_staff_needs_organisations(world):
    staff = Membership.objects.get(hub=world.hub, user=world.users["staff"])
    with pytest.raises(services.TeamError, match="Choose the organisation"):
        services.membership_change_role(membership=staff, role=Role.PARTNER_STAFF, by=None)
    services.membership_change_role(
        membership=staff, role=Role.PARTNER_STAFF, organisations=[world.partner], by=None
    )
    assert list(staff.organisations.all()) == [world.partner]
    services.membership_change_role(membership=staff, role=Role.HUB_STAFF, by=None)
    assert not staff.organisations.exists()
    log = AuditLog.objects.filter(action="accounts.membership.changed").first()
    assert log.data["previous"] == Role.PARTNER_STAFF
    assert log.data["role"] == Role.HUB_STAFF


def test_removing_a_coordinator_vacates_their_clusters(world):
    coordinator = Membership.objects.get(hub=world.hub, user=world.users["coordinator"])
    services.membership_remove(membership=coordinator, by=world.users["admin"])
    world.cluster.refresh_from_db()
    assert world.cluster.is_vacant
    assert not Membership.objects.filter(pk=coordinator.pk).exists()
    assert User.objects.filter(pk=coordinator.user_id).exists()
    assert AuditLog.objects.filter(action="accounts.membership.removed").count() == 1


def test_team_members_show_roles_clusters_organisations_and_two_factor(world):
    members = {m.membership.user.email: m for m in selectors.team_members(hub=world.hub)}
    assert set(members) == {
        world.users[who].email for who in ("admin", "staff", "coordinator", "partner")
    }
    assert members[world.users["coordinator"].email].clusters == ["Devizes area"]
    assert members[world.users["partner"].email].organisations == ["Wiltshire Music Centre"]
    assert not any(m.two_factor for m in members.values())


def test_a_coordinator_invited_for_a_cluster_takes_it_on_accepting(
    world, django_capture_on_commit_callbacks
):
    from tutti.clusters.services import coordinator_appoint

    with django_capture_on_commit_callbacks(execute=True):
        invitation = coordinator_appoint(
            cluster=world.other_cluster,
            email="Max@Example.org",
            first_name="Max",
            last_name="Moore",
            by=world.users["admin"],
        )
    assert invitation.role == Role.COORDINATOR
    assert "coordinator of Chippenham" in mail.outbox[0].body
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.is_vacant
    services.invitation_accept(invitation=invitation, password="violas-and-cellos-42")
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.coordinator_display == "Max Moore"
    assert world.other_cluster.coordinator.memberships.get(hub=world.hub).role == "coordinator"


def test_appointing_again_replaces_the_invitation_waiting_for_the_cluster(world):
    from tutti.clusters.services import coordinator_appoint

    first = coordinator_appoint(cluster=world.other_cluster, email="max@example.org", by=None)
    coordinator_appoint(cluster=world.other_cluster, email=world.users["partner"].email, by=None)
    first.refresh_from_db()
    assert first.status == InvitationStatus.WITHDRAWN
    with pytest.raises(services.InvitationError, match="withdrawn"):
        services.invitation_accept(invitation=first, password="violas-and-cellos-42")
    world.other_cluster.refresh_from_db()
    assert world.other_cluster.coordinator == world.users["partner"]
