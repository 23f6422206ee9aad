import io
import json
import zipfile
from datetime import timedelta

from django.utils import timezone

from tutti.events import services as event_services
from tutti.events.models import Attendance, AttendanceStatus
from tutti.events.tests.factories import BookingFactory, EventFactory


def ago(days: float):
    return (timezone.now() - timedelta(days=days)).replace(microsecond=0)


def past_event(hub, title="CPD day", days=30, sessions=((3, "Morning"), (2, "Afternoon"))):
    """An event held ``days`` ago, with sessions of these hours, one after another."""
    start = ago(days)
    times, at = [], start
    for hours, _ in sessions:
        times.append((at, at + timedelta(hours=hours)))
        at += timedelta(hours=hours, minutes=30)
    event = EventFactory(
        hub=hub, title=title, starts_at=start, ends_at=times[-1][1], sessions=times
    )
    for session, (_, name) in zip(event.sessions.order_by("starts_at"), sessions, strict=True):
        session.title = name
        session.save(update_fields=["title"])
    return event


def attended(event, statuses, **booking):
    """Book someone on ``event`` and record each session's status in order."""
    found = BookingFactory(event=event, **booking)
    for session, status in zip(event.sessions.order_by("starts_at"), statuses, strict=True):
        event_services.attendance_record(session=session, marks={found.pk: status}, by=None)
    return found


def hub_cpd_hours(hub) -> float:
    return round(
        sum(
            a.session.hours
            for a in Attendance.objects.filter(
                session__event__hub=hub, status=AttendanceStatus.ATTENDED
            ).select_related("session")
        ),
        2,
    )


def read_zip(content: bytes) -> tuple[dict, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["person.json", "summary.html"]
        return json.loads(archive.read("person.json")), archive.read("summary.html").decode()
