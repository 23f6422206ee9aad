import datetime as dt

from django.utils import timezone

from tutti.loans.models import InstrumentRequest
from tutti.loans.retention import anonymise_old_requests
from tutti.loans.tests.factories import InstrumentFactory, LoanFactory, RequestFactory


def test_a_finished_request_loses_the_pupils_name_two_years_after_the_return(world):
    now = timezone.now()
    old_day = (now - dt.timedelta(days=800)).date()
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner)
    old = RequestFactory(hub=world.hub, school=world.school, status="issued")
    LoanFactory(
        hub=world.hub,
        instrument=instrument,
        request=old,
        starts_on=old_day - dt.timedelta(days=200),
        due_on=old_day,
        returned_on=old_day,
    )
    recent = RequestFactory(hub=world.hub, school=world.school, status="issued")
    LoanFactory(
        hub=world.hub,
        instrument=InstrumentFactory(hub=world.hub, owner=world.partner),
        request=recent,
    )
    waiting = RequestFactory(hub=world.hub, school=world.school)
    assert anonymise_old_requests(world.hub, now) == 1
    assert anonymise_old_requests(world.hub, now) == 0
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.contact_email) == (
        "Removed",
        "",
        "removed@example.invalid",
    )
    kept = InstrumentRequest.objects.filter(pk__in=[recent.pk, waiting.pk])
    assert "Removed" not in {r.first_name for r in kept}
