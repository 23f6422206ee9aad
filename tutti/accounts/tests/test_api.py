import pytest
from django.core import mail

from tutti.accounts.models import Invitation, InvitationStatus, Membership, Role, User
from tutti.core.models import AuditLog
from tutti.core.tests.helpers import send

HUB = "/api/hubs/wiltshire"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_admin_lists_the_team_and_pending_invitations(client_for, world):
    client = client_for("admin")
    send(client, "POST", f"{HUB}/team/invitations", {"email": "n@example.org", "role": "hub_staff"})
    body = client.get(f"{HUB}/team").json()
    by_email = {m["email"]: m for m in body["members"]}
    assert by_email[world.users["coordinator"].email]["clusters"] == ["Devizes area"]
    assert by_email[world.users["partner"].email]["organisations"] == ["Wiltshire Music Centre"]
    assert by_email[world.users["admin"].email]["two_factor"] is False
    assert [i["email"] for i in body["invitations"]] == ["n@example.org"]
    assert body["invitations"][0]["expired"] is False


@pytest.mark.parametrize("who", ["staff", "coordinator", "partner"])
def test_only_hub_admins_use_the_team_api(client_for, world, who):
    client = client_for(who)
    assert client.get(f"{HUB}/team").status_code == 403
    response = send(
        client, "POST", f"{HUB}/team/invitations", {"email": "n@example.org", "role": "hub_admin"}
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    assert send(client, "DELETE", f"{HUB}/team/members/{admin.pk}").status_code == 403
    assert not Invitation.objects.exists()


def test_hub_staff_get_403_creating_a_membership_through_the_coordinator_endpoint(
    client_for, world
):
    url = f"{HUB}/clusters/{world.other_cluster.pk}/coordinator"
    body = {"email": "alex@example.org", "first_name": "Alex", "last_name": "Player"}
    response = send(client_for("staff"), "PUT", url, body)
    assert response.status_code == 403
    assert "only a hub admin" in response.json()["detail"]
    assert not User.objects.filter(email="alex@example.org").exists()
    assert not Invitation.objects.exists()
    # Someone already in the team they may appoint.
    body = {"email": world.users["partner"].email}
    response = send(client_for("staff"), "PUT", url, body)
    assert response.status_code == 200
    assert response.json()["coordinator"] == str(world.users["partner"])
    assert response.json()["invited"] is None


def test_admin_appointing_a_new_coordinator_invites_them(
    client_for, world, django_capture_on_commit_callbacks
):
    url = f"{HUB}/clusters/{world.other_cluster.pk}/coordinator"
    body = {"email": "Alex@Example.org", "first_name": "Alex", "last_name": "Player"}
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client_for("admin"), "PUT", url, body)
    assert response.status_code == 200, response.content
    assert response.json()["invited"] == "alex@example.org"
    assert response.json()["coordinator"] is None
    assert mail.outbox[0].to == ["alex@example.org"]
    assert not User.objects.filter(email="alex@example.org").exists()


def test_invite_resend_withdraw(client_for, world, django_capture_on_commit_callbacks):
    client = client_for("admin")
    body = {
        "email": "p@example.org",
        "role": "partner_staff",
        "organisation_ids": [world.partner.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "POST", f"{HUB}/team/invitations", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["organisations"] == ["Wiltshire Music Centre"]
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "POST", f"{HUB}/team/invitations/{created['id']}/resend")
    assert response.status_code == 200
    assert len(mail.outbox) == 2
    assert send(client, "DELETE", f"{HUB}/team/invitations/{created['id']}").status_code == 204
    assert Invitation.objects.get().status == InvitationStatus.WITHDRAWN
    # Gone from the pending list: resending or withdrawing again is 404.
    assert send(client, "POST", f"{HUB}/team/invitations/{created['id']}/resend").status_code == 404
    assert send(client, "DELETE", f"{HUB}/team/invitations/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "x@example.org", "role": "conductor"}, 422, "role"),
        ({"email": "not-an-email", "role": "hub_staff"}, 400, "email"),
        ({"email": "x@example.org", "role": "partner_staff"}, 400, "organisation_ids"),
        (
            {"email": "x@example.org", "role": "partner_staff", "organisation_ids": [0]},
            400,
            "organisation_ids",
        ),
    ],
)
def test_bad_invitations_are_refused_with_the_field(client_for, world, body, status, field):
    response = send(client_for("admin"), "POST", f"{HUB}/team/invitations", body)
    assert response.status_code == status, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_a_conflict(client_for, world):
    body = {"email": world.users["staff"].email, "role": "hub_admin"}
    response = send(client_for("admin"), "POST", f"{HUB}/team/invitations", body)
    assert response.status_code == 409
    assert "already has a role" in response.json()["detail"]


def test_change_role_and_remove(client_for, world):
    client = client_for("admin")
    staff = Membership.objects.get(hub=world.hub, user=world.users["staff"])
    response = send(
        client,
        "PATCH",
        f"{HUB}/team/members/{staff.pk}",
        {"role": "partner_staff", "organisation_ids": [world.partner.pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "partner_staff"
    assert response.json()["organisations"] == ["Wiltshire Music Centre"]
    assert send(client, "DELETE", f"{HUB}/team/members/{staff.pk}").status_code == 204
    assert not Membership.objects.filter(pk=staff.pk).exists()
    assert AuditLog.objects.filter(action="accounts.membership.removed").exists()


def test_the_last_admin_is_a_conflict(client_for, world):
    client = client_for("admin")
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    response = send(client, "PATCH", f"{HUB}/team/members/{admin.pk}", {"role": "hub_staff"})
    assert response.status_code == 409
    assert "only hub admin" in response.json()["detail"]
    assert send(client, "DELETE", f"{HUB}/team/members/{admin.pk}").status_code == 409
    admin.refresh_from_db()
    assert admin.role == Role.HUB_ADMIN


def test_another_hubs_member_is_404(client_for, world):
    outsider = Membership.objects.get(user=world.users["outsider"])
    response = send(client_for("admin"), "DELETE", f"{HUB}/team/members/{outsider.pk}")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=outsider.pk).exists()
