"""Signing in, rate limits and password reset, through allauth's real views."""

import re
import time

from django.core import mail

from tutti.accounts.models import User

PASSWORD = "a-good-test-password"  # the factories' password


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def reset_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)[1]


def test_sign_in_with_email_in_any_case(client, world):
    user = world.users["staff"]
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302
    assert client.get("/accounts/").context["user"] == user


def test_wrong_password_says_so_and_signs_nobody_in(client, world):
    response = sign_in(client, world.users["staff"].email, "not-it")
    assert response.status_code == 200
    assert "The email address or password is not right." in response.text
    assert 'class="error-summary"' in response.text
    assert not response.context["user"].is_authenticated


def test_sixth_wrong_password_is_paused_then_the_right_one_works_after_the_wait(
    client, world, settings
):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "20/2s/ip,5/2s/key"}
    email = world.users["staff"].email
    for _ in range(5):
        assert "not right" in sign_in(client, email, "wrong").text
    response = sign_in(client, email, "wrong")
    assert "Too many wrong passwords" in response.text
    assert "try again in 2 seconds" in response.text
    # Paused: even the right password is refused until the window has passed.
    assert "Too many wrong passwords" in sign_in(client, email).text
    time.sleep(2.1)
    assert sign_in(client, email).status_code == 302


def test_the_pause_is_per_account(client, world, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "20/5m/ip,5/5m/key"}
    for _ in range(6):
        sign_in(client, world.users["staff"].email, "wrong")
    assert "try again in 5 minutes" in sign_in(client, world.users["staff"].email).text
    assert sign_in(client, world.users["admin"].email).status_code == 302


def test_forgot_password_end_to_end(client, world):
    user = world.users["staff"]
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = reset_link(mail.outbox[0])

    # allauth swaps the key in the link for one kept in the session, then asks for a password.
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")

    client.logout()
    assert "not right" in sign_in(client, user.email).text
    assert sign_in(client, user.email, "a-brand-new-passphrase").status_code == 302


def test_a_used_reset_link_does_not_work_again(client, world):
    user = world.users["staff"]
    client.post("/accounts/password/reset/", {"email": user.email})
    link = reset_link(mail.outbox[0])
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert "This link does not work" in again.text
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_a_wrong_reset_link_changes_nothing(client, world):
    user = world.users["staff"]
    for link in (
        "/accounts/password/reset/key/1-nonsense/",
        "/accounts/password/reset/key/zzzzzzzzzzzzz-abc-def/",
        f"/accounts/password/reset/key/{user.pk}-set-password/",
    ):
        response = client.get(link, follow=True)
        assert response.status_code == 200, link
        assert "This link does not work" in response.text
        response = client.post(link, {"password1": "x-y-z-1-2-3-4", "password2": "x-y-z-1-2-3-4"})
        assert response.status_code in {200, 302}, link
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_no_link(client, world):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_mismatched_new_passwords_are_refused(client, world):
    user = world.users["staff"]
    client.post("/accounts/password/reset/", {"email": user.email})
    page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"password1": "a-brand-new-passphrase", "password2": "something-else-entirely"},
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_up_is_closed(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "long-pass-123", "password2": "long-pass-123"},
    )
    assert response.status_code == 200
    assert "Accounts are by invitation" in response.text
    assert not User.objects.filter(email="new@example.org").exists()


def test_too_many_reset_requests_get_a_plain_page_and_no_more_mail(client, world):
    email = world.users["staff"].email
    for _ in range(5):
        assert client.post("/accounts/password/reset/", {"email": email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 429
    assert "Too many tries in a short time" in response.text
    assert len(mail.outbox) == 5


def test_a_reset_request_without_an_address_says_so(client, world):
    response = client.post("/accounts/password/reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert mail.outbox == []
