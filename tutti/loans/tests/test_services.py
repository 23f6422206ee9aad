"""The library's rules: each bad input is refused with a message and stores nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tutti.directory.models import Organisation
from tutti.loans import selectors, services
from tutti.loans.models import (
    Charge,
    Condition,
    Decision,
    Ground,
    Instrument,
    Loan,
    LoanSettings,
    PriorityRule,
    Repair,
    RequestStatus,
    Status,
    Term,
)
from tutti.loans.tests.factories import InstrumentFactory, LoanFactory, RequestFactory

TODAY = dt.date(2026, 10, 1)


@pytest.fixture
def staff(world):
    return world.users["staff"]


def _data(world, **extra):
    return {
        "kind": "violin",
        "size": "1/2",
        "asset_tag": "wmc-1",
        "owner": world.partner,
        "value": Decimal("100"),
        "condition": "good",
        **extra,
    }


def _owners(world):
    return Organisation.objects.filter(pk=world.partner.pk)


def test_adding_an_instrument_upper_cases_its_tag(world, staff):
    saved = services.instrument_save(
        hub=world.hub, instrument=None, data=_data(world), owners=_owners(world), by=staff
    )
    assert saved.asset_tag == "WMC-1"
    assert saved.status == Status.AVAILABLE


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"asset_tag": "WMC-1"}, "asset_tag"),
        ({"asset_tag": "WMC-2", "serial": "sn-1"}, "serial"),
        ({"asset_tag": "WMC-3", "size": "9/8"}, "size"),
    ],
)
def test_a_duplicate_tag_or_serial_or_a_wrong_size_is_refused(world, staff, extra, field):
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-1", serial="SN-1")
    with pytest.raises(ValidationError) as error:
        services.instrument_save(
            hub=world.hub,
            instrument=None,
            data=_data(world, **extra),
            owners=_owners(world),
            by=staff,
        )
    assert field in error.value.error_dict
    assert Instrument.objects.filter(hub=world.hub).count() == 1


def test_the_same_tag_in_another_hub_is_fine(world, staff):
    other = InstrumentFactory(hub=world.other_hub, owner=world.partner, asset_tag="WMC-1")
    saved = services.instrument_save(
        hub=world.hub, instrument=None, data=_data(world), owners=_owners(world), by=staff
    )
    assert saved.pk != other.pk


def test_an_owner_one_does_not_keep_for_is_refused(world, staff):
    with pytest.raises(services.LoanError):
        services.instrument_save(
            hub=world.hub,
            instrument=None,
            data=_data(world),
            owners=Organisation.objects.none(),
            by=staff,
        )


def _waiting(world, **extra):
    return RequestFactory(hub=world.hub, school=world.school, **extra)


def test_issuing_lends_the_instrument_and_emails_the_family(
    world, staff, mailoutbox, django_capture_on_commit_callbacks
):
    found = _waiting(world)
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="V-1")
    with django_capture_on_commit_callbacks(execute=True):
        loan = services.loan_issue(
            hub=world.hub,
            found=found,
            asset_tag=" v-1 ",
            starts_on=TODAY,
            due_on=TODAY + dt.timedelta(days=300),
            by=staff,
        )
    loan.instrument.refresh_from_db()
    found.refresh_from_db()
    assert loan.instrument.status == Status.ON_LOAN
    assert found.status == RequestStatus.ISSUED
    assert "/instruments/follow/" in mailoutbox[-1].body


@pytest.mark.parametrize("status", [Status.ON_LOAN, Status.IN_REPAIR, Status.RETIRED])
def test_an_instrument_on_loan_or_in_repair_cannot_be_issued(world, staff, status):
    found = _waiting(world)
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="V-1", status=status)
    with pytest.raises(services.LoanConflict, match="V-1 is"):
        services.loan_issue(
            hub=world.hub,
            found=found,
            asset_tag="V-1",
            starts_on=TODAY,
            due_on=TODAY,
            by=staff,
        )
    assert not Loan.objects.exists()
    found.refresh_from_db()
    assert found.status == RequestStatus.WAITING


def test_an_unknown_tag_or_another_type_is_refused(world, staff):
    found = _waiting(world)
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="T-1", kind="trumpet", size="")
    with pytest.raises(services.LoanError, match="No instrument"):
        services.loan_issue(
            hub=world.hub, found=found, asset_tag="NOPE", starts_on=TODAY, due_on=TODAY, by=staff
        )
    with pytest.raises(services.LoanError, match="Trumpet"):
        services.loan_issue(
            hub=world.hub, found=found, asset_tag="T-1", starts_on=TODAY, due_on=TODAY, by=staff
        )
    assert not Loan.objects.exists()


def test_a_school_gets_many_instruments_at_once_or_none(
    world, staff, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(3):
        InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag=f"C-{n}")
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="C-9", status=Status.IN_REPAIR)
    with pytest.raises(services.LoanConflict):
        services.loans_issue_to_school(
            hub=world.hub,
            school=world.school,
            asset_tags=["C-0", "C-1", "C-9"],
            email="",
            starts_on=TODAY,
            due_on=TODAY,
            by=staff,
        )
    assert not Loan.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        loans = services.loans_issue_to_school(
            hub=world.hub,
            school=world.school,
            asset_tags=["c-0", "C-1", "C-2", "C-2"],
            email="music@school.example.org",
            starts_on=TODAY,
            due_on=TODAY,
            by=staff,
        )
    assert len(loans) == 3
    assert Instrument.objects.filter(status=Status.ON_LOAN).count() == 3
    assert "/instruments/follow/" in mailoutbox[-1].body


def test_returning_with_damage_opens_a_repair(world, staff):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    loan = LoanFactory(hub=world.hub, instrument=instrument, school=world.school)
    services.loan_return(
        loan=loan,
        returned_on=timezone.localdate(),
        condition=Condition.DAMAGED,
        fault="Cracked top",
        by=staff,
    )
    instrument.refresh_from_db()
    assert instrument.status == Status.IN_REPAIR
    repair = Repair.objects.get(instrument=instrument)
    assert repair.fault == "Cracked top"
    with pytest.raises(services.LoanConflict, match="not on loan"):
        services.loan_return(
            loan=loan, returned_on=timezone.localdate(), condition="good", fault="", by=staff
        )
    services.repair_close(
        repair=repair,
        back_on=timezone.localdate(),
        cost=Decimal("40"),
        sent_to="Bath Strings",
        by=staff,
    )
    instrument.refresh_from_db()
    assert instrument.status == Status.AVAILABLE


def test_a_loan_can_be_extended_but_not_shortened(world, staff):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    loan = LoanFactory(hub=world.hub, instrument=instrument, school=world.school)
    with pytest.raises(services.LoanError):
        services.loan_extend(loan=loan, due_on=loan.due_on, by=staff)
    services.loan_extend(loan=loan, due_on=loan.due_on + dt.timedelta(days=30), by=staff)


def test_a_fee_below_zero_and_a_reduced_rate_above_the_fee_are_refused(world, staff):
    with pytest.raises(services.LoanError, match="below zero"):
        services.fee_set(hub=world.hub, key="violin", amount=Decimal("-1"), by=staff)
    with pytest.raises(services.LoanError, match="more than the full fee"):
        services.settings_save(
            hub=world.hub,
            data={"priority_rule": "first_come", "low_income_percent": 120, "how_to_pay": ""},
            by=staff,
        )
    assert not LoanSettings.objects.exists()


def test_charges_apply_remission_and_family_fees(world, staff):
    services.fee_set(hub=world.hub, key="family:strings", amount=Decimal("30"), by=staff)
    services.fee_set(hub=world.hub, key="cello", amount=Decimal("45"), by=staff)
    services.settings_save(
        hub=world.hub,
        data={"priority_rule": "first_come", "low_income_percent": 50, "how_to_pay": "BACS"},
        by=staff,
    )
    cases = [
        ("violin", Ground.FSM, Decision.GRANTED, Decimal("0")),
        ("violin", Ground.LOW_INCOME, Decision.GRANTED, Decimal("15")),
        ("cello", Ground.LOW_INCOME, Decision.REFUSED, Decimal("45")),
        ("cello", Ground.NONE, Decision.NOT_ASKED, Decimal("45")),
    ]
    for n, (kind, ground, decision, _) in enumerate(cases):
        size = "1/2"
        instrument = InstrumentFactory(
            hub=world.hub, owner=world.partner, kind=kind, size=size, asset_tag=f"S-{n}"
        )
        found = _waiting(world, kind=kind, size=size, ground=ground, decision=decision)
        LoanFactory(
            hub=world.hub, instrument=instrument, request=found, starts_on=dt.date(2026, 9, 10)
        )
    assert services.charges_make(hub=world.hub, year=2026, term=Term.AUTUMN, by=staff) == 4
    # Run again: nothing added twice.
    assert services.charges_make(hub=world.hub, year=2026, term=Term.AUTUMN, by=staff) == 0
    amounts = list(
        Charge.objects.order_by("loan__instrument__asset_tag").values_list("amount", flat=True)
    )
    assert amounts == [expected for *_, expected in cases]


def test_remission_needs_the_evidence_seen(world, staff):
    found = _waiting(world, ground=Ground.FSM, decision=Decision.PENDING)
    with pytest.raises(services.LoanError, match="evidence"):
        services.remission_decide(
            found=found, granted=True, ground=Ground.FSM, evidence_seen=" ", by=staff
        )
    services.remission_decide(
        found=found, granted=True, ground=Ground.FSM, evidence_seen="FSM letter", by=staff
    )
    found.refresh_from_db()
    assert found.decision == Decision.GRANTED


def test_the_hubs_rule_puts_free_school_meals_first_then_first_come(world):
    LoanSettings.objects.create(hub=world.hub, priority_rule=PriorityRule.FSM_PP_FIRST)
    first = _waiting(world)
    fsm = _waiting(world, ground=Ground.FSM)
    second = _waiting(world)
    assert list(selectors.waiting_queue(hub=world.hub)) == [fsm, first, second]
    LoanSettings.objects.filter(hub=world.hub).update(priority_rule=PriorityRule.FIRST_COME)
    assert list(selectors.waiting_queue(hub=world.hub)) == [first, fsm, second]


def test_accepting_the_agreement_records_who_and_which_version(world, staff):
    services.agreement_publish(hub=world.hub, text="Look after it.", by=staff)
    services.agreement_publish(hub=world.hub, text="Look after it well.", by=staff)
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    loan = LoanFactory(hub=world.hub, instrument=instrument, school=world.school)
    with pytest.raises(services.LoanError):
        services.agreement_accept(hub=world.hub, loans=[loan], name="  ")
    assert services.agreement_accept(hub=world.hub, loans=[loan], name="Sam Parent") == 1
    loan.refresh_from_db()
    assert (loan.agreement.version, loan.accepted_by) == (2, "Sam Parent")


def test_overdue_loans_are_reminded_once_a_week(
    world, mailoutbox, staff, django_capture_on_commit_callbacks
):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    found = _waiting(world, status=RequestStatus.ISSUED)
    LoanFactory(
        hub=world.hub,
        instrument=instrument,
        request=found,
        starts_on=timezone.localdate() - dt.timedelta(days=40),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_queue(hub=world.hub, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_queue(hub=world.hub, by=staff)
    reminders = [m for m in mailoutbox if "due back" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [found.contact_email]


def test_only_an_instrument_in_the_store_can_be_retired(world, staff):
    lent = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    with pytest.raises(services.LoanConflict, match="only an instrument in the store"):
        services.instrument_retire(instrument=lent, retire=True, by=staff)
    spare = InstrumentFactory(hub=world.hub, owner=world.partner)
    assert services.instrument_retire(instrument=spare, retire=True, by=staff).status == "retired"
    assert (
        services.instrument_retire(instrument=spare, retire=False, by=staff).status == "available"
    )
