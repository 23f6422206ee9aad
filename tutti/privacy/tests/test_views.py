"""The privacy pages, the read audit on other apps' pages, and the audit log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tutti.accounts.models import Role
from tutti.accounts.tests.factories import MembershipFactory
from tutti.core.audit import audit
from tutti.core.models import AuditLog
from tutti.events.models import Booking
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.participation.tests.factories import SubmissionFactory
from tutti.participation.tokens import return_link_path
from tutti.privacy.tests.helpers import attended, past_event, read_zip
from tutti.provision.tests.factories import audit_path

PERSON = "/wiltshire/manage/privacy/"
ERASE = "/wiltshire/manage/privacy/erase/"
LOG = "/wiltshire/manage/audit-log/"


# The privacy notice, and the links to it


def test_the_default_notice_names_the_hub_and_its_periods(client, world):
    world.hub.contact_email = "data@wiltshire.example.org"
    world.hub.retention_booking_months = 18
    world.hub.save(update_fields=["contact_email", "retention_booking_months"])
    html = client.get("/wiltshire/privacy/").content.decode()
    assert "Wiltshire Music Connect is the controller" in html
    assert "mailto:data@wiltshire.example.org" in html
    assert "removed 18 months after the event ends" in html


def test_the_default_notice_covers_what_each_newer_app_keeps_and_for_how_long(client, world):
    world.hub.retention_booking_months = 18
    world.hub.save(update_fields=["retention_booking_months"])
    html = client.get("/wiltshire/privacy/").content.decode()
    # What is kept, and the basis, for each thing a family or teacher may do.
    for action, basis in [
        ("If you sign up to our newsletter", "your consent"),
        ("If you join one of our CPD networks", "legitimate interest"),
        ("If you ask to borrow an instrument for your child", "hire agreement"),
        ("If your child enters one of our competitions", "your consent"),
        ("If your child takes part in a programme", "your consent"),
        ("If you send a music passport", "your consent"),
    ]:
        start = html.index(action)
        assert basis in html[start : html.index("</li>", start)], action
    # And when it goes; the CPD places follow the hub's own bookings period.
    assert "CPD network places that ended or were refused: deleted 18 months later" in html
    for period in ["after 30 days", "2 years after the instrument comes back", "180 days"]:
        assert period in html


def test_a_hubs_own_notice_replaces_the_default_text(client, world):
    world.hub.privacy_notice = "Our notice.\n\n<b>Written by us</b>."
    world.hub.save(update_fields=["privacy_notice"])
    html = client.get("/wiltshire/privacy/").content.decode()
    assert "<p>Our notice.</p>" in html
    assert "&lt;b&gt;Written by us&lt;/b&gt;" in html
    assert "is the controller" not in html
    assert "24 months after the event ends" in html


def test_the_booking_form_says_what_is_kept_and_for_how_long(client, world):
    event = EventFactory(hub=world.hub)
    html = client.get(f"/wiltshire/whats-on/{event.pk}/").content.decode()
    assert "We remove them 24 months after the event ends" in html
    assert 'href="/wiltshire/privacy/"' in html


def test_the_signed_link_forms_link_the_notice(client, world):
    submission = SubmissionFactory(collection__hub=world.hub, partner=world.partner)
    for path in (
        return_link_path(hub=world.hub, submission_id=submission.pk),
        f"{return_link_path(hub=world.hub, submission_id=submission.pk)}add/wcet/",
        audit_path(world.hub, world.school),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'href="/wiltshire/privacy/"' in response.content.decode(), path


# Reads of personal data are audited: exactly one row per view


def _reads(world):
    event = past_event(world.hub, title="Register day", sessions=((2, "Only"),))
    attended(event, ["attended"], email="ann@example.org")
    session = event.sessions.get()
    return [
        (f"/wiltshire/manage/events/{event.pk}/", "read.events.attendees"),
        (f"/wiltshire/manage/events/{event.pk}/attendees.csv", "read.events.attendees_csv"),
        (f"/wiltshire/manage/events/{event.pk}/attendees.xlsx", "read.events.attendees_xlsx"),
        (
            f"/wiltshire/manage/events/{event.pk}/attendance/{session.pk}/",
            "read.events.attendance_register",
        ),
        ("/wiltshire/manage/events/cpd/?email=ann@example.org", "read.events.cpd_record"),
        ("/wiltshire/manage/participation/", "read.participation.records"),
        (
            "/wiltshire/manage/participation/figures/schools-engaged/",
            "read.participation.figure_records",
        ),
        ("/wiltshire/manage/participation/return.xlsx", "read.participation.data_return"),
        ("/wiltshire/manage/participation/return.csv", "read.participation.data_return"),
        ("/wiltshire/manage/provision/", "read.provision.audits"),
    ]


def test_each_read_of_names_writes_one_audit_row(client_for, world):
    client = client_for("staff")
    for path, action in _reads(world):
        before = AuditLog.objects.count()
        assert client.get(path).status_code == 200, path
        assert AuditLog.objects.count() == before + 1, path
        entry = AuditLog.objects.order_by("-pk").first()
        assert (entry.action, entry.actor, entry.hub) == (action, world.users["staff"], world.hub)
        assert entry.data["path"] == path


def test_the_api_lists_of_names_are_audited_too(client_for, world):
    event = EventFactory(hub=world.hub)
    client = client_for("staff")
    for path, action in (
        (f"/api/hubs/wiltshire/events/{event.pk}/bookings", "read.events.attendees"),
        ("/api/hubs/wiltshire/participation/wcet?year=2024", "read.participation.records"),
    ):
        before = AuditLog.objects.count()
        assert client.get(path).status_code == 200, path
        assert AuditLog.objects.count() == before + 1
        assert AuditLog.objects.order_by("-pk").first().action == action


def test_a_cpd_form_with_no_email_is_not_a_read(client_for, world):
    client_for("staff").get("/wiltshire/manage/events/cpd/")
    assert not AuditLog.objects.filter(action="read.events.cpd_record").exists()


# Finding a person, downloading and erasing


@pytest.mark.parametrize(("who", "linked"), [("admin", True), ("staff", False)])
def test_the_manage_page_links_personal_data_for_admins_only(client_for, world, who, linked):
    html = client_for(who).get("/wiltshire/manage/").content.decode()
    assert ('href="/wiltshire/manage/privacy/"' in html) is linked


def test_an_admin_finds_what_the_hub_holds(client_for, world):
    BookingFactory(event=EventFactory(hub=world.hub), email="ann@example.org", name="Ann T")
    html = client_for("admin").get(PERSON, {"email": "ann@example.org"}).content.decode()
    assert "Download their data (ZIP)" in html
    assert f"{ERASE}?email=ann%40example.org" in html
    entry = AuditLog.objects.get(action="privacy.person.looked_up")
    assert entry.data["email"] == "ann@example.org"


def test_nobody_found_says_so(client_for, world):
    html = client_for("admin").get(PERSON, {"email": "nobody@example.org"}).content.decode()
    assert "holds nothing about nobody@example.org" in html


def test_a_bad_email_is_refused_with_a_summary(client_for, world):
    response = client_for("admin").get(PERSON, {"email": "not an email"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not AuditLog.objects.exists()


def test_the_download_is_audited_once(client_for, world):
    BookingFactory(event=EventFactory(hub=world.hub), email="ann@example.org")
    response = client_for("admin").post(
        "/wiltshire/manage/privacy/download/", {"email": "ann@example.org"}
    )
    data, _ = read_zip(response.content)
    assert len(data["bookings"]) == 1
    assert AuditLog.objects.filter(action="privacy.access_request.downloaded").count() == 1
    assert AuditLog.objects.count() == 1


def test_erasing_needs_the_box_ticked(client_for, world):
    BookingFactory(event=EventFactory(hub=world.hub), email="ann@example.org")
    response = client_for("admin").post(ERASE, {"email": "ann@example.org"})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert Booking.objects.filter(email="ann@example.org").exists()


def test_an_admin_cannot_erase_themselves(client_for, world):
    admin = world.users["admin"]
    response = client_for("admin").post(ERASE, {"email": admin.email, "confirm": "on"})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active and admin.memberships.exists()


def test_the_erase_page_says_the_account_stays_for_another_hub(client_for, world):
    staff = world.users["staff"]
    MembershipFactory(hub=world.other_hub, user=staff, role=Role.HUB_STAFF)
    html = client_for("admin").get(ERASE, {"email": staff.email}).content.decode()
    assert "Their account stays open, because Cambridgeshire Music also holds" in html
    assert "Their role in Wiltshire Music Connect is removed" in html


def test_another_hubs_admin_cannot_erase_here(client, world):
    other_admin = MembershipFactory(hub=world.other_hub, role=Role.HUB_ADMIN).user
    booking = BookingFactory(event=EventFactory(hub=world.hub), email="ann@example.org")
    client.force_login(other_admin)
    assert client.post(ERASE, {"email": "ann@example.org", "confirm": "on"}).status_code == 404
    # Through their own hub's page, Wiltshire's booking is not theirs to erase.
    client.post(
        "/cambridgeshire/manage/privacy/erase/", {"email": "ann@example.org", "confirm": "on"}
    )
    booking.refresh_from_db()
    assert booking.email == "ann@example.org"


def test_my_data_downloads_my_own_from_every_hub(client_for, world):
    plain = world.users["plain"]
    BookingFactory(event=EventFactory(hub=world.hub), email=plain.email)
    BookingFactory(event=EventFactory(hub=world.other_hub), email=plain.email)
    BookingFactory(event=EventFactory(hub=world.hub), email="someone.else@example.org")
    client = client_for("plain")
    assert "Download all your data" in client.get("/accounts/my-data/").content.decode()
    data, _ = read_zip(client.post("/accounts/my-data/").content)
    assert sorted(b["email"] for b in data["bookings"]) == [plain.email, plain.email]
    assert AuditLog.objects.filter(action="privacy.own_data.downloaded", actor=plain).count() == 1


# The audit log


@pytest.fixture
def entries(world):
    """65 entries in Wiltshire's log over 65 days, one naming Ann; one in Cambridgeshire's."""
    now = timezone.now()
    for n in range(65):
        entry = audit("events.event.published", hub=world.hub, actor=world.users["staff"], n=n)
        AuditLog.objects.filter(pk=entry.pk).update(created_at=now - timedelta(days=n))
    audit("events.booking.created", hub=world.hub, email="ann@example.org")
    audit("events.booking.created", hub=world.other_hub, email="ann@example.org")


def test_the_log_is_paged_and_grows_by_one_row_per_view(client_for, world, entries):
    client = client_for("admin")
    before = AuditLog.objects.count()
    first = client.get(LOG)
    assert AuditLog.objects.count() == before + 1
    assert len(first.context["page"].object_list) == 50
    second = client.get(LOG, {"page": 2})
    assert AuditLog.objects.count() == before + 2
    # 66 entries, and the row each view wrote.
    assert len(second.context["page"].object_list) == 66 + 2 - 50
    assert first.context["page"].object_list[0].action == "privacy.audit_log.read"


def test_the_log_filters_by_person_action_and_dates(client_for, world, entries):
    client = client_for("admin")
    ann = client.get(LOG, {"person": "ann@example.org"}).context["page"].object_list
    assert [e.action for e in ann] == ["events.booking.created"]
    assert ann[0].hub == world.hub
    staff = client.get(LOG, {"person": world.users["staff"].email}).context["page"]
    assert staff.paginator.count == 65
    today = timezone.localdate()
    dated = client.get(
        LOG,
        {
            "action": "events.event.published",
            "since": (today - timedelta(days=9)).isoformat(),
            "until": (today - timedelta(days=5)).isoformat(),
        },
    ).context["page"]
    assert sorted(e.data["n"] for e in dated.object_list) == [5, 6, 7, 8, 9]


def test_a_bad_filter_is_refused_with_a_summary(client_for, world, entries):
    response = client_for("admin").get(LOG, {"since": "2026-02-30", "action": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Select a valid choice" in html


def test_the_erase_page_says_when_the_account_is_closed(client_for, world):
    coordinator = world.users["coordinator"]
    html = client_for("admin").get(ERASE, {"email": coordinator.email}).content.decode()
    assert "Their account is closed" in html
    assert "Devizes area will have no coordinator" in html
