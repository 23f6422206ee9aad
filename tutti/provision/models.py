from collections.abc import Collection
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tutti.core.models import BaseModel
from tutti.core.years import year_label


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class CoreRole(models.TextChoices):
    """What the hub maps: the national plan's core offer, plus SEND and the school's plan."""

    WCET = "wcet", "Whole-class ensemble teaching"
    SINGING = "singing", "Singing"
    ENSEMBLES = "ensembles", "Ensembles and choirs"
    TUITION = "tuition", "Instrumental and vocal lessons"
    SEND = "send", "Music for pupils with SEND"
    MDP = "mdp", "Music Development Plan"


class Status(models.TextChoices):
    PROVIDED = "provided", "Provided"
    PARTLY = "partly", "Partly provided"
    NOT_PROVIDED = "none", "Not provided"
    UNKNOWN = "unknown", "Unknown"


class CpdTopic(models.TextChoices):
    CURRICULUM = "curriculum", "Teaching the music curriculum"
    SINGING = "singing", "Leading singing"
    INSTRUMENTS = "instruments", "Teaching with instruments in class"
    TECHNOLOGY = "technology", "Music technology"
    SEND = "send", "Music for pupils with SEND"
    ASSESSMENT = "assessment", "Assessing progress in music"
    LEADERSHIP = "leadership", "Leading music and writing the plan"


class Barrier(models.TextChoices):
    COST = "cost", "Cost"
    TIME = "time", "Time in the timetable"
    CONFIDENCE = "confidence", "Staff confidence"
    SPACE = "space", "Space"
    TRANSPORT = "transport", "Transport"


# The key stages whose weekly curriculum music time the audit asks: (field, key stage).
KEY_STAGE_FIELDS = [
    ("ks1_minutes", "Key stage 1"),
    ("ks2_minutes", "Key stage 2"),
    ("ks3_minutes", "Key stage 3"),
    ("ks4_minutes", "Key stage 4"),
]
# Lists of ticked choices, stored as JSON: (field, the choices allowed).
CHOICE_LISTS: list[tuple[str, type[models.TextChoices]]] = [
    ("cpd_wanted", CpdTopic),
    ("barriers", Barrier),
]

# Answers that say "none" cannot come with a number of pupils: (answer field, count field).
COUNTED_ANSWERS = [
    ("wcet", "wcet_weeks"),
    ("choir", "choir_members"),
    ("ensembles", "ensemble_members"),
    ("tuition", "tuition_pupils"),
]
ANSWER_FIELDS = ["wcet", "singing", "choir", "ensembles", "tuition", "send", "mdp"]


def _answer(*, verbose_name: str) -> "models.CharField[str, str]":
    return models.CharField(max_length=10, choices=Answer, blank=True, verbose_name=verbose_name)


class SchoolAudit(BaseModel):
    """A school's own account of its music for one academic year. Blank means not answered yet."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="audits")
    school = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="music_audits"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The school year's first year: 2025 is 2025/26."
    )
    # The school's own contact for the hub; never shown on public pages.
    music_lead = models.CharField("Music lead's name", max_length=150, blank=True)
    wcet = _answer(verbose_name="Whole-class ensemble teaching")
    wcet_year_group = models.CharField("Year group", max_length=50, blank=True)
    wcet_instrument = models.CharField("Instrument", max_length=100, blank=True)
    wcet_weeks = models.PositiveSmallIntegerField("Length in weeks", null=True, blank=True)
    wcet_details = models.CharField(
        "Anything else about whole-class ensemble teaching", max_length=300, blank=True
    )
    ks1_minutes = models.PositiveSmallIntegerField(
        "Key stage 1: minutes of music a week", null=True, blank=True
    )
    ks2_minutes = models.PositiveSmallIntegerField(
        "Key stage 2: minutes of music a week", null=True, blank=True
    )
    ks3_minutes = models.PositiveSmallIntegerField(
        "Key stage 3: minutes of music a week", null=True, blank=True
    )
    ks4_minutes = models.PositiveSmallIntegerField(
        "Key stage 4: minutes of music a week", null=True, blank=True
    )
    singing = _answer(verbose_name="Regular singing for every pupil")
    choir = _answer(verbose_name="A choir")
    choir_members = models.PositiveIntegerField("Pupils in the choir", null=True, blank=True)
    ensembles = _answer(verbose_name="Ensembles, bands or orchestras")
    ensemble_members = models.PositiveIntegerField("Pupils in ensembles", null=True, blank=True)
    tuition = _answer(verbose_name="Instrumental or vocal lessons")
    tuition_pupils = models.PositiveIntegerField("Pupils having lessons", null=True, blank=True)
    send = _answer(verbose_name="Music for pupils with SEND")
    send_adaptive_instruments = models.BooleanField("Adaptive instruments", default=False)
    send_specialist_partners = models.BooleanField(
        "Specialist partners (for example Jessie's Fund or Music and the Deaf)", default=False
    )
    send_inclusive_ensembles = models.BooleanField("Inclusive ensembles", default=False)
    send_details = models.CharField(
        "Anything else about music for pupils with SEND", max_length=300, blank=True
    )
    mdp = _answer(verbose_name="A Music Development Plan")
    mdp_url = models.URLField("Where its summary is published", blank=True)
    cpd_wanted = models.JSONField("Training the staff would like", default=list, blank=True)
    cpd_other = models.CharField("Other training the staff would like", max_length=300, blank=True)
    barriers = models.JSONField("What makes music hard for the school", default=list, blank=True)
    barriers_other = models.CharField(
        "Anything else that gets in the way", max_length=300, blank=True
    )

    class Meta:
        ordering = ["-year", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "school", "year"], name="one_audit_per_school_per_year"
            ),
            *(
                models.CheckConstraint(
                    condition=~Q(**{answer: Answer.NO, f"{count}__gt": 0}),
                    name=f"audit_no_{answer}_means_no_{count}",
                )
                for answer, count in COUNTED_ANSWERS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {year_label(self.year)}"

    def clean(self) -> None:
        errors = {}
        for answer, count in COUNTED_ANSWERS:
            if getattr(self, answer) == Answer.NO and (getattr(self, count) or 0) > 0:
                field = cast("models.Field[Any, Any]", self._meta.get_field(answer))
                label = str(field.verbose_name).lower()
                errors[count] = (
                    f"You said the school has no {label.removeprefix('a ')}, so this must be "
                    "empty or 0. Change one of the two answers."
                )
        for name, choices in CHOICE_LISTS:
            value = getattr(self, name)
            if not isinstance(value, list) or not set(value) <= set(choices.values):
                errors[name] = "Tick only the choices listed."
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # clean() explains these contradictions beside the field; the database constraints
        # stay as the safety net, without a second, vaguer message.
        skip = set(exclude or ()) | {count for _, count in COUNTED_ANSWERS}
        super().validate_constraints(exclude=skip)

    @property
    def answered(self) -> int:
        return sum(1 for name in ANSWER_FIELDS if getattr(self, name))

    @property
    def is_complete(self) -> bool:
        return self.answered == len(ANSWER_FIELDS)

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class AuditLinkVersion(BaseModel):
    """Which of a school's audit links still works: staff raise ``version`` to give a new link,
    and every older one stops working (provision.tokens). No row: the first links (0)."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "school"], name="one_audit_link_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school} audit link {self.version}"


class Network(BaseModel):
    """Hubs working together across their areas, with partner organisations such as charities.

    A network sees the aggregated provision of its member hubs: counts and maps, never people.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    hubs = models.ManyToManyField("directory.Hub", related_name="networks", blank=True)
    partners = models.ManyToManyField("directory.Organisation", related_name="networks", blank=True)
    # A hub's own network of teachers (a CPD network, tutti.cpd) has an owning hub; a network
    # of hubs working together has none. One concept, "network", for both.
    hub = models.ForeignKey(
        "directory.Hub",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_networks",
        help_text="The hub that runs this network for its teachers; empty for a network of hubs.",
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_networks",
        verbose_name="lead organisation",
        help_text="The school or partner that coordinates the network.",
    )
    vision = models.TextField(blank=True, help_text="What the network is for, in a few lines.")
    supply_cover_rate = models.DecimalField(
        "supply-cover contribution per day",
        max_digits=7,
        decimal_places=2,
        default=0,
        help_text="Paid to a member's school for each teacher for each network day attended.",
    )
    early_booking_days = models.PositiveSmallIntegerField(
        "members book this many days before the public",
        default=14,
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supply_cover_rate__gte=0),
                name="network_supply_cover_not_negative",
                violation_error_message="The supply-cover contribution cannot be less than 0.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkingGroup(BaseModel):
    """A network's steering group or a working group, with its own members and focus."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=150)
    is_steering = models.BooleanField("Steering group", default=False)
    focus = models.TextField(blank=True)
    members = models.ManyToManyField("accounts.User", related_name="working_groups", blank=True)
    organisations = models.ManyToManyField(
        "directory.Organisation", related_name="working_groups", blank=True
    )
    # The part of the gap map the group works on; empty means the whole network.
    local_authorities = models.ManyToManyField(
        "directory.LocalAuthority", related_name="working_groups", blank=True
    )
    clusters = models.ManyToManyField("clusters.Cluster", related_name="working_groups", blank=True)

    class Meta:
        ordering = ["-is_steering", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="working_group_name_unique_in_network"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.name}"
