"""Retention: how long each kind of personal data is kept, one rule per kind.

Each rule reads its period from the hub's settings and does its work for one hub at a time.
An app that keeps personal data writes its rule in its own retention.py and this module
registers it with ``retention_rule(...)`` (privacy builds on the apps, so they need not import
it); the ``apply_retention`` command runs every registered rule for every hub. A rule must be
idempotent: run twice with the same clock, the second run changes nothing and reports 0.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction

from tutti.accounts import retention as accounts_retention
from tutti.competitions import retention as competitions_retention
from tutti.core.audit import audit
from tutti.core.models import AuditLog
from tutti.cpd import retention as cpd_retention
from tutti.directory.models import Hub
from tutti.events.models import Booking
from tutti.loans import retention as loans_retention
from tutti.newsletters import retention as newsletters_retention
from tutti.privacy.actions import PrivacyAction
from tutti.privacy.services import bookings_anonymise
from tutti.programmes import retention as programmes_retention
from tutti.transition import retention as transition_retention

RuleFunction = Callable[[Hub, datetime], int]


@dataclass(frozen=True)
class RetentionRule:
    key: str
    # What the report says it did, e.g. "bookings anonymised".
    label: str
    apply: RuleFunction


RETENTION_RULES: dict[str, RetentionRule] = {}


def retention_rule(key: str, label: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule: a function of (hub, now) that returns how many rows it changed."""

    def register(function: RuleFunction) -> RuleFunction:
        RETENTION_RULES[key] = RetentionRule(key=key, label=label, apply=function)
        return function

    return register


@retention_rule("bookings", "bookings anonymised")
def anonymise_old_bookings(hub: Hub, now: datetime) -> int:
    cutoff = now - relativedelta(months=hub.retention_booking_months)
    return bookings_anonymise(Booking.objects.filter(event__hub=hub, event__ends_at__lt=cutoff))


@retention_rule("audit", "audit entries deleted")
def delete_old_audit_entries(hub: Hub, now: datetime) -> int:
    cutoff = now - relativedelta(months=hub.retention_audit_months)
    deleted, _ = AuditLog.objects.filter(hub=hub, created_at__lt=cutoff).delete()
    return deleted


# Registered after the two above, so that reports list the kinds in the same order as before.
retention_rule("invitations", "invitations deleted")(accounts_retention.delete_old_invitations)
retention_rule("passports", "passports deleted")(transition_retention.delete_expired_passports)
retention_rule("newsletter_subscribers", "newsletter subscribers deleted")(
    newsletters_retention.delete_old_subscribers
)
retention_rule("instrument-requests", "instrument requests anonymised")(
    loans_retention.anonymise_old_requests
)
retention_rule("programme-pupils", "programme pupils erased")(programmes_retention.erase_old_pupils)
retention_rule("competition_videos", "competition videos deleted")(
    competitions_retention.delete_old_videos
)
retention_rule("competition_entries", "competition entries erased")(
    competitions_retention.erase_old_entries
)
retention_rule("network_places", "CPD network places deleted")(
    cpd_retention.delete_old_network_places
)


@dataclass(frozen=True)
class HubReport:
    hub: Hub
    counts: dict[str, int]


def retention_apply(*, now: datetime, hubs: list[Hub] | None = None) -> list[HubReport]:
    """Run every rule for every hub (or these), each hub in its own transaction, and record
    what each hub's run changed in that hub's audit log."""
    reports = []
    for hub in hubs if hubs is not None else Hub.objects.order_by("slug"):
        with transaction.atomic():
            counts = {key: rule.apply(hub, now) for key, rule in RETENTION_RULES.items()}
            # obj given, so the type checker knows no count lands in it.
            audit(
                PrivacyAction.RETENTION_APPLIED, hub=hub, obj=None, as_of=now.isoformat(), **counts
            )
        reports.append(HubReport(hub=hub, counts=counts))
    return reports
