"""The Done-when points, on the demo: an access request, erasure and retention."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from tutti.accounts.models import User
from tutti.core.models import AuditLog
from tutti.demo.loader import load_demo
from tutti.directory.models import Hub
from tutti.events import services as event_services
from tutti.events.models import Attendance, Booking, BookingStatus, Event
from tutti.privacy.services import ANONYMISED_DOMAIN
from tutti.privacy.tests.helpers import attended, hub_cpd_hours, past_event, read_zip

TEACHER = "devizes.teacher1@example.org"


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)
    return Hub.objects.get(slug="wiltshire")


def _download(client, email):
    response = client.post("/wiltshire/manage/privacy/download/", {"email": email})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return read_zip(response.content)


def test_access_request_then_erasure_on_the_demo(client, demo):
    # The demo's Devizes teacher has a place at this term's meeting; give them a CPD day they
    # came to part of, so that their record has attendance too.
    cpd = past_event(demo, title="Singing in the classroom")
    attended(cpd, ["attended", "absent"], name="Teacher 1", email=TEACHER)
    meeting = Event.objects.get(hub=demo, title="Devizes area Musical Cluster meeting")
    client.force_login(User.objects.get(email="wiltshire.admin@example.org"))

    data, html = _download(client, TEACHER)

    theirs = Booking.objects.filter(email=TEACHER)
    assert sorted(b["event"] for b in data["bookings"]) == sorted(
        theirs.values_list("event__title", flat=True)
    )
    assert len(data["bookings"]) == 2
    marks = [(a["session"], a["status"]) for b in data["bookings"] for a in b["attendance"]]
    assert sorted(marks) == sorted(
        (a.session.title, a.status) for a in Attendance.objects.filter(booking__in=theirs)
    )
    assert len(marks) == 2
    assert "Singing in the classroom" in html and "Teacher 1" in html

    booked = meeting.bookings.filter(status=BookingStatus.CONFIRMED).count()
    hours = hub_cpd_hours(demo)
    page = client.get("/wiltshire/manage/privacy/erase/", {"email": TEACHER})
    assert "2 bookings" in page.content.decode()
    response = client.post(
        "/wiltshire/manage/privacy/erase/", {"email": TEACHER, "confirm": "on"}, follow=True
    )
    assert "Erased: 2 bookings anonymised" in response.content.decode()

    data, html = _download(client, TEACHER)
    assert data["bookings"] == [] and data["account"] is None and data["memberships"] == []
    # What is left about them: the access request and the erasure, naming nobody.
    assert all(TEACHER not in str(e["data"]) for e in data["audit_entries"])
    assert "Teacher 1" not in html
    assert meeting.bookings.filter(status=BookingStatus.CONFIRMED).count() == booked
    assert hub_cpd_hours(demo) == hours


def test_retention_on_the_demo_with_the_clock_moved_forward(demo):
    # A booking of Cambridgeshire's last network day, a year away: not yet due.
    network = Event.objects.filter(hub__slug="cambridgeshire").order_by("-ends_at").first()
    later = event_services.booking_create(
        event=network, name="Pat Later", email="pat.later@example.org"
    )
    devizes = Event.objects.get(hub=demo, title="Devizes area Musical Cluster meeting")
    as_of = (devizes.ends_at + timedelta(days=2 * 365 + 10)).date()
    assert as_of < (network.ends_at + timedelta(days=2 * 365)).date()
    cutoff_bookings = set(
        Booking.objects.filter(event__ends_at__lt=devizes.ends_at + timedelta(days=1)).values_list(
            "pk", flat=True
        )
    )
    # The demo's past meetings, and the CPD network days already held.
    assert len(cutoff_bookings) >= 9
    in_wiltshire = Booking.objects.filter(pk__in=cutoff_bookings, event__hub=demo).count()

    first, second = io.StringIO(), io.StringIO()
    call_command("apply_retention", as_of=as_of.isoformat(), stdout=first)
    call_command("apply_retention", as_of=as_of.isoformat(), stdout=second)

    anonymised = set(
        Booking.objects.filter(email__endswith=f"@{ANONYMISED_DOMAIN}").values_list("pk", flat=True)
    )
    assert anonymised == cutoff_bookings
    assert Booking.objects.get(pk=later.pk).email == "pat.later@example.org"
    assert f"wiltshire: {in_wiltshire} bookings anonymised" in first.getvalue()
    assert f": {len(cutoff_bookings)} bookings anonymised" in first.getvalue().splitlines()[-1]
    assert ": 0 bookings anonymised" in second.getvalue().splitlines()[-1]
    runs = AuditLog.objects.filter(hub=demo, action="privacy.retention.applied").order_by("pk")
    assert [r.data["bookings"] for r in runs] == [in_wiltshire, 0]
