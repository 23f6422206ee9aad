"""Writes to events and bookings. Each is atomic and audited; emails leave after the commit."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.core.models import model_update
from tutti.core.page_cache import bump_hub
from tutti.directory.models import Hub
from tutti.directory.selectors import hub_organisations
from tutti.events.models import (
    DEFAULT_CATEGORIES,
    MAX_PLACES_PER_BOOKING,
    Attendance,
    AttendanceStatus,
    Booking,
    BookingStatus,
    CalendarFeed,
    Event,
    EventCategory,
    EventSession,
    EventStatus,
    new_feed_token,
)
from tutti.events.tasks import send_booking_email

EVENT_FIELDS = (
    "title",
    "summary",
    "description",
    "category",
    "for_schools",
    "for_providers",
    "for_young_people",
    "for_families",
    "cluster",
    "venue",
    "venue_name",
    "venue_address",
    "is_online",
    "online_link",
    "organiser",
    "capacity",
    "price",
    "payment_instructions",
    "booking_opens_at",
    "booking_closes_at",
)


class EventError(DomainError):
    """An event change that the rules do not allow; the message is for the user (400)."""


class EventStateError(EventError, ConflictError):
    """Publishing or cancelling that the event's state does not allow (409): it is not a draft,
    it is already cancelled or over, it has nowhere to be. The request itself is fine."""


class BookingError(DomainError):
    """A booking that the rules do not allow; the message is for the person booking."""


@dataclass(frozen=True)
class SessionSpec:
    starts_at: datetime
    ends_at: datetime
    title: str = ""


def _london(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


def confirmed_places(event: Event) -> int:
    """Places held by confirmed bookings: a booking for a family of three holds three."""
    held = event.bookings.filter(status=BookingStatus.CONFIRMED).aggregate(n=Sum("places"))["n"]
    return held or 0


def _queue_email(booking: Booking, kind: str) -> None:
    booking_id = booking.pk
    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id=booking_id, kind=kind))


# Categories


def categories_seed(*, hub: Hub) -> list[EventCategory]:
    """Give a hub the default categories it does not have yet; safe to run again."""
    existing = set(EventCategory.objects.filter(hub=hub).values_list("slug", flat=True))
    new = [
        EventCategory(hub=hub, name=name, slug=slugify(name), position=position)
        for position, name in enumerate(DEFAULT_CATEGORIES)
        if slugify(name) not in existing
    ]
    if new:
        bump_hub(hub.pk)  # bulk_create passes the models' signals by
    return EventCategory.objects.bulk_create(new)


# Events


def _check_belongs_to_hub(hub: Hub, fields: dict[str, Any]) -> None:
    category = fields.get("category")
    if category is not None and category.hub_id != hub.pk:
        raise EventError("Choose one of this hub's categories.")
    cluster = fields.get("cluster")
    if cluster is not None and cluster.hub_id != hub.pk:
        raise EventError("Choose one of this hub's clusters.")
    wanted = {fields[k].pk: k for k in ("venue", "organiser") if fields.get(k) is not None}
    if wanted:
        found = set(hub_organisations(hub=hub).filter(pk__in=wanted).values_list("pk", flat=True))
        for pk, name in wanted.items():
            if pk not in found:
                raise EventError(f"The {name} must be in this hub's directory.")


def _check_sessions(sessions: Sequence[SessionSpec]) -> list[SessionSpec]:
    if not sessions:
        raise EventError("Give the date and times of at least one session.")
    for spec in sessions:
        if spec.ends_at <= spec.starts_at:
            raise EventError("Each session must end after it starts.")
    return sorted(sessions, key=lambda s: s.starts_at)


def _validate(event: Event) -> None:
    try:
        event.full_clean()
    except ValidationError as error:
        raise EventError(" ".join(error.messages)) from None


@transaction.atomic
def event_create(*, hub: Hub, by: Any, sessions: Sequence[SessionSpec], **fields: Any) -> Event:
    """Create a draft event with its sessions (one for a one-off, several for a series)."""
    fields = {k: v for k, v in fields.items() if k in EVENT_FIELDS}
    _check_belongs_to_hub(hub, fields)
    specs = _check_sessions(sessions)
    event = Event(
        hub=hub,
        starts_at=specs[0].starts_at,
        ends_at=max(s.ends_at for s in specs),
        created_by=by if by is not None and by.is_authenticated else None,
        **fields,
    )
    _validate(event)
    event.save()
    EventSession.objects.bulk_create(
        EventSession(event=event, starts_at=s.starts_at, ends_at=s.ends_at, title=s.title)
        for s in specs
    )
    audit("events.event.created", hub=hub, actor=by, obj=event, sessions=len(specs))
    return event


def _sessions_set(event: Event, specs: list[SessionSpec]) -> bool:
    """Make the event's sessions these, in order, keeping the rows (and attendance) it can."""
    existing = list(event.sessions.order_by("starts_at", "pk"))
    changed = False
    for session, spec in zip(existing, specs, strict=False):
        times = {"starts_at": spec.starts_at, "ends_at": spec.ends_at, "title": spec.title}
        if model_update(session, times):
            changed = True
    surplus = existing[len(specs) :]
    if surplus:
        if any(s.attendances.exists() for s in surplus):
            raise EventError("A session with attendance recorded cannot be removed.")
        EventSession.objects.filter(pk__in=[s.pk for s in surplus]).delete()
        changed = True
    new = specs[len(existing) :]
    if new:
        EventSession.objects.bulk_create(
            EventSession(event=event, starts_at=s.starts_at, ends_at=s.ends_at, title=s.title)
            for s in new
        )
        bump_hub(event.hub_id)  # bulk_create passes the models' signals by
        changed = True
    return changed


@transaction.atomic
def event_update(
    *, event: Event, by: Any, sessions: Sequence[SessionSpec] | None = None, **fields: Any
) -> Event:
    """Change an event. More places (or no limit) move people up from the waiting list."""
    # Locked so that a capacity change and a booking cannot interleave.
    locked = Event.objects.select_for_update().get(pk=event.pk)
    fields = {k: v for k, v in fields.items() if k in EVENT_FIELDS}
    _check_belongs_to_hub(locked.hub, fields)
    # Not model_update: the row is saved only after the sessions, the places and full_clean
    # have had their say, so the changes are set here and saved once below.
    changed = [k for k in fields if fields[k] != getattr(locked, k)]
    for name in changed:
        setattr(locked, name, fields[name])
    if sessions is not None:
        specs = _check_sessions(sessions)
        if _sessions_set(locked, specs):
            changed.append("sessions")
        starts_at, ends_at = specs[0].starts_at, max(s.ends_at for s in specs)
        if (starts_at, ends_at) != (locked.starts_at, locked.ends_at):
            locked.starts_at, locked.ends_at = starts_at, ends_at
            changed += ["starts_at", "ends_at"]
    if not changed:
        return locked
    if "capacity" in changed and locked.capacity is not None:
        # Counted under the event's lock, which booking also takes: no booking can slip in
        # between this count and the save.
        held = confirmed_places(locked)
        if locked.capacity < held:
            # Refused rather than overbooked: people with a place keep it, and the organiser
            # decides whose booking to cancel.
            raise EventError(
                f"{held} places are already booked, so the event needs at least {held} places. "
                "To make it smaller, cancel bookings first."
            )
    _validate(locked)
    locked.save(update_fields=[c for c in changed if c != "sessions"] + ["updated_at"])
    audit("events.event.updated", hub=locked.hub, actor=by, obj=locked, fields=changed)
    if "capacity" in changed and locked.is_published:
        _promote_waiting(locked, by=by)
    return locked


@transaction.atomic
def event_publish(*, event: Event, by: Any) -> Event:
    """Put a draft event on the public What's On, open for booking."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.DRAFT:
        raise EventStateError(f"Only a draft can be published; this event is {locked.status}.")
    if not locked.has_venue and not locked.is_online:
        raise EventStateError("Choose a venue, or mark the event as online, before publishing it.")
    if locked.ends_at <= timezone.now():
        raise EventStateError("This event has already finished, so it cannot be published.")
    locked.status = EventStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    audit("events.event.published", hub=locked.hub, actor=by, obj=locked)
    return locked


@transaction.atomic
def event_cancel(*, event: Event, by: Any, reason: str = "") -> Event:
    """Cancel an event and email everyone with a place or on the waiting list."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise EventStateError("This event is already cancelled.")
    locked.status = EventStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason.strip()
    locked.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
    # Bookings keep their status, so the record shows who had a place; the event says it is off.
    bookers = list(locked.bookings.exclude(status=BookingStatus.CANCELLED))
    for booking in bookers:
        _queue_email(booking, "event_cancelled")
    audit("events.event.cancelled", hub=locked.hub, actor=by, obj=locked, emailed=len(bookers))
    return locked


@transaction.atomic
def event_duplicate(*, event: Event, by: Any) -> Event:
    """A draft copy of an event and its sessions, for next term's meeting."""
    copy = Event(
        hub=event.hub,
        title=f"Copy of {event.title}"[:200],
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        created_by=by if by is not None and by.is_authenticated else None,
        **{k: getattr(event, k) for k in EVENT_FIELDS if k != "title"},
    )
    _validate(copy)
    copy.save()
    EventSession.objects.bulk_create(
        EventSession(event=copy, starts_at=s.starts_at, ends_at=s.ends_at, title=s.title)
        for s in event.sessions.all()
    )
    audit("events.event.duplicated", hub=event.hub, actor=by, obj=copy, source=event.pk)
    return copy


# Bookings


def booking_refusal(
    event: Event, now: datetime | None = None, *, opens_at: datetime | None = None
) -> str | None:
    """Why this event cannot be booked now, in words for the public; None when it can.

    ``opens_at`` stands in for the event's own opening for a group that may book earlier
    (a CPD network's members, before the public)."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return "This event has been cancelled, so it cannot be booked."
    if event.status != EventStatus.PUBLISHED:
        return "This event is not open for booking."
    if event.starts_at <= now:
        return "This event has already started, so it can no longer be booked."
    opens_at = opens_at or event.booking_opens_at
    if opens_at and now < opens_at:
        return f"Booking opens on {_london(opens_at)}."
    if event.booking_closes_at and now >= event.booking_closes_at:
        return f"Booking closed on {_london(event.booking_closes_at)}."
    return None


def booking_create(
    *,
    event: Event,
    name: str,
    email: str,
    organisation_name: str = "",
    places: int = 1,
    by: Any = None,
    opens_at: datetime | None = None,
) -> Booking:
    """Book places (the person and those they bring), or join the waiting list when there are
    not enough places left for them all.

    The event's row is locked while places are counted, so two people booking the last place at
    once cannot both get it (on PostgreSQL; SQLite lets one writer in at a time anyway).
    """
    name, email, organisation_name = name.strip(), email.strip(), organisation_name.strip()
    if not name:
        raise BookingError("Enter the name of the person coming.")
    try:
        validate_email(email)
    except ValidationError:
        raise BookingError("Enter a valid email address, like name@example.org.") from None
    if not isinstance(places, int) or not 1 <= places <= MAX_PLACES_PER_BOOKING:
        raise BookingError(f"Book from 1 to {MAX_PLACES_PER_BOOKING} places.")
    signed_in = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        refusal = booking_refusal(locked, opens_at=opens_at)
        if refusal:
            raise BookingError(refusal)
        live = Booking.objects.filter(event=locked).exclude(status=BookingStatus.CANCELLED)
        if live.filter(email__iexact=email).exists():
            raise BookingError(f"{email} has already booked this event.")
        user = signed_in if signed_in and signed_in.email.lower() == email.lower() else None
        has_room = locked.capacity is None or confirmed_places(locked) + places <= locked.capacity
        booking = Booking(
            event=locked,
            user=user,
            booked_by=signed_in,
            name=name,
            email=email,
            organisation_name=organisation_name,
            places=places,
            status=BookingStatus.CONFIRMED if has_room else BookingStatus.WAITING,
            confirmed_at=timezone.now() if has_room else None,
        )
        try:
            booking.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise BookingError(" ".join(error.messages)) from None
        booking.save()
        audit(
            "events.booking.created",
            hub=locked.hub,
            actor=signed_in,
            obj=booking,
            event=locked.pk,
            status=booking.status,
            places=places,
        )
        _queue_email(booking, "confirmed" if has_room else "waiting")
    return booking


def _promote_waiting(event: Event, *, by: Any) -> list[Booking]:
    """Give free places to the waiting list, first come first served: each booking in turn
    that fits in the places left, so a party of four does not hold up one person behind it when
    three places come free. The event is locked."""
    if event.starts_at <= timezone.now():
        return []
    waiting = event.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")
    if event.capacity is None:
        promoted = list(waiting)
    else:
        free = event.capacity - confirmed_places(event)
        promoted = []
        for booking in waiting:
            if free <= 0:
                break
            if booking.places <= free:
                promoted.append(booking)
                free -= booking.places
    for booking in promoted:
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = timezone.now()
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit("events.booking.promoted", hub=event.hub, actor=by, obj=booking, event=event.pk)
        _queue_email(booking, "promoted")
    return promoted


@transaction.atomic
def booking_cancel(*, booking: Booking, by: Any = None, by_organiser: bool = False) -> Booking:
    """Cancel a booking; a place it frees goes to the first person on the waiting list, who is
    told by email."""
    event = Event.objects.select_for_update().get(pk=booking.event_id)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status == BookingStatus.CANCELLED:
        raise BookingError("This booking is already cancelled.")
    if event.is_cancelled:
        raise BookingError("The event itself has been cancelled, so there is nothing to cancel.")
    if not by_organiser and event.starts_at <= timezone.now():
        raise BookingError(
            "This event has already started, so the booking cannot be cancelled online. "
            "Please contact the organiser."
        )
    was_confirmed = locked.status == BookingStatus.CONFIRMED
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit(
        "events.booking.cancelled",
        hub=event.hub,
        actor=by,
        obj=locked,
        event=event.pk,
        by_organiser=by_organiser,
    )
    _queue_email(locked, "cancelled")
    if was_confirmed and event.is_published:
        _promote_waiting(event, by=by)
    return locked


# Attendance


@dataclass(frozen=True)
class AttendanceResult:
    attended: int
    absent: int
    changed: int


def attendance_refusal(event: Event, session: EventSession) -> str | None:
    """Why attendance cannot be taken for this session now; None when it can."""
    if event.is_cancelled:
        return "This event was cancelled, so there is no attendance to take."
    if event.status != EventStatus.PUBLISHED:
        return "This event is a draft: publish it and take bookings first."
    day = timezone.localdate(session.starts_at)
    if day > timezone.localdate():
        return f"You can take attendance from the day of the session, {day:%-d %B %Y}."
    return None


@transaction.atomic
def attendance_record(
    *, session: EventSession, marks: Mapping[int, str], by: Any
) -> AttendanceResult:
    """Record who came to a session: booking id to attended or absent, replacing earlier marks."""
    # Locked so that a booking cannot be cancelled while it is being marked.
    event = Event.objects.select_for_update().select_related("hub").get(pk=session.event_id)
    refusal = attendance_refusal(event, session)
    if refusal:
        raise EventError(refusal)
    if not marks:
        raise EventError("Choose attended or absent for at least one person.")
    if any(status not in AttendanceStatus.values for status in marks.values()):
        raise EventError("Each person is either attended or absent.")
    places = dict(
        Booking.objects.filter(
            event=event, pk__in=list(marks), status=BookingStatus.CONFIRMED
        ).values_list("pk", "places")
    )
    booked = set(places)
    if booked != set(marks):
        raise EventError(
            "Some of these people no longer have a place. Reload the page and try again."
        )
    recorded_by = by if by is not None and by.is_authenticated else None
    existing = {
        a.booking_id: a for a in Attendance.objects.filter(session=session, booking_id__in=booked)
    }
    now = timezone.now()
    new, changed = [], []
    for booking_id, status in marks.items():
        attendance = existing.get(booking_id)
        if attendance is None:
            new.append(
                Attendance(
                    booking_id=booking_id, session=session, status=status, recorded_by=recorded_by
                )
            )
        elif attendance.status != status:
            attendance.status, attendance.recorded_by, attendance.updated_at = (
                status,
                recorded_by,
                now,
            )
            changed.append(attendance)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "updated_at"])
    # Places, not bookings: a booking for three who came is three attended.
    result = AttendanceResult(
        attended=sum(places[b] for b, s in marks.items() if s == AttendanceStatus.ATTENDED),
        absent=sum(places[b] for b, s in marks.items() if s == AttendanceStatus.ABSENT),
        changed=len(new) + len(changed),
    )
    if result.changed:
        audit(
            "events.attendance.recorded",
            hub=event.hub,
            actor=by,
            obj=session,
            event=event.pk,
            attended=result.attended,
            absent=result.absent,
            changed=result.changed,
        )
    return result


# A person's calendar of their bookings


@transaction.atomic
def calendar_feed_reset(*, user: Any, hub: Hub | None = None) -> CalendarFeed:
    """Give a person the secret address of their bookings' calendar, or a new one in place of
    the old, which stops working (when they shared it by mistake, say)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user)
        audit("events.calendar_feed.created", hub=hub, actor=user, obj=feed)
        return feed
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "updated_at"])
    audit("events.calendar_feed.reset", hub=hub, actor=user, obj=feed)
    return feed
