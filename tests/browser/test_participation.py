"""axe-core on the impact and participation pages, with and without records."""

import pytest

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
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe_check()
