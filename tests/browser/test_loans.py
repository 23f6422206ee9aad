"""The instrument library in a real browser: a parent asks for a 1/2-size violin with free
hire, staff lend one by typing its tag, the parent accepts the agreement through the emailed
link, the term's charges show the child free, the violin comes back damaged and goes to repair,
and the impact figure counts the loan. axe-core on every page of the library."""

import re
from decimal import Decimal

import pytest

from tests.browser import follow, submit
from tutti.core.years import current_academic_year
from tutti.loans import services
from tutti.loans.models import Loan, Repair, Status
from tutti.loans.tests.factories import InstrumentFactory
from tutti.participation.tests.factories import WcetFactory

pytestmark = pytest.mark.browser


def _fits_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _figure(page) -> str:
    page.goto(f"/wiltshire/impact/?year={current_academic_year()}", timeout=60_000)
    return page.locator("#figure-instruments-on-loan td.num").first.inner_text().strip()


def _library(site):
    staff = site.users["staff"]
    services.agreement_publish(
        hub=site.hub,
        text="Keep the violin in its case.\nBring it back by the date given.",
        by=staff,
    )
    services.fee_set(hub=site.hub, key="family:strings", amount=Decimal("30"), by=staff)
    services.settings_save(
        hub=site.hub,
        data={
            "priority_rule": "fsm_pp_first",
            "low_income_percent": 50,
            "how_to_pay": "By bank transfer, quoting the charge number.",
        },
        by=staff,
    )
    InstrumentFactory(hub=site.hub, owner=site.partner, asset_tag="WMC-00042", size="1/2")
    InstrumentFactory(hub=site.hub, owner=site.partner, asset_tag="WMC-00043", size="3/4")
    # A partner's return for this year, so the impact page has a year to show.
    WcetFactory(
        hub=site.hub, partner=site.partner, school=site.school, year=current_academic_year()
    )


def test_a_parent_asks_staff_lend_the_parent_accepts_and_the_violin_comes_back_damaged(
    page, site, sign_in, inbox, axe_check, screenshot
):
    _library(site)
    sign_in("staff")
    before = _figure(page)
    assert "partners" in page.content()

    # The parent, without an account.
    page.context.clear_cookies()
    page.goto("/wiltshire/instruments/")
    axe_check()
    page.get_by_label("Instrument and size").select_option("violin|1/2")
    page.get_by_label("Pupil's first name").fill("Ava")
    page.get_by_label("Pupil's surname").fill("Jones")
    page.get_by_label("School").select_option(label="Devizes Primary School")
    page.get_by_label("Year group").fill("Year 4")
    page.get_by_label("Your name").fill("Sam Jones")
    page.get_by_label("Your email address").fill("sam.jones@example.org")
    page.get_by_label("Free or reduced hire").select_option("fsm")
    screenshot("loans-request-1280")
    submit(page, "Send the request")
    assert "Ava is on the waiting list for a violin 1/2" in page.content()
    assert "1st in line" in page.content()
    axe_check()
    screenshot("loans-follow-waiting-1280")
    received = inbox.wait_for("sam.jones@example.org")
    assert "waiting list" in received.get_body(preferencelist=("plain",)).get_content()

    # Staff see the request in the queue, grant free hire and lend a violin by its tag.
    sign_in("staff")
    page.goto("/wiltshire/manage/loans/requests/")
    assert "Violin 1/2" in page.content()
    axe_check()
    follow(page, "Ava Jones")
    axe_check()
    page.get_by_label("Grant free or reduced hire").check()
    page.get_by_label("Ground").select_option("fsm")
    page.get_by_label("Evidence seen").fill("Free school meals letter, September")
    submit(page, "Save the decision")
    assert "Eligible for free school meals: granted" in page.content()
    page.get_by_label("Asset tag").fill("wmc-00043")
    submit(page, "Lend it")
    assert "Violin 3/4" in page.content()  # the wrong size: refused, beside the field
    page.get_by_label("Asset tag").fill("wmc-00042")
    submit(page, "Lend it")
    assert "Lent WMC-00042 to Ava Jones" in page.content()
    axe_check()
    assert _figure(page) != before
    assert _figure(page) == "1"
    assert "instrument library in Tutti" in page.content()

    # The parent accepts the agreement through the emailed link.
    ready = None
    for _ in range(50):
        ready = next((m for rcpt, m in inbox.messages if "ready" in m["Subject"]), None)
        if ready:
            break
        page.wait_for_timeout(100)
    assert ready is not None
    body = ready.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(site.url) + r"(/wiltshire/instruments/follow/[^/\s]+/)", body)
    assert link, body
    page.context.clear_cookies()
    page.goto(link[1])
    assert "Keep the violin in its case" in page.content()
    page.get_by_label("Your full name").fill("Sam Jones")
    page.get_by_label("I have read the agreement and accept it").check()
    submit(page, "Accept the agreement")
    assert "you have accepted the loan agreement" in page.content()
    assert "agreement accepted by Sam Jones" in page.content()
    axe_check()
    screenshot("loans-follow-accepted-1280")
    _fits_a_phone(page)
    loan = Loan.objects.get()
    assert loan.accepted_by == "Sam Jones" and loan.agreement.version == 1

    # The term's charges show the child free.
    sign_in("staff")
    page.goto("/wiltshire/manage/loans/charges/")
    submit(page, "Make the term's charges")
    row = page.locator("tr", has_text="Ava Jones")
    assert "Free" in row.inner_text() and "£30.00" in row.inner_text()
    axe_check()

    # The violin comes back damaged and goes to repair; the figure still counts the loan.
    page.goto(f"/wiltshire/manage/loans/loans/{loan.pk}/")
    page.get_by_label("Condition").select_option("damaged")
    page.get_by_label("Damage or fault").fill("Cracked top")
    submit(page, "Record the return")
    assert "WMC-00042 is back and sent to repair" in page.content()
    axe_check()
    repair = Repair.objects.get()
    assert repair.fault == "Cracked top"
    assert repair.instrument.status == Status.IN_REPAIR
    page.goto("/wiltshire/manage/loans/repairs/")
    assert "Cracked top" in page.content()
    axe_check()
    assert _figure(page) == "1"


def test_every_library_page_passes_axe_and_fits_a_phone(page, site, sign_in, axe_check, screenshot):
    _library(site)
    staff = site.users["staff"]
    instrument = InstrumentFactory(hub=site.hub, owner=site.partner, asset_tag="WMC-00050")
    services.repair_open(instrument=instrument, fault="Loose peg", sent_to="", by=staff)
    repair = Repair.objects.get()
    sign_in("staff")
    m = "/wiltshire/manage/loans"
    pages = [
        ("dashboard", f"{m}/"),
        ("instruments", f"{m}/instruments/"),
        ("instrument", f"{m}/instruments/{instrument.pk}/"),
        ("instrument-edit", f"{m}/instruments/{instrument.pk}/edit/"),
        ("instrument-new", f"{m}/instruments/new/"),
        ("label", f"{m}/instruments/{instrument.pk}/label/"),
        ("import", f"{m}/instruments/import/"),
        ("queue", f"{m}/requests/"),
        ("loans", f"{m}/loans/"),
        ("overdue", f"{m}/loans/?overdue=1"),
        ("school", f"{m}/loans/school/"),
        ("repairs", f"{m}/repairs/"),
        ("repair-close", f"{m}/repairs/{repair.pk}/"),
        ("fees", f"{m}/fees/"),
        ("charges", f"{m}/charges/"),
    ]
    for _name, path in pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        axe_check()
        _fits_a_phone(page)
    page.goto(f"{m}/")
    screenshot("loans-dashboard-1280")
    page.goto(f"{m}/instruments/{instrument.pk}/label/")
    screenshot("loans-label-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{m}/")
    screenshot("loans-dashboard-390")
    # A bad import is explained row by row, and passes axe too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{m}/instruments/import/")
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(
        files=[
            {
                "name": "store.csv",
                "mimeType": "text/csv",
                "buffer": b"Asset tag,Type,Owner\nX-1,Kazoo,Nobody\n",
            }
        ]
    )
    submit(page, "Check and import")
    assert "Row 2:" in page.content()
    axe_check()
    screenshot("loans-import-problems-1280")
