"""The pages this change touches, as their users see them: at 1280 and 390 px wide, with no
axe-core violations and no sideways scrolling on a phone."""

import pytest

from tests.browser import follow, submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_a_phone(page):
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def _both_widths(page, axe_check, screenshot, name):
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check()
    screenshot(f"{name}-1280")
    _fits_a_phone(page)
    axe_check()
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_staff_give_a_school_a_new_audit_link(page, site, sign_in, axe_check, screenshot):
    sign_in("staff")
    page.goto("/wiltshire/manage/provision/")
    _both_widths(page, axe_check, screenshot, "provision-schools")
    old = page.locator(".audit-link code").first.inner_text()
    submit(page, f"New link for {site.school.name}")
    page.wait_for_load_state()
    assert "has a new audit link" in page.locator(".messages").inner_text()
    assert page.locator(".audit-link code").first.inner_text() != old
    _both_widths(page, axe_check, screenshot, "provision-new-link")


def test_staff_give_a_partner_a_new_return_link_and_the_partner_checks_before_sending(
    page, site, sign_in, axe_check, screenshot
):
    from tutti.core.years import current_academic_year
    from tutti.participation.tests.factories import SubmissionFactory, WcetFactory

    year = current_academic_year() - 1
    submission = SubmissionFactory(
        collection__hub=site.hub, collection__year=year, partner=site.partner
    )
    WcetFactory(
        hub=site.hub, partner=site.partner, school=site.school, year=year, submission=submission
    )
    sign_in("staff")
    page.goto(f"/wiltshire/manage/participation/collections/{submission.collection_id}/")
    submit(page, f"New link for {site.partner.name}")
    page.wait_for_load_state()
    assert "has a new link" in page.locator(".messages").inner_text()
    _both_widths(page, axe_check, screenshot, "participation-collection-new-link")

    page.goto(f"/wiltshire/manage/participation/publish/?year={year}")
    assert "1 partner has not sent its return yet" in page.locator("main").inner_text()
    _both_widths(page, axe_check, screenshot, "participation-publish-warning")

    page.goto(f"/wiltshire/manage/participation/?year={year}&section=wcet")
    _both_widths(page, axe_check, screenshot, "participation-records-one-kind")

    sign_in("partner")
    page.goto(f"/wiltshire/manage/participation/returns/{submission.pk}/")
    follow(page, "Check and send my return")
    page.wait_for_load_state()
    _both_widths(page, axe_check, screenshot, "participation-return-check")
    submit(page, "Yes, send my return")
    page.wait_for_load_state()
    assert "What you sent" in page.locator("main").inner_text()
    _both_widths(page, axe_check, screenshot, "participation-return-sent")


def test_an_ended_events_cancel_link_says_so(page, site, axe_check, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    from tutti.events.tests.factories import BookingFactory, EventFactory
    from tutti.events.tokens import booking_token

    start = timezone.now() - timedelta(days=2)
    event = EventFactory(hub=site.hub, starts_at=start, ends_at=start + timedelta(hours=2))
    booking = BookingFactory(event=event)
    response = page.goto(f"/wiltshire/whats-on/bookings/{booking_token(booking)}/cancel/")
    assert response.status == 410
    assert page.get_by_role("heading", level=1).inner_text() == "This event has ended"
    _both_widths(page, axe_check, screenshot, "booking-cancel-ended")
