"""Writes of the provision audit: atomic and audited."""

from typing import Any

from django.db import transaction

from tutti.core.audit import audit
from tutti.directory.models import Hub, Organisation
from tutti.provision.models import SchoolAudit

AUDIT_FIELDS = [
    "music_lead",
    "wcet",
    "wcet_details",
    "singing",
    "choir",
    "choir_members",
    "ensembles",
    "ensemble_members",
    "tuition",
    "tuition_pupils",
    "send",
    "send_details",
    "mdp",
    "mdp_url",
]


@transaction.atomic
def audit_save(
    *, hub: Hub, school: Organisation, year: int, answers: dict[str, Any], by: Any = None
) -> SchoolAudit:
    """Create or update the school's audit for the year; the log keeps every earlier answer."""
    record, created = SchoolAudit.objects.select_for_update().get_or_create(
        hub=hub, school=school, year=year
    )
    changes = {}
    for name in AUDIT_FIELDS:
        if name in answers and answers[name] != getattr(record, name):
            changes[name] = [getattr(record, name), answers[name]]
            setattr(record, name, answers[name])
    # Raises before anything is written when the answers contradict each other; the
    # transaction also rolls back the row get_or_create may have just made.
    record.full_clean()
    if changes:
        record.save(update_fields=[*changes, "updated_at"])
    audit(
        "provision.audit.created" if created else "provision.audit.updated",
        hub=hub,
        actor=by,
        obj=record,
        year=year,
        changes=changes,
    )
    return record
