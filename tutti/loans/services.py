"""Writes to the instrument library: atomic, audited; emails leave after the commit."""

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from tutti.accounts.models import User
from tutti.core.audit import audit
from tutti.core.errors import ConflictError, DomainError
from tutti.core.models import model_update
from tutti.core.page_cache import bump_hub
from tutti.directory.models import Hub, Organisation
from tutti.loans.kinds import TYPES_BY_KEY, family_of
from tutti.loans.models import (
    FREE_GROUNDS,
    Agreement,
    Charge,
    Condition,
    Decision,
    Fee,
    Ground,
    Instrument,
    InstrumentRequest,
    Loan,
    LoanSettings,
    Repair,
    RequestStatus,
    Status,
    term_bounds,
)
from tutti.loans.selectors import person_erase_blocked, person_requests, person_school_loans
from tutti.loans.tasks import send_batch_email, send_overdue_reminders, send_request_email

INSTRUMENT_FIELDS = (
    "kind",
    "size",
    "maker",
    "serial",
    "asset_tag",
    "owner",
    "location",
    "condition",
    "purchased_on",
    "value",
    "funding_source",
    "service_due_on",
    "notes",
)
REQUEST_FIELDS = (
    "kind",
    "size",
    "first_name",
    "last_name",
    "school",
    "year_group",
    "contact_name",
    "contact_email",
    "ground",
)
SCHOOL_LOAN_MOST = 60
REMIND_EVERY = dt.timedelta(days=7)
PENNY = Decimal("0.01")


class LoanError(DomainError):
    """Something the instrument library's rules do not allow; the message is for staff."""


class LoanConflict(LoanError, ConflictError):
    """The instrument or loan is not in a state that allows this (409)."""


def _check_size(kind: str, size: str) -> None:
    sizes = TYPES_BY_KEY[kind].sizes if kind in TYPES_BY_KEY else ()
    if sizes and size not in sizes:
        raise ValidationError({"size": f"Choose one of the sizes: {', '.join(sizes)}."})
    if not sizes and size:
        raise ValidationError({"size": "This instrument has no sizes: leave the size empty."})


def _duplicate(hub: Hub, instrument: Instrument) -> None:
    others = Instrument.objects.filter(hub=hub).exclude(pk=instrument.pk)
    errors: dict[str, str] = {}
    if others.filter(asset_tag__iexact=instrument.asset_tag).exists():
        errors["asset_tag"] = f"Another instrument has the asset tag {instrument.asset_tag}."
    if instrument.serial and others.filter(serial__iexact=instrument.serial).exists():
        errors["serial"] = f"Another instrument has the serial number {instrument.serial}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instrument_save(
    *,
    hub: Hub,
    instrument: Instrument | None,
    data: Mapping[str, Any],
    owners: QuerySet[Organisation],
    by: User,
) -> Instrument:
    """Add an instrument, or change one; the owner must be one the person may keep for."""
    if not owners.filter(pk=data["owner"].pk).exists():
        raise LoanError("Choose an owner you keep instruments for.")
    values = {name: data[name] for name in INSTRUMENT_FIELDS if name in data}
    values["asset_tag"] = str(values["asset_tag"]).strip().upper()
    _check_size(values["kind"], values.get("size", ""))
    if instrument is None:
        instrument = Instrument(hub=hub, **values)
        _duplicate(hub, instrument)
        instrument.full_clean()
        instrument.save()
        audit("loans.instrument.added", hub=hub, actor=by, obj=instrument)
        return instrument
    for name, value in values.items():
        setattr(instrument, name, value)
    _duplicate(hub, instrument)
    instrument.full_clean()
    instrument.save()
    audit("loans.instrument.changed", hub=hub, actor=by, obj=instrument)
    return instrument


@transaction.atomic
def instrument_retire(*, instrument: Instrument, retire: bool, by: User) -> Instrument:
    """Take an instrument out of the store (sold, lost, beyond repair), or put it back."""
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if retire and locked.status != Status.AVAILABLE:
        raise LoanConflict(
            f"{locked.asset_tag} is {locked.get_status_display().lower()}: only an instrument in "
            "the store can be retired."
        )
    if not retire and locked.status != Status.RETIRED:
        raise LoanConflict(f"{locked.asset_tag} is not retired.")
    model_update(locked, {"status": Status.RETIRED if retire else Status.AVAILABLE})
    audit(
        "loans.instrument.retired" if retire else "loans.instrument.restored",
        hub=locked.hub,
        actor=by,
        obj=locked,
    )
    return locked


@transaction.atomic
def instruments_import(*, hub: Hub, instruments: Sequence[Instrument], by: User) -> int:
    """Store every instrument of a checked spreadsheet at once (spreadsheet.py checks rows)."""
    try:
        with transaction.atomic():
            Instrument.objects.bulk_create(instruments)
    except IntegrityError:
        raise LoanConflict(
            "Someone added an instrument with one of these asset tags or serial numbers while "
            "the file was read. Nothing was stored: upload the file again."
        ) from None
    audit("loans.instrument.imported", hub=hub, actor=by, count=len(instruments))
    return len(instruments)


@transaction.atomic
def settings_save(*, hub: Hub, data: Mapping[str, Any], by: User) -> LoanSettings:
    if not 0 <= int(data["low_income_percent"]) <= 100:
        raise LoanError(
            "The reduced rate must be between 0 and 100 per cent of the full fee: remission "
            "can never charge more than the full fee."
        )
    current, _ = LoanSettings.objects.get_or_create(hub=hub)
    changed = model_update(
        current,
        {k: data[k] for k in ("priority_rule", "low_income_percent", "how_to_pay") if k in data},
        validate=True,
    )
    if changed:
        audit("loans.settings.changed", hub=hub, actor=by, obj=current, fields=changed)
    return current


@transaction.atomic
def agreement_publish(*, hub: Hub, text: str, by: User) -> Agreement:
    """A new version of the hub's terms; loans accepted before keep the version they accepted."""
    text = text.strip()
    if not text:
        raise LoanError("Write the terms of the agreement.")
    last = Agreement.objects.filter(hub=hub).aggregate(v=Max("version"))["v"] or 0
    agreement = Agreement.objects.create(hub=hub, version=last + 1, text=text)
    audit("loans.agreement.published", hub=hub, actor=by, obj=agreement, version=last + 1)
    return agreement


@transaction.atomic
def fee_set(*, hub: Hub, key: str, amount: Decimal, by: User) -> Fee:
    """The termly fee of a type ("violin") or of a family ("family:strings")."""
    if amount < 0:
        raise LoanError("A fee cannot be below zero. Enter 0 for free hire.")
    family = key.removeprefix("family:") if key.startswith("family:") else ""
    kind = "" if family else key
    if kind and kind not in TYPES_BY_KEY:
        raise LoanError("Choose an instrument type or family from the list.")
    fee, _ = Fee.objects.update_or_create(
        hub=hub, kind=kind, family=family, defaults={"amount": amount}
    )
    audit("loans.fee.set", hub=hub, actor=by, obj=fee, amount=str(amount))
    return fee


# Requests -----------------------------------------------------------------------------------


@transaction.atomic
def request_create(*, hub: Hub, data: Mapping[str, Any]) -> InstrumentRequest:
    """A family's or school's request: it joins the waiting list for its type and size."""
    values = {name: data[name] for name in REQUEST_FIELDS if name in data}
    _check_size(values["kind"], values.get("size", ""))
    found = InstrumentRequest(hub=hub, **values)
    found.decision = Decision.PENDING if found.ground else Decision.NOT_ASKED
    found.full_clean()
    found.save()
    audit("loans.request.made", hub=hub, obj=found)
    request_id = found.pk
    transaction.on_commit(
        lambda: send_request_email.enqueue(request_id=request_id, kind="received")
    )
    return found


@transaction.atomic
def remission_decide(
    *, found: InstrumentRequest, granted: bool, ground: str, evidence_seen: str, by: User
) -> InstrumentRequest:
    """Record the hub's decision on free or reduced hire and the evidence seen (not stored)."""
    if (granted and ground not in Ground.values) or (granted and not ground):
        raise LoanError("Choose the ground for free or reduced hire.")
    if granted and not evidence_seen.strip():
        raise LoanError("Say what evidence you saw, e.g. “free school meals letter, 2026”.")
    model_update(
        found,
        {
            "decision": Decision.GRANTED if granted else Decision.REFUSED,
            "ground": ground if granted else found.ground,
            "evidence_seen": evidence_seen.strip(),
            "decided_at": timezone.now(),
        },
    )
    audit(
        "loans.remission.decided",
        hub=found.hub,
        actor=by,
        obj=found,
        decision=found.decision,
        ground=found.ground,
    )
    return found


@transaction.atomic
def request_withdraw(*, found: InstrumentRequest, by: User | None) -> InstrumentRequest:
    if found.status != RequestStatus.WAITING:
        raise LoanConflict("Only a request still waiting can be withdrawn.")
    model_update(found, {"status": RequestStatus.WITHDRAWN})
    audit("loans.request.withdrawn", hub=found.hub, actor=by, obj=found)
    return found


# Loans --------------------------------------------------------------------------------------


def _lock_available(hub: Hub, tag: str) -> Instrument:
    """The instrument with this tag, its row locked until the transaction ends, if free."""
    instrument = (
        Instrument.objects.select_for_update()
        .filter(hub=hub, asset_tag=tag.strip().upper())
        .first()
    )
    if instrument is None:
        raise LoanError(f"No instrument has the asset tag “{tag.strip()}”. Check the label.")
    if instrument.status != Status.AVAILABLE:
        raise LoanConflict(
            f"{instrument.asset_tag} is {instrument.get_status_display().lower()}: choose "
            "another instrument."
        )
    return instrument


def _check_dates(starts_on: dt.date, due_on: dt.date) -> None:
    if due_on < starts_on:
        raise LoanError("The expected return date must be on or after the start date.")


def _current_agreement(hub: Hub) -> Agreement | None:
    return Agreement.objects.filter(hub=hub).order_by("-version").first()


@transaction.atomic
def loan_issue(
    *,
    hub: Hub,
    found: InstrumentRequest,
    asset_tag: str,
    starts_on: dt.date,
    due_on: dt.date,
    by: User,
) -> Loan:
    """Lend the instrument with this tag to the request's pupil; two staff at once get one loan."""
    _check_dates(starts_on, due_on)
    locked = InstrumentRequest.objects.select_for_update().get(pk=found.pk, hub=hub)
    if locked.status != RequestStatus.WAITING:
        raise LoanConflict("This request is no longer waiting: an instrument was lent already.")
    instrument = _lock_available(hub, asset_tag)
    if (instrument.kind, instrument.size) != (locked.kind, locked.size):
        raise LoanError(
            f"{instrument.asset_tag} is a {instrument.type_and_size}; the request is for a "
            f"{locked.type_and_size}."
        )
    loan = Loan.objects.create(
        hub=hub,
        instrument=instrument,
        request=locked,
        borrower_email=locked.contact_email,
        starts_on=starts_on,
        due_on=due_on,
    )
    model_update(instrument, {"status": Status.ON_LOAN})
    model_update(locked, {"status": RequestStatus.ISSUED})
    audit("loans.loan.issued", hub=hub, actor=by, obj=loan, instrument=instrument.asset_tag)
    request_id = locked.pk
    transaction.on_commit(lambda: send_request_email.enqueue(request_id=request_id, kind="ready"))
    return loan


@transaction.atomic
def loans_issue_to_school(
    *,
    hub: Hub,
    school: Organisation,
    asset_tags: Iterable[str],
    email: str,
    starts_on: dt.date,
    due_on: dt.date,
    by: User,
) -> list[Loan]:
    """Lend several instruments to a school at once (whole-class teaching): all or none."""
    _check_dates(starts_on, due_on)
    tags = list(dict.fromkeys(t.strip().upper() for t in asset_tags if t.strip()))
    if not tags:
        raise LoanError("Type or scan at least one asset tag.")
    if len(tags) > SCHOOL_LOAN_MOST:
        raise LoanError(f"Lend at most {SCHOOL_LOAN_MOST} instruments at once.")
    batch = secrets.token_hex(8)
    loans = []
    for tag in sorted(tags):  # the same order for everyone: no deadlock between two batches
        instrument = _lock_available(hub, tag)
        loans.append(
            Loan(
                hub=hub,
                instrument=instrument,
                school=school,
                batch=batch,
                borrower_email=email,
                starts_on=starts_on,
                due_on=due_on,
            )
        )
    Loan.objects.bulk_create(loans)
    Instrument.objects.filter(pk__in=[loan.instrument_id for loan in loans]).update(
        status=Status.ON_LOAN, updated_at=timezone.now()
    )
    # bulk_create bypasses save(): the impact page, which counts loans, changes.
    bump_hub(hub.pk)
    audit("loans.loan.issued_to_school", hub=hub, actor=by, obj=school, tags=tags, batch=batch)
    if email:
        hub_id = hub.pk
        transaction.on_commit(lambda: send_batch_email.enqueue(hub_id=hub_id, batch=batch))
    return loans


@transaction.atomic
def agreement_accept(*, hub: Hub, loans: Sequence[Loan], name: str) -> int:
    """The borrower accepts the hub's current terms for these loans, by typing their name."""
    name = name.strip()
    if not name:
        raise LoanError("Type your full name to accept the agreement.")
    agreement = _current_agreement(hub)
    if agreement is None:
        raise LoanConflict("The hub has not written its loan agreement yet. Please ask the hub.")
    pending = [loan.pk for loan in loans if loan.accepted_at is None and loan.returned_on is None]
    if not pending:
        raise LoanConflict("The agreement is accepted already: there is nothing more to do.")
    Loan.objects.filter(pk__in=pending).update(
        agreement=agreement, accepted_by=name, accepted_at=timezone.now()
    )
    audit("loans.agreement.accepted", hub=hub, version=agreement.version, loans=pending, by=name)
    return len(pending)


@transaction.atomic
def loan_return(
    *,
    loan: Loan,
    returned_on: dt.date,
    condition: str,
    fault: str,
    by: User,
) -> Loan:
    """Take an instrument back; damage (or a fault) sends it to repair."""
    locked = Loan.objects.select_for_update().select_related("instrument").get(pk=loan.pk)
    if locked.returned_on is not None:
        raise LoanConflict("This instrument is not on loan: it was returned already.")
    if returned_on < locked.starts_on:
        raise LoanError("The return date cannot be before the loan started.")
    if condition not in Condition.values:
        raise LoanError("Choose the instrument's condition.")
    damaged = condition == Condition.DAMAGED or bool(fault.strip())
    model_update(locked, {"returned_on": returned_on, "return_condition": condition})
    instrument = locked.instrument
    model_update(
        instrument,
        {"condition": condition, "status": Status.IN_REPAIR if damaged else Status.AVAILABLE},
    )
    if damaged:
        Repair.objects.create(
            instrument=instrument,
            loan=locked,
            fault=fault.strip() or "Damaged on return",
            opened_on=returned_on,
        )
    audit(
        "loans.loan.returned",
        hub=locked.hub,
        actor=by,
        obj=locked,
        condition=condition,
        repair=damaged,
    )
    return locked


@transaction.atomic
def loan_extend(*, loan: Loan, due_on: dt.date, by: User) -> Loan:
    if loan.returned_on is not None:
        raise LoanConflict("This loan has ended: the instrument was returned.")
    if due_on <= loan.due_on:
        raise LoanError(f"Choose a date after {loan.due_on:%-d %B %Y}, the current return date.")
    old = loan.due_on
    model_update(loan, {"due_on": due_on, "reminded_at": None})
    audit("loans.loan.extended", hub=loan.hub, actor=by, obj=loan, old=str(old), new=str(due_on))
    return loan


@transaction.atomic
def repair_open(*, instrument: Instrument, fault: str, sent_to: str, by: User) -> Repair:
    if instrument.status == Status.ON_LOAN:
        raise LoanConflict("This instrument is on loan: take it back first.")
    repair = Repair.objects.create(
        instrument=instrument,
        fault=fault.strip(),
        sent_to=sent_to.strip(),
        opened_on=timezone.localdate(),
    )
    model_update(instrument, {"status": Status.IN_REPAIR})
    audit("loans.repair.opened", hub=instrument.hub, actor=by, obj=repair)
    return repair


@transaction.atomic
def repair_close(
    *, repair: Repair, back_on: dt.date, cost: Decimal | None, sent_to: str, by: User
) -> Repair:
    """The instrument is back from repair and can be lent again."""
    if repair.back_on is not None:
        raise LoanConflict("This repair is finished already.")
    if cost is not None and cost < 0:
        raise LoanError("A cost cannot be below zero.")
    if back_on < repair.opened_on:
        raise LoanError("The instrument cannot be back before it went for repair.")
    model_update(repair, {"back_on": back_on, "cost": cost, "sent_to": sent_to or repair.sent_to})
    instrument = Instrument.objects.select_for_update().get(pk=repair.instrument_id)
    if instrument.status == Status.IN_REPAIR:
        model_update(instrument, {"status": Status.AVAILABLE, "condition": Condition.GOOD})
    audit("loans.repair.closed", hub=instrument.hub, actor=by, obj=repair)
    return repair


def overdue_reminded(*, hub_id: int) -> list[Loan]:
    """The overdue loans not reminded within a week, marked as reminded now."""
    now = timezone.now()
    with transaction.atomic():
        loans = list(
            Loan.objects.select_for_update(of=("self",))
            .filter(hub_id=hub_id, returned_on__isnull=True, due_on__lt=timezone.localdate())
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
            .select_related("hub", "instrument", "request", "school")
        )
        Loan.objects.filter(pk__in=[loan.pk for loan in loans]).update(reminded_at=now)
    return loans


def reminders_queue(*, hub: Hub, by: User) -> None:
    audit("loans.reminders.queued", hub=hub, actor=by)
    hub_id = hub.pk
    transaction.on_commit(lambda: send_overdue_reminders.enqueue(hub_id=hub_id))


# Fees and charges ---------------------------------------------------------------------------


def fee_for(fees: Mapping[str, Decimal], kind: str) -> Decimal:
    """A type's own fee, else its family's, else nothing."""
    if kind in fees:
        return fees[kind]
    return fees.get(f"family:{family_of(kind)}", Decimal("0.00"))


def charge_amount(full: Decimal, ground: str, low_income_percent: int) -> Decimal:
    if ground in FREE_GROUNDS:
        return Decimal("0.00")
    if ground == Ground.LOW_INCOME:
        share = Decimal(low_income_percent) / 100
        return min(full, (full * share).quantize(PENNY, rounding=ROUND_HALF_UP))
    return full


@transaction.atomic
def charges_make(*, hub: Hub, year: int, term: str, by: User) -> int:
    """Each loan open at any time in the term gets its charge, remission applied; run again,
    it adds only the loans that have none yet."""
    first, last = term_bounds(year, term)
    settings = LoanSettings.objects.filter(hub=hub).first() or LoanSettings(hub=hub)
    fees = {
        (f"family:{family}" if family else kind): amount
        for kind, family, amount in Fee.objects.filter(hub=hub).values_list(
            "kind", "family", "amount"
        )
    }
    loans = (
        Loan.objects.filter(hub=hub, starts_on__lte=last)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gte=first))
        .exclude(charges__year=year, charges__term=term)
        .select_related("instrument", "request")
    )
    charges = []
    for loan in loans:
        full = fee_for(fees, loan.instrument.kind)
        granted = loan.request is not None and loan.request.decision == Decision.GRANTED
        ground = loan.request.ground if granted and loan.request else ""
        charges.append(
            Charge(
                hub=hub,
                loan=loan,
                year=year,
                term=term,
                full_fee=full,
                ground=ground,
                amount=charge_amount(full, ground, settings.low_income_percent),
            )
        )
    Charge.objects.bulk_create(charges)
    audit("loans.charges.made", hub=hub, actor=by, year=year, term=term, count=len(charges))
    return len(charges)


@transaction.atomic
def charge_mark_paid(*, charge: Charge, paid_on: dt.date, by: User) -> Charge:
    if charge.paid_on is not None:
        raise LoanConflict("This charge is marked paid already.")
    model_update(charge, {"paid_on": paid_on})
    audit("loans.charge.paid", hub=charge.hub, actor=by, obj=charge)
    return charge


# What a request keeps once its family's details are gone (retention.py, and erasure on request).
REMOVED = "Removed"
REQUEST_ERASED_FIELDS: dict[str, str] = {
    "first_name": REMOVED,
    "last_name": "",
    "contact_name": "",
    "contact_email": "removed@example.invalid",
    "evidence_seen": "",
    "year_group": "",
}


@transaction.atomic
def person_erase(*, hub: Hub, email: str, by: User | None) -> int:
    """Erase a parent or carer from the library: their requests lose the pupil's and their
    details as at the end of retention (waiting ones are withdrawn), the loans that followed
    lose the address and the name typed to accept the agreement, and loans to a school lose
    them as its contact. A request with an instrument still out or a charge unpaid is left
    alone (the erase page says so). Returns how many requests and school loans changed."""
    blocked = person_erase_blocked(hub=hub, email=email).values_list("pk", flat=True)
    ids = list(
        person_requests(hub=hub, email=email).exclude(pk__in=blocked).values_list("pk", flat=True)
    )
    now = timezone.now()
    InstrumentRequest.objects.filter(pk__in=ids, status=RequestStatus.WAITING).update(
        status=RequestStatus.WITHDRAWN
    )
    InstrumentRequest.objects.filter(pk__in=ids).update(**REQUEST_ERASED_FIELDS, updated_at=now)
    Loan.objects.filter(request__in=ids).update(borrower_email="", accepted_by="", updated_at=now)
    school_loans = person_school_loans(hub=hub, email=email).update(
        borrower_email="", updated_at=now
    )
    changed = len(ids) + school_loans
    if changed:
        bump_hub(hub.pk)
        audit(
            "loans.person.erased", hub=hub, actor=by, requests=len(ids), school_loans=school_loans
        )
    return changed
