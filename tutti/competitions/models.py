"""Competitions with video entries: categories with age bands, entries with separate consents,
adjudicators with conflicts of interest, a weighted rubric and scores.

A child's date of birth is kept only to check the age rule; the video is private (served only
through short-lived signed addresses) and deleted after the results (``retention.py``).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from tutti.core.models import BaseModel


class AreaRule(models.TextChoices):
    ANYONE = "anyone", "Anyone may enter"
    AREA = "area", "Living or at school in the hub's area"


class Competition(BaseModel):
    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="competitions")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=110)
    summary = models.CharField(max_length=300, blank=True)
    rules = models.TextField("rules", blank=True, help_text="Markdown: headings, lists, links.")
    age_on = models.DateField(
        "age is taken on", help_text="Entrants' ages for the age bands are on this date."
    )
    area_rule = models.CharField(
        "who may enter", max_length=10, choices=AreaRule, default=AreaRule.AREA
    )
    opens_on = models.DateField("entries open")
    closes_on = models.DateField("entries close", help_text="Entries can be changed until then.")
    entry_fee = models.DecimalField(
        "entry fee (£)", max_digits=6, decimal_places=2, default=0, blank=True
    )
    fee_remission = models.TextField(
        "fee remission",
        blank=True,
        help_text="Who pays less or nothing, e.g. pupils eligible for free school meals.",
    )
    max_video_minutes = models.PositiveSmallIntegerField("longest video (minutes)", default=10)
    max_video_mb = models.PositiveIntegerField("largest video file (MB)", default=500)
    allow_links = models.BooleanField(
        "families may give a video link instead of uploading", default=False
    )
    rubric_max = models.PositiveSmallIntegerField("top mark for each criterion", default=10)
    # Spreads between adjudicators' totals wider than this are flagged for moderation.
    spread_flag = models.PositiveSmallIntegerField(
        "flag scores that differ by more than (percentage points)", default=15
    )
    video_retention_days = models.PositiveSmallIntegerField(
        "delete videos this many days after the results", default=60
    )
    keep_public_videos = models.BooleanField(
        "keep videos whose family consented to public showing, for the archive", default=True
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    final_event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField("shown on the hub's pages", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-closes_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "slug"], name="competition_slug_per_hub"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="competition_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today: date) -> bool:
        return self.published and self.opens_on <= today <= self.closes_on


class Category(BaseModel):
    """One category in one age band, e.g. "Strings, 11 to 14"."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(max_length=100)
    min_age = models.PositiveSmallIntegerField("youngest age")
    max_age = models.PositiveSmallIntegerField("oldest age")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "min_age", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "name", "min_age"], name="category_once_per_band"
            ),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")), name="category_age_band_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, ages {self.min_age} to {self.max_age}"

    @property
    def band(self) -> str:
        return f"{self.min_age} to {self.max_age}"


class Result(models.TextChoices):
    NONE = "", "Not chosen"
    FINALIST = "finalist", "Finalist"
    WINNER = "winner", "Category winner"


class Entry(BaseModel):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    # The short code adjudicators see instead of a name, e.g. "C-0042".
    number = models.PositiveIntegerField()
    first_name = models.CharField("entrant's first name", max_length=100)
    last_name = models.CharField("entrant's last name", max_length=100)
    date_of_birth = models.DateField("entrant's date of birth")
    # Name and date of birth, normalised: one entry per entrant per category.
    entrant_key = models.CharField(max_length=220)
    school = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_entries",
    )
    home_educated = models.BooleanField(default=False)
    lives_in_area = models.BooleanField(default=False)
    teacher = models.CharField(max_length=200, blank=True)
    accompanist = models.CharField(max_length=200, blank=True)
    contact_name = models.CharField("your name", max_length=200)
    contact_email = models.EmailField("your email address")
    entered_by_self = models.BooleanField(default=False)
    # Each consent on its own, with when it was given; None: not given.
    consent_judged_at = models.DateTimeField()
    consent_public_at = models.DateTimeField(null=True, blank=True)
    consent_filming_at = models.DateTimeField(null=True, blank=True)
    video = models.FileField(upload_to="competitions/videos/", blank=True, max_length=300)
    video_seconds = models.FloatField(null=True, blank=True)
    video_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    video_link = models.URLField(blank=True)
    video_deleted_at = models.DateTimeField(null=True, blank=True)
    link_version = models.PositiveSmallIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result, blank=True, default="")
    running_order = models.PositiveSmallIntegerField(null=True, blank=True)
    results_emailed_at = models.DateTimeField(null=True, blank=True)
    # When the entrant's and family's details were erased (retention.py).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "entrant_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_entry_per_entrant_per_category",
            ),
            models.UniqueConstraint(fields=["competition", "number"], name="entry_number_unique"),
            models.CheckConstraint(
                condition=~Q(home_educated=True, school__isnull=False),
                name="entry_school_or_home_educated",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.code}"

    @property
    def code(self) -> str:
        return f"E-{self.number:04d}"

    @property
    def entrant_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_video(self) -> bool:
        return bool(self.video)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Piece(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="pieces")
    title = models.CharField(max_length=200)
    composer = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField("length (minutes)", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.title} ({self.composer})" if self.composer else self.title


class Criterion(models.Model):
    """One line of the competition's rubric: marked out of the competition's top mark."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=100)
    descriptor = models.TextField(blank=True, help_text="What a high mark looks like.")
    weight = models.PositiveSmallIntegerField(default=1, help_text="From 1 to 10.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="criterion_name_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="criterion_weight_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Adjudicator(BaseModel):
    """Someone invited by email to judge; they sign in with an account of their own."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="adjudicators"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjudications",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="adjudicators")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "email"], name="adjudicator_once_per_competition"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConflictReason(models.TextChoices):
    TEACHER = "teacher", "I teach this entrant"
    RELATIVE = "relative", "I am related to this entrant"
    SCHOOL = "school", "I work at this entrant's school"
    OTHER = "other", "Another reason"


class Conflict(models.Model):
    adjudicator = models.ForeignKey(Adjudicator, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(max_length=10, choices=ConflictReason)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adjudicator", "entry"], name="conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.adjudicator} declared a conflict with entry {self.entry_id}"


class Reassignment(models.Model):
    """An entry given to an adjudicator outside its category, because another declared a
    conflict with it."""

    adjudicator = models.ForeignKey(
        Adjudicator, on_delete=models.CASCADE, related_name="reassignments"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reassignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adjudicator", "entry"], name="reassignment_once")
        ]

    def __str__(self) -> str:
        return f"Entry {self.entry_id} given to {self.adjudicator}"


class Score(BaseModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    adjudicator = models.ForeignKey(Adjudicator, on_delete=models.CASCADE, related_name="scores")
    # The weighted total as a percentage of the most an entry can get, to one decimal place.
    percent = models.DecimalField(max_digits=4, decimal_places=1)
    feedback = models.TextField(blank=True)
    # Moderated by staff: the percentage that counts instead of ``percent``.
    moderated_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "adjudicator"], name="score_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="score_percent_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% for entry {self.entry_id}"

    @property
    def counted(self) -> float:
        return float(self.moderated_percent if self.moderated_percent is not None else self.percent)


class Mark(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="marks")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="mark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.value} for criterion {self.criterion_id}"
