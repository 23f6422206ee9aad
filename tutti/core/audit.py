from enum import StrEnum
from typing import Any

from django.db import models

from tutti.core.models import AuditLog


def audit(
    action: str,
    *,
    hub: Any = None,
    actor: Any = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditLog:
    """Record an action. Call it inside the service's transaction so both land or neither."""
    return AuditLog.objects.create(
        action=action,
        hub=hub,
        actor=actor if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )


class ReadAction(StrEnum):
    """Someone saw personal data, or a list naming schools and partners."""

    EVENT_ATTENDEES = "read.events.attendees"
    EVENT_ATTENDEES_CSV = "read.events.attendees_csv"
    EVENT_ATTENDEES_XLSX = "read.events.attendees_xlsx"
    ATTENDANCE_REGISTER = "read.events.attendance_register"
    CPD_RECORD = "read.events.cpd_record"
    PARTICIPATION_RECORDS = "read.participation.records"
    FIGURE_RECORDS = "read.participation.figure_records"
    DATA_RETURN = "read.participation.data_return"
    PROVISION_AUDITS = "read.provision.audits"
    TRANSITION_PICTURE = "read.transition.picture"
    TRANSITION_PASSPORTS = "read.transition.passports"
    TRANSITION_PASSPORT = "read.transition.passport"
    CPD_CLAIMS = "read.cpd.claims"


def audit_read(
    request: Any, action: ReadAction, *, obj: models.Model | None = None, **data: Any
) -> None:
    """Record that someone looked at personal data or a list naming schools and partners.

    One row per page view: callers call it once, on the request that shows or sends the data.
    """
    audit(
        action,
        hub=getattr(request, "hub", None),
        actor=request.user,
        obj=obj,
        path=request.get_full_path()[:500],
        **data,
    )
