from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tutti.core.models import AuditLog
from tutti.events import services
from tutti.events.models import (
    DEFAULT_CATEGORIES,
    Attendance,
    Booking,
    BookingStatus,
    Event,
    EventCategory,
    EventStatus,
)
from tutti.events.selectors import waiting_position
from tutti.events.services import BookingError, EventError, SessionSpec
from tutti.events.tests.factories import BookingFactory, EventFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block queued for after its commit, as a real
    commit would: the emails, sent at once by the immediate task backend."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def book(event, n, **extra):
    return services.booking_create(
        event=event, name=f"Person {n}", email=f"person{n}@example.org", **extra
    )


def soon(days=14, hour=19):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


# Categories


def test_every_hub_starts_with_the_eight_categories_in_order(world):
    names = list(world.hub.event_categories.values_list("name", flat=True))
    assert names == DEFAULT_CATEGORIES
    assert world.other_hub.event_categories.count() == 8


def test_seeding_categories_again_adds_only_missing_ones(world):
    world.hub.event_categories.filter(slug="festivals").delete()
    created = services.categories_seed(hub=world.hub)
    assert [c.name for c in created] == ["Festivals"]
    assert services.categories_seed(hub=world.hub) == []
    assert EventCategory.objects.filter(hub=world.hub).count() == 8


# Events


def category(hub, slug="cluster-meetings"):
    return hub.event_categories.get(slug=slug)


def test_create_a_series_keeps_sessions_in_order_and_the_event_spanning_them(world):
    first, second, third = soon(30, 9), soon(120, 9), soon(210, 9)
    event = services.event_create(
        hub=world.hub,
        by=world.users["staff"],
        title="Primary CPD network",
        summary="Three full days, one a term.",
        category=category(world.hub, "training-and-development-for-schools-and-providers"),
        venue=world.partner,
        sessions=[
            SessionSpec(third, third + timedelta(hours=6), "Summer"),
            SessionSpec(first, first + timedelta(hours=6), "Autumn"),
            SessionSpec(second, second + timedelta(hours=6), "Spring"),
        ],
    )
    assert event.status == EventStatus.DRAFT
    assert [s.title for s in event.sessions.all()] == ["Autumn", "Spring", "Summer"]
    assert (event.starts_at, event.ends_at) == (first, third + timedelta(hours=6))
    assert AuditLog.objects.filter(action="events.event.created", object_id=event.pk).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "other_hub_category"}, "this hub's categories"),
        ({"cluster": "other_hub_cluster"}, "this hub's clusters"),
        ({"venue": "other_school"}, "venue must be in this hub's directory"),
        ({"sessions": []}, "at least one session"),
        ({"sessions": "backwards"}, "end after it starts"),
        ({"capacity": 0}, "Places must be at least 1"),
        ({"price": -1}, "price cannot be less than 0"),
    ],
)
def test_create_refuses_what_does_not_belong_and_writes_nothing(world, change, message):
    start = soon()
    fields = {
        "title": "Meeting",
        "summary": "A meeting.",
        "category": category(world.hub),
        "sessions": [SessionSpec(start, start + timedelta(hours=1))],
    }
    values = {
        "other_hub_category": category(world.other_hub),
        "other_hub_cluster": world.other_hub_cluster,
        "other_school": world.other_school,
        "backwards": [SessionSpec(start, start - timedelta(hours=1))],
    }
    fields |= {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
    with pytest.raises(EventError, match=message):
        services.event_create(hub=world.hub, by=None, **fields)
    assert not Event.objects.exists()


def test_publish_needs_a_venue_or_online_and_a_future_date(world):
    event = EventFactory(hub=world.hub, status=EventStatus.DRAFT, is_online=False)
    with pytest.raises(EventError, match="Choose a venue"):
        services.event_publish(event=event, by=None)
    services.event_update(event=event, by=None, venue=world.partner)
    services.event_publish(event=event, by=None)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.published_at is not None
    with pytest.raises(EventError, match="Only a draft"):
        services.event_publish(event=event, by=None)
    past = EventFactory(
        hub=world.hub,
        status=EventStatus.DRAFT,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )
    with pytest.raises(EventError, match="already finished"):
        services.event_publish(event=past, by=None)


def test_update_replaces_sessions_and_keeps_the_event_span(world):
    event = EventFactory(hub=world.hub)
    a, b = soon(20), soon(40)
    services.event_update(
        event=event,
        by=None,
        sessions=[SessionSpec(a, a + timedelta(hours=2)), SessionSpec(b, b + timedelta(hours=3))],
    )
    event.refresh_from_db()
    assert event.sessions.count() == 2
    assert (event.starts_at, event.ends_at) == (a, b + timedelta(hours=3))
    services.event_update(event=event, by=None, sessions=[SessionSpec(a, a + timedelta(hours=1))])
    event.refresh_from_db()
    assert event.sessions.count() == 1
    assert event.ends_at == a + timedelta(hours=1)


def test_a_session_with_attendance_cannot_be_removed(world):
    a, b = soon(20), soon(40)
    event = EventFactory(
        hub=world.hub, sessions=[(a, a + timedelta(hours=1)), (b, b + timedelta(hours=1))]
    )
    booking = BookingFactory(event=event)
    Attendance.objects.create(booking=booking, session=event.sessions.last(), status="attended")
    with pytest.raises(EventError, match="attendance recorded"):
        services.event_update(
            event=event, by=None, sessions=[SessionSpec(a, a + timedelta(hours=1))]
        )
    assert event.sessions.count() == 2


def test_more_places_move_the_waiting_list_up_in_order(world, mailoutbox, committed):
    event = EventFactory(hub=world.hub, capacity=1)
    for n in range(4):
        book(event, n)
    with committed():
        services.event_update(event=event, by=None, capacity=3)
    mail = mailoutbox
    statuses = list(event.bookings.order_by("created_at", "pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mail) == ["person1@example.org", "person2@example.org"]
    services.event_update(event=event, by=None, capacity=None)
    assert not event.bookings.filter(status="waiting").exists()


def test_cancel_emails_everyone_with_a_place_or_waiting(world, mailoutbox, committed):
    event = EventFactory(hub=world.hub, capacity=1)
    book(event, 1)
    book(event, 2)
    services.booking_cancel(booking=book(event, 3), by=None)
    with committed():
        services.event_cancel(event=event, by=world.users["staff"], reason="The hall is flooded.")
    mail = mailoutbox
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail) == ["person1@example.org", "person2@example.org"]
    assert all(m.subject == f"Cancelled: {event.title}" for m in mail)
    assert "The hall is flooded." in mail[0].body
    _, content, _ = mail[0].attachments[0]
    assert "STATUS:CANCELLED" in content
    with pytest.raises(EventError, match="already cancelled"):
        services.event_cancel(event=event, by=None)


def test_duplicate_makes_a_draft_copy_with_the_sessions(world):
    a, b = soon(20), soon(40)
    event = EventFactory(
        hub=world.hub,
        capacity=12,
        cluster=world.cluster,
        sessions=[(a, a + timedelta(hours=1)), (b, b + timedelta(hours=1))],
    )
    BookingFactory(event=event)
    copy = services.event_duplicate(event=event, by=world.users["coordinator"])
    assert copy.pk != event.pk
    assert copy.title == f"Copy of {event.title}"
    assert copy.status == EventStatus.DRAFT and copy.published_at is None
    assert (copy.capacity, copy.cluster) == (12, world.cluster)
    assert copy.sessions.count() == 2
    assert not copy.bookings.exists()


# Bookings: places and the waiting list


def test_bookings_are_confirmed_until_full_then_wait_in_order(world, mailoutbox, committed):
    event = EventFactory(hub=world.hub, capacity=2)
    with committed():
        bookings = [book(event, n) for n in range(5)]
    mail = mailoutbox
    assert [b.status for b in bookings] == ["confirmed"] * 2 + ["waiting"] * 3
    assert [waiting_position(b) for b in bookings] == [None, None, 1, 2, 3]
    assert [m.subject.split(":")[0] for m in mail] == ["Your place"] * 2 + [
        "You are on the waiting list"
    ] * 3
    assert "number 2" in mail[3].body


def test_an_event_with_no_limit_is_never_full(world):
    event = EventFactory(hub=world.hub, capacity=None)
    assert {book(event, n).status for n in range(30)} == {"confirmed"}


def test_the_confirmation_has_a_calendar_file_and_a_cancel_link(
    world, mailoutbox, committed, settings
):
    settings.SITE_URL = "https://tutti.example.org"
    event = EventFactory(hub=world.hub, title="Devizes cluster meeting")
    with committed():
        booking = book(event, 1)
    (message,) = mailoutbox
    assert message.to == ["person1@example.org"]
    assert message.subject == "Your place: Devizes cluster meeting"
    name, content, mimetype = message.attachments[0]
    assert name == f"event-{event.pk}.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    link = next(line for line in message.body.splitlines() if "/cancel/" in line)
    assert link.startswith("https://tutti.example.org/wiltshire/whats-on/bookings/")
    assert booking.reference in link


def test_cancelling_a_place_gives_it_to_the_first_waiting_and_tells_them(
    world, mailoutbox, committed
):
    event = EventFactory(hub=world.hub, capacity=1)
    first = book(event, 1)
    second, third = book(event, 2), book(event, 3)
    with committed():
        services.booking_cancel(booking=first, by=None)
    mail = mailoutbox
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == BookingStatus.CONFIRMED and second.confirmed_at is not None
    assert third.status == BookingStatus.WAITING
    assert waiting_position(third) == 1
    by_person = {m.to[0]: m for m in mail}
    assert by_person["person1@example.org"].subject.startswith("Booking cancelled")
    promoted = by_person["person2@example.org"]
    assert promoted.subject == f"A place has come up for you: {event.title}"
    assert promoted.attachments
    assert "person3@example.org" not in by_person
    assert AuditLog.objects.filter(action="events.booking.promoted", object_id=second.pk).exists()


def test_leaving_the_waiting_list_promotes_nobody(world):
    event = EventFactory(hub=world.hub, capacity=1)
    book(event, 1)
    second, third = book(event, 2), book(event, 3)
    services.booking_cancel(booking=second, by=None)
    third.refresh_from_db()
    assert third.status == BookingStatus.WAITING
    assert waiting_position(third) == 1


def test_a_cancelled_email_can_book_again(world):
    event = EventFactory(hub=world.hub)
    services.booking_cancel(booking=book(event, 1), by=None)
    assert book(event, 1).status == BookingStatus.CONFIRMED
    assert event.bookings.count() == 2


def test_signed_in_people_book_themselves_or_a_colleague(world):
    event = EventFactory(hub=world.hub)
    person = world.users["partner"]
    own = services.booking_create(event=event, name="Me", email=person.email.upper(), by=person)
    colleague = services.booking_create(
        event=event, name="A colleague", email="colleague@example.org", by=person
    )
    assert (own.user, own.booked_by) == (person, person)
    assert (colleague.user, colleague.booked_by) == (None, person)


# Bookings: refusals write nothing


def refused(event, message, **fields):
    before = Booking.objects.count(), AuditLog.objects.count()
    fields = {"name": "Pat Jones", "email": "pat@example.org"} | fields
    with pytest.raises(BookingError, match=message):
        services.booking_create(event=event, **fields)
    assert (Booking.objects.count(), AuditLog.objects.count()) == before


def test_a_cancelled_event_cannot_be_booked(world, mailoutbox, committed):
    with committed():
        refused(EventFactory(hub=world.hub, status=EventStatus.CANCELLED), "has been cancelled")
    assert mailoutbox == []


def test_a_draft_cannot_be_booked(world):
    refused(EventFactory(hub=world.hub, status=EventStatus.DRAFT), "not open for booking")


def test_a_past_or_started_event_cannot_be_booked(world):
    start = timezone.now() - timedelta(minutes=5)
    event = EventFactory(hub=world.hub, starts_at=start, ends_at=start + timedelta(hours=2))
    refused(event, "already started")


def test_booking_before_it_opens_or_after_it_closes_is_refused(world):
    opens = soon(3, 9)
    refused(EventFactory(hub=world.hub, booking_opens_at=opens), "Booking opens on")
    closed = timezone.now() - timedelta(hours=1)
    refused(
        EventFactory(
            hub=world.hub, booking_opens_at=closed - timedelta(days=1), booking_closes_at=closed
        ),
        "Booking closed on",
    )


def test_a_double_booking_is_refused_whatever_the_case(world):
    event = EventFactory(hub=world.hub)
    services.booking_create(event=event, name="Pat", email="pat@example.org")
    refused(event, "already booked", email="  PAT@Example.org ")


@pytest.mark.parametrize("email", ["", "pat", "pat@", "pat@example", "pat example@x.org"])
def test_a_malformed_email_is_refused(world, email):
    refused(EventFactory(hub=world.hub), "valid email address", email=email)


def test_a_name_is_needed(world):
    refused(EventFactory(hub=world.hub), "name of the person", name="   ")


def test_the_database_refuses_two_live_bookings_for_one_email(world):
    event = EventFactory(hub=world.hub)
    BookingFactory(event=event, email="pat@example.org")
    BookingFactory(event=event, email="sam@example.org", status=BookingStatus.CANCELLED)
    BookingFactory(event=event, email="sam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(event=event, email="Pat@Example.org", status=BookingStatus.WAITING)


def test_cancelling_twice_or_after_the_start_is_refused(world):
    event = EventFactory(hub=world.hub)
    booking = book(event, 1)
    services.booking_cancel(booking=booking, by=None)
    with pytest.raises(BookingError, match="already cancelled"):
        services.booking_cancel(booking=booking, by=None)
    start = timezone.now() - timedelta(minutes=1)
    started = EventFactory(hub=world.hub, starts_at=start, ends_at=start + timedelta(hours=1))
    late = BookingFactory(event=started)
    with pytest.raises(BookingError, match="already started"):
        services.booking_cancel(booking=late, by=None)
    services.booking_cancel(booking=late, by=world.users["staff"], by_organiser=True)
    late.refresh_from_db()
    assert late.status == BookingStatus.CANCELLED


def test_a_booking_of_a_cancelled_event_cannot_be_cancelled(world):
    event = EventFactory(hub=world.hub)
    booking = book(event, 1)
    services.event_cancel(event=event, by=None)
    with pytest.raises(BookingError, match="event itself has been cancelled"):
        services.booking_cancel(booking=booking, by=None)


def test_utc_is_stored(world):
    start = soon()
    event = services.event_create(
        hub=world.hub,
        by=None,
        title="T",
        summary="S",
        category=category(world.hub),
        sessions=[SessionSpec(start, start + timedelta(hours=1))],
    )
    event.refresh_from_db()
    assert event.starts_at.tzinfo == UTC
    assert event.starts_at == start
