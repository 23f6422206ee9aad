"""Writes: erasing a person from a hub, and anonymising bookings. Atomic and audited."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from tutti.accounts.models import Membership, User
from tutti.clusters.models import Cluster
from tutti.core.audit import audit
from tutti.core.models import AuditLog
from tutti.core.page_cache import bump_site
from tutti.cpd.models import NetworkMember
from tutti.directory.models import Hub
from tutti.events.models import Attendance, Booking, CalendarFeed
from tutti.privacy.actions import PrivacyAction
from tutti.privacy.selectors import mentions, person_bookings, person_user, spellings
from tutti.privacy.sources import sources_data, sources_erase, sources_plans

ERASED = "[erased]"
# A reserved top-level domain (RFC 2606): no such address can exist, and it marks the row as
# already anonymised, which keeps retention idempotent.
ANONYMISED_DOMAIN = "anonymised.invalid"
ANONYMISED_NAME = "Anonymised"


def anonymised_email(pk: int) -> str:
    # One per booking, as a booking's email is unique among an event's live bookings.
    return f"booking-{pk}@{ANONYMISED_DOMAIN}"


def bookings_anonymise(bookings: Any) -> int:
    """Take the name, email and organisation out of these bookings. Status, dates and
    attendance stay, so places taken and CPD hours stay right. Returns how many changed."""
    changed = 0
    for booking in bookings.exclude(email__iendswith=f"@{ANONYMISED_DOMAIN}"):
        booking.name = ANONYMISED_NAME
        booking.email = anonymised_email(booking.pk)
        booking.organisation_name = ""
        booking.user = None
        booking.booked_by = None
        booking.save(update_fields=["name", "email", "organisation_name", "user", "booked_by"])
        changed += 1
    return changed


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    if isinstance(value, str) and any(s.lower() in value.lower() for s in secrets):
        return ERASED
    return value


def audit_entries_scrub(entries: Any, secrets: list[str]) -> int:
    """Replace every value that holds one of ``secrets`` in these entries' data."""
    secrets = sorted({v for s in secrets if s and len(s) >= 3 for v in spellings(s)})
    changed = 0
    for entry in entries:
        data = _scrub(entry.data, secrets)
        if data != entry.data:
            entry.data = data
            entry.save(update_fields=["data"])
            changed += 1
    return changed


@dataclass(frozen=True)
class ErasureOutcome:
    bookings: int
    memberships: int
    audit_entries: int
    account_scrubbed: bool
    account_kept_for_other_hubs: bool
    # How many records each newer app changed (sources.SOURCES), by its key.
    in_apps: dict[str, int] = field(default_factory=dict)


def erasure_preview(*, hub: Hub, email: str) -> dict[str, Any]:
    """What erasing this person from the hub would change, for the confirmation page."""
    user = person_user(email=email)
    bookings = person_bookings(email=email, hub=hub, user=user)
    other_hubs = _other_hubs(hub=hub, user=user, email=email)
    plans = sources_plans(hub=hub, email=email)
    return {
        "closes_account": user is not None
        and not other_hubs
        and _account_is_the_hubs(hub=hub, user=user, bookings=bookings.exists()),
        "user": user,
        "bookings": bookings.count(),
        "attended_sessions": Attendance.objects.filter(booking__in=bookings).count(),
        "membership": user is not None and Membership.objects.filter(hub=hub, user=user).exists(),
        "clusters": list(Cluster.objects.filter(hub=hub, coordinator=user)) if user else [],
        "other_hubs": other_hubs,
        "in_apps": plans,
        "hub_must": [(label, must) for label, plan in plans for must in plan.hub_must],
    }


def _account_is_the_hubs(*, hub: Hub, user: User, bookings: bool) -> bool:
    """Whether this hub may close the account: it holds the person (a role, a booking, a
    cluster or a place in one of its CPD networks), and the account is not a site operator's,
    which only the site can close."""
    if user.is_superuser or user.is_staff:
        return False
    return (
        bookings
        or Membership.objects.filter(hub=hub, user=user).exists()
        or Cluster.objects.filter(hub=hub, coordinator=user).exists()
        or NetworkMember.objects.filter(network__hub=hub, user=user).exists()
    )


def _other_hubs(*, hub: Hub, user: User | None, email: str) -> list[str]:
    """The other hubs that hold this person's account: a role there, a booking of their events
    or a place in their CPD networks."""
    held = Q(events__bookings__email__iexact=email)
    if user is not None:
        held |= (
            Q(memberships__user=user)
            | Q(events__bookings__user=user)
            | Q(own_networks__cpd_members__user=user)
        )
    return list(
        Hub.objects.filter(held).exclude(pk=hub.pk).distinct().values_list("name", flat=True)
    )


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: Any) -> ErasureOutcome:
    """Erase a person from one hub: its bookings anonymised, their role removed, the hub's
    audit entries cleared of their details. The account itself is scrubbed and closed only
    when this hub holds them and no other hub does (and never a site operator's)."""
    user = person_user(email=email)
    secrets = [email]
    if user is not None:
        secrets += [user.email, user.get_full_name()]
    bookings = person_bookings(email=email, hub=hub, user=user)
    secrets += [n for n in bookings.values_list("name", flat=True) if " " in n]
    booking_ids = [str(pk) for pk in bookings.values_list("pk", flat=True)]
    # Decided before anything changes: the apps' erasure lets go of the account.
    closes_account = user is not None and _account_is_the_hubs(
        hub=hub, user=user, bookings=bool(booking_ids)
    )
    typed_names = _names_typed(sources_data(hub=hub, email=email))
    secrets += typed_names
    anonymised = bookings_anonymise(Booking.objects.filter(pk__in=booking_ids))
    in_apps = sources_erase(hub=hub, email=email, by=by)
    memberships = 0
    scrubbed = False
    other_hubs: list[str] = []
    hub_entries = AuditLog.objects.filter(hub=hub)
    if user is not None:
        Cluster.objects.filter(hub=hub, coordinator=user).update(coordinator=None)
        # A coordinator's name is on public pages, perhaps of other hubs: none may keep it.
        bump_site()
        memberships, _ = Membership.objects.filter(hub=hub, user=user).delete()
        Attendance.objects.filter(session__event__hub=hub, recorded_by=user).update(
            recorded_by=None
        )
        hub_entries.filter(actor=user).update(actor=None)
        other_hubs = _other_hubs(hub=hub, user=user, email=email)
        if closes_account and not other_hubs:
            _account_scrub(user)
            scrubbed = True
    scrubbed_entries = audit_entries_scrub(
        hub_entries.filter(
            Q(object_type="events.booking", object_id__in=booking_ids)
            | mentions(email)
            | _mentions_any(typed_names)
            | (Q(object_type="accounts.user", object_id=str(user.pk)) if user else Q(pk=None))
        ),
        secrets,
    )
    # Entries with no hub (the account's own) go too once the account is scrubbed.
    if scrubbed:
        scrubbed_entries += audit_entries_scrub(
            AuditLog.objects.filter(mentions(email), hub=None), secrets
        )
    outcome = ErasureOutcome(
        bookings=anonymised,
        memberships=memberships,
        audit_entries=scrubbed_entries,
        account_scrubbed=scrubbed,
        account_kept_for_other_hubs=bool(other_hubs),
        in_apps=in_apps,
    )
    app_counts: dict[str, Any] = {f"{key}_erased": count for key, count in in_apps.items()}
    # That an erasure happened, and how much it changed; never whom.
    audit(
        PrivacyAction.PERSON_ERASED,
        hub=hub,
        actor=by,
        bookings_anonymised=outcome.bookings,
        memberships_removed=outcome.memberships,
        audit_entries_scrubbed=outcome.audit_entries,
        account_scrubbed=outcome.account_scrubbed,
        account_kept_for_other_hubs=outcome.account_kept_for_other_hubs,
        **app_counts,
    )
    return outcome


# The keys under which the apps' records hold a name the person typed (their own, on a form).
TYPED_NAME_KEYS = ("name", "your_name", "agreement_accepted_by")


def _names_typed(value: Any) -> list[str]:
    """The full names the person typed into the apps' forms, to clear from the audit log
    (accepting a loan agreement records the name typed). Only names with a space: a first name
    alone would clear other people's entries."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TYPED_NAME_KEYS and isinstance(item, str) and " " in item.strip():
                found.add(item.strip())
            else:
                found.update(_names_typed(item))
    elif isinstance(value, list):
        for item in value:
            found.update(_names_typed(item))
    return sorted(found)


def _mentions_any(texts: list[str]) -> Q:
    found = Q(pk__in=[])
    for text in texts:
        found |= mentions(text)
    return found


def _account_scrub(user: User) -> None:
    user.email = f"user-{user.pk}@{ANONYMISED_DOMAIN}"
    user.username = f"erased-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "username",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "password",
        ]
    )
    CalendarFeed.objects.filter(user=user).delete()
    Booking.objects.filter(booked_by=user).update(booked_by=None)
