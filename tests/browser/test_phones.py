"""Pages staff and families use on a phone: each fits a 390 px screen without the page
scrolling sideways (wide tables scroll inside their own labelled box), with no axe-core
violations; and a form with errors puts focus on its error summary."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import submit
from tutti.events.tests.factories import BookingFactory, EventFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_EMAIL = "alexandra.featherstonehaugh-smythe@stmarys-primary-school-devizes.wilts.sch.uk"


@pytest.fixture
def busy(site):
    """A meeting with long names and a family booking, and one held this morning to take the
    register for; a data collection with a return to send."""
    from tutti.core.years import current_academic_year
    from tutti.participation.tests.factories import SubmissionFactory

    meeting = EventFactory(
        hub=site.hub, title="Devizes area cluster meeting", capacity=30, cluster=site.cluster
    )
    start = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    held = EventFactory(
        hub=site.hub,
        title="Held this morning: Devizes area cluster meeting",
        cluster=site.cluster,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    for n, event in enumerate([meeting, held] * 4):
        BookingFactory(
            event=event,
            name=f"Alexandra Featherstonehaugh-Smythe {n}",
            email=f"{n}.{LONG_EMAIL}",
            organisation_name="St Mary's Church of England Primary School, Devizes",
            places=1 + n % 3,
        )
    submission = SubmissionFactory(
        collection__hub=site.hub, collection__year=current_academic_year(), partner=site.partner
    )
    return {
        "register": f"/wiltshire/manage/events/{held.pk}/attendance/{held.sessions.get().pk}/",
        "managed event": f"/wiltshire/manage/events/{meeting.pk}/",
        "events list": "/wiltshire/manage/events/",
        "event form": f"/wiltshire/manage/events/{meeting.pk}/edit/",
        "impact": "/wiltshire/impact/",
        "collection": f"/wiltshire/manage/participation/collections/{submission.collection_id}/",
        "whats on": "/wiltshire/whats-on/",
        "event page": f"/wiltshire/whats-on/{meeting.pk}/",
        "hub home": "/wiltshire/",
        "your bookings": "/wiltshire/whats-on/my-bookings/",
    }


def test_every_page_fits_a_phone_with_no_sideways_scrolling(
    page, busy, sign_in, axe_check, screenshot
):
    sign_in("staff")
    too_wide = {}
    for name, path in busy.items():
        page.set_viewport_size(PHONE)
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        axe_check()
        screenshot(f"phone-{name.replace(' ', '-')}-390")
        page.set_viewport_size(DESKTOP)
        screenshot(f"phone-{name.replace(' ', '-')}-1280")
    assert too_wide == {}, f"wider than 390 px: {too_wide}"


def test_the_register_shows_every_column_on_a_phone(page, busy, sign_in):
    sign_in("staff")
    page.set_viewport_size(PHONE)
    page.goto(busy["register"])
    for column in ("Name", "Attended", "Absent"):
        header = page.get_by_role("columnheader", name=column)
        box = header.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], column
    # The last person can be marked absent without scrolling sideways.
    last = page.get_by_label("Absent: Alexandra Featherstonehaugh-Smythe 7")
    last.check()
    box = last.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_a_wide_table_scrolls_in_a_focusable_labelled_region(page, busy, sign_in):
    sign_in("staff")
    page.set_viewport_size(PHONE)
    page.goto(busy["managed event"])
    region = page.get_by_role("region", name="People with a place")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    # The keyboard scrolls it (smoothly, so wait for it to move).
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle(), timeout=3000)


def test_a_form_with_errors_moves_focus_to_its_summary(page, busy, sign_in, axe_check):
    sign_in("staff")
    page.goto(busy["event form"])
    page.fill("#id_sessions-0-end", "00:01")
    submit(page, "Save")
    summary = page.locator(".error-summary")
    assert "Session 1, ends: The session must end after it starts." in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    # Its link takes the person to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_sessions-0-end"
    axe_check()
