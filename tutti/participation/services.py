"""Writes of participation records. Each is atomic and audited."""

import datetime as dt
from typing import Any, cast

from django.db import transaction
from django.db.models import Field, Model
from django.utils import timezone

from tutti.core.audit import audit
from tutti.core.errors import DomainError
from tutti.core.models import model_update
from tutti.core.years import year_label
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.kinds import KINDS, kind_of
from tutti.participation.models import (
    Collection,
    ParticipationRecord,
    Submission,
    SubmissionStatus,
)
from tutti.participation.selectors import delivering_partners
from tutti.participation.tasks import send_collection_reminder


class ParticipationError(DomainError):
    """A record the rules do not allow; the message is for the user."""


RETURN_SENT = "This return has already been sent. Ask the hub if something needs changing."


def record_change_refused(
    *, record: ParticipationRecord, own_organisations: list[int] | None
) -> str | None:
    """Why this person may not change or delete the record, or None when they may.

    Hub staff (``own_organisations`` None) may change any record of their hub, even one in a
    sent return; partner staff only their own organisations', until their return is sent."""
    if own_organisations is None:
        return None
    if record.partner_id not in own_organisations:
        return "You can only change your own organisation's records."
    if record.submission is not None and record.submission.status == SubmissionStatus.SUBMITTED:
        return RETURN_SENT
    return None


def _lock_record(
    record: ParticipationRecord, own_organisations: list[int] | None
) -> ParticipationRecord:
    """The record as it is now, locked, with its return locked too so it cannot be sent
    halfway through the change; raises if this person may not change it."""
    if record.submission_id:
        Submission.objects.select_for_update().get(pk=record.submission_id)
    locked = (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(pk=record.pk)
    )
    refused = record_change_refused(record=locked, own_organisations=own_organisations)
    if refused:
        raise ParticipationError(refused)
    return locked


def _via(via: str | None) -> dict[str, Any]:
    # "link": made through the return's signed link, by someone not signed in.
    return {"via": via} if via else {}


def _in_sent_return(record: ParticipationRecord) -> dict[str, Any]:
    # Hub staff may correct a sent return; the audit entry says so.
    if record.submission is not None and record.submission.status == SubmissionStatus.SUBMITTED:
        return {"submission": record.submission_id, "sent_return": True}
    return {}


@transaction.atomic
def record_create(
    *,
    hub: Hub,
    section: str,
    year: int,
    partner: Organisation,
    by: Any,
    school: Organisation | None = None,
    own_organisations: list[int] | None = None,
    submission: Submission | None = None,
    via: str | None = None,
    **fields: Any,
) -> ParticipationRecord:
    """Record one activity of the kind keyed ``section`` (``kinds.KINDS``; not "kind", which
    is a field of ensembles and singing support). ``own_organisations`` limits partner staff to
    their own; ``submission`` is the partner's return it is part of; ``via`` how it came, for
    the audit."""
    if (
        not delivering_partners(hub=hub, organisation_ids=own_organisations)
        .filter(pk=partner.pk)
        .exists()
    ):
        raise ParticipationError(f"{partner.name} is not a partner you can record for.")
    if school is not None and not (
        hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL, pk=school.pk).exists()
    ):
        raise ParticipationError(f"{school.name} is not a school in this hub's area.")
    # Only the kinds that name a school take one.
    named_school = {"school": school} if school is not None else {}
    record = KINDS[section].model(hub=hub, year=year, partner=partner, **named_school, **fields)
    if submission is not None:
        record.submission = submission
    # Checks the database constraints too (no more FSM pupils than pupils), with messages.
    record.full_clean()
    record.save()
    audit(
        f"participation.{section}.created",
        hub=hub,
        actor=by,
        obj=record,
        year=year,
        partner=partner.pk,
        **_via(via),
    )
    return record


@transaction.atomic
def record_update(
    *,
    record: ParticipationRecord,
    by: Any,
    own_organisations: list[int] | None = None,
    via: str | None = None,
    **fields: Any,
) -> ParticipationRecord:
    """Change a record's fields (``school`` and ``partner`` as organisations); the audit entry
    lists each change, old and new."""
    locked = _lock_record(record, own_organisations)
    hub, kind = locked.hub, kind_of(locked)
    partner, school = fields.get("partner"), fields.get("school")
    if locked.submission_id and (
        fields.get("year", locked.year) != locked.year
        or (partner is not None and partner.pk != locked.partner_id)
    ):
        raise ParticipationError(
            "A record in a partner's return keeps the return's year and partner."
        )
    # An unchanged partner or school stays valid even if it has since left the hub's area.
    if (
        partner is not None
        and partner.pk != locked.partner_id
        and not delivering_partners(hub=hub, organisation_ids=own_organisations)
        .filter(pk=partner.pk)
        .exists()
    ):
        raise ParticipationError(f"{partner.name} is not a partner you can record for.")
    if (
        school is not None
        # Loans name no school, and their form sends none.
        and school.pk != getattr(locked, "school_id", None)
        and not hub_organisations(hub=hub)
        .filter(kind=OrganisationKind.SCHOOL, pk=school.pk)
        .exists()
    ):
        raise ParticipationError(f"{school.name} is not a school in this hub's area.")
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        # The fields a form or payload may change are the record's own columns.
        field = cast("Field[Any, Any]", locked._meta.get_field(name))
        old = getattr(locked, field.attname)
        new = value.pk if isinstance(value, Model) else value
        if old != new:
            changes[name] = [old, new]
            setattr(locked, name, value)
    if not changes:
        return locked
    # Checks the database constraints too (no more FSM pupils than pupils), with messages.
    locked.full_clean()
    updated = [locked._meta.get_field(name).name for name in changes]
    locked.save(update_fields=[*updated, "updated_at"])
    audit(
        f"participation.{kind.key}.updated",
        hub=hub,
        actor=by,
        obj=locked,
        year=locked.year,
        partner=locked.partner_id,
        changes=changes,
        **_in_sent_return(locked),
        **_via(via),
    )
    return locked


@transaction.atomic
def record_delete(
    *,
    record: ParticipationRecord,
    by: Any,
    own_organisations: list[int] | None = None,
    via: str | None = None,
) -> None:
    """Delete a record; the audit entry keeps what it said, so it could be entered again."""
    locked = _lock_record(record, own_organisations)
    kind = kind_of(locked)
    details = {
        field.name: getattr(locked, field.attname)
        for field in locked._meta.concrete_fields
        if field.name not in {"id", "hub", "created_at", "updated_at"}
    }
    audit(
        f"participation.{kind.key}.deleted",
        hub=locked.hub,
        actor=by,
        obj=locked,
        year=locked.year,
        partner=locked.partner_id,
        record=details,
        **_in_sent_return(locked),
        **_via(via),
    )
    locked.delete()


@transaction.atomic
def collection_open(*, hub: Hub, year: int, deadline: dt.date, by: Any) -> Collection:
    """Open a year's data collection: every active partner gets a submission to fill in."""
    if Collection.objects.filter(hub=hub, year=year).exists():
        raise ParticipationError(
            f"There is already a data collection for {year_label(year)}.", status=409
        )
    collection = Collection(hub=hub, year=year, deadline=deadline, opened_by=by)
    collection.full_clean()
    collection.save()
    partners = list(delivering_partners(hub=hub))
    Submission.objects.bulk_create(
        [Submission(collection=collection, partner=partner) for partner in partners]
    )
    audit(
        "participation.collection.opened",
        hub=hub,
        actor=by,
        obj=collection,
        year=year,
        deadline=deadline.isoformat(),
        partners=len(partners),
    )
    # Partners hear of it straight away; the reminders come later, from staff.
    ids = list(collection.submissions.values_list("pk", flat=True))
    transaction.on_commit(
        lambda: [send_collection_reminder.enqueue(submission_id=pk, opening=True) for pk in ids]
    )
    return collection


@transaction.atomic
def collection_remind(*, collection: Collection, by: Any) -> list[Submission]:
    """Email every partner that has not submitted; after the deadline, that is the late ones."""
    waiting = list(
        collection.submissions.select_for_update()
        .exclude(status=SubmissionStatus.SUBMITTED)
        .select_related("partner")
    )
    now = timezone.now()
    for submission in waiting:
        model_update(submission, {"reminded_at": now})
    audit(
        "participation.collection.reminded",
        hub=collection.hub,
        actor=by,
        obj=collection,
        partners=[s.partner_id for s in waiting],
    )
    ids = [s.pk for s in waiting]
    transaction.on_commit(
        lambda: [send_collection_reminder.enqueue(submission_id=pk) for pk in ids]
    )
    return waiting


@transaction.atomic
def submission_start(*, submission: Submission) -> None:
    """Mark a submission in progress once the partner has started on it."""
    updated = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.NOT_STARTED
    ).update(status=SubmissionStatus.IN_PROGRESS, updated_at=timezone.now())
    if updated:
        submission.status = SubmissionStatus.IN_PROGRESS


@transaction.atomic
def submission_submit(
    *,
    submission: Submission,
    records: list[tuple[str, dict[str, Any]]],
    by: Any,
    via: str | None = None,
) -> list[ParticipationRecord]:
    """Store a whole submission's records and mark it submitted: all of them, or none."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.SUBMITTED:
        raise ParticipationError(
            f"{submission.partner.name} has already submitted for "
            f"{year_label(submission.collection.year)}.",
            status=409,
        )
    collection = submission.collection
    created = [
        record_create(
            hub=collection.hub,
            section=key,
            year=collection.year,
            partner=submission.partner,
            by=by,
            submission=locked,
            via=via,
            **fields,
        )
        for key, fields in records
    ]
    locked.status = SubmissionStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.full_clean()
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    submission.status, submission.submitted_at = locked.status, locked.submitted_at
    audit(
        "participation.submission.submitted",
        hub=collection.hub,
        actor=by,
        obj=locked,
        year=collection.year,
        partner=submission.partner_id,
        records=len(created),
        late=timezone.localdate(locked.submitted_at) > collection.deadline,
        **_via(via),
    )
    return created


@transaction.atomic
def submission_record_create(
    *,
    submission: Submission,
    section: str,
    by: Any,
    own_organisations: list[int] | None = None,
    via: str | None = None,
    **fields: Any,
) -> ParticipationRecord:
    """Add one record to a partner's return from the web form, before it is sent."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.SUBMITTED:
        raise ParticipationError(RETURN_SENT, status=409)
    collection = submission.collection
    record = record_create(
        hub=collection.hub,
        section=section,
        year=collection.year,
        partner=submission.partner,
        by=by,
        own_organisations=own_organisations,
        submission=locked,
        via=via,
        **fields,
    )
    submission_start(submission=locked)
    return record


@transaction.atomic
def submission_link_replace(*, submission: Submission, by: Any) -> Submission:
    """Give the return a new signed link; every link sent before stops working."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    model_update(locked, {"link_version": locked.link_version + 1})
    submission.link_version = locked.link_version
    audit(
        "participation.submission.link_replaced",
        hub=submission.collection.hub,
        actor=by,
        obj=locked,
        partner=locked.partner_id,
        version=locked.link_version,
    )
    return locked
