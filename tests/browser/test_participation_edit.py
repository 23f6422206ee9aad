"""Hub staff change and delete a participation record in the browser; axe-core on the way."""

import pytest

from tests.browser import follow, submit

pytestmark = pytest.mark.browser


def test_staff_edit_and_delete_a_record(page, site, sign_in, axe_check, screenshot):
    from tutti.core.years import current_academic_year
    from tutti.participation.models import WcetProgramme
    from tutti.participation.tests.factories import WcetFactory

    year = current_academic_year() - 1
    record = WcetFactory(hub=site.hub, partner=site.partner, school=site.school, year=year)
    sign_in("staff")
    page.goto(f"/wiltshire/manage/participation/?year={year}")
    axe_check()
    # Each row's link names its record for screen readers.
    follow(page, "Edit the record: Wiltshire Music Centre, Devizes")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Edit: whole-class ensemble teaching"
    )
    assert page.get_by_label("School URN").input_value() == "126000"
    axe_check()
    screenshot("participation-record-edit")

    page.get_by_label("Pupils who continued").fill("40")
    submit(page, "Save changes")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe_check()

    page.get_by_label("Pupils who continued").fill("12")
    page.get_by_label("Pupils", exact=True).fill("25")
    submit(page, "Save changes")
    page.wait_for_load_state()
    assert "25 pupils" in page.locator("main").inner_text()
    record.refresh_from_db()
    assert (record.pupils, record.continued) == (25, 12)

    follow(page, "Delete the record: Wiltshire Music Centre, Devizes")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Delete this record?"
    axe_check()
    screenshot("participation-record-delete")
    submit(page, "Delete the record")
    page.wait_for_load_state()
    assert "Deleted: whole-class ensemble teaching." in page.locator("main").inner_text()
    assert not WcetProgramme.objects.filter(pk=record.pk).exists()
