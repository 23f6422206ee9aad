"""Secondary transition: which primaries feed each secondary, and young musicians' passports.

Feeders are suggested from the register (tutti/transition/feeders.py) and not stored; only the
decisions people make about them are: a suggestion confirmed or removed, a primary added.

A passport is what a parent or carer chooses to tell the secondary school their Year 6 child is
going to about the child's music. It holds the least that lets the school find the child and
carry on: the child's name, no date of birth or address. Its personal data is removed at the end
of the autumn term of Year 7 (or of Year 7, if the family asked) by the retention rule in
tutti/transition/retention.py; what is left is an anonymous row for the continuation figure.
"""

import datetime as dt

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from tutti.core.models import BaseModel

# The register's phases of education: who sends pupils on at 11 and who takes them.
PRIMARY_PHASES = frozenset({"Primary", "Middle deemed primary"})
RECEIVING_PHASES = frozenset({"Secondary", "All-through", "Middle deemed secondary"})


class FeederState(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REMOVED = "removed", "Removed"


class FeederDecision(BaseModel):
    """Someone confirmed a primary as a feeder of a secondary (suggested or added by hand), or
    removed a suggested one."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    secondary = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    primary = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=10, choices=FeederState)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "secondary", "primary"], name="one_feeder_decision_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(state__in=FeederState.values), name="feeder_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(secondary=models.F("primary")), name="feeder_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.primary_id} → {self.secondary_id}: {self.state}"


class PassportStatus(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    SENT = "sent", "Sent to the school"
    ACKNOWLEDGED = "acknowledged", "Received by the school"
    CONTACTED = "contacted", "The school has been in touch"
    WITHDRAWN = "withdrawn", "Withdrawn by the family"
    DELETED = "deleted", "Deleted"


# The statuses of a passport the secondary school has, and may act on.
AT_SCHOOL = (PassportStatus.SENT, PassportStatus.ACKNOWLEDGED, PassportStatus.CONTACTED)


class FirstContact(models.TextChoices):
    SCHOOL_ENSEMBLE = "school_ensemble", "Joined a school band, orchestra or choir"
    SCHOOL_LESSONS = "school_lessons", "Carried on lessons at the school"
    PARTNER_LESSONS = "partner_lessons", "Carried on lessons with a partner organisation"
    HUB_ENSEMBLE = "hub_ensemble", "Joined one of the hub's ensembles or centres"
    NOT_CONTINUING = "not_continuing", "Not playing or singing at the moment"


# Every first contact except "not at the moment" means the young musician carried on.
CARRIED_ON = frozenset(FirstContact.values) - {FirstContact.NOT_CONTINUING}


class Passport(BaseModel):
    """A young musician's passport from Year 6 into Year 7, filled in by their family."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=15, choices=PassportStatus, default=PassportStatus.DRAFT)
    # The September the child starts Year 7 (2027 for a child in Year 6 in 2026/27).
    intake_year = models.PositiveSmallIntegerField()
    family_email = models.EmailField("your email address", blank=True)
    child_name = models.CharField(
        "your child's name",
        max_length=100,
        blank=True,
        help_text="As their schools know them, so the new school can find them.",
    )
    primary = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="primary school now",
    )
    secondary = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="secondary school they are going to",
    )
    instruments = models.CharField("instruments or voice", max_length=200, blank=True)
    level = models.CharField(
        "level or grade",
        max_length=100,
        blank=True,
        help_text="For example: Grade 2 violin, or beginner.",
    )
    years_learning = models.PositiveSmallIntegerField(
        "years learning", null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    teacher = models.CharField("teacher", max_length=150, blank=True)
    partner = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="organisation that teaches them",
    )
    ensembles = models.CharField("bands, orchestras or choirs", max_length=300, blank=True)
    loan_instrument = models.CharField("instrument on loan", max_length=150, blank=True)
    next_steps = models.TextField("what they would like to do next", max_length=1000, blank=True)
    access_needs = models.TextField("access needs", max_length=1000, blank=True)
    # The family chose to keep the passport until the end of Year 7 rather than of its
    # autumn term.
    keep_longer = models.BooleanField(default=False)
    link_version = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_contact = models.CharField(max_length=20, choices=FirstContact, blank=True)
    contact_note = models.CharField("note", max_length=300, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    contacted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        indexes = [
            models.Index(fields=["hub", "secondary", "status"]),
            models.Index(fields=["hub", "primary", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PassportStatus.values), name="passport_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(first_contact="") | Q(first_contact__in=FirstContact.values),
                name="passport_first_contact_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=AT_SCHOOL) | Q(sent_at__isnull=False),
                name="passport_sent_at_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"Passport {self.pk} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == PassportStatus.DRAFT

    @property
    def at_school(self) -> bool:
        return self.status in AT_SCHOOL

    @property
    def deletes_on(self) -> dt.date:
        """The day its personal data goes: after the autumn term of Year 7 (31 December), or
        after Year 7 (31 August) when the family chose to keep it longer."""
        if self.keep_longer:
            return dt.date(self.intake_year + 1, 8, 31)
        return dt.date(self.intake_year, 12, 31)
