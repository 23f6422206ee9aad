"""The team in a real browser: invitations read from a real SMTP server, followed, accepted,
and the new people signing in; axe-core on every team, invitation and settings page."""

import re

import pytest

from tests.browser import follow, submit
from tutti.accounts.models import Membership
from tutti.accounts.services import invitation_create

pytestmark = pytest.mark.browser

PASSWORD = "violas-and-cellos-42"


def _link(message, site) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(site.url) + r"(/accounts/invitations/[\w-]+/)", body)
    assert match, body
    return match[1]


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _accept_sign_out_and_sign_in(page, path: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(path)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    submit(page, "Accept and sign in")
    page.wait_for_url("**/wiltshire/manage/")
    assert "Welcome to Wiltshire Music Connect" in page.content()
    # Signed in by accepting; now sign out and in again, as they will next time.
    submit(page, "Sign out")
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^Email", re.I)).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Sign in", within="main")
    page.wait_for_load_state()
    page.goto("/wiltshire/manage/")


def test_admin_invites_partner_staff_who_sign_in_and_see_only_their_organisation(
    page, site, sign_in, inbox, axe_check, screenshot
):
    sign_in("admin")
    page.goto("/wiltshire/manage/team/")
    follow(page, "Invite someone")
    page.get_by_label("Email address").fill("nia.jones@example.org")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Role").select_option("partner_staff")
    page.get_by_label("Wiltshire Music Centre").check()
    submit(page, "Send the invitation")
    page.wait_for_url("**/wiltshire/manage/team/")
    assert "We have emailed an invitation to nia.jones@example.org" in page.content()
    assert "Invitations waiting for an answer" in page.content()
    axe_check()
    screenshot("team-with-invitation-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("team-with-invitation-390")
    _fits_a_phone(page)

    message = inbox.wait_for("nia.jones@example.org")
    assert message["To"] == "nia.jones@example.org"
    assert message["Subject"] == "You are invited to join Wiltshire Music Connect on Tutti"
    assert message["From"]
    assert message["Message-ID"]
    path = _link(message, site)

    _accept_sign_out_and_sign_in(page, path, "nia.jones@example.org")
    assert page.url.endswith("/wiltshire/manage/")
    main = page.locator("main")
    assert main.get_by_role("link", name="Wiltshire Music Centre").count() == 1
    for other in ("Directory", "Clusters", "Team", "Hub settings", "Provision audit"):
        assert main.get_by_role("link", name=other, exact=True).count() == 0, other
    assert page.goto("/wiltshire/manage/team/").status == 403
    assert page.goto("/wiltshire/manage/directory/").status == 403
    assert page.goto(f"/wiltshire/manage/directory/{site.partner.pk}/edit/").status == 200
    nia = Membership.objects.get(hub=site.hub, user__email="nia.jones@example.org")
    assert list(nia.organisations.all()) == [site.partner]

    # The link worked once.
    page.goto(path)
    assert "already been accepted" in page.content()


def test_a_coordinator_appointed_on_the_cluster_page_signs_in(
    page, site, sign_in, inbox, axe_check, screenshot
):
    sign_in("admin")
    page.goto(f"/wiltshire/manage/clusters/{site.other_cluster.pk}/coordinator/")
    page.get_by_label("Coordinator's email address").fill("max.moore@example.org")
    page.get_by_label("First name").fill("Max")
    page.get_by_label("Last name").fill("Moore")
    submit(page, "Appoint")
    assert "We have emailed an invitation to max.moore@example.org" in page.content()
    page.goto(f"/wiltshire/manage/clusters/{site.other_cluster.pk}/coordinator/")
    assert "Invited:" in page.content()
    axe_check()
    screenshot("cluster-coordinator-invited")

    path = _link(inbox.wait_for("max.moore@example.org"), site)
    _accept_sign_out_and_sign_in(page, path, "max.moore@example.org")
    main = page.locator("main")
    assert main.get_by_role("link", name="Chippenham").count() == 1
    assert "You are a cluster coordinator in this hub." in page.content()
    assert page.goto("/wiltshire/manage/team/").status == 403


def test_every_team_settings_and_invitation_page_passes_axe_and_fits_a_phone(
    page, site, sign_in, axe_check, screenshot
):
    invitation_create(hub=site.hub, by=site.users["admin"], email="a@example.org", role="hub_staff")
    partner = Membership.objects.get(hub=site.hub, user=site.users["partner"])
    sign_in("admin")
    pages = {
        "team": "/wiltshire/manage/team/",
        "team-invite": "/wiltshire/manage/team/invite/",
        "team-member-edit": f"/wiltshire/manage/team/{partner.pk}/",
        "team-member-remove": f"/wiltshire/manage/team/{partner.pk}/remove/",
        "hub-settings": "/wiltshire/manage/settings/",
        "invitation-problem": "/accounts/invitations/not-a-real-token/",
    }
    for name, path in pages.items():
        page.goto(path)
        axe_check()
        screenshot(f"{name}-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(f"{name}-390")
        _fits_a_phone(page)

    # A form re-shown with its errors.
    page.goto("/wiltshire/manage/team/invite/")
    page.get_by_label("Role").select_option("partner_staff")
    submit(page, "Send the invitation")
    assert "There is a problem" in page.content()
    axe_check()
    screenshot("team-invite-errors")

    # Removing the last hub admin is refused in plain words.
    admin = Membership.objects.get(hub=site.hub, user=site.users["admin"])
    page.goto(f"/wiltshire/manage/team/{admin.pk}/remove/")
    submit(page, "Remove from the team")
    assert "only hub admin" in page.content()
    axe_check()


def test_the_accept_pages_pass_axe(page, site, sign_in, inbox, axe_check, screenshot):
    invitation_create(hub=site.hub, by=None, email="new@example.org", role="hub_staff")
    invitation_create(hub=site.hub, by=None, email=site.users["outsider"].email, role="hub_staff")
    new_path = _link(inbox.wait_for("new@example.org"), site)
    existing_path = _link(inbox.wait_for(site.users["outsider"].email), site)
    for name, path in {"invitation-accept": new_path, "invitation-sign-in": existing_path}.items():
        page.goto(path)
        axe_check()
        screenshot(f"{name}-1280")
        _fits_a_phone(page)
    # Someone with an account signs in with their own password, then accepts.
    sign_in("outsider")
    page.goto(existing_path)
    axe_check()
    submit(page, "Accept")
    page.wait_for_url("**/wiltshire/manage/")
    assert Membership.objects.filter(hub=site.hub, user=site.users["outsider"]).exists()


def test_the_site_administrators_landing_page(page, site, sign_in, axe_check, screenshot):
    from tutti.accounts.models import User

    site.users["root"] = User.objects.create_superuser(
        username="root", email="root@example.org", password=PASSWORD
    )
    sign_in("root")
    page.goto("/accounts/me/")
    main = page.locator("main")
    assert main.get_by_role("link", name="Django admin").count() == 1
    assert main.get_by_role("link", name="Team of Cambridgeshire Music").count() == 1
    assert main.get_by_role("link", name="Settings of Wiltshire Music Connect").count() == 1
    axe_check()
    screenshot("my-hubs-site-administrator")
    _fits_a_phone(page)
    with page.expect_navigation():
        main.get_by_role("link", name="Team of Cambridgeshire Music").click()
    assert page.url.endswith("/cambridgeshire/manage/team/")
