"""Accounts in a real browser: forgot password, the pause after wrong passwords, two-factor
sign-in, and every account page with axe-core at desktop and phone widths."""

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache

from tests.browser import follow, submit
from tutti.accounts.tests.totp import totp_now

pytestmark = pytest.mark.browser

PASSWORD = "a-good-test-password"  # the factories' password
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and used two-factor codes live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def sign_in_with_form(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def check_at_both_widths(page, axe_check, screenshot, name):
    """axe-core finds nothing, at 1280 px and at a 390 px phone with no sideways scrolling."""
    axe_check()
    screenshot(f"accounts-{name}")
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 390px"
    screenshot(f"accounts-{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_forgot_password_from_the_sign_in_page(page, site, axe_check, screenshot):
    user = site.users["staff"]
    page.goto("/accounts/login/")
    follow(page, "Forgot your password?")
    assert _h1(page) == "Reset your password"
    check_at_both_widths(page, axe_check, screenshot, "reset")
    page.get_by_label("Email address").fill(user.email)
    submit(page, "Email me a link")
    assert _h1(page) == "Check your email"
    check_at_both_widths(page, axe_check, screenshot, "reset-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body)[0]
    page.goto(site.url + link[link.index("/accounts/") :])
    assert _h1(page) == "Choose a new password"
    check_at_both_widths(page, axe_check, screenshot, "reset-new-password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    submit(page, "Save my new password")
    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    check_at_both_widths(page, axe_check, screenshot, "reset-new-password-error")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password again").fill("a-brand-new-passphrase")
    submit(page, "Save my new password")
    assert _h1(page) == "Your password has been changed"
    check_at_both_widths(page, axe_check, screenshot, "reset-done")

    # The link works once.
    page.goto(site.url + link[link.index("/accounts/") :])
    assert _h1(page) == "This link does not work"
    check_at_both_widths(page, axe_check, screenshot, "reset-link-used")

    sign_in_with_form(page, user.email, "a-brand-new-passphrase")
    assert page.url.endswith("/wiltshire/manage/")


def test_six_wrong_passwords_pause_then_the_right_one_works(page, site, settings, axe_check):
    # Short enough to wait for, long enough for six tries and an axe run on a busy machine.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "20/30s/ip,5/30s/key"}
    email = site.users["staff"].email
    for _ in range(5):
        sign_in_with_form(page, email, "wrong")
        assert page.get_by_role("alert").get_by_text("not right").is_visible()
    # The summary takes focus, so a screen reader reads it out first.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    sign_in_with_form(page, email, "wrong")
    alert = page.get_by_role("alert")
    assert alert.get_by_text("Too many wrong passwords").is_visible()
    assert "try again in 30 seconds" in alert.inner_text()
    paused_at = time.monotonic()
    axe_check()
    sign_in_with_form(page, email)
    assert page.get_by_role("alert").get_by_text("Too many wrong passwords").is_visible()
    time.sleep(max(0, 30.2 - (time.monotonic() - paused_at)))
    sign_in_with_form(page, email)
    assert page.url.endswith("/wiltshire/manage/")


def test_turn_on_two_factor_then_sign_in_with_a_code(page, site, axe_check, screenshot):
    user = site.users["staff"]
    sign_in_with_form(page, user.email)
    page.goto("/accounts/")
    assert _h1(page) == "Your account"
    follow(page, "Turn on two-factor sign-in")
    # Changing how one signs in asks for the password again.
    assert _h1(page) == "Confirm it is you"
    check_at_both_widths(page, axe_check, screenshot, "reauthenticate")
    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Continue")
    assert _h1(page) == "Turn on two-factor sign-in"
    check_at_both_widths(page, axe_check, screenshot, "two-factor-turn-on")
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    secret = page.locator("#totp-secret").inner_text().strip()

    page.get_by_label("Code from your app").fill("12345")
    submit(page, "Turn on")
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Code from your app").fill(totp_now(secret))
    submit(page, "Turn on")
    assert _h1(page) == "Your recovery codes"
    assert page.locator(".recovery-codes li").count() == 10
    check_at_both_widths(page, axe_check, screenshot, "recovery-codes")

    page.goto("/accounts/")
    assert "On." in page.locator("main").inner_text()
    submit(page, "Sign out")
    sign_in_with_form(page, user.email)
    assert _h1(page) == "Enter your code"
    check_at_both_widths(page, axe_check, screenshot, "two-factor-code")
    page.get_by_label("Code from your app, or a recovery code").fill(totp_now(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.url.endswith("/wiltshire/manage/")


def test_staff_of_a_hub_that_requires_two_factor_are_told_why(
    page, site, sign_in, axe_check, screenshot
):
    site.hub.require_two_factor = True
    site.hub.save(update_fields=["require_two_factor"])
    sign_in("staff")
    page.goto("/wiltshire/manage/directory/")
    assert _h1(page) == "Turn on two-factor sign-in to continue"
    assert "Wiltshire Music Connect asks everyone" in page.locator("main").inner_text()
    check_at_both_widths(page, axe_check, screenshot, "two-factor-required")


ACCOUNT_PAGES = {
    "account": ("/accounts/", "Your account"),
    "email": ("/accounts/email/", "Change your email address"),
    "password": ("/accounts/password/change/", "Change your password"),
    "two-factor": ("/accounts/2fa/", "Two-factor sign-in"),
    "sessions": ("/accounts/sessions/", "Where you are signed in"),
    "sign-out": ("/accounts/logout/", "Sign out"),
}


@pytest.mark.parametrize(("path", "h1"), ACCOUNT_PAGES.values(), ids=ACCOUNT_PAGES.keys())
def test_account_page_has_no_axe_violations(request, page, site, axe_check, screenshot, path, h1):
    sign_in_with_form(page, site.users["staff"].email)
    page.goto(path)
    assert _h1(page) == h1
    check_at_both_widths(page, axe_check, screenshot, request.node.callspec.id)


def test_email_change_pending_and_taken(page, site, axe_check, screenshot):
    sign_in_with_form(page, site.users["staff"].email)
    page.goto("/accounts/email/")
    page.get_by_label("New email address").fill(site.users["admin"].email)
    submit(page, "Send a confirmation link")
    taken = page.get_by_role("alert").get_by_text("already used by another account")
    taken.wait_for(state="visible", timeout=15_000)
    assert taken.is_visible()
    check_at_both_widths(page, axe_check, screenshot, "email-taken")
    page.get_by_label("New email address").fill("new.address@example.org")
    submit(page, "Send a confirmation link")
    # The answer is a new page: wait for it rather than look at the old one.
    pending = page.get_by_text("Waiting for you to confirm new.address@example.org")
    pending.wait_for(state="visible", timeout=15_000)
    assert pending.is_visible()
    check_at_both_widths(page, axe_check, screenshot, "email-pending")


PUBLIC_ACCOUNT_PAGES = {
    "sign-in": ("/accounts/login/", "Sign in"),
    "reset-bad-link": ("/accounts/password/reset/key/1-no-such-key/", "This link does not work"),
    "email-bad-link": ("/accounts/confirm-email/no-such-key/", "This link does not work"),
    "sign-up-closed": ("/accounts/signup/", "Accounts are by invitation"),
}


@pytest.mark.parametrize(
    ("path", "h1"), PUBLIC_ACCOUNT_PAGES.values(), ids=PUBLIC_ACCOUNT_PAGES.keys()
)
def test_public_account_page_has_no_axe_violations(
    request, page, site, axe_check, screenshot, path, h1
):
    page.goto(path)
    assert _h1(page) == h1
    check_at_both_widths(page, axe_check, screenshot, request.node.callspec.id)


def test_too_many_reset_requests_get_a_plain_page(page, site, settings, axe_check, screenshot):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/5m/ip,1/5m/key"}
    for _ in range(2):
        page.goto("/accounts/password/reset/")
        page.get_by_label("Email address").fill(site.users["staff"].email)
        with page.expect_navigation():
            page.get_by_role("button", name="Email me a link").click()
    assert _h1(page) == "Too many tries in a short time"
    assert len(mail.outbox) == 1
    check_at_both_widths(page, axe_check, screenshot, "too-many-tries")
