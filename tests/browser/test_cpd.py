"""A CPD network in a real browser, the issue's "Done when": a teacher asks to join and a
facilitator approves; the teacher books the autumn day, the facilitator records them as
attending, their school claims supply cover, staff approve it and export it; the teacher
downloads a certificate whose verification address confirms it; they post in the network's
space and another member is emailed. axe-core on every page on the way."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browser import follow, submit
from tutti.cpd import services
from tutti.cpd.models import MemberRole
from tutti.cpd.tests.factories import member_of, network_of

pytestmark = pytest.mark.browser

BASE = "/wiltshire/networks/primary-music/"


@pytest.fixture
def network(site):
    """Wiltshire's primary network, with the coordinator as its facilitator and an autumn day
    later today (members book first; attendance can be taken on the day)."""
    network = network_of(site.hub)
    network.supply_cover_rate = Decimal("110.00")
    network.save(update_fields=["supply_cover_rate"])
    member_of(network, site.users["coordinator"], school=site.school, role=MemberRole.FACILITATOR)
    starts = timezone.localtime() + timedelta(minutes=10)
    services.day_create(
        network=network,
        spec=services.DaySpec(
            term="autumn",
            year=2025,
            day=starts.date(),
            starts=starts.time().replace(second=0, microsecond=0),
            ends=(starts + timedelta(hours=5)).time().replace(second=0, microsecond=0)
            if starts.hour < 18
            else starts.replace(hour=23, minute=59).time(),
            venue_name="The Minster School, Southwell",
        ),
        by=site.users["staff"],
    )
    return network


def _check(page, axe_check, screenshot, name: str) -> None:
    axe_check()
    screenshot(f"cpd-{name}-1280")


def _fits_a_phone(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"cpd-{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_join_book_attend_claim_approve_certificate_and_post(
    page, site, network, sign_in, inbox, axe_check, screenshot
):
    teacher = site.users["plain"]

    # The teacher asks to join.
    sign_in("plain")
    page.goto("/wiltshire/networks/")
    _check(page, axe_check, screenshot, "list")
    follow(page, "Primary music CPD network")
    _check(page, axe_check, screenshot, "detail")
    follow(page, "Ask to join")
    page.get_by_label("The school you teach at").select_option(str(site.school.pk))
    page.get_by_label("Why you would like to join").fill("I lead music in Year 4.")
    _check(page, axe_check, screenshot, "join")
    submit(page, "Ask to join")
    assert "a facilitator will look at your request" in page.content()

    # The facilitator approves.
    sign_in("coordinator")
    page.goto(f"{BASE}members/")
    assert "I lead music in Year 4." in page.content()
    _check(page, axe_check, screenshot, "members")
    _fits_a_phone(page, screenshot, "members")
    submit(page, "Approve")
    assert "is now a member" in page.content()
    assert inbox.wait_for(teacher.email)["Subject"] == "Welcome to Primary music CPD network"

    # The teacher books the autumn day, in the members' early window.
    sign_in("plain")
    page.goto(BASE)
    follow(page, "Autumn term")
    _check(page, axe_check, screenshot, "day")
    submit(page, "Book my place")
    assert "Your place is booked" in page.content()

    # The facilitator takes the register on the day.
    sign_in("coordinator")
    page.goto(BASE)
    follow(page, "Autumn term")
    follow(page, "Take the register")
    page.locator("input[type=radio][value=attended]").first.check()
    _check(page, axe_check, screenshot, "register")
    submit(page, "Save attendance")
    assert "Attendance saved" in page.content()

    # The teacher's school claims supply cover.
    sign_in("plain")
    page.goto(f"{BASE}claims/")
    _check(page, axe_check, screenshot, "claims")
    follow(page, "Claim for 1 teacher")
    page.get_by_label(re.compile(teacher.get_full_name())).check()
    _check(page, axe_check, screenshot, "claim")
    submit(page, "Send the claim")
    assert "Waiting for the hub" in page.content()

    # Staff approve it and export it for payment.
    sign_in("staff")
    page.goto("/wiltshire/manage/networks/")
    _check(page, axe_check, screenshot, "manage")
    follow(page, "Supply-cover claims")
    _check(page, axe_check, screenshot, "manage-claims")
    follow(page, "Decide")
    page.get_by_label("Approve").check()
    _check(page, axe_check, screenshot, "decide")
    submit(page, "Save the decision")
    assert "Claim approved" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[1][:3] == ["Devizes Primary School", "126000", teacher.get_full_name()]
    assert ["Devizes Primary School", "126000", "1", "110.0"] in rows

    # The teacher downloads a certificate; its verification address confirms it.
    sign_in("plain")
    page.goto(f"{BASE}my-record/")
    _check(page, axe_check, screenshot, "my-record")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the certificate")).click()
    reader = PdfReader(str(download.value.path()))
    links = [
        a.get_object()["/A"]["/URI"]
        for p in reader.pages
        for a in p.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    verify = next(link for link in links if "/networks/certificates/" in link)
    assert "Primary music CPD network" in reader.pages[0].extract_text()
    page.goto(verify)
    assert page.locator("h1").inner_text() == "This certificate is genuine"
    assert teacher.get_full_name() in page.content()
    _check(page, axe_check, screenshot, "verified")
    page.goto(verify[:-3] + "xyz/")
    assert page.locator("h1").inner_text() == "Not a genuine certificate"

    # They post in the network's space, and the facilitator is emailed.
    page.goto(BASE)
    follow(page, "Discussion")
    _check(page, axe_check, screenshot, "space")
    follow(page, "Start a discussion")
    page.get_by_label("Title").fill("Songs for Year 4")
    page.get_by_label("Your post").fill("What are you **singing** this term? <script>x()</script>")
    submit(page, "Post")
    assert page.locator("strong", has_text="singing").count() == 1
    _check(page, axe_check, screenshot, "thread")
    _fits_a_phone(page, screenshot, "thread")
    message = inbox.wait_for(site.users["coordinator"].email)
    assert "Songs for Year 4" in message["Subject"]


def _role_for(expected: dict[str, int]) -> str | None:
    for role in ("plain", "coordinator", "staff", "anonymous"):
        if expected[role] == 200:
            return role
    return None


NOT_HTML = {
    "cpd:certificate-day",
    "cpd:certificate-year",
    "cpd:resource-file",
    "cpd-manage:claims-csv",
    "cpd-manage:claims-xlsx",
}


def test_every_cpd_page_passes_axe(page, site, sign_in, axe_check, screenshot, settings, tmp_path):
    """Each page of the access matrix's CPD part, as someone who may see it, with data in it."""
    from tests.matrix.cpd import MATRIX
    from tutti.cpd.tests.factories import cpd_world

    settings.MEDIA_ROOT = tmp_path
    cpd_world(site)
    checked = []
    for name, (build, expected) in sorted(MATRIX.items()):
        role = _role_for(expected)
        if role is None or name in NOT_HTML:
            continue
        path = build(site)
        page.context.clear_cookies()
        if role != "anonymous":
            sign_in(role)
        response = page.goto(path)
        assert response.status == 200, (name, role, response.status)
        axe_check()
        checked.append(name)
        if name in {"cpd:planning", "cpd:survey", "cpd:visits", "cpd:resources"}:
            screenshot(f"cpd-page-{name.split(':')[1]}-1280")
    assert len(checked) > 30


def test_cpd_forms_with_problems_pass_axe(page, site, sign_in, axe_check, screenshot):
    """A form sent with a problem: the summary and the field's message, checked by axe."""
    network_of(site.hub)
    sign_in("plain")
    page.goto(f"{BASE}join/")
    submit(page, "Ask to join")
    assert "Choose the school you teach at." in page.content()
    axe_check()
    screenshot("cpd-join-problem-1280")
    sign_in("staff")
    page.goto("/wiltshire/manage/networks/new/")
    page.get_by_label("Name").fill("Secondary music CPD network")
    page.get_by_label(re.compile("supply-cover contribution", re.I)).fill("-5")
    submit(page, "Save")
    assert "There is a problem" in page.content()
    axe_check()
