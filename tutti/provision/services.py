"""Writes of the provision audit: atomic and audited."""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

from tutti.core.audit import audit
from tutti.core.models import model_update
from tutti.directory.models import Hub, Organisation
from tutti.provision.models import AuditLinkVersion, SchoolAudit
from tutti.provision.tasks import send_audit_reminder

AUDIT_FIELDS = [
    "music_lead",
    "ks1_minutes",
    "ks2_minutes",
    "ks3_minutes",
    "ks4_minutes",
    "wcet",
    "wcet_year_group",
    "wcet_instrument",
    "wcet_weeks",
    "wcet_details",
    "singing",
    "choir",
    "choir_members",
    "ensembles",
    "ensemble_members",
    "tuition",
    "tuition_pupils",
    "send",
    "send_adaptive_instruments",
    "send_specialist_partners",
    "send_inclusive_ensembles",
    "send_details",
    "mdp",
    "mdp_url",
    "cpd_wanted",
    "cpd_other",
    "barriers",
    "barriers_other",
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


@dataclass
class Reminders:
    emailed: list[Organisation] = field(default_factory=list)
    # Incomplete schools with no email in the register: staff contact these themselves.
    to_contact: list[Organisation] = field(default_factory=list)


@transaction.atomic
def audit_reminders_send(*, hub: Hub, year: int, school_ids: list[int], by: Any) -> Reminders:
    """Email each of these schools whose audit for the year is not complete its signed link.

    ``school_ids`` are the hub's schools as its staff page lists them; the completeness is
    checked again here, so a school that finished meanwhile is not chased. The emails leave
    after the commit, through the task backend.
    """
    complete = {
        a.school_id
        for a in SchoolAudit.objects.filter(hub=hub, year=year, school_id__in=school_ids)
        if a.is_complete
    }
    result = Reminders()
    for school in Organisation.objects.filter(pk__in=school_ids).order_by("name"):
        if school.pk in complete:
            continue
        (result.emailed if school.email else result.to_contact).append(school)
    audit(
        "provision.audit.reminders_sent",
        hub=hub,
        actor=by,
        year=year,
        emailed=[s.pk for s in result.emailed],
        to_contact=[s.pk for s in result.to_contact],
    )
    hub_id = hub.pk
    for school in result.emailed:
        transaction.on_commit(
            partial(send_audit_reminder.enqueue, hub_id=hub_id, school_id=school.pk, year=year)
        )
    return result


@transaction.atomic
def audit_link_replace(*, hub: Hub, school: Organisation, by: Any) -> int:
    """Give the school a new audit link; every link sent before stops working. The new
    version."""
    link, _ = AuditLinkVersion.objects.select_for_update().get_or_create(hub=hub, school=school)
    model_update(link, {"version": link.version + 1})
    audit(
        "provision.audit.link_replaced",
        hub=hub,
        actor=by,
        obj=school,
        school=school.pk,
        version=link.version,
    )
    return link.version
