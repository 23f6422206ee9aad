"""Adding a partner with mistakes, a partner's address, and the gap list with an estimated
number, in a real browser at desktop and phone widths: axe-core finds nothing, nothing scrolls
sideways, and each page is saved in test-results/ for a person to look at."""

from decimal import Decimal

import pytest

from tests.browser import submit
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.provision.tests.factories import SchoolAuditFactory

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_partner_with_a_bad_postcode_and_a_taken_name(
    page, site, sign_in, axe_check, screenshot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("staff")
    page.goto("/wiltshire/manage/directory/new/")
    assert page.get_by_text("middle of its postcode district").is_visible()
    assert page.locator("#id_latitude").count() == 0
    page.get_by_label("Name").fill("Wiltshire Music Centre")
    page.get_by_label("Postcode").fill("not a postcode!!")
    submit(page, "Save")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "is not a UK postcode" in summary.inner_text()
    assert "is already in the directory" in summary.inner_text()
    # Nothing was cut short: the whole of what was typed is there to correct.
    assert page.get_by_label("Postcode").input_value() == "not a postcode!!"
    axe_check()
    _fits(page)
    screenshot(f"partner-form-errors-{width}")
    page.get_by_label("Name").fill("Devizes Drum School")
    page.get_by_label("Postcode").fill("sn10 1ab")
    submit(page, "Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Devizes Drum School"
    assert page.get_by_text("SN10 1AB", exact=True).is_visible()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_partners_address_has_no_stray_comma(page, site, axe_check, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    partner = OrganisationFactory(
        hub=site.hub, name="Bradford Strings", address="", town="Devizes", postcode="SN10 1AB"
    )
    page.goto(f"/wiltshire/directory/{partner.pk}/")
    assert page.locator("dt:text('Address') + dd").inner_text() == "Devizes SN10 1AB"
    axe_check()
    _fits(page)
    screenshot(f"partner-address-{width}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_gap_list_says_how_it_is_ordered(page, site, axe_check, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, pupils, fsm in (("Big School", 420, "30.0"), ("New Academy", None, "54.7")):
        school = SchoolFactory(
            name=name,
            local_authority=site.la,
            pupils=pupils,
            pupils_census="January 2023" if pupils else "",
            percent_fsm=Decimal(fsm),
        )
        SchoolAuditFactory(hub=site.hub, school=school, wcet="no")
    page.goto("/wiltshire/provision/")
    assert page.get_by_text("school census of January 2023").is_visible()
    rows = page.locator("table:has(caption:text('most in need')) tbody tr")
    # No census number: counted at the size of the other primary (420), at its 54.7%.
    assert rows.nth(0).locator("th").inner_text() == "New Academy"
    assert "about 420" in rows.nth(0).inner_text()
    assert rows.nth(1).locator("th").inner_text() == "Big School"
    axe_check()
    _fits(page)
    screenshot(f"gap-list-{width}")
