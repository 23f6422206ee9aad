"""axe-core on the impact and participation pages, with and without records."""

import pytest

from tests.browser import follow, submit

pytestmark = pytest.mark.browser

PAGES = {
    "impact": ("/wiltshire/impact/", False),
    "manage": ("/wiltshire/manage/participation/", True),
    "wcet-form": ("/wiltshire/manage/participation/new/wcet/", True),
    "figure-records": ("/wiltshire/manage/participation/figures/schools-engaged/", True),
    "collections": ("/wiltshire/manage/participation/collections/", True),
}


@pytest.mark.parametrize(("path", "staff"), PAGES.values(), ids=PAGES.keys())
def test_participation_pages_have_no_axe_violations(
    request, page, site, sign_in, axe_check, screenshot, path, staff
):
    if staff:
        sign_in("staff")
    response = page.goto(path)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text().strip()
    screenshot(f"participation-{request.node.callspec.id}")
    axe_check()


def test_record_form_reshown_with_errors_has_no_axe_violations(page, site, sign_in, axe_check):
    sign_in("staff")
    page.goto("/wiltshire/manage/participation/new/wcet/")
    submit(page, "Save")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe_check()


def test_partner_fills_in_and_submits_their_return_in_the_browser(
    page, site, sign_in, axe_check, screenshot
):
    from tutti.core.years import current_academic_year
    from tutti.participation.tests.factories import SubmissionFactory

    year = current_academic_year() - 1
    submission = SubmissionFactory(
        collection__hub=site.hub, collection__year=year, partner=site.partner
    )
    sign_in("partner")
    page.goto(f"/wiltshire/manage/participation/returns/{submission.pk}/")
    axe_check()
    follow(page, "Add: whole-class ensemble teaching")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Add to your return")
    axe_check()
    page.get_by_label("School URN").fill("126000")
    page.get_by_label("Year groups").fill("Year 4")
    page.get_by_label("Instruments").fill("Ukulele")
    page.get_by_label("Pupils", exact=True).fill("28")
    page.get_by_label("Weeks").fill("30")
    page.get_by_label("Lesson length (minutes)").fill("45")
    page.get_by_label("Pupils who continued").fill("9")
    submit(page, "Save the record")
    page.wait_for_load_state()
    assert "Ukulele, Year 4: 28 pupils" in page.locator("main").inner_text()
    axe_check()
    follow(page, "Check and send my return")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Check and send your return"
    assert "Ukulele, Year 4: 28 pupils" in page.locator("main").inner_text()
    screenshot("participation-return-confirm")
    axe_check()
    submit(page, "Yes, send my return")
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Submitted" in main
    assert "What you sent" in main and "Ukulele, Year 4: 28 pupils" in main
    screenshot("participation-return-submitted")
    axe_check()

    page.goto(f"/wiltshire/impact/?year={year}")
    assert page.locator("#figure-wcet-pupils td.num").inner_text().strip() == "28"

    sign_in("staff")
    page.goto(f"/wiltshire/impact/?year={year}")
    page.locator("#figure-wcet-pupils td.num a").click()
    page.wait_for_load_state()
    records = page.locator("main").inner_text()
    assert site.partner.name in records
    assert site.school.name in records


def test_partner_without_an_account_sends_their_return_through_its_link(
    page, site, sign_in, axe_check, screenshot
):
    from urllib.parse import urlsplit

    from tutti.core.years import current_academic_year
    from tutti.participation.models import SubmissionStatus
    from tutti.participation.tests.factories import SubmissionFactory

    submission = SubmissionFactory(
        collection__hub=site.hub, collection__year=current_academic_year() - 1, partner=site.partner
    )
    # Staff copy the partner's link from the collection's page and send it themselves.
    sign_in("staff")
    page.goto(f"/wiltshire/manage/participation/collections/{submission.collection_id}/")
    screenshot("participation-collection-links")
    axe_check()
    copied = page.get_by_label(f"Copy the link for {site.partner.name}").input_value()
    link = urlsplit(copied).path
    assert link.startswith(f"/wiltshire/returns/{submission.pk}/")

    page.context.clear_cookies()
    response = page.goto(link)
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["referrer-policy"] == "same-origin"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Data return")
    axe_check()
    follow(page, "Add: whole-class ensemble teaching")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Add to your return")
    axe_check()
    page.get_by_label("School URN").fill("126000")
    page.get_by_label("Year groups").fill("Year 4")
    page.get_by_label("Instruments").fill("Ukulele")
    page.get_by_label("Pupils", exact=True).fill("28")
    page.get_by_label("Weeks").fill("30")
    page.get_by_label("Lesson length (minutes)").fill("45")
    page.get_by_label("Pupils who continued").fill("9")
    submit(page, "Save the record")
    page.wait_for_load_state()
    assert page.url.endswith(link)
    assert "Ukulele, Year 4: 28 pupils" in page.locator("main").inner_text()
    follow(page, "Check and send my return")
    page.wait_for_load_state()
    axe_check()
    submit(page, "Yes, send my return")
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Submitted" in main and "Thank you" in main
    assert "What you sent" in main and "Ukulele, Year 4: 28 pupils" in main
    screenshot("participation-return-link-submitted")
    axe_check()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_staff_publish_figures_and_the_public_sees_them_with_their_trend(
    page, site, sign_in, axe_check, screenshot
):
    from tutti.participation.tests.factories import TuitionFactory, WcetFactory

    for year, pupils in ((2023, 40), (2024, 50), (2025, 60)):
        WcetFactory(
            hub=site.hub, partner=site.partner, school=site.school, year=year, pupils=pupils
        )
    TuitionFactory(hub=site.hub, partner=site.partner, school=site.school, year=2025, pupils=12)

    page.goto("/wiltshire/impact/")
    assert "has not published its figures yet" in page.locator("main").inner_text()
    axe_check()

    sign_in("staff")
    page.goto("/wiltshire/impact/?year=2025")
    assert page.locator(".trend-chart").count() > 0
    assert "Devizes area" in page.locator(".bar-chart").inner_text()
    screenshot("impact-staff")
    axe_check()
    follow(page, "Publish the figures for 2025/26")
    page.wait_for_load_state()
    axe_check()
    # Every figure starts ticked: publish only two, and not the schools reached.
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_label("Pupils in whole-class ensemble teaching: 60").check()
    page.get_by_label("Pupils having instrumental and/or vocal lessons: 12").check()
    submit(page, "Publish these figures")
    page.wait_for_load_state()
    assert "Published: the public impact page shows 2 figures" in page.locator("main").inner_text()
    follow(page, "See the page as the public does")
    page.wait_for_load_state()
    axe_check()

    page.context.clear_cookies()
    page.goto("/wiltshire/impact/")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 2
    assert page.locator("#figure-wcet-pupils td.num").inner_text().strip() == "60"
    assert "Schools reached" not in page.locator("main").inner_text()
    screenshot("impact-public")
    axe_check()
