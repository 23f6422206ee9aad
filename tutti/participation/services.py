"""Writes of participation records. Each is atomic and audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tutti.core.audit import audit
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.figures import SECTIONS
from tutti.participation.models import Collection, Submission, SubmissionStatus
from tutti.participation.selectors import delivering_partners
from tutti.participation.tasks import send_collection_reminder
from tutti.participation.years import year_label


class ParticipationError(Exception):
    """A record the rules do not allow; the message is for the user."""


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
    **fields: Any,
) -> Model:
    """Record one activity. ``own_organisations`` limits partner staff to their own;
    ``submission`` is the partner's return it is part of."""
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
    model = SECTIONS[section]
    record = model(hub=hub, year=year, partner=partner, **fields)
    if school is not None:
        record.school = school
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
    )
    return record


@transaction.atomic
def collection_open(*, hub: Hub, year: int, deadline: dt.date, by: Any) -> Collection:
    """Open a year's data collection: every active partner gets a submission to fill in."""
    if Collection.objects.filter(hub=hub, year=year).exists():
        raise ParticipationError(f"There is already a data collection for {year_label(year)}.")
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
        submission.reminded_at = now
        submission.save(update_fields=["reminded_at", "updated_at"])
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
    *, submission: Submission, records: list[tuple[str, dict[str, Any]]], by: Any
) -> list[Model]:
    """Store a whole submission's records and mark it submitted: all of them, or none."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.SUBMITTED:
        raise ParticipationError(
            f"{submission.partner.name} has already submitted for "
            f"{year_label(submission.collection.year)}."
        )
    collection = submission.collection
    created = [
        record_create(
            hub=collection.hub,
            section=section,
            year=collection.year,
            partner=submission.partner,
            by=by,
            submission=locked,
            **fields,
        )
        for section, fields in records
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
    )
    return created


@transaction.atomic
def submission_record_create(
    *,
    submission: Submission,
    section: str,
    by: Any,
    own_organisations: list[int] | None = None,
    **fields: Any,
) -> Model:
    """Add one record to a partner's return from the web form, before it is sent."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.SUBMITTED:
        raise ParticipationError(
            "This return has already been sent. Ask the hub if something needs changing."
        )
    collection = submission.collection
    record = record_create(
        hub=collection.hub,
        section=section,
        year=collection.year,
        partner=submission.partner,
        by=by,
        own_organisations=own_organisations,
        submission=locked,
        **fields,
    )
    submission_start(submission=locked)
    return record
