"""Reads of the instrument library, always given the hub."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from tutti.core.personal_data import ErasurePlan, iso, plural
from tutti.directory.models import Hub, Organisation
from tutti.loans.kinds import TYPES, type_and_size
from tutti.loans.models import (
    PRIORITY_GROUNDS,
    Agreement,
    Charge,
    Decision,
    Fee,
    Instrument,
    InstrumentRequest,
    Loan,
    LoanSettings,
    PriorityRule,
    Repair,
    RequestStatus,
    Status,
)


def loan_settings(*, hub: Hub) -> LoanSettings:
    """The hub's settings, or the defaults (unsaved) when it has chosen none."""
    return LoanSettings.objects.filter(hub=hub).first() or LoanSettings(hub=hub)


def agreement_current(*, hub: Hub) -> Agreement | None:
    return Agreement.objects.filter(hub=hub).order_by("-version").first()


def instrument_list(
    *, hub: Hub, owners: list[int] | None, query: str = "", status: str = "", kind: str = ""
) -> QuerySet[Instrument]:
    """The store, or only the instruments of ``owners``; ``query`` finds a tag as it is typed
    (its start), or a serial number, maker or location."""
    found = Instrument.objects.filter(hub=hub).select_related("owner")
    if owners is not None:
        found = found.filter(owner_id__in=owners)
    if query:
        text = query.strip().upper()
        # Tags are stored upper-case: the start of a tag is a range on the (hub, tag) index,
        # which a case-insensitive LIKE could not use. Only when no tag starts so does the
        # search look at serial numbers, makers and places.
        by_tag = found.filter(asset_tag__gte=text, asset_tag__lt=text + "\U0010ffff")
        if by_tag.exists():
            found = by_tag
        else:
            found = found.filter(
                Q(serial__iexact=text) | Q(maker__icontains=text) | Q(location__icontains=text)
            )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("asset_tag")


def instrument_by_tag(*, hub: Hub, tag: str, owners: list[int] | None) -> Instrument | None:
    # Tags are stored upper-case, so an exact match uses the (hub, tag) index.
    found = Instrument.objects.filter(hub=hub, asset_tag=tag.strip().upper())
    if owners is not None:
        found = found.filter(owner_id__in=owners)
    return found.first()


def instrument_get(*, hub: Hub, pk: int, owners: list[int] | None) -> Instrument | None:
    found = Instrument.objects.filter(hub=hub, pk=pk).select_related("owner")
    if owners is not None:
        found = found.filter(owner_id__in=owners)
    return found.first()


def instrument_history(*, instrument: Instrument) -> tuple[list[Loan], list[Repair]]:
    loans = list(instrument.loans.select_related("request", "school").order_by("-starts_on")[:20])
    return loans, list(instrument.repairs.order_by("-opened_on")[:20])


def owner_choices(*, hub: Hub, owners: list[int] | None) -> QuerySet[Organisation]:
    """Who may own an instrument here: the hub's partners (and lead), or one's own."""
    from tutti.directory.models import OrganisationKind
    from tutti.directory.selectors import hub_organisations

    found = hub_organisations(hub=hub).exclude(kind=OrganisationKind.SCHOOL)
    if owners is not None:
        found = Organisation.objects.filter(pk__in=owners)
    return found.order_by("name")


def hub_schools(*, hub: Hub) -> QuerySet[Organisation]:
    from tutti.directory.models import OrganisationKind
    from tutti.directory.selectors import hub_organisations

    return hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL, is_open=True)


def _priority(rule: str) -> Case | Value:
    """0 for the requests the hub's rule puts first, 1 for the rest."""
    if rule == PriorityRule.FSM_PP_FIRST:
        return Case(
            When(ground__in=list(PRIORITY_GROUNDS), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    if rule == PriorityRule.REMISSION_FIRST:
        return Case(
            When(decision=Decision.GRANTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return Value(0, output_field=IntegerField())


def waiting_queue(*, hub: Hub, kind: str = "", size: str = "") -> QuerySet[InstrumentRequest]:
    """Waiting requests in the order they will be served: the hub's priority, then first come."""
    rule = loan_settings(hub=hub).priority_rule
    found = InstrumentRequest.objects.filter(hub=hub, status=RequestStatus.WAITING)
    if kind:
        found = found.filter(kind=kind)
        if size:
            found = found.filter(size=size)
    return (
        found.select_related("school")
        .annotate(priority=_priority(rule))
        .order_by("priority", "created_at", "pk")
    )


@dataclass
class QueueLine:
    kind: str
    size: str
    waiting: int
    oldest: dt.datetime
    available: int

    @property
    def label(self) -> str:
        return type_and_size(self.kind, self.size)

    @property
    def days_waited(self) -> int:
        return (timezone.now() - self.oldest).days


def queue_summary(*, hub: Hub) -> list[QueueLine]:
    """Per type and size: how many wait, since when, and how many are in stock to lend."""
    waiting = (
        InstrumentRequest.objects.filter(hub=hub, status=RequestStatus.WAITING)
        .values("kind", "size")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    )
    stock = {
        (row["kind"], row["size"]): row["n"]
        for row in Instrument.objects.filter(hub=hub, status=Status.AVAILABLE)
        .values("kind", "size")
        .annotate(n=Count("pk"))
    }
    order = {t.key: n for n, t in enumerate(TYPES)}
    lines = [
        QueueLine(r["kind"], r["size"], r["n"], r["oldest"], stock.get((r["kind"], r["size"]), 0))
        for r in waiting
    ]
    return sorted(lines, key=lambda line: (order.get(line.kind, 99), line.size))


def request_get(*, hub: Hub, pk: int) -> InstrumentRequest | None:
    return InstrumentRequest.objects.filter(hub=hub, pk=pk).select_related("school").first()


def suggested_instruments(*, found: InstrumentRequest, limit: int = 10) -> list[Instrument]:
    return list(
        Instrument.objects.filter(
            hub_id=found.hub_id, kind=found.kind, size=found.size, status=Status.AVAILABLE
        ).order_by("asset_tag")[:limit]
    )


def open_loans(*, hub: Hub, overdue: bool = False) -> QuerySet[Loan]:
    found = Loan.objects.filter(hub=hub, returned_on__isnull=True)
    if overdue:
        found = found.filter(due_on__lt=timezone.localdate())
    return found.select_related("instrument", "request", "school").order_by("due_on", "pk")


def loan_get(*, hub: Hub, pk: int) -> Loan | None:
    return (
        Loan.objects.filter(hub=hub, pk=pk)
        .select_related("instrument", "request__school", "school", "agreement")
        .first()
    )


def follow_request(*, hub: Hub, pk: int) -> InstrumentRequest | None:
    return InstrumentRequest.objects.filter(hub=hub, pk=pk).select_related("school").first()


def loans_of_request(*, found: InstrumentRequest) -> list[Loan]:
    return list(found.loans.select_related("instrument", "agreement").order_by("-starts_on"))


def loans_of_batch(*, hub: Hub, batch: str) -> list[Loan]:
    return list(
        Loan.objects.filter(hub=hub, batch=batch)
        .select_related("instrument", "school", "agreement")
        .order_by("instrument__asset_tag")
    )


def open_repairs(*, hub: Hub) -> QuerySet[Repair]:
    return (
        Repair.objects.filter(instrument__hub=hub, back_on__isnull=True)
        .select_related("instrument")
        .order_by("opened_on", "pk")
    )


def repair_get(*, hub: Hub, pk: int) -> Repair | None:
    return Repair.objects.filter(instrument__hub=hub, pk=pk).select_related("instrument").first()


def service_due(*, hub: Hub, within_days: int = 30) -> QuerySet[Instrument]:
    soon = timezone.localdate() + dt.timedelta(days=within_days)
    return (
        Instrument.objects.filter(hub=hub, service_due_on__lte=soon)
        .exclude(status=Status.RETIRED)
        .order_by("service_due_on", "asset_tag")
    )


def fees(*, hub: Hub) -> dict[str, Decimal]:
    """Fees by type key, and by "family:<key>"."""
    return {
        (f"family:{family}" if family else kind): amount
        for kind, family, amount in Fee.objects.filter(hub=hub).values_list(
            "kind", "family", "amount"
        )
    }


def charges(*, hub: Hub, year: int, term: str) -> QuerySet[Charge]:
    return (
        Charge.objects.filter(hub=hub, year=year, term=term)
        .select_related("loan__instrument", "loan__request__school", "loan__school")
        .order_by("loan__instrument__asset_tag", "pk")
    )


def charge_get(*, hub: Hub, pk: int) -> Charge | None:
    return Charge.objects.filter(hub=hub, pk=pk).select_related("loan").first()


@dataclass
class Dashboard:
    by_status: dict[str, int]
    stock: list[tuple[str, int, int]]  # (type and size, available, total)
    demand: list[QueueLine]
    value_by_source: list[tuple[str, Decimal, int]]
    overdue: int
    repairs: int
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def in_use(self) -> int:
        """Instruments that could be lent: every one but the retired."""
        return self.total - self.by_status.get(Status.RETIRED, 0)

    @property
    def utilisation(self) -> int:
        on_loan = self.by_status.get(Status.ON_LOAN, 0)
        return round(100 * on_loan / self.in_use) if self.in_use else 0

    @property
    def most_waiting(self) -> int:
        return max((line.waiting for line in self.demand), default=0)

    @property
    def most_value(self) -> Decimal:
        return max((value for _, value, _ in self.value_by_source), default=Decimal(0))

    @property
    def oldest_wait(self) -> QueueLine | None:
        return min(self.demand, key=lambda line: line.oldest, default=None)


def dashboard(*, hub: Hub) -> Dashboard:
    """Stock, demand, utilisation and the value on loan: six queries, whatever the store's size."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_status: dict[str, int] = defaultdict(int)
    for row in (
        Instrument.objects.filter(hub=hub)
        .values("kind", "size", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["kind"], row["size"])][row["status"]] += row["n"]
        by_status[row["status"]] += row["n"]
    order = {t.key: n for n, t in enumerate(TYPES)}
    stock = [
        (type_and_size(kind, size), c[Status.AVAILABLE], sum(c.values()))
        for (kind, size), c in sorted(counts.items(), key=lambda i: (order.get(i[0][0], 99), i[0]))
    ]
    value_by_source = [
        (row["instrument__funding_source"] or "Not recorded", row["v"] or Decimal(0), row["n"])
        for row in Loan.objects.filter(hub=hub, returned_on__isnull=True)
        .values("instrument__funding_source")
        .annotate(v=Sum("instrument__value"), n=Count("pk"))
        .order_by("-v")
    ]
    return Dashboard(
        by_status=dict(by_status),
        stock=stock,
        demand=queue_summary(hub=hub),
        value_by_source=value_by_source,
        overdue=open_loans(hub=hub, overdue=True).count(),
        repairs=open_repairs(hub=hub).count(),
    )


def person_requests(*, hub: Hub | None, email: str) -> QuerySet[InstrumentRequest]:
    """The instrument requests a parent or carer made with this address."""
    requests = InstrumentRequest.objects.filter(contact_email__iexact=email)
    return requests.filter(hub=hub) if hub is not None else requests


def person_school_loans(*, hub: Hub | None, email: str) -> QuerySet[Loan]:
    """Loans to a school whose contact is this address (a teacher, for whole-class teaching)."""
    loans = Loan.objects.filter(request__isnull=True, borrower_email__iexact=email)
    return loans.filter(hub=hub) if hub is not None else loans


def _loan_data(loan: Loan) -> dict[str, object]:
    return {
        "instrument": f"{loan.instrument.asset_tag}, {loan.instrument.type_and_size}",
        "lent_on": iso(loan.starts_on),
        "due_on": iso(loan.due_on),
        "returned_on": iso(loan.returned_on),
        "contact_email": loan.borrower_email,
        "agreement_version": loan.agreement.version if loan.agreement else None,
        "agreement_accepted_by": loan.accepted_by,
        "agreement_accepted_at": iso(loan.accepted_at),
        "charges": [
            {
                "term": f"{c.get_term_display()} {c.year}",
                "amount": str(c.amount),
                "paid_on": iso(c.paid_on),
            }
            for c in loan.charges.all()
        ],
    }


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, object]]:
    """What the library holds about a parent or carer (every hub's, when ``hub`` is None: the
    person's own request): their requests, with the pupil they asked for (the parent may ask
    for their child's data), the loans that followed, the agreement they accepted and the
    charges; and loans to a school they are the contact for. A fixed number of queries."""
    loans = Prefetch(
        "loans",
        queryset=Loan.objects.select_related("instrument", "agreement")
        .prefetch_related("charges")
        .order_by("starts_on", "pk"),
    )
    rows: list[dict[str, object]] = []
    for found in (
        person_requests(hub=hub, email=email)
        .select_related("hub", "school")
        .prefetch_related(loans)
        .order_by("created_at", "pk")
    ):
        rows.append(
            {
                "hub": found.hub.name,
                "requested_at": iso(found.created_at),
                "instrument": found.type_and_size,
                "pupil": found.pupil_name,
                "school": found.school.name,
                "year_group": found.year_group,
                "your_name": found.contact_name,
                "your_email": found.contact_email,
                "free_or_reduced_hire": found.get_ground_display() if found.ground else None,
                "remission_decision": found.get_decision_display(),
                "evidence_seen": found.evidence_seen,
                "status": found.get_status_display(),
                "loans": [_loan_data(loan) for loan in found.loans.all()],
            }
        )
    for loan in (
        person_school_loans(hub=hub, email=email)
        .select_related("hub", "school", "instrument", "agreement")
        .prefetch_related("charges")
        .order_by("starts_on", "pk")
    ):
        rows.append(
            {"hub": loan.hub.name, "school": str(loan.school), "school_loan": _loan_data(loan)}
        )
    return rows


def person_erase_blocked(*, hub: Hub, email: str) -> QuerySet[InstrumentRequest]:
    """The person's requests that erasure leaves alone: an instrument still out, or a charge
    unpaid. The hire agreement needs the family's contact until both are settled."""
    open_loans = Loan.objects.filter(request=OuterRef("pk"), returned_on__isnull=True)
    unpaid = Charge.objects.filter(loan__request=OuterRef("pk"), paid_on__isnull=True, amount__gt=0)
    return person_requests(hub=hub, email=email).filter(Exists(open_loans) | Exists(unpaid))


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing a parent or carer from the library will do, for privacy's erase page."""
    requests = list(person_requests(hub=hub, email=email).values_list("pk", flat=True))
    school_loans = person_school_loans(hub=hub, email=email).count()
    if not requests and not school_loans:
        return ErasurePlan()
    blocked = list(
        person_erase_blocked(hub=hub, email=email).prefetch_related(
            Prefetch(
                "loans",
                queryset=Loan.objects.filter(returned_on__isnull=True).select_related("instrument"),
            )
        )
    )
    changes, hub_must = [], []
    erased = len(requests) - len(blocked)
    if erased:
        changes.append(
            f"{plural(erased, 'instrument request')} lose the pupil's and their names, school,"
            " year group, contact and remission evidence, like requests past their retention;"
            " any still waiting is withdrawn. The loans, charges and the library's counts stay,"
            " naming no one, and the agreements accepted keep their version and date but not"
            " the name typed."
        )
    for found in blocked:
        out = ", ".join(loan.instrument.asset_tag for loan in found.loans.all())
        hub_must.append(
            f"The request for {found.pupil_name} is kept as it is: "
            + (f"{out} is still on loan" if out else "a charge is unpaid")
            + " under the hire agreement, which needs the family's contact. Record the"
            " instrument's return and settle or waive the charges, then erase them again."
        )
    if school_loans:
        changes.append(
            f"{plural(school_loans, 'loan')} to a school lose{'s' if school_loans == 1 else ''}"
            " them as its contact: give the school another contact for any still out."
        )
    return ErasurePlan(changes=changes, hub_must=hub_must)
