"""The instrument library: instruments, requests (the waiting list), loans, agreements, repairs,
hire fees, remission and each term's charges. Rules are in services.py; types in kinds.py."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

from tutti.core.models import BaseModel
from tutti.loans.kinds import FAMILY_CHOICES, TYPE_CHOICES, type_and_size


class Status(models.TextChoices):
    AVAILABLE = "available", "Available"
    ON_LOAN = "on_loan", "On loan"
    IN_REPAIR = "in_repair", "In repair"
    RETIRED = "retired", "Retired"


class Condition(models.TextChoices):
    NEW = "new", "New"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"
    POOR = "poor", "Poor"
    DAMAGED = "damaged", "Damaged"


class PriorityRule(models.TextChoices):
    """How the hub orders each waiting list; within a group, first come, first served."""

    FIRST_COME = "first_come", "First come, first served"
    FSM_PP_FIRST = "fsm_pp_first", "Pupils eligible for free school meals or pupil premium first"
    REMISSION_FIRST = "remission_first", "Pupils granted free or reduced hire first"


class Ground(models.TextChoices):
    """Why a family asks for free or reduced hire: the hub's remission policy."""

    NONE = "", "No remission asked for"
    FSM = "fsm", "Eligible for free school meals"
    PUPIL_PREMIUM = "pupil_premium", "Eligible for pupil premium"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    YOUNG_CARER = "young_carer", "Young carer"
    LOW_INCOME = "low_income", "Other low income"


# Grounds the policy makes free; a low income pays the hub's reduced rate.
FREE_GROUNDS = frozenset(
    {Ground.FSM, Ground.PUPIL_PREMIUM, Ground.LOOKED_AFTER, Ground.YOUNG_CARER}
)
PRIORITY_GROUNDS = frozenset({Ground.FSM, Ground.PUPIL_PREMIUM})


class Decision(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked for"
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class RequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ISSUED = "issued", "Instrument lent"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


def term_bounds(year: int, term: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a term of the academic year starting in ``year``."""
    if term == Term.AUTUMN:
        return dt.date(year, 9, 1), dt.date(year, 12, 31)
    if term == Term.SPRING:
        return dt.date(year + 1, 1, 1), dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 4, 1), dt.date(year + 1, 8, 31)


class LoanSettings(BaseModel):
    """The hub's choices for its library: the waiting lists' priority, remission and payment."""

    hub = models.OneToOneField("directory.Hub", on_delete=models.CASCADE, related_name="+")
    priority_rule = models.CharField(
        "Who comes first on the waiting lists",
        max_length=20,
        choices=PriorityRule,
        default=PriorityRule.FSM_PP_FIRST,
    )
    low_income_percent = models.PositiveSmallIntegerField(
        "Other low incomes pay this share of the fee (per cent)",
        default=50,
        help_text="0 makes hire free for them too; 100 is the full fee.",
    )
    how_to_pay = models.TextField(
        "How families and schools pay",
        blank=True,
        help_text="Shown with every charge, e.g. the bank details and the reference to use.",
    )
    store_evidence = models.BooleanField(
        "Keep copies of evidence",
        default=False,
        help_text="Off: staff record which evidence they saw, and never keep the document.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(low_income_percent__lte=100), name="loans_reduced_rate_at_most_full"
            )
        ]

    def __str__(self) -> str:
        return f"Instrument library settings of hub {self.hub_id}"


class Agreement(BaseModel):
    """One version of the hub's loan terms; a new version never changes what was accepted."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "version"], name="loans_one_agreement_version")
        ]

    def __str__(self) -> str:
        return f"Loan agreement version {self.version}"


class Instrument(BaseModel):
    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("Type", max_length=30, choices=TYPE_CHOICES)
    size = models.CharField(max_length=20, blank=True)
    maker = models.CharField(max_length=100, blank=True)
    serial = models.CharField("Serial number", max_length=60, blank=True)
    asset_tag = models.CharField(
        "Asset tag", max_length=30, help_text="The hub's own number on the instrument's label."
    )
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The hub's lead organisation or the partner that owns it.",
    )
    location = models.CharField("Where it is kept", max_length=150, blank=True)
    condition = models.CharField(max_length=10, choices=Condition, default=Condition.GOOD)
    purchased_on = models.DateField("Purchase date", null=True, blank=True)
    value = models.DecimalField(
        "Value (£)", max_digits=9, decimal_places=2, default=Decimal("0.00")
    )
    funding_source = models.CharField(
        "Funding source", max_length=100, blank=True, help_text="e.g. Capital grant 2024"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.AVAILABLE)
    service_due_on = models.DateField("Next service due", null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "asset_tag"], name="loans_asset_tag_unique"),
            models.UniqueConstraint(
                fields=["hub", "serial"], condition=~Q(serial=""), name="loans_serial_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="loans_value_not_negative"),
        ]
        indexes = [models.Index(fields=["hub", "kind", "size", "status"])]

    def __str__(self) -> str:
        return f"{self.asset_tag} {self.type_and_size}"

    @property
    def type_and_size(self) -> str:
        return type_and_size(self.kind, self.size)


class InstrumentRequest(BaseModel):
    """A parent's, carer's or school's request for an instrument for a pupil: the least needed."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("Instrument", max_length=30, choices=TYPE_CHOICES)
    size = models.CharField(max_length=20, blank=True)
    first_name = models.CharField("Pupil's first name", max_length=100)
    last_name = models.CharField("Pupil's surname", max_length=100)
    school = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    year_group = models.CharField("Year group", max_length=20)
    contact_name = models.CharField("Your name", max_length=150)
    contact_email = models.EmailField("Your email address")
    ground = models.CharField(
        "Free or reduced hire", max_length=20, choices=Ground, default=Ground.NONE, blank=True
    )
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.NOT_ASKED)
    evidence_seen = models.CharField("Evidence seen", max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus, default=RequestStatus.WAITING)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["hub", "status", "kind", "size"])]

    def __str__(self) -> str:
        return f"Request {self.pk}: {type_and_size(self.kind, self.size)}"

    @property
    def pupil_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def type_and_size(self) -> str:
        return type_and_size(self.kind, self.size)


class Loan(BaseModel):
    """An instrument lent to a pupil (through a request) or to a school (``batch``: several
    instruments lent together, for whole-class teaching)."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="loans")
    request = models.ForeignKey(
        InstrumentRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="loans"
    )
    school = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.CharField(max_length=32, blank=True, db_index=True)
    borrower_email = models.EmailField(blank=True)
    starts_on = models.DateField()
    due_on = models.DateField("Expected back")
    returned_on = models.DateField(null=True, blank=True)
    return_condition = models.CharField(max_length=10, choices=Condition, blank=True)
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.CharField(max_length=150, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            # The last guard against two staff lending one instrument at once.
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(returned_on__isnull=True),
                name="loans_one_open_loan_per_instrument",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(school__isnull=False),
                name="loans_to_pupil_or_school",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="loans_due_after_start"
            ),
        ]
        indexes = [models.Index(fields=["hub", "returned_on", "due_on"])]

    def __str__(self) -> str:
        return f"Loan of {self.instrument} to {self.borrower}"

    @property
    def borrower(self) -> str:
        if self.request is not None:
            return self.request.pupil_name
        return str(self.school)

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


class Repair(BaseModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="repairs")
    loan = models.ForeignKey(
        Loan, null=True, blank=True, on_delete=models.SET_NULL, related_name="repairs"
    )
    fault = models.CharField(max_length=300)
    sent_to = models.CharField("Sent to", max_length=150, blank=True)
    cost = models.DecimalField("Cost (£)", max_digits=8, decimal_places=2, null=True, blank=True)
    opened_on = models.DateField()
    back_on = models.DateField("Back on", null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="loans_repair_cost_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Repair of {self.instrument}: {self.fault}"


class Fee(BaseModel):
    """The termly hire fee for a type (or, when the type has none, for its family)."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=TYPE_CHOICES, blank=True)
    family = models.CharField(max_length=20, choices=FAMILY_CHOICES, blank=True)
    amount = models.DecimalField("Fee a term (£)", max_digits=7, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "kind", "family"], name="loans_one_fee"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="loans_fee_not_negative"),
            models.CheckConstraint(
                condition=(Q(kind="") & ~Q(family="")) | (~Q(kind="") & Q(family="")),
                name="loans_fee_for_type_or_family",
            ),
        ]

    def __str__(self) -> str:
        return f"Fee {self.kind or self.family}: £{self.amount}"


class Charge(BaseModel):
    """What one loan owes for one term, remission applied."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="charges")
    year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=10, choices=Term)
    full_fee = models.DecimalField(max_digits=7, decimal_places=2)
    ground = models.CharField(max_length=20, choices=Ground, blank=True)
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["loan__instrument__asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "year", "term"], name="loans_one_charge"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=models.F("full_fee")),
                name="loans_charge_within_fee",
            ),
        ]

    def __str__(self) -> str:
        return f"Charge {self.term} {self.year}: £{self.amount}"
