"""The account page, email changes with verification, password changes and sessions."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from tutti.accounts.tests.factories import UserFactory
from tutti.core.models import AuditLog

PASSWORD = "a-good-test-password"  # the factories' password


def signed_in(user) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_account_page_shows_name_email_and_the_ways_to_change_them(client_for, world):
    user = world.users["staff"]
    response = client_for("staff").get("/accounts/")
    assert response.status_code == 200
    text = response.text
    assert user.get_full_name() in text
    assert user.email in text
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/sessions/"):
        assert f'href="{url}"' in text
    assert "Off." in text and 'href="/accounts/2fa/totp/activate/"' in text


def test_header_links_to_the_account_page(client_for, world):
    assert 'href="/accounts/"' in client_for("plain").get("/").text


def test_email_change_waits_for_the_link_then_changes(client_for, world):
    user = world.users["staff"]
    old = user.email
    client = client_for("staff")
    response = client.post("/accounts/email/", {"email": "new.me@example.org", "action_add": ""})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == old
    assert mail.outbox[-1].to == ["new.me@example.org"]
    assert "Changing to new.me@example.org" in client.get("/accounts/").text

    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    page = client.get(link)
    assert "Confirm your email address" in page.text
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new.me@example.org"
    assert EmailAddress.objects.get(user=user, email="new.me@example.org").verified
    entry = AuditLog.objects.get(action="accounts.email.changed")
    assert (entry.data["old"], entry.data["new"]) == (old, "new.me@example.org")

    # The new address signs in; the old one no longer does.
    client.logout()
    assert signed_in(user).get("/accounts/").status_code == 200
    response = Client().post("/accounts/login/", {"login": old, "password": PASSWORD})
    assert response.status_code == 200


def test_email_already_in_use_is_refused_and_changes_nothing(client_for, world):
    user = world.users["staff"]
    taken = world.users["admin"].email
    response = client_for("staff").post("/accounts/email/", {"email": taken, "action_add": ""})
    assert response.status_code == 200
    assert "already used by another account" in response.text
    assert 'class="error-summary"' in response.text
    user.refresh_from_db()
    assert user.email != taken
    assert not EmailAddress.objects.filter(user=user, email__iexact=taken).exists()


def test_a_wrong_email_confirmation_link_says_so(client_for, world):
    response = client_for("staff").get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "This link does not work" in response.text
    # Only our own form posts here, with a real key; anything else is not found.
    response = client_for("staff").post("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_change_password(world):
    user = world.users["staff"]
    client = signed_in(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_change_password_with_the_wrong_current_one_changes_nothing(world):
    user = world.users["staff"]
    response = signed_in(user).post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_out_everywhere_else(db):
    user = UserFactory()
    here, elsewhere = signed_in(user), signed_in(user)
    page = here.get("/accounts/sessions/")
    assert "This device" in page.text
    assert "Sign out everywhere else" in page.text
    assert here.post("/accounts/sessions/").status_code == 302
    assert elsewhere.get("/accounts/").status_code == 302
    assert here.get("/accounts/").status_code == 200


def test_other_peoples_sessions_are_not_listed(db):
    mine, theirs = UserFactory(), UserFactory()
    client = signed_in(mine)
    signed_in(theirs)
    assert client.get("/accounts/sessions/").context["session_count"] == 1


def test_changes_to_signing_in_are_audited(world):
    user = world.users["staff"]
    client = signed_in(user)
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    entry = AuditLog.objects.get(action="accounts.password.changed")
    assert entry.actor == user
    assert entry.object_id == str(user.pk)
    assert "a-new-long-passphrase" not in str(entry.data)
