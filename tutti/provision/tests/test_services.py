import pytest
from django.core.exceptions import ValidationError

from tutti.core.models import AuditLog
from tutti.provision.models import SchoolAudit
from tutti.provision.services import audit_save
from tutti.provision.tests.factories import this_year


def test_saving_twice_updates_one_audit_and_logs_the_earlier_answers(world):
    year = this_year()
    audit_save(hub=world.hub, school=world.school, year=year, answers={"wcet": "no"})
    record = audit_save(
        hub=world.hub, school=world.school, year=year, answers={"wcet": "yes", "singing": "yes"}
    )
    assert SchoolAudit.objects.filter(school=world.school).count() == 1
    assert (record.wcet, record.singing) == ("yes", "yes")
    log = AuditLog.objects.filter(action="provision.audit.updated").get()
    assert log.data["changes"]["wcet"] == ["no", "yes"]


def test_a_partial_save_keeps_answers_it_does_not_mention(world):
    year = this_year()
    audit_save(hub=world.hub, school=world.school, year=year, answers={"wcet": "yes"})
    record = audit_save(hub=world.hub, school=world.school, year=year, answers={"send": "partly"})
    assert (record.wcet, record.send) == ("yes", "partly")


def test_contradictory_answers_are_refused_and_nothing_is_written(world):
    year = this_year()
    audit_save(hub=world.hub, school=world.school, year=year, answers={"choir": "yes"})
    with pytest.raises(ValidationError) as error:
        audit_save(
            hub=world.hub,
            school=world.school,
            year=year,
            answers={"choir": "no", "choir_members": 40},
        )
    assert "choir_members" in error.value.message_dict
    record = SchoolAudit.objects.get(school=world.school)
    assert (record.choir, record.choir_members) == ("yes", None)


def test_a_refused_first_save_leaves_no_empty_audit_behind(world):
    with pytest.raises(ValidationError):
        audit_save(
            hub=world.hub,
            school=world.school,
            year=this_year(),
            answers={"tuition": "no", "tuition_pupils": 3},
        )
    assert not SchoolAudit.objects.exists()
