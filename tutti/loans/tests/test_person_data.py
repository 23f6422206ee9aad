"""A parent's or carer's library data for privacy's pages: their requests and what followed,
erased as at the end of retention unless an instrument is still out."""

from django.utils import timezone

from tutti.loans import selectors, services
from tutti.loans.models import InstrumentRequest, Loan, RequestStatus
from tutti.loans.tests.factories import InstrumentFactory, LoanFactory, RequestFactory

SAM = "sam@example.org"


def _request(world, **kwargs):
    return RequestFactory(hub=world.hub, school=world.school, contact_email=SAM, **kwargs)


def test_requests_are_found_and_erased_keeping_the_loans(world):
    waiting = _request(world)
    lent = _request(world, status=RequestStatus.ISSUED)
    LoanFactory(
        hub=world.hub,
        instrument=InstrumentFactory(hub=world.hub, owner=world.partner),
        request=lent,
        borrower_email=SAM,
        returned_on=timezone.localdate(),
        accepted_by="Sam P",
    )
    data = selectors.person_data(hub=world.hub, email="SAM@example.org")
    assert [r["pupil"] for r in data] == [waiting.pupil_name, lent.pupil_name]
    assert data[1]["loans"][0]["agreement_accepted_by"] == "Sam P"
    assert selectors.person_data(hub=world.other_hub, email=SAM) == []
    plan = selectors.person_erase_plan(hub=world.hub, email=SAM)
    assert plan.changes[0].startswith("2 instrument requests lose") and not plan.hub_must

    assert services.person_erase(hub=world.hub, email=SAM, by=None) == 2
    assert InstrumentRequest.objects.count() == 2
    assert not InstrumentRequest.objects.filter(contact_email=SAM).exists()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.first_name) == (RequestStatus.WITHDRAWN, "Removed")
    loan = Loan.objects.get()
    assert (loan.borrower_email, loan.accepted_by) == ("", "")
    assert selectors.person_data(hub=world.hub, email=SAM) == []


def test_a_request_with_an_instrument_out_is_kept_and_the_plan_says_so(world):
    lent = _request(world, status=RequestStatus.ISSUED)
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-00042")
    LoanFactory(hub=world.hub, instrument=instrument, request=lent, borrower_email=SAM)
    plan = selectors.person_erase_plan(hub=world.hub, email=SAM)
    assert not plan.changes
    assert "WMC-00042 is still on loan" in plan.hub_must[0]
    assert services.person_erase(hub=world.hub, email=SAM, by=None) == 0
    lent.refresh_from_db()
    assert lent.contact_email == SAM
