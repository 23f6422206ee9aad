"""The privacy pages in a real browser: axe-core at desktop and phone widths, and an erasure
done as a hub admin would do it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import follow, submit
from tutti.core.audit import audit
from tutti.events.models import Booking
from tutti.events.services import attendance_record
from tutti.events.tests.factories import BookingFactory, EventFactory

pytestmark = pytest.mark.browser

ANN = "ann.teacher@example.org"


@pytest.fixture
def ann(site):
    """Ann booked a CPD day held this morning and came; the log mentions her."""
    start = timezone.now().replace(microsecond=0) - timedelta(hours=4)
    held = EventFactory(
        hub=site.hub, title="CPD day", starts_at=start, ends_at=start + timedelta(hours=3)
    )
    booking = BookingFactory(event=held, email=ANN, name="Ann Teacher")
    attendance_record(session=held.sessions.get(), marks={booking.pk: "attended"}, by=None)
    BookingFactory(event=EventFactory(hub=site.hub), email=site.users["plain"].email)
    for n in range(60):
        audit("events.event.published", hub=site.hub, actor=site.users["staff"], n=n)
    audit("events.booking.created", hub=site.hub, email=ANN, name="Ann Teacher")
    return booking


PAGES = [
    ("notice", None, "/wiltshire/privacy/", "Privacy notice", 200),
    ("my-data", "plain", "/accounts/my-data/", "Your data", 200),
    ("person-empty", "admin", "/wiltshire/manage/privacy/", "Personal data", 200),
    ("person", "admin", f"/wiltshire/manage/privacy/?email={ANN}", "Personal data", 200),
    (
        "person-nobody",
        "admin",
        "/wiltshire/manage/privacy/?email=nobody@example.org",
        "Personal data",
        200,
    ),
    ("person-bad", "admin", "/wiltshire/manage/privacy/?email=not+an+email", "Personal data", 400),
    (
        "erase",
        "admin",
        f"/wiltshire/manage/privacy/erase/?email={ANN}",
        "Erase this person from Wiltshire Music Connect",
        200,
    ),
    ("audit-log", "admin", "/wiltshire/manage/audit-log/", "Audit log", 200),
    (
        "audit-log-none",
        "admin",
        "/wiltshire/manage/audit-log/?person=nobody%40example.org",
        "Audit log",
        200,
    ),
    ("audit-log-bad", "admin", "/wiltshire/manage/audit-log/?since=2026-02-30", "Audit log", 400),
]


@pytest.mark.parametrize(("name", "who", "path", "h1", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_privacy_pages_pass_axe_at_desktop_and_phone_widths(
    page, ann, sign_in, axe_check, screenshot, name, who, path, h1, status
):
    if who:
        sign_in(who)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        assert response.status == status
        assert page.get_by_role("heading", level=1).inner_text().strip() == h1
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        screenshot(f"privacy-{name}-{width}")
        axe_check()


def test_an_admin_erases_a_person_after_confirming(page, ann, sign_in, axe_check):
    sign_in("admin")
    page.goto("/wiltshire/manage/privacy/")
    page.get_by_label("Their email address").fill(ANN)
    submit(page, "Find them")
    follow(page, "Erase them…")
    assert "Their 1 booking of Wiltshire Music Connect's events" in page.content()
    submit(page, "Erase them")
    # Not ticked: the form says why and nothing changes.
    assert page.get_by_role("alert").inner_text().count("Tick the box") == 1
    axe_check()
    assert Booking.objects.get(pk=ann.pk).email == ANN
    page.get_by_label("I understand that this cannot be undone").check()
    submit(page, "Erase them")
    assert "Erased: 1 booking anonymised" in page.get_by_role("status").first.inner_text()
    axe_check()
    assert Booking.objects.get(pk=ann.pk).name == "Anonymised"
    assert Booking.objects.get(pk=ann.pk).attendances.count() == 1


def _booking_form(site) -> str:
    return f"/wiltshire/whats-on/{EventFactory(hub=site.hub, title='Cluster meeting').pk}/"


def _audit_link(site) -> str:
    from tutti.provision.tests.factories import audit_path

    return audit_path(site.hub, site.school)


def _return_link(site) -> str:
    from tutti.participation.tests.factories import SubmissionFactory
    from tutti.participation.tokens import return_link_path

    submission = SubmissionFactory(collection__hub=site.hub, partner=site.partner)
    return return_link_path(hub=site.hub, submission_id=submission.pk)


@pytest.mark.parametrize(
    "path", [_booking_form, _audit_link, _return_link], ids=["booking", "audit", "return"]
)
def test_forms_that_collect_personal_data_link_the_notice(
    request, page, site, axe_check, screenshot, path
):
    url = path(site)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.get_by_role("link", name="privacy notice").first.click()
        assert page.get_by_role("heading", level=1).inner_text().strip() == "Privacy notice"
        page.go_back()
        screenshot(f"privacy-link-{request.node.callspec.id}-{width}")
        axe_check()
