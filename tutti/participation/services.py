"""Writes of participation records. Each is atomic and audited."""

from typing import Any

from django.db import transaction
from django.db.models import Model

from tutti.core.audit import audit
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.figures import SECTIONS
from tutti.participation.selectors import delivering_partners


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
    **fields: Any,
) -> Model:
    """Record one activity. ``own_organisations`` limits partner staff to their own."""
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
