"""Attendance per session, taken by the people who manage the event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.events import services
from tutti.events.models import Attendance, BookingStatus, EventStatus
from tutti.events.services import EventError
from tutti.events.tests.factories import BookingFactory, EventFactory

MANAGE = "/wiltshire/manage/events/"


def held(world, hours_ago=3, length=2, **fields):
    """An event that started a few hours ago: attendance can be taken."""
    start = (timezone.now() - timedelta(hours=hours_ago)).replace(microsecond=0)
    return EventFactory(
        hub=world.hub, starts_at=start, ends_at=start + timedelta(hours=length), **fields
    )


@pytest.fixture
def meeting(world):
    """The coordinator's cluster meeting, under way, with two places taken and one waiting."""
    event = held(world, title="Devizes meeting", cluster=world.cluster)
    ann = BookingFactory(event=event, name="Ann")
    bea = BookingFactory(event=event, name="Bea")
    cal = BookingFactory(event=event, name="Cal", status=BookingStatus.WAITING)
    return event, event.sessions.get(), ann, bea, cal


def marks(session):
    return dict(Attendance.objects.filter(session=session).values_list("booking__name", "status"))


# The service


def test_record_attendance_and_audit_it(world, meeting):
    event, session, ann, bea, _ = meeting
    staff = world.users["staff"]
    result = services.attendance_record(
        session=session, marks={ann.pk: "attended", bea.pk: "absent"}, by=staff
    )
    assert (result.attended, result.absent, result.changed) == (1, 1, 2)
    assert marks(session) == {"Ann": "attended", "Bea": "absent"}
    assert Attendance.objects.get(booking=ann).recorded_by == staff
    entry = AuditLog.objects.get(action="events.attendance.recorded")
    assert (entry.actor, entry.object_id) == (staff, str(session.pk))
    assert entry.data == {"event": event.pk, "attended": 1, "absent": 1, "changed": 2}


def test_recording_again_updates_the_marks_in_place(world, meeting):
    _, session, ann, bea, _ = meeting
    services.attendance_record(session=session, marks={ann.pk: "attended"}, by=None)
    first = Attendance.objects.get(booking=ann)
    result = services.attendance_record(
        session=session, marks={ann.pk: "absent", bea.pk: "attended"}, by=world.users["staff"]
    )
    assert result.changed == 2
    assert marks(session) == {"Ann": "absent", "Bea": "attended"}
    assert Attendance.objects.get(booking=ann).pk == first.pk
    assert Attendance.objects.count() == 2


def test_recording_the_same_marks_changes_nothing_and_logs_nothing(world, meeting):
    _, session, ann, _, _ = meeting
    services.attendance_record(session=session, marks={ann.pk: "attended"}, by=None)
    result = services.attendance_record(session=session, marks={ann.pk: "attended"}, by=None)
    assert result.changed == 0
    assert AuditLog.objects.filter(action="events.attendance.recorded").count() == 1


def test_each_session_of_a_series_has_its_own_register(world):
    now = timezone.now().replace(microsecond=0)
    a, b = now - timedelta(days=60), now - timedelta(days=1)
    event = EventFactory(
        hub=world.hub,
        starts_at=a,
        ends_at=b + timedelta(hours=6),
        sessions=[(a, a + timedelta(hours=6)), (b, b + timedelta(hours=6))],
    )
    booking = BookingFactory(event=event)
    first, second = event.sessions.order_by("starts_at")
    services.attendance_record(session=first, marks={booking.pk: "attended"}, by=None)
    services.attendance_record(session=second, marks={booking.pk: "absent"}, by=None)
    assert marks(first) == {booking.name: "attended"}
    assert marks(second) == {booking.name: "absent"}


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("waiting", "no longer have a place"),
        ("cancelled", "no longer have a place"),
        ("other_event", "no longer have a place"),
        ("bad_status", "either attended or absent"),
        ("nobody", "at least one person"),
    ],
)
def test_refusals_write_nothing(world, meeting, who, message):
    event, session, ann, _, cal = meeting
    chosen = {
        "waiting": {ann.pk: "attended", cal.pk: "attended"},
        "cancelled": {
            ann.pk: "attended",
            BookingFactory(event=event, status=BookingStatus.CANCELLED).pk: "attended",
        },
        "other_event": {ann.pk: "attended", BookingFactory(event=held(world)).pk: "attended"},
        "bad_status": {ann.pk: "maybe"},
        "nobody": {},
    }[who]
    with pytest.raises(EventError, match=message):
        services.attendance_record(session=session, marks=chosen, by=None)
    assert not Attendance.objects.exists()
    assert not AuditLog.objects.filter(action="events.attendance.recorded").exists()


def test_attendance_waits_for_the_day_of_the_session(world):
    event = EventFactory(hub=world.hub, starts_at=timezone.now() + timedelta(days=3))
    booking = BookingFactory(event=event)
    with pytest.raises(EventError, match="from the day of the session"):
        services.attendance_record(
            session=event.sessions.get(), marks={booking.pk: "attended"}, by=None
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [(EventStatus.CANCELLED, "was cancelled"), (EventStatus.DRAFT, "is a draft")],
)
def test_no_attendance_for_a_cancelled_or_draft_event(world, status, message):
    event = held(world, status=status)
    booking = BookingFactory(event=event)
    with pytest.raises(EventError, match=message):
        services.attendance_record(
            session=event.sessions.get(), marks={booking.pk: "attended"}, by=None
        )
    assert not Attendance.objects.exists()


# The page


def url(event, session):
    return f"{MANAGE}{event.pk}/attendance/{session.pk}/"


def test_the_register_lists_everyone_with_a_place_by_name(client_for, world, meeting):
    event, session, ann, bea, _ = meeting
    services.attendance_record(session=session, marks={bea.pk: "absent"}, by=None)
    response = client_for("coordinator").get(url(event, session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann" in html and "Bea" in html
    assert "Cal" not in html  # waiting, so not expected
    form = response.context["form"]
    assert form[f"booking-{bea.pk}"].value() == "absent"
    assert form[f"booking-{ann.pk}"].value() is None


def test_save_attendance(client_for, world, meeting):
    event, session, ann, bea, _ = meeting
    client = client_for("coordinator")
    response = client.post(
        url(event, session), {f"booking-{ann.pk}": "attended", f"booking-{bea.pk}": "absent"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}{event.pk}/"
    assert marks(session) == {"Ann": "attended", "Bea": "absent"}
    page = client.get(response["Location"]).content.decode()
    assert "Attendance saved: 1 attended, 1 absent." in page
    assert "Change attendance" in page


@pytest.mark.parametrize(
    "data",
    [{}, {"booking-ANN": "maybe"}],
    ids=["nothing-marked", "not-a-choice"],
)
def test_bad_input_is_400_and_writes_nothing(client_for, world, meeting, data):
    event, session, ann, _, _ = meeting
    data = {k.replace("ANN", str(ann.pk)): v for k, v in data.items()}
    response = client_for("staff").post(url(event, session), data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_who_lost_their_place_meanwhile_is_explained(client_for, world, meeting):
    event, session, ann, bea, _ = meeting
    client = client_for("staff")
    client.get(url(event, session))
    services.booking_cancel(booking=bea, by=None, by_organiser=True)
    response = client.post(
        url(event, session), {f"booking-{ann.pk}": "attended", f"booking-{bea.pk}": "attended"}
    )
    # Bea's row is gone from the form, so only Ann's mark is taken.
    assert response.status_code == 302
    assert marks(session) == {"Ann": "attended"}


def test_a_future_session_says_when_attendance_opens(client_for, world):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    booking = BookingFactory(event=event)
    session = event.sessions.get()
    client = client_for("coordinator")
    assert "from the day of the session" in client.get(url(event, session)).content.decode()
    response = client.post(url(event, session), {f"booking-{booking.pk}": "attended"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_empty_register_says_so(client_for, world):
    event = held(world)
    html = client_for("staff").get(url(event, event.sessions.get())).content.decode()
    assert "Nobody has a place on this event" in html


@pytest.mark.parametrize(
    ("who", "owner"),
    [("coordinator", "other_cluster"), ("coordinator", "hub"), ("partner", "cluster")],
)
def test_others_events_are_403_and_nothing_is_written(client_for, world, who, owner):
    event = held(
        world,
        cluster={"cluster": world.cluster, "other_cluster": world.other_cluster}.get(owner),
    )
    booking = BookingFactory(event=event)
    client = client_for(who)
    session = event.sessions.get()
    assert client.get(url(event, session)).status_code == 403
    assert (
        client.post(url(event, session), {f"booking-{booking.pk}": "attended"}).status_code == 403
    )
    assert not Attendance.objects.exists()


def test_partner_staff_take_attendance_for_their_organisations_events(client_for, world):
    event = held(world, organiser=world.partner)
    booking = BookingFactory(event=event)
    response = client_for("partner").post(
        url(event, event.sessions.get()), {f"booking-{booking.pk}": "attended"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().status == "attended"


def test_another_hubs_event_or_session_is_404(client_for, world, meeting):
    event, session, ann, _, _ = meeting
    other = EventFactory(hub=world.other_hub, starts_at=event.starts_at, ends_at=event.ends_at)
    other_session = other.sessions.get()
    client = client_for("staff")
    assert client.get(url(other, other_session)).status_code == 404
    # A session of another event, through this event's URL.
    assert client.get(url(event, other_session)).status_code == 404
    assert (
        client.post(url(event, other_session), {f"booking-{ann.pk}": "attended"}).status_code == 404
    )
    path = f"/cambridgeshire/manage/events/{event.pk}/attendance/{session.pk}/"
    assert client.get(path).status_code == 404
    assert client_for("outsider").get(url(event, session)).status_code == 404
    assert not Attendance.objects.exists()


def test_the_event_page_counts_attendance_per_session(client_for, world, meeting):
    event, session, ann, bea, _ = meeting
    services.attendance_record(
        session=session, marks={ann.pk: "attended", bea.pk: "attended"}, by=None
    )
    response = client_for("staff").get(f"{MANAGE}{event.pk}/")
    (row,) = response.context["sessions"]
    assert (row.attended_count, row.absent_count) == (2, 0)
    assert url(event, session) in response.content.decode()
