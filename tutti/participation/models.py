"""What a hub's partnership delivered in an academic year, one record per activity.

Every record names its hub, its year (the start year: 2025 is 2025/26), the partner that
delivered it and, where there is one, the school by its register entry. The impact figures
and the data return are computed from these records and nothing else (figures.py).
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, cast, overload

from django.db import models
from django.db.models import F, Q

from tutti.core.models import BaseModel
from tutti.core.years import year_label

if TYPE_CHECKING:
    from tutti.directory.models import Organisation


class ParticipationRecord(BaseModel):
    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(
        help_text="The academic year's start year: 2025 means 2025/26."
    )
    partner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="delivering partner",
    )
    # The partner's return it came in with, when it was sent through a data collection.
    submission = models.ForeignKey(
        "participation.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Every section's model has the default manager; declared for the type checker, which
    # gives abstract models none.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True

    @property
    def year_label(self) -> str:
        return year_label(self.year)


@overload
def _school_field(
    *, required: Literal[True]
) -> "models.ForeignKey[Organisation, Organisation]": ...


@overload
def _school_field(
    *, required: Literal[False]
) -> "models.ForeignKey[Organisation | None, Organisation | None]": ...


def _school_field(*, required: bool) -> "models.ForeignKey[Any, Any]":
    return models.ForeignKey(
        "directory.Organisation",
        null=not required,
        blank=not required,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "school"},
    )


# How the forms and uploads say that a part is more than the whole.
PART_NAMES = {
    "continued": "Pupils who continued",
    "fsm": "Pupils eligible for free school meals or pupil premium",
    "send": "Pupils with SEND",
    "looked_after": "Looked-after pupils",
}


def _at_most_pupils(model: str, field: str, total: str = "pupils") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__lte": F(total)}),
        name=f"{model}_{field}_within_{total}",
        violation_error_message=f"{PART_NAMES[field]} cannot be more than the {total}.",
    )


class WcetProgramme(ParticipationRecord):
    """Whole-class ensemble teaching (First Access) in one school."""

    school = _school_field(required=True)
    year_groups = models.CharField(max_length=60, help_text="For example: Year 4, or Years 3-4.")
    instruments = models.CharField(max_length=120, help_text="For example: ukulele, or brass.")
    pupils = models.PositiveIntegerField()
    weeks = models.PositiveSmallIntegerField(help_text="How many weeks of lessons.")
    lesson_minutes = models.PositiveSmallIntegerField("lesson length (minutes)")
    continued = models.PositiveIntegerField(
        "pupils who continued", help_text="Pupils who carried on learning afterwards."
    )

    class Meta:
        ordering = ["year", "school__name"]
        verbose_name = "whole-class ensemble teaching programme"
        constraints = [
            _at_most_pupils("wcet", "continued"),
        ]

    def __str__(self) -> str:
        return f"WCET {self.instruments}, {self.year_groups}"


class InstrumentFamily(models.TextChoices):
    STRINGS = "strings", "Strings"
    WOODWIND = "woodwind", "Woodwind"
    BRASS = "brass", "Brass"
    PERCUSSION = "percussion", "Percussion"
    KEYBOARD = "keyboard", "Keyboard"
    GUITAR = "guitar", "Guitar"
    VOICE = "voice", "Voice"
    MUSIC_TECH = "music_tech", "Music technology"
    OTHER = "other", "Other"


class LessonType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    SMALL_GROUP = "small_group", "Small group"
    LARGE_GROUP = "large_group", "Large group"


class TuitionRecord(ParticipationRecord):
    """Instrumental or vocal lessons at a school, or at a centre when there is no school."""

    school = _school_field(required=False)
    centre = models.CharField(
        max_length=150, blank=True, help_text="Where lessons happen when it is not a school."
    )
    family = models.CharField("instrument family", max_length=20, choices=InstrumentFamily)
    lesson_type = models.CharField(max_length=20, choices=LessonType)
    pupils = models.PositiveIntegerField()
    fsm = models.PositiveIntegerField("of whom eligible for free school meals or pupil premium")
    send = models.PositiveIntegerField("of whom with SEND")
    looked_after = models.PositiveIntegerField("of whom looked after")

    class Meta:
        ordering = ["year", "school__name", "centre"]
        verbose_name = "instrumental and vocal tuition record"
        constraints = [
            _at_most_pupils("tuition", "fsm"),
            _at_most_pupils("tuition", "send"),
            _at_most_pupils("tuition", "looked_after"),
            models.CheckConstraint(
                condition=Q(school__isnull=False) | ~Q(centre=""),
                name="tuition_at_a_school_or_centre",
                violation_error_message="Give the school's URN or the centre's name.",
            ),
            models.CheckConstraint(
                condition=Q(family__in=InstrumentFamily.values), name="tuition_family_valid"
            ),
            models.CheckConstraint(
                condition=Q(lesson_type__in=LessonType.values), name="tuition_lesson_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_family_display()} ({self.get_lesson_type_display().lower()})"

    @property
    def place(self) -> str:
        return self.school.name if self.school is not None else self.centre


class EnsembleKind(models.TextChoices):
    ORCHESTRA = "orchestra", "Orchestra"
    BAND = "band", "Band"
    CHOIR = "choir", "Choir"
    ROCK_POP = "rock_pop", "Rock or pop"
    JAZZ = "jazz", "Jazz"
    FOLK = "folk", "Folk"
    MUSIC_TECH = "music_tech", "Music technology"
    SEND_INCLUSIVE = "send_inclusive", "SEND-inclusive"
    OTHER = "other", "Other"


class EnsembleLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    MIXED = "mixed", "Mixed ability"


class Ensemble(ParticipationRecord):
    """An ensemble or choir that ran in the year: area based, or based at one school."""

    name = models.CharField(max_length=150)
    kind = models.CharField("type", max_length=20, choices=EnsembleKind)
    level = models.CharField(max_length=20, choices=EnsembleLevel)
    school = _school_field(required=False)
    members = models.PositiveIntegerField()
    fsm = models.PositiveIntegerField("of whom eligible for free school meals or pupil premium")
    send = models.PositiveIntegerField("of whom with SEND")
    looked_after = models.PositiveIntegerField("of whom looked after")
    rehearsals = models.PositiveSmallIntegerField("rehearsals in the year")

    class Meta:
        ordering = ["year", "name"]
        constraints = [
            _at_most_pupils("ensemble", "fsm", "members"),
            _at_most_pupils("ensemble", "send", "members"),
            _at_most_pupils("ensemble", "looked_after", "members"),
            models.UniqueConstraint(
                fields=["hub", "year", "partner", "name"], name="ensemble_once_per_partner_year"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EnsembleKind.values), name="ensemble_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=EnsembleLevel.values), name="ensemble_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def based(self) -> str:
        return self.school.name if self.school is not None else "Area based"


class SingingKind(models.TextChoices):
    WHOLE_SCHOOL = "whole_school", "Whole-school singing"
    CHOIR = "choir", "Choir"
    STAFF_TRAINING = "staff_training", "Training for staff"
    PERFORMANCE = "performance", "Performance opportunity"


class SingingSupport(ParticipationRecord):
    """Support a school had to deliver singing."""

    school = _school_field(required=True)
    kind = models.CharField(max_length=20, choices=SingingKind)

    class Meta:
        ordering = ["year", "school__name"]
        verbose_name_plural = "singing support"
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "year", "partner", "school", "kind"],
                name="singing_support_once_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SingingKind.values), name="singing_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SchoolSupport(ParticipationRecord):
    """A partner's support for a school: which core roles, and what else."""

    school = _school_field(required=True)
    wcet = models.BooleanField("whole-class ensemble teaching", default=False)
    ensembles = models.BooleanField(default=False)
    progression = models.BooleanField(default=False)
    singing = models.BooleanField(default=False)
    cpd = models.BooleanField("training for staff (CPD)", default=False)
    curriculum = models.BooleanField("curriculum support", default=False)
    instrument_loan = models.BooleanField(default=False)
    large_scale = models.BooleanField("large-scale or high-quality experience", default=False)

    CORE_ROLES = ("wcet", "ensembles", "progression", "singing")

    class Meta:
        ordering = ["year", "school__name"]
        verbose_name_plural = "school support"
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "year", "partner", "school"], name="school_support_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"Support for {self.school}"

    @property
    def core_roles(self) -> list[str]:
        return [
            str(cast("models.Field[Any, Any]", self._meta.get_field(r)).verbose_name)
            for r in self.CORE_ROLES
            if getattr(self, r)
        ]


class InstrumentLoans(ParticipationRecord):
    """How many instruments a partner had out on loan in the year (counts, not the loans)."""

    to_pupils = models.PositiveIntegerField("instruments on loan to pupils")
    to_schools = models.PositiveIntegerField("instruments on loan to schools")

    class Meta:
        ordering = ["year", "partner__name"]
        verbose_name_plural = "instrument loans"
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "year", "partner"], name="instrument_loans_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.to_pupils + self.to_schools} instruments on loan"

    @property
    def total(self) -> int:
        return self.to_pupils + self.to_schools


class Collection(BaseModel):
    """A year's call to every active partner for their records, with a deadline."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(
        help_text="The academic year's start year: 2025 means 2025/26."
    )
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "year"], name="one_collection_per_hub_year")
        ]

    def __str__(self) -> str:
        return f"Data collection {year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Submission(BaseModel):
    """One partner's return for a collection."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="submissions")
    partner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SubmissionStatus, default=SubmissionStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # In the return's signed link: staff raise it to give a new link, and every older one stops
    # working (participation.tokens).
    link_version = models.PositiveIntegerField(default=0)
    # Not stored: the signed link itself, which the collection page sets for staff to copy.
    link: str

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "partner"], name="one_submission_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.SUBMITTED, submitted_at__isnull=False)
                | (~Q(status=SubmissionStatus.SUBMITTED) & Q(submitted_at__isnull=True)),
                name="submission_submitted_at_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_status_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    def is_late(self, today: dt.date) -> bool:
        """Past the deadline and not submitted."""
        return not self.is_submitted and today > self.collection.deadline


class Publication(BaseModel):
    """A year's figures the hub has published, and which of them the public sees.

    The values are not copied: the public page adds them up from the records like every other
    page, so a correction to a record shows everywhere at once.
    """

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(
        help_text="The academic year's start year: 2025 means 2025/26."
    )
    # Figure keys (figures.FIGURES), shown in the order the figures are defined.
    figures = models.JSONField(default=list)
    show_reach = models.BooleanField(
        "show the schools reached",
        default=True,
        help_text="The tables and chart of schools reached by local authority, cluster and phase.",
    )
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "year"], name="one_publication_per_hub_year")
        ]

    def __str__(self) -> str:
        return f"Published figures {year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)
