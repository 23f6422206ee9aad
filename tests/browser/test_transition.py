"""Secondary transition in a real browser: a parent sends a passport, the secondary school's
music lead (invited by email) reads the picture and the passport, acknowledges it and records a
first contact, which the continuation figure counts; a coordinator changes a feeder and the
picture changes. axe-core on every page, at 1280 and 390 px."""

import re

import pytest
from django.utils import timezone

from tests.browser import follow, submit
from tutti.core.years import current_academic_year
from tutti.participation.tests.factories import WcetFactory
from tutti.transition.models import FirstContact, Passport, PassportStatus
from tutti.transition.tests.factories import PassportFactory, secondary_of

pytestmark = pytest.mark.browser

PASSWORD = "violas-and-cellos-42"


def _path(message, site, pattern: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(site.url) + pattern, body)
    assert match, body
    return match[1]


def _fits_a_phone(page, screenshot, name: str) -> None:
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def transition(site):
    """The world's secondary (fed by its primary), Year 4 cornets two years ago at the primary,
    and nine passports other families sent it for next September, six of them carried on."""
    school = secondary_of(site)
    WcetFactory(
        hub=site.hub,
        school=site.school,
        year=current_academic_year() - 2,
        year_groups="Year 4",
        instruments="Cornet",
        pupils=28,
        continued=14,
    )
    for n in range(9):
        PassportFactory(
            hub=site.hub,
            primary=site.school,
            secondary=school,
            status=PassportStatus.CONTACTED,
            sent_at=timezone.now(),
            first_contact=FirstContact.SCHOOL_LESSONS if n < 6 else FirstContact.NOT_CONTINUING,
        )
    return school


def _parent_sends_a_passport(page, site, inbox, axe_check, screenshot) -> str:
    page.goto("/wiltshire/transition/passport/")
    axe_check()
    _fits_a_phone(page, screenshot, "transition-passport-start")
    page.get_by_label("Your email address").fill("parent@example.org")
    submit(page, "Email me the link")
    assert "Check your email" in page.content()
    axe_check()

    link = _path(
        inbox.wait_for("parent@example.org"), site, r"(/wiltshire/transition/passport/\S+/)"
    )
    page.goto(link)
    axe_check()
    page.get_by_label("Your child's name").fill("Ava Example")
    page.get_by_label("Their primary school now").select_option(
        label="Devizes Primary School, Devizes"
    )
    page.get_by_label("The secondary school they are going to").select_option(
        label="Devizes School, Devizes"
    )
    page.get_by_label("Instruments or voice").fill("Cornet")
    page.get_by_label("Level or grade").fill("Grade 2")
    page.get_by_label("Years learning").fill("3")
    page.get_by_label("Bands, orchestras or choirs they are in").fill("Devizes Junior Band")
    page.get_by_label("What they would like to do next").fill("Play in the school band")
    _fits_a_phone(page, screenshot, "transition-passport-form")
    submit(page, "Save and check before sending")
    assert "Send the passport to Devizes School" in page.content()
    axe_check()
    submit(page, "Send to Devizes School")
    assert "Sent to Devizes School" in page.content()
    assert "Waiting for the school" in page.content()
    axe_check()
    _fits_a_phone(page, screenshot, "transition-passport-status")
    return link


def _staff_invite_the_music_lead(page, site, sign_in, inbox, axe_check, school) -> None:
    sign_in("staff")
    page.goto(f"/wiltshire/manage/transition/{school.urn}/")
    follow(page, "Invite the school's music lead")
    axe_check()
    page.get_by_label("Email address").fill("lea.lead@example.org")
    page.get_by_label("First name").fill("Lea")
    page.get_by_label("Last name").fill("Lead")
    submit(page, "Send the invitation")
    assert "We have emailed an invitation to lea.lead@example.org" in page.content()

    path = _path(inbox.wait_for("lea.lead@example.org"), site, r"(/accounts/invitations/[\w-]+/)")
    page.context.clear_cookies()
    page.goto(path)
    page.get_by_label("First name").fill("Lea")
    page.get_by_label("Last name").fill("Lead")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    submit(page, "Accept and sign in")
    page.wait_for_url("**/wiltshire/manage/")
    assert "school music lead" in page.content()


def test_a_passport_reaches_the_music_lead_who_records_that_the_child_joined_an_ensemble(
    page, site, sign_in, inbox, axe_check, screenshot, transition
):
    school = transition
    link = _parent_sends_a_passport(page, site, inbox, axe_check, screenshot)
    # The secondary had no music lead yet, so the hub was told.
    _staff_invite_the_music_lead(page, site, sign_in, inbox, axe_check, school)

    # The music lead's own school, straight from the manage page.
    follow(page, "Secondary transition")
    assert page.url.endswith(f"/wiltshire/manage/transition/{school.urn}/")
    main = page.locator("main")
    assert "Devizes Primary School" in main.inner_text()
    assert main.locator("svg[role=img]").count() == 1
    assert main.get_by_role("row", name=re.compile(r"Cornet 28")).count() == 1
    # With Ava's, ten passports were sent: the figure shows, before her first contact.
    assert "6 of 10 carried on (60%)" in page.content()
    axe_check()
    _fits_a_phone(page, screenshot, "transition-picture")

    follow(page, "10 passports from families")
    axe_check()
    follow(page, "Ava Example")
    assert "Play in the school band" in page.content()
    axe_check()
    _fits_a_phone(page, screenshot, "transition-passport-detail")
    submit(page, "Acknowledge: we have it")
    assert "Acknowledged: the family can see you have it." in page.content()
    page.get_by_label("What happened when you first met them in Year 7").select_option(
        label="Joined a school band, orchestra or choir"
    )
    page.get_by_label("Note").fill("Year 7 band, Tuesdays")
    submit(page, "Record the first contact")
    assert "First contact recorded." in page.content()
    axe_check()

    passport = Passport.objects.get(child_name="Ava Example")
    assert passport.first_contact == FirstContact.SCHOOL_ENSEMBLE

    # Ava carried on: the figure counts her.
    page.goto(f"/wiltshire/manage/transition/{school.urn}/")
    assert "7 of 10 carried on (70%)" in page.content()
    # Another school's pages do not exist for this music lead.
    assert page.goto(f"/wiltshire/manage/transition/{site.school.urn}/").status == 404

    # The family sees where it has got to, and withdraws it.
    page.context.clear_cookies()
    page.goto(link)
    assert "joined a school band, orchestra or choir" in page.content()
    follow(page, "Withdraw the passport")
    axe_check()
    submit(page, "Withdraw and delete it")
    assert "You withdrew this passport" in page.content()
    axe_check()
    passport.refresh_from_db()
    assert passport.child_name == ""


def test_a_coordinator_removes_a_suggested_feeder_and_the_picture_changes(
    page, site, sign_in, axe_check, screenshot, transition
):
    school = transition
    sign_in("coordinator")
    page.goto("/wiltshire/manage/transition/")
    axe_check()
    _fits_a_phone(page, screenshot, "transition-home")
    follow(page, "Devizes School")
    assert page.locator("main").get_by_role("row", name=re.compile(r"Cornet 28")).count() == 1
    follow(page, "feeder school")
    main = page.locator("main")
    assert "How the suggestion is made" in page.content()
    row = main.get_by_role("row", name=re.compile("Devizes Primary School"))
    assert "1.0 km" in row.inner_text()
    assert "Its nearest secondary school" in row.inner_text()
    axe_check()
    _fits_a_phone(page, screenshot, "transition-feeders")

    submit(page, "Remove Devizes Primary School")
    assert "Devizes Primary School removed from the feeders." in page.content()
    axe_check()
    page.goto(f"/wiltshire/manage/transition/{school.urn}/")
    assert page.locator("main").get_by_role("row", name=re.compile(r"Cornet 28")).count() == 0
    assert "What the 0 primary schools feeding" in page.locator("main").inner_text()

    page.goto(f"/wiltshire/manage/transition/{school.urn}/feeders/")
    submit(page, "Put back Devizes Primary School")
    page.goto(f"/wiltshire/manage/transition/{school.urn}/")
    assert page.locator("main").get_by_role("row", name=re.compile(r"Cornet 28")).count() == 1


def test_a_link_that_was_altered_says_so(page, site, axe_check):
    response = page.goto("/wiltshire/transition/passport/not-a-real-link/")
    assert response.status == 400
    assert "This link cannot be used" in page.content()
    axe_check()
