import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tutti.core.models import AuditLog
from tutti.directory.tests.factories import OrganisationFactory
from tutti.participation.models import TuitionRecord, WcetProgramme
from tutti.participation.services import ParticipationError, record_create
from tutti.participation.tests.factories import EnsembleFactory, TuitionFactory, WcetFactory

WCET = {
    "year_groups": "Year 4",
    "instruments": "Violin",
    "pupils": 30,
    "weeks": 30,
    "lesson_minutes": 45,
    "continued": 10,
}


@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (WcetFactory, {"pupils": 10, "continued": 11}),
        (TuitionFactory, {"pupils": 10, "fsm": 11}),
        (TuitionFactory, {"pupils": 10, "send": 11}),
        (TuitionFactory, {"pupils": 10, "looked_after": 11}),
        (TuitionFactory, {"school": None, "centre": ""}),
        (EnsembleFactory, {"members": 5, "fsm": 6}),
        (WcetFactory, {"pupils": -1, "continued": 0}),
    ],
)
def test_the_database_refuses_impossible_counts(world, factory, fields):
    fields.setdefault("school", world.school)
    with pytest.raises(IntegrityError), transaction.atomic():
        factory.build(hub=world.hub, partner=world.partner, **fields).save()


def test_record_create_saves_and_audits(world):
    record = record_create(
        hub=world.hub,
        section="wcet",
        year=2025,
        partner=world.partner,
        school=world.school,
        by=world.users["staff"],
        **WCET,
    )
    assert record.year_label == "2025/26"
    assert AuditLog.objects.filter(action="participation.wcet.created").count() == 1


def test_record_create_refuses_a_school_outside_the_area(world):
    with pytest.raises(ParticipationError, match="not a school in this hub's area"):
        record_create(
            hub=world.hub,
            section="wcet",
            year=2025,
            partner=world.partner,
            school=world.other_school,
            by=world.users["staff"],
            **WCET,
        )
    assert not WcetProgramme.objects.exists()


def test_record_create_refuses_a_partner_not_their_own(world):
    other = OrganisationFactory(hub=world.hub)
    with pytest.raises(ParticipationError):
        record_create(
            hub=world.hub,
            section="wcet",
            year=2025,
            partner=other,
            school=world.school,
            by=world.users["partner"],
            own_organisations=[world.partner.pk],
            **WCET,
        )


def test_record_create_refuses_an_organisation_that_is_not_the_hubs_partner(world):
    with pytest.raises(ParticipationError):
        record_create(
            hub=world.hub,
            section="wcet",
            year=2025,
            partner=OrganisationFactory(),
            school=world.school,
            by=world.users["staff"],
            **WCET,
        )


def test_record_create_validates_counts_before_writing(world):
    with pytest.raises(ValidationError):
        record_create(
            hub=world.hub,
            section="tuition",
            year=2025,
            partner=world.partner,
            by=world.users["staff"],
            centre="Devizes Music Centre",
            family="brass",
            lesson_type="individual",
            pupils=3,
            fsm=4,
            send=0,
            looked_after=0,
        )
    assert not TuitionRecord.objects.exists()
