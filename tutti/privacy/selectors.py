"""Reads: everything Tutti holds about a person, and the audit log, always bounded by a hub
(or, for a person's own data, by who they are)."""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, quote_plus

from django.db.models import Q, QuerySet
from django.utils import timezone

from tutti.accounts.models import Membership, User
from tutti.clusters.models import Cluster
from tutti.core.models import AuditLog
from tutti.directory.models import Hub
from tutti.events.models import AttendanceStatus, Booking, CalendarFeed
from tutti.privacy.sources import SOURCES, sources_data


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def person_bookings(
    *, email: str, hub: Hub | None = None, user: User | None = None
) -> QuerySet[Booking]:
    """A person's bookings: in their email, or made for their account. ``hub`` limits them to
    that hub's events."""
    match = Q(email__iexact=email)
    if user is not None:
        match |= Q(user=user)
    bookings = Booking.objects.filter(match)
    if hub is not None:
        bookings = bookings.filter(event__hub=hub)
    return bookings.select_related("event__hub").prefetch_related("attendances__session")


def person_user(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def spellings(text: str) -> set[str]:
    """The text as typed and as a URL carries it (audit entries keep the page's address)."""
    return {text, quote(text, safe=""), quote_plus(text)}


def mentions(text: str) -> Q:
    """Audit entries whose data mention ``text``, in any of its spellings."""
    found = Q(pk__in=[])
    for spelling in spellings(text):
        found |= Q(data__icontains=spelling)
    return found


def _person_audit_filter(*, email: str, user: User | None, booking_ids: list[int]) -> Q:
    about = mentions(email) | Q(
        object_type="events.booking", object_id__in=[str(pk) for pk in booking_ids]
    )
    if user is not None:
        about |= Q(actor=user) | Q(object_type="accounts.user", object_id=str(user.pk))
    return about


def person_audit_entries(
    *, email: str, user: User | None, booking_ids: list[int], hub: Hub | None
) -> QuerySet[AuditLog]:
    entries = AuditLog.objects.filter(
        _person_audit_filter(email=email, user=user, booking_ids=booking_ids)
    )
    if hub is not None:
        entries = entries.filter(hub=hub)
    return entries.select_related("hub").order_by("created_at", "pk")


def person_data(*, email: str, hub: Hub | None = None, user: User | None = None) -> dict[str, Any]:
    """Everything Tutti holds about the person with this email, as plain data for JSON.

    With ``hub``, only what that hub holds: its events' bookings, its memberships, its audit
    entries, what its newer apps hold (``sources.SOURCES``, each under its key, only when it
    holds something), and the account only when the hub holds a membership or a booking of it.
    Without ``hub`` (the person's own request, given their ``user``), everything in every hub.
    """
    if user is None:
        user = person_user(email=email)
    bookings = list(person_bookings(email=email, hub=hub, user=user))
    held_memberships = Membership.objects.none()
    clusters = Cluster.objects.none()
    if user is not None:
        held_memberships = Membership.objects.filter(user=user).select_related("hub")
        clusters = Cluster.objects.filter(coordinator=user).select_related("hub")
        if hub is not None:
            held_memberships = held_memberships.filter(hub=hub)
            clusters = clusters.filter(hub=hub)
    memberships = list(held_memberships.prefetch_related("organisations"))
    holds_account = user is not None and (
        hub is None or bool(memberships) or any(b.user_id == user.pk for b in bookings)
    )
    audit_entries = list(
        person_audit_entries(
            email=email,
            user=user if holds_account else None,
            booking_ids=[b.pk for b in bookings],
            hub=hub,
        )
    )
    booking_rows = []
    cpd_hours = 0.0
    for booking in bookings:
        attendance = []
        for a in sorted(booking.attendances.all(), key=lambda a: a.session.starts_at):
            attendance.append(
                {
                    "session": a.session.title or booking.event.title,
                    "starts_at": _iso(a.session.starts_at),
                    "ends_at": _iso(a.session.ends_at),
                    "status": a.status,
                    "hours": a.session.hours,
                }
            )
            if a.status == AttendanceStatus.ATTENDED:
                cpd_hours += a.session.hours
        booking_rows.append(
            {
                "hub": booking.event.hub.name,
                "event": booking.event.title,
                "event_starts_at": _iso(booking.event.starts_at),
                "event_ends_at": _iso(booking.event.ends_at),
                "name": booking.name,
                "email": booking.email,
                "organisation": booking.organisation_name,
                "status": booking.status,
                "booked_at": _iso(booking.created_at),
                "confirmed_at": _iso(booking.confirmed_at),
                "cancelled_at": _iso(booking.cancelled_at),
                "attendance": attendance,
            }
        )
    account = None
    if holds_account and user is not None:
        account = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "active": user.is_active,
            "joined": _iso(user.date_joined),
            "last_sign_in": _iso(user.last_login),
        }
        if hub is None:
            account["private_calendar_address"] = CalendarFeed.objects.filter(user=user).exists()
    return {
        "email": email,
        "produced_at": timezone.now().isoformat(),
        "hub": hub.name if hub is not None else None,
        "account": account,
        "memberships": [
            {
                "hub": m.hub.name,
                "role": m.get_role_display(),
                "since": _iso(m.created_at),
                "organisations": sorted(o.name for o in m.organisations.all()),
            }
            for m in memberships
        ],
        "clusters_coordinated": [{"hub": c.hub.name, "cluster": c.name} for c in clusters],
        "bookings": booking_rows,
        "cpd_hours": round(cpd_hours, 2),
        **sources_data(hub=hub, email=email),
        "audit_entries": [
            {
                "at": _iso(e.created_at),
                "hub": e.hub.name if e.hub else None,
                "action": e.action,
                "by_them": user is not None and e.actor_id == user.pk,
                "object": f"{e.object_type}#{e.object_id}" if e.object_type else "",
                "data": e.data,
            }
            for e in audit_entries
        ],
    }


def holds_anything(data: dict[str, Any]) -> bool:
    return bool(
        data["account"]
        or data["memberships"]
        or data["bookings"]
        or data["audit_entries"]
        or any(data.get(source.key) for source in SOURCES)
    )


def held_in_apps(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The newer apps' records in ``data``, labelled, for the pages: only apps that hold some."""
    return [(source.label, data[source.key]) for source in SOURCES if data.get(source.key)]


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def audit_log(*, hub: Hub, filters: AuditFilters) -> QuerySet[AuditLog]:
    """The hub's audit log, newest first: filtered by a person (who did it, or whom it is
    about, by email), an action (or the start of one) and a date range (London days)."""
    entries = AuditLog.objects.filter(hub=hub).select_related("actor")
    if filters.person:
        person = Q(actor__email__iexact=filters.person) | mentions(filters.person)
        entries = entries.filter(person)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.since:
        entries = entries.filter(created_at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__date__lte=filters.until)
    return entries.order_by("-created_at", "-pk")


def audit_actions(*, hub: Hub) -> list[str]:
    return list(
        AuditLog.objects.filter(hub=hub)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
