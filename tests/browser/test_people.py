"""Issue 9's whole path for a new person, in a real browser: invited by a hub admin, the
email read from a real SMTP server, a password chosen, two-factor turned on with a real TOTP
code, signed out and back in with a code, and only their own organisation's pages open."""

import re

import pytest

from tests.browser import follow, submit
from tests.browser.test_accounts import _h1, fresh_cache  # noqa: F401 (autouse fixture)
from tutti.accounts.tests.totp import totp_now

pytestmark = pytest.mark.browser

PASSWORD = "brass-and-strings-77"
EMAIL = "ola.price@example.org"


def _enter_code(page, secret: str) -> None:
    assert _h1(page) == "Enter your code"
    page.get_by_label("Code from your app, or a recovery code").fill(totp_now(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


def test_invited_partner_staff_turn_on_two_factor_and_see_only_their_organisation(
    page, site, sign_in, inbox, axe_check
):
    sign_in("admin")
    page.goto("/wiltshire/manage/team/invite/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("First name").fill("Ola")
    page.get_by_label("Last name").fill("Price")
    page.get_by_label("Role").select_option("partner_staff")
    page.get_by_label("Wiltshire Music Centre").check()
    submit(page, "Send the invitation")
    page.wait_for_url("**/wiltshire/manage/team/")

    message = inbox.wait_for(EMAIL)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(site.url) + r"(/accounts/invitations/[\w-]+/)", body)
    assert link, body

    # The new person, in a browser with nobody signed in.
    page.context.clear_cookies()
    page.goto(link[1])
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    submit(page, "Accept and sign in")
    page.wait_for_url("**/wiltshire/manage/")

    # Two-factor on, with a code computed from the secret the page shows.
    page.goto("/accounts/")
    follow(page, "Turn on two-factor sign-in")
    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Continue")
    assert _h1(page) == "Turn on two-factor sign-in"
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your app").fill(totp_now(secret))
    submit(page, "Turn on")
    assert _h1(page) == "Your recovery codes"
    axe_check()

    # Out, and back in: the password alone is not enough any more.
    page.goto("/accounts/")
    submit(page, "Sign out")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    assert _h1(page) == "Enter your code"
    page.get_by_label("Code from your app, or a recovery code").fill("000000")
    submit(page, "Sign in", exact=True)
    assert _h1(page) == "Enter your code"
    assert page.get_by_role("alert").is_visible()
    # Half signed in is not signed in.
    page.goto("/wiltshire/manage/")
    assert not page.url.split("?")[0].endswith("/wiltshire/manage/")

    # Back to signing in, they are asked for the code again; the right one lets them in.
    page.goto("/accounts/login/")
    _enter_code(page, secret)
    page.goto("/wiltshire/manage/")
    main = page.locator("main")
    assert main.get_by_role("link", name="Wiltshire Music Centre").count() == 1
    for other in ("Directory", "Clusters", "Team", "Hub settings", "Provision audit"):
        assert main.get_by_role("link", name=other, exact=True).count() == 0, other
    assert page.goto(f"/wiltshire/manage/directory/{site.partner.pk}/edit/").status == 200
    assert page.goto("/wiltshire/manage/team/").status == 403
    assert page.goto("/wiltshire/manage/directory/").status == 403
    assert page.goto("/cambridgeshire/manage/").status == 404
