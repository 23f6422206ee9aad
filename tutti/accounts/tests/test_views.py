import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tutti.accounts import services
from tutti.accounts.models import Invitation, InvitationStatus, Membership, Role, User
from tutti.core.models import AuditLog

TEAM = "/wiltshire/manage/team/"
LINK = re.compile(r"http://testserver(/accounts/invitations/[\w-]+/)")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def _invite_by_page(client, django_capture_on_commit_callbacks, **fields):
    data = {"email": "nia@example.org", "first_name": "Nia", "last_name": "Jones"}
    data |= {"role": "partner_staff"} | fields
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{TEAM}invite/", data)
    return response


def test_admin_sees_the_team_with_roles_clusters_and_organisations(client_for, world):
    response = client_for("admin").get(TEAM)
    html = response.content.decode()
    assert response.status_code == 200
    for who in ("admin", "staff", "coordinator", "partner"):
        assert world.users[who].email in html
    assert "Devizes area" in html
    assert "Wiltshire Music Centre" in html
    assert "Never" in html  # nobody in the fixture has signed in
    assert world.users["outsider"].email not in html


@pytest.mark.parametrize("who", ["staff", "coordinator", "partner"])
def test_other_roles_may_not_see_or_change_the_team(client_for, world, who):
    client = client_for(who)
    assert client.get(TEAM).status_code == 403
    assert (
        client.post(f"{TEAM}invite/", {"email": "x@example.org", "role": "hub_admin"}).status_code
        == 403
    )
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    assert client.post(f"{TEAM}{admin.pk}/", {"role": "hub_staff"}).status_code == 403
    assert client.post(f"{TEAM}{admin.pk}/remove/").status_code == 403
    assert not Invitation.objects.exists()
    assert Membership.objects.get(pk=admin.pk).role == Role.HUB_ADMIN


def test_another_hubs_members_are_not_found(client_for, world):
    outsider = Membership.objects.get(user=world.users["outsider"])
    client = client_for("admin")
    assert client.get(f"{TEAM}{outsider.pk}/").status_code == 404
    assert client.post(f"{TEAM}{outsider.pk}/remove/").status_code == 404
    assert client_for("outsider").get(TEAM).status_code == 404


def test_admin_invites_partner_staff_and_the_link_makes_a_working_account(
    client, client_for, world, django_capture_on_commit_callbacks
):
    admin = client_for("admin")
    response = _invite_by_page(
        admin, django_capture_on_commit_callbacks, organisations=[world.partner.pk]
    )
    assert response.status_code == 302
    team = admin.get(TEAM).content.decode()
    assert "nia@example.org" in team
    assert "Invitations waiting for an answer" in team

    path = LINK.search(mail.outbox[0].body)[1]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Join Wiltshire Music Connect" in page.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Nia",
            "last_name": "Jones",
            "password1": "violas-and-cellos-42",
            "password2": "violas-and-cellos-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/wiltshire/manage/"
    # Signed in now, as the new account.
    assert client.get("/wiltshire/manage/").status_code == 200
    nia = User.objects.get(email="nia@example.org")
    assert client.session["_auth_user_id"] == str(nia.pk)
    client.logout()
    assert client.login(username="NIA@example.org", password="violas-and-cellos-42")
    # The link works once.
    again = client.get(path)
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()


def test_mismatched_passwords_re_show_the_form(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            hub=world.hub, by=None, email="nia@example.org", role="hub_staff"
        )
    path = LINK.search(mail.outbox[0].body)[1]
    response = client.post(
        path,
        {
            "first_name": "Nia",
            "last_name": "J",
            "password1": "violas-and-cellos-42",
            "password2": "x",
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="nia@example.org").exists()


@pytest.mark.parametrize(
    "path", ["/accounts/invitations/not-a-token/", "/accounts/invitations/%00/"]
)
def test_a_wrong_link_gets_a_plain_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_an_expired_link_gets_a_plain_page(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            hub=world.hub, by=None, email="nia@example.org", role="hub_staff"
        )
    path = LINK.search(mail.outbox[0].body)[1]
    later = timezone.now() + timedelta(days=15)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(
        path, {"password1": "violas-and-cellos-42", "password2": "violas-and-cellos-42"}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="nia@example.org").exists()


def test_someone_with_an_account_signs_in_to_accept(
    client, world, django_capture_on_commit_callbacks
):
    outsider = world.users["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(hub=world.hub, by=None, email=outsider.email, role="hub_staff")
    path = LINK.search(mail.outbox[0].body)[1]
    page = client.get(path)
    assert "Sign in to join" in page.content.decode()
    assert client.post(path, {"password1": "x", "password2": "x"}).status_code == 200
    assert not Membership.objects.filter(hub=world.hub, user=outsider).exists()
    client.force_login(outsider)
    assert client.post(path).status_code == 302
    assert Membership.objects.get(hub=world.hub, user=outsider).role == Role.HUB_STAFF


def test_inviting_someone_already_in_the_team_says_so(
    client_for, world, django_capture_on_commit_callbacks
):
    response = _invite_by_page(
        client_for("admin"),
        django_capture_on_commit_callbacks,
        email=world.users["staff"].email,
        role="hub_staff",
    )
    assert response.status_code == 400
    assert "already has a role" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"role": "conductor"}, "Select a valid choice"),
        ({"role": "partner_staff"}, "Choose at least one organisation"),
        ({"email": "not-an-email", "role": "hub_staff"}, "Enter a valid email address"),
    ],
)
def test_bad_invitation_input_re_shows_the_form(
    client_for, world, django_capture_on_commit_callbacks, fields, error
):
    response = _invite_by_page(client_for("admin"), django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Invitation.objects.exists()


def test_resend_and_withdraw_from_the_team_page(
    client_for, world, django_capture_on_commit_callbacks
):
    admin = client_for("admin")
    _invite_by_page(admin, django_capture_on_commit_callbacks, role="hub_staff")
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"{TEAM}invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert LINK.search(mail.outbox[0].body)[1] != LINK.search(mail.outbox[1].body)[1]
    old_path = LINK.search(mail.outbox[0].body)[1]
    assert admin.get(old_path).status_code == 404

    # Other roles cannot withdraw it.
    assert (
        client_for("staff").post(f"{TEAM}invitations/{invitation.pk}/withdraw/").status_code == 403
    )
    admin = client_for("admin")
    assert admin.post(f"{TEAM}invitations/{invitation.pk}/withdraw/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.WITHDRAWN
    assert admin.get(LINK.search(mail.outbox[1].body)[1]).status_code == 410
    # Withdrawing again finds nothing to withdraw.
    assert admin.post(f"{TEAM}invitations/{invitation.pk}/withdraw/").status_code == 404


def test_removing_the_last_admin_is_refused_with_a_message(client_for, world):
    admin = Membership.objects.get(hub=world.hub, user=world.users["admin"])
    response = client_for("admin").post(f"{TEAM}{admin.pk}/remove/")
    assert response.status_code == 400
    assert "only hub admin" in response.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()
    response = client_for("admin").post(f"{TEAM}{admin.pk}/", {"role": "hub_staff"})
    assert response.status_code == 400
    assert "only hub admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.HUB_ADMIN


def test_admin_changes_a_role_and_removes_someone(client_for, world):
    staff = Membership.objects.get(hub=world.hub, user=world.users["staff"])
    client = client_for("admin")
    response = client.post(f"{TEAM}{staff.pk}/", {"role": "hub_admin"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == Role.HUB_ADMIN
    assert client.post(f"{TEAM}{staff.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=staff.pk).exists()
    actions = list(AuditLog.objects.values_list("action", flat=True))
    assert "accounts.membership.changed" in actions
    assert "accounts.membership.removed" in actions


# Coordinators appointed on the cluster page


def test_staff_cannot_give_a_new_person_a_role_through_the_cluster_page(client_for, world):
    url = f"/wiltshire/manage/clusters/{world.other_cluster.pk}/coordinator/"
    response = client_for("staff").post(
        url, {"email": "new@example.org", "first_name": "New", "last_name": "Person"}
    )
    assert response.status_code == 403
    assert "only a hub admin can give someone a role" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not User.objects.filter(email="new@example.org").exists()


def test_admin_appointing_a_new_coordinator_sends_an_invitation(
    client_for, world, django_capture_on_commit_callbacks
):
    url = f"/wiltshire/manage/clusters/{world.other_cluster.pk}/coordinator/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            url, {"email": "new@example.org", "first_name": "New", "last_name": "Person"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new@example.org"]
    assert not User.objects.filter(email="new@example.org").exists()
    page = client_for("admin").get(url).content.decode()
    assert "Invited: <strong>new@example.org</strong>" in page


# Hub settings

SETTINGS = "/wiltshire/manage/settings/"


def _png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, "PNG")
    return buffer.getvalue()


def _settings_form(world, **fields):
    return {
        "name": "Wiltshire Music Connect",
        "description": "",
        "website": "",
        "contact_email": "",
        "privacy_notice": "",
        "retention_booking_months": 24,
        "retention_audit_months": 72,
        "retention_invitation_days": 90,
    } | fields


@pytest.mark.parametrize("who", ["staff", "coordinator", "partner"])
def test_only_admins_change_hub_settings(client_for, world, who):
    response = client_for(who).post(SETTINGS, _settings_form(world, name="Taken over"))
    assert response.status_code == 403
    world.hub.refresh_from_db()
    assert world.hub.name == "Wiltshire Music Connect"


def test_admin_changes_settings_and_uploads_a_logo(client_for, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("admin")
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client.post(
        SETTINGS,
        _settings_form(
            world,
            name="Wiltshire Music",
            require_two_factor="on",
            logo=logo,
            retention_invitation_days=30,
        ),
    )
    assert response.status_code == 302
    world.hub.refresh_from_db()
    assert world.hub.name == "Wiltshire Music"
    assert world.hub.require_two_factor
    assert world.hub.retention_invitation_days == 30
    assert world.hub.logo.name.startswith("hub-logos/")
    served = client.get(f"{SETTINGS}logo/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == _png()
    log = AuditLog.objects.get(action="directory.hub.settings_changed")
    assert set(log.data["fields"]) == {
        "name",
        "require_two_factor",
        "logo",
        "retention_invitation_days",
    }


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", "image/png"),
            "Upload a valid image",
        ),
        (SimpleUploadedFile("logo.html", _png(), "text/html"), "File extension"),
        (SimpleUploadedFile("logo.png", _png() + b"\0" * (1024 * 1024), "image/png"), "at most 1"),
    ],
    ids=["not-an-image", "wrong-extension", "too-big"],
)
def test_a_bad_logo_is_refused(client_for, world, settings, tmp_path, upload, error):
    settings.MEDIA_ROOT = tmp_path
    response = client_for("admin").post(
        SETTINGS, _settings_form(world, name="Changed", logo=upload)
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    world.hub.refresh_from_db()
    assert world.hub.name == "Wiltshire Music Connect"
    assert not world.hub.logo


def test_a_retention_period_out_of_range_is_refused(client_for, world):
    response = client_for("admin").post(SETTINGS, _settings_form(world, retention_audit_months=1))
    assert response.status_code == 400
    world.hub.refresh_from_db()
    assert world.hub.retention_audit_months == 72


def test_the_site_administrator_lands_on_every_hubs_team_and_settings(
    client, world, django_user_model
):
    root = django_user_model.objects.create_superuser(
        username="root", email="root@example.org", password="a-good-test-password"
    )
    client.force_login(root)
    html = client.get("/accounts/me/").content.decode()
    for slug in ("wiltshire", "cambridgeshire"):
        assert f"/{slug}/manage/team/" in html
        assert f"/{slug}/manage/settings/" in html
    assert "/admin/" in html
    assert client.get("/cambridgeshire/manage/team/").status_code == 200


def test_the_organisation_page_leads_admins_to_invite_its_staff(client_for, world):
    edit = f"/wiltshire/manage/directory/{world.partner.pk}/edit/"
    invite = f"/wiltshire/manage/team/invite/?organisation={world.partner.pk}"
    assert invite in client_for("admin").get(edit).content.decode()
    assert invite not in client_for("staff").get(edit).content.decode()
    form = client_for("admin").get(invite).content.decode()
    assert re.search(r'<option value="partner_staff" selected>', form)
    assert re.search(rf'value="{world.partner.pk}"[^>]*checked', form)
