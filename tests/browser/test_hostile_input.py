"""A person who sends a bad file or pasted text sees a plain message that takes focus, on a wide
screen and on a 390 px phone, and the page has no axe-core violations (issue 10)."""

import pytest

from tests.browser import submit
from tutti.core.tests import hostile
from tutti.participation.tests.factories import SubmissionFactory
from tutti.participation.tests.test_collections import YEAR
from tutti.participation.tokens import return_link_path

pytestmark = pytest.mark.browser


def _upload(page, path: str, name: str, data: bytes, button: str) -> None:
    page.goto(path)
    page.set_input_files("input[type=file]", {"name": name, "mimeType": "text/csv", "buffer": data})
    submit(page, button)
    page.wait_for_load_state()


def _check_both_widths(page, axe_check, screenshot, name: str, message: str) -> None:
    summary = page.locator(".error-summary, .error-message").first
    assert message in summary.inner_text() or message in page.inner_text("main")
    axe_check()
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check()
    screenshot(f"{name}-390")


def test_a_utf16_cluster_csv(page, site, sign_in, axe_check, screenshot):
    sign_in("staff")
    _upload(page, "/wiltshire/manage/clusters/assign/", "c.csv", hostile.utf16(), "Assign schools")
    assert page.get_by_role("alert").is_visible()
    _check_both_widths(page, axe_check, screenshot, "hostile-cluster-csv", "UTF-16")


def test_a_workbook_given_as_the_register(page, site, sign_in, axe_check, screenshot):
    sign_in("admin")
    data = hostile.workbook({"Sheet": [["URN"]]})
    _upload(page, "/wiltshire/manage/directory/import/", "r.csv", data, "Import")
    _check_both_widths(page, axe_check, screenshot, "hostile-register", "Excel workbook")


def test_a_workbook_with_entities_through_the_link(page, site, axe_check, screenshot):
    submission = SubmissionFactory(
        collection__hub=site.hub, collection__year=YEAR, partner=site.partner
    )
    link = return_link_path(hub=site.hub, submission_id=submission.pk)
    data = hostile.with_entities(hostile.far_cell_xlsx(["WCET"], {}))
    _upload(page, link, "return.xlsx", data, "Upload")
    _check_both_widths(page, axe_check, screenshot, "hostile-return", "XML entity")


def test_a_control_character_in_a_form(page, site, sign_in, axe_check, screenshot):
    sign_in("staff")
    page.goto("/wiltshire/manage/clusters/new/")
    page.fill("#id_name", "Marl\x0bborough")
    page.fill("#id_area", "Marlborough and the villages")
    submit(page, "Save")
    page.wait_for_load_state()
    _check_both_widths(
        page, axe_check, screenshot, "hostile-form-text", "invisible control character (U+000B)"
    )
