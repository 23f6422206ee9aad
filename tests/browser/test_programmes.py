"""A programme across services in a real browser: the lead starts it and adds a site, the tutor
(invited by email, read from a real SMTP server) plans sessions, the SENCo adds three pupils
through their link with no account, the tutor takes the register and records scores, the lead
sees the change and publishes; axe-core on every programme page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.browser import follow, submit
from tutti.accounts.models import User
from tutti.programmes import services
from tutti.programmes.models import Programme
from tutti.programmes.tests.factories import add_pupils, make_site

pytestmark = pytest.mark.browser

PASSWORD = "violas-and-cellos-42"


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_in_as(page, site, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )


def _seed_other_sites(programme: Programme) -> None:
    """Two more sites with four pupils each, scored at the start and end: eight pupils, so
    the change is still suppressed until the tutor's three are scored."""
    measures = list(programme.measures.all())
    for n in range(2):
        other = make_site(programme)
        for pupil in add_pupils(other, 4, prefix=f"S{n}"):
            for point, value in (("start", 2), ("end", 3)):
                services.scores_record(
                    pupil=pupil,
                    point=point,
                    values={m.pk: value if m.kind == "scale" else 1 for m in measures},
                )


def _lead_starts_a_programme_with_a_site(page, axe_check, screenshot) -> None:
    today = timezone.localdate()
    page.goto("/programmes/")
    axe_check()
    follow(page, "Start a programme")
    axe_check()
    page.get_by_label("Name of the programme").fill("Music nurture groups pilot")
    page.get_by_label("Funder").fill("Youth Music")
    page.get_by_label("Aims").fill("Reduce exclusions and foster belonging.")
    page.get_by_label("Starts on").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("Ends on").fill((today + timedelta(days=150)).isoformat())
    submit(page, "Start the programme")
    page.wait_for_url("**/programmes/music-nurture-groups-pilot/manage/")
    assert "Now add its sites" in page.content()
    axe_check()
    follow(page, "Add a site")
    axe_check()
    page.get_by_label("Music service or hub delivering it").select_option(
        label="Wiltshire Music Centre"
    )
    page.get_by_label("School's URN").fill("126000")
    page.get_by_label("SENCo's name").fill("Ms Patel")
    page.get_by_label("SENCo's email address").fill("patel@example.org")
    submit(page, "Add the site")
    assert "Added Devizes Primary School" in page.content()
    axe_check()
    screenshot("programme-site-1280")


def _lead_invites_a_tutor(page, inbox, site, axe_check) -> str:
    follow(page, "Invite a tutor or inclusion manager")
    axe_check()
    page.get_by_label("Email address").fill("tia.lee@example.org")
    page.get_by_label("First name").fill("Tia")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("Role").select_option("tutor")
    submit(page, "Send the invitation")
    assert "We have emailed an invitation to tia.lee@example.org" in page.content()
    message = inbox.wait_for("tia.lee@example.org")
    assert message["Subject"] == "You are invited to join Music nurture groups pilot on Tutti"
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(site.url) + r"(/programmes/invitations/[\w-]+/)", body)
    assert match, body
    return match[1]


def _tutor_accepts_and_plans(page, path, inbox, axe_check) -> str:
    page.context.clear_cookies()
    page.goto(path)
    axe_check()
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    submit(page, "Accept and sign in")
    assert "Welcome to Music nurture groups pilot" in page.content()
    assert "Devizes Primary School" in page.content()
    follow(page, "Plan sessions")
    axe_check()
    page.get_by_label("Date of the first session").fill(timezone.localdate().isoformat())
    page.get_by_label("Number of weekly sessions").fill("6")
    submit(page, "Plan the sessions")
    assert "Planned 6 sessions." in page.content()
    axe_check()
    follow(page, "The SENCo's link")
    axe_check()
    submit(page, "Email it to patel@example.org")
    assert "We have emailed the link to patel@example.org" in page.content()
    body = inbox.wait_for("patel@example.org").get_body(preferencelist=("plain",)).get_content()
    assert "/senco/" in body
    return page.get_by_label("Link for Ms Patel").input_value()


def _senco_adds_three_pupils(page, site, url, axe_check, screenshot) -> None:
    page.context.clear_cookies()
    page.goto(url.removeprefix(site.url))
    axe_check()
    for name, year in (("Ava", "Year 3"), ("B.K.", "Year 4"), ("Cal", "Year 5")):
        page.get_by_label("First name or initials").fill(name)
        page.get_by_label("Year group").select_option(label=year)
        page.get_by_label("Social, emotional and mental health").check()
        page.get_by_label("Date a parent or carer consented").fill("2026-01-05")
        submit(page, "Add the pupil")
        assert f"{name} has joined the group." in page.content()
    # A fourth without consent: a clear message, nothing stored.
    page.get_by_label("First name or initials").fill("Dee")
    page.get_by_label("At risk of exclusion").check()
    submit(page, "Add the pupil")
    assert "a pupil cannot join without it" in page.content()
    axe_check()
    screenshot("programme-senco-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("programme-senco-390")
    _fits_a_phone(page)


def _tutor_takes_the_register_and_scores(page, programme, school, axe_check) -> None:
    page.goto(f"/programmes/{programme.slug}/sites/{programme.sites.get(school=school).pk}/")
    follow(page, f"Take the register for {timezone.localdate():%-d %b}")
    axe_check()
    page.get_by_label("Ava was there").check()
    page.get_by_label("Cal was there").check()
    page.get_by_label("Session note").fill("Drumming circle; calm ending.")
    submit(page, "Save the register")
    assert "The register for" in page.content()
    follow(page, "The group and its scores")
    axe_check()
    for name in ("Ava", "B.K.", "Cal"):
        for point, value in (("start", "2"), ("end", "4")):
            follow(page, f"Record scores for {name}")
            if point == "start":
                axe_check()
            page.get_by_label("When").select_option(point)
            for measure in ("Belonging", "Confidence", "Wellbeing"):
                page.get_by_label(re.compile(f"^{measure}")).select_option(value)
            page.get_by_label("School exclusions").fill("1" if point == "start" else "0")
            submit(page, "Save the scores")
            assert f"{name}'s scores are saved." in page.content()


def test_a_programme_from_start_to_published_outcomes(
    page, site, sign_in, inbox, axe_check, screenshot
):
    sign_in("staff")
    _lead_starts_a_programme_with_a_site(page, axe_check, screenshot)
    path = _lead_invites_a_tutor(page, inbox, site, axe_check)
    programme = Programme.objects.get(slug="music-nurture-groups-pilot")
    _seed_other_sites(programme)

    senco_url = _tutor_accepts_and_plans(page, path, inbox, axe_check)
    _senco_adds_three_pupils(page, site, senco_url, axe_check, screenshot)
    assert programme.sites.get(school=site.school).pupils.count() == 3

    _sign_in_as(page, site, User.objects.get(email="tia.lee@example.org"))
    _tutor_takes_the_register_and_scores(page, programme, site.school, axe_check)

    # The lead's dashboard: 11 pupils scored, so the change shows; attendance is about 3.
    sign_in("staff")
    page.goto(f"/programmes/{programme.slug}/manage/")
    main = page.locator("main").inner_text()
    assert re.search(r"Belonging \(1 to 5\).*2\.\d at the start, 3\.\d at the end \(\+", main)
    assert "Not shown: fewer than 10 pupils" in main
    axe_check()
    screenshot("programme-dashboard-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("programme-dashboard-390")
    _fits_a_phone(page)

    follow(page, "Publish the outcomes")
    axe_check()
    page.get_by_label("What the programme found").fill("Pupils felt they belonged more.")
    submit(page, "Publish")
    page.wait_for_url(f"**/programmes/{programme.slug}/")
    main = page.locator("main").inner_text()
    assert "Pupils felt they belonged more." in main
    assert "Not shown: fewer than 10 pupils" in main
    assert "Ava" not in main
    axe_check()
    screenshot("programme-public-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("programme-public-390")
    _fits_a_phone(page)


def test_the_teams_other_pages_pass_axe(page, site, sign_in, axe_check):
    """Resources, reflection, inviting a lead, events, and a link that no longer works."""
    programme = services.programme_create(
        by=site.users["staff"],
        lead_hub=site.hub,
        name="Support pages",
        starts_on=timezone.localdate() - timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=100),
    )
    services.resource_add(
        programme=programme, title="Setting up a group", link="https://example.org/a", by=None
    )
    other = make_site(programme)
    pupil = add_pupils(other, 1)[0]
    services.reflection_add(
        programme=programme, author=site.users["staff"], day=timezone.localdate(), text="Good."
    )
    sign_in("staff")
    base = f"/programmes/{programme.slug}"
    for path in (
        "/resources/",
        "/manage/resources/new/",
        "/reflection/",
        "/manage/leads/invite/",
        "/manage/events/",
        "/manage/measures/",
        "/manage/edit/",
        f"/sites/{other.pk}/senco-link/",
        f"/sites/{other.pk}/pupils/",
        f"/sites/{other.pk}/pupils/{pupil.pk}/remove/",
        f"/sites/{other.pk}/invite/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        axe_check()
    submit(page, "Send the invitation")
    assert "There is a problem" in page.content()
    axe_check()
    page.goto(f"{base}/sites/{other.pk}/senco-link/")
    old = page.get_by_label(re.compile("^Link for")).input_value()
    submit(page, "Stop this link")
    axe_check()
    page.context.clear_cookies()
    response = page.goto(old.removeprefix(site.url))
    assert response.status == 410
    axe_check()
    page.goto("/programmes/invitations/no-such-token/")
    axe_check()
