"""Two-factor sign-in with a real TOTP code, and hubs that require it of their staff."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tutti.accounts.tests.totp import totp_now
from tutti.accounts.two_factor import API_MESSAGE
from tutti.core.models import AuditLog

PASSWORD = "a-good-test-password"  # the factories' password


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def turn_on(client) -> str:
    """Turn on two-factor for the signed-in person as they would; returns the secret."""
    page = client.get("/accounts/2fa/totp/activate/")
    # Changing how one signs in asks for the password again first.
    assert page["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(page["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    return secret


def with_two_factor(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_turn_on_then_sign_in_takes_a_code(world):
    user = world.users["plain"]
    client = Client()
    assert sign_in(client, user).status_code == 302
    secret = turn_on(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert len(codes.context["unused_codes"]) == 10

    client.post("/accounts/logout/")
    response = sign_in(client, user)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # Not signed in yet: the staff pages still ask to sign in.
    assert client.get("/accounts/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_a_wrong_code_is_refused(world):
    user = world.users["plain"]
    secret = with_two_factor(user)
    client = Client()
    sign_in(client, user)
    wrong = str((int(totp_now(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right, or has been used already." in response.text
    assert 'class="error-summary"' in response.text
    assert client.get("/accounts/").status_code == 302


def test_a_code_cannot_be_used_twice(world):
    user = world.users["plain"]
    secret = with_two_factor(user)
    code = totp_now(secret)
    first = Client()
    sign_in(first, user)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second = Client()
    sign_in(second, user)
    response = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "has been used already" in response.text
    assert second.get("/accounts/").status_code == 302


def test_a_recovery_code_signs_in_once(world):
    user = world.users["plain"]
    client = Client()
    sign_in(client, user)
    turn_on(client)
    recovery = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"][0]
    client.post("/accounts/logout/")
    sign_in(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": recovery}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, user)
    assert client.post("/accounts/2fa/authenticate/", {"code": recovery}).status_code == 200


def test_a_wrong_code_when_turning_on_changes_nothing(world):
    user = world.users["plain"]
    client = Client()
    sign_in(client, user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    wrong = str((int(totp_now(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert not Authenticator.objects.filter(user=user).exists()


# A hub that requires two-factor of the people who see personal data.


@pytest.fixture
def strict_hub(world):
    world.hub.require_two_factor = True
    world.hub.save(update_fields=["require_two_factor"])
    return world


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_without_two_factor_are_sent_to_set_it_up(client_for, strict_hub, role):
    response = client_for(role).get("/wiltshire/manage/directory/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor-required/"
    page = client_for(role).get(response["Location"])
    assert "Wiltshire Music Connect asks everyone who can see personal data" in page.text
    assert 'href="/accounts/2fa/totp/activate/"' in page.text


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_with_two_factor_get_in(client_for, strict_hub, role):
    with_two_factor(strict_hub.users[role])
    assert client_for(role).get("/wiltshire/manage/directory/").status_code == 200


@pytest.mark.parametrize("role", ["partner", "coordinator"])
def test_partner_staff_and_coordinators_are_not_forced(client_for, strict_hub, role):
    assert client_for(role).get("/wiltshire/manage/").status_code == 200


def test_staff_of_a_hub_that_does_not_require_it_are_not_forced(client_for, world):
    assert client_for("staff").get("/wiltshire/manage/directory/").status_code == 200


def test_the_rule_is_the_hubs_own(client_for, strict_hub):
    """Cambridgeshire's staff are not affected by Wiltshire's setting, and still get 404 there."""
    assert client_for("outsider").get("/cambridgeshire/manage/").status_code == 200
    assert client_for("outsider").get("/wiltshire/manage/").status_code == 404


def test_other_roles_are_still_refused_before_being_asked_for_two_factor(client_for, strict_hub):
    assert client_for("partner").get("/wiltshire/manage/directory/").status_code == 403


def test_the_api_answers_403_with_a_message(client_for, strict_hub):
    body = json.dumps({"name": "Marlborough"})
    client = client_for("staff")
    response = client.post("/api/hubs/wiltshire/clusters", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == API_MESSAGE
    assert not strict_hub.hub.clusters.filter(name="Marlborough").exists()

    with_two_factor(strict_hub.users["staff"])
    response = client.post("/api/hubs/wiltshire/clusters", body, content_type="application/json")
    assert response.status_code == 201


def test_the_account_page_says_which_hub_asks_for_it(client_for, strict_hub):
    text = client_for("staff").get("/accounts/").text
    assert "Wiltshire Music Connect asks its staff to use it" in text


def test_turning_two_factor_on_is_audited_without_the_secret(
    world, django_capture_on_commit_callbacks
):
    user = world.users["plain"]
    client = Client()
    sign_in(client, user)
    # allauth tells of it once its transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        secret = turn_on(client)
    entry = AuditLog.objects.get(action="accounts.two_factor.turned_on")
    assert entry.actor == user
    assert secret not in str(entry.data)
