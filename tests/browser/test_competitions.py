"""A competition in a real browser: a parent enters with a video made by ffmpeg, an adjudicator
judges blind, a conflicted adjudicator cannot open the entry, staff shortlist (the family is
emailed) and publish, and the results name the finalist only with consent. axe-core on every
page on the way."""

import re
import shutil
from datetime import date

import pytest
from django.utils import timezone

from tests.browser import follow, submit
from tutti.accounts.tests.factories import UserFactory
from tutti.competitions.models import Entry
from tutti.competitions.tests.factories import (
    AdjudicatorFactory,
    CategoryFactory,
    CompetitionFactory,
    CriterionFactory,
    EntryFactory,
)
from tutti.competitions.video import make_test_video

pytestmark = pytest.mark.browser


@pytest.fixture
def video(tmp_path):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is needed to make the test video")
    path = tmp_path / "cello.mp4"
    make_test_video(str(path), seconds=2)
    return path


@pytest.fixture
def competition(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    competition = CompetitionFactory(
        hub=site.hub,
        name="Wiltshire Young Musician",
        slug="young-musician",
        summary="For young musicians of 8 to 14 in Wiltshire.",
        rules="## How to enter\n\nFilm **one** performance of up to a minute.",
    )
    strings = CategoryFactory(competition=competition, name="Strings", min_age=8, max_age=14)
    CriterionFactory(competition=competition, name="Technique", weight=2)
    CriterionFactory(competition=competition, name="Musicality", weight=1)
    AdjudicatorFactory(competition=competition, user=site.users["plain"], categories=[strings])
    site.users["conflicted"] = UserFactory(email="conflicted.judge@example.org")
    AdjudicatorFactory(competition=competition, user=site.users["conflicted"], categories=[strings])
    # Another finalist whose family did not consent to their name being shown.
    EntryFactory(
        category=strings,
        first_name="Unnamed",
        last_name="Entrant",
        home_educated=False,
        school=site.school,
        number=900,
    )
    return competition


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _enter(page, competition, video, axe_check, screenshot, inbox) -> Entry:
    page.goto("/wiltshire/competitions/")
    axe_check()
    follow(page, "Wiltshire Young Musician")
    axe_check()
    follow(page, "Enter the competition")
    axe_check()
    page.get_by_label("Entrant's first name").fill("Ava")
    page.get_by_label("Entrant's last name").fill("Quillfeather")
    page.get_by_label("Entrant's date of birth").fill(
        date(competition.age_on.year - 12, 1, 10).isoformat()
    )
    page.get_by_label("Category").select_option(label="Strings, ages 8 to 14")
    page.get_by_label("School", exact=True).fill("Devizes Primary School (URN 126000)")
    page.get_by_label("Piece 1: title").fill("Meditation")
    page.get_by_label("Piece 1: composer").fill("Massenet")
    page.get_by_label("Your name").fill("Sam Quillfeather")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label(re.compile("seen and judged")).check()
    page.get_by_label(re.compile("shown publicly")).check()
    screenshot("competition-entry-form-1280")
    submit(page, "Send the entry")
    assert "Upload the video" in page.content()
    axe_check()
    page.get_by_label("Video file").set_input_files(str(video))
    submit(page, "Upload the video")
    content = page.content()
    assert "Your video is uploaded" in content
    assert page.locator("video").count() == 1
    duration = page.evaluate(
        """() => new Promise((resolve) => {
            const v = document.querySelector('video');
            if (v.readyState >= 1) resolve(v.duration);
            v.addEventListener('loadedmetadata', () => resolve(v.duration));
            v.addEventListener('error', () => resolve(-1));
            setTimeout(() => resolve(-2), 5000);
        })"""
    )
    # Debian's Chromium may lack the H.264 decoder; the address must at least be served.
    assert duration != -2
    axe_check()
    screenshot("competition-entry-confirmation-1280")
    _fits_a_phone(page)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("competition-entry-confirmation-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    message = inbox.wait_for("sam@example.org")
    assert "/wiltshire/competitions/entries/" in message.get_body(("plain",)).get_content()
    return Entry.objects.get(last_name="Quillfeather")


def test_enter_judge_blind_shortlist_and_publish(
    page, site, sign_in, competition, video, axe_check, screenshot, inbox
):
    entry = _enter(page, competition, video, axe_check, screenshot, inbox)
    judge_url = f"/wiltshire/competitions/young-musician/judging/{entry.number}/"

    # The adjudicator judges blind.
    page.context.clear_cookies()
    sign_in("plain")
    page.goto("/wiltshire/competitions/young-musician/judging/")
    axe_check()
    follow(page, entry.code)
    html = page.content()
    for secret in ("Ava", "Quillfeather", "Devizes Primary", str(entry.date_of_birth.year)):
        assert secret not in html, secret
    assert "Meditation" in html and page.locator("video").count() == 1
    axe_check()
    screenshot("competition-judging-1280")
    page.get_by_label(re.compile("^Technique")).fill("9")
    page.get_by_label(re.compile("^Musicality")).fill("8")
    page.get_by_label("Feedback for the entrant").fill("A warm, singing tone.")
    submit(page, "Save the score")
    assert f"Your score for {entry.code} is saved" in page.content()

    # The conflicted adjudicator declares it, and the entry is gone from them.
    page.context.clear_cookies()
    sign_in("conflicted")
    page.goto(judge_url)
    page.get_by_label("Why").select_option("teacher")
    submit(page, "Declare a conflict")
    assert "off your list" in page.content()
    assert page.goto(judge_url).status == 404

    # Staff shortlist: the family is emailed; then the results are published.
    page.context.clear_cookies()
    sign_in("staff")
    page.goto(f"/wiltshire/manage/competitions/{competition.pk}/")
    axe_check()
    follow(page, "Scores and shortlist")
    axe_check()
    screenshot("competition-scores-1280")
    page.get_by_label(f"Result for {entry.code}").select_option("finalist")
    page.get_by_label("Result for E-0900").select_option("finalist")
    submit(page, "Save the shortlist and email families")
    assert "Shortlist saved. 2 families emailed." in page.content()
    news = inbox.wait_for("sam@example.org")
    deadline = timezone.now().timestamp() + 10
    while timezone.now().timestamp() < deadline:
        mails = [m for rcpt, m in inbox.messages if "sam@example.org" in rcpt]
        if len(mails) >= 2:
            news = mails[-1]
            break
    assert "finalist" in news.get_body(("plain",)).get_content()
    page.goto(f"/wiltshire/manage/competitions/{competition.pk}/publish/")
    axe_check()
    submit(page, "Publish the results")

    page.context.clear_cookies()
    page.goto("/wiltshire/competitions/young-musician/results/")
    content = page.content()
    assert "Ava Quillfeather" in content
    assert "Unnamed" not in content
    assert "a young musician from a" in content
    axe_check()
    screenshot("competition-results-1280")


def test_every_other_competition_page_passes_axe(page, site, sign_in, competition, axe_check):
    """The pages the main flow does not pass through, at 1280 px and on a phone."""
    from tutti.competitions.emails import entry_link
    from tutti.competitions.services import adjudicator_invite

    entry = Entry.objects.get(number=900)
    family = entry_link(entry)
    _, token = adjudicator_invite(
        competition=competition, by=None, name="Nia Evans", email="nia@example.org", categories=[]
    )
    public_pages = [
        f"{family}",
        f"{family}change/",
        f"{family}video/",
        f"{family}withdraw/",
        f"/wiltshire/competitions/adjudicators/{token}/",
    ]
    for path in public_pages:
        page.goto(path)
        axe_check()
        _fits_a_phone(page)
    # A bad entry shows the error summary.
    page.goto("/wiltshire/competitions/young-musician/enter/")
    submit(page, "Send the entry")
    assert "There is a problem" in page.content()
    axe_check()
    sign_in("staff")
    base = f"/wiltshire/manage/competitions/{competition.pk}/"
    adjudicator = competition.adjudicators.first()
    staff_pages = [
        "/wiltshire/manage/competitions/",
        "/wiltshire/manage/competitions/new/",
        f"{base}edit/",
        f"{base}categories/",
        f"{base}rubric/",
        f"{base}adjudicators/",
        f"{base}adjudicators/{adjudicator.pk}/",
        f"{base}entries/",
        f"{base}entries/{entry.pk}/",
        f"{base}final/",
    ]
    for path in staff_pages:
        page.goto(path)
        axe_check()
        _fits_a_phone(page)
