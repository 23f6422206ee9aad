"""Programmes across services: a national programme led by one music service, delivered at
sites (one school each) by other services' tutors, with a small group of pupils per site.

Pupil-level data (``Pupil``, ``Attendance``, ``Score``) is the most sensitive data Tutti holds:
only the site's tutors, its SENCo (through a signed link) and the programme's leads see it
(``access.py``); it is erased a set time after the programme ends, keeping the aggregates.
"""

from datetime import date

from django.conf import settings
from django.db import models

from tutti.core.models import BaseModel


class ProgrammeStatus(models.TextChoices):
    PLANNING = "planning", "Being planned"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Programme(BaseModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    # The lead's hub: its What's On holds the training days, its retention run erases pupils.
    # Empty when the lead organisation runs no hub on Tutti (the demo's Hertfordshire): then
    # the retention run of any hub holding one of its sites erases them.
    lead_hub = models.ForeignKey(
        "directory.Hub",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_programmes",
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_programmes",
    )
    funder = models.CharField(max_length=200, blank=True)
    aims = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus, default=ProgrammeStatus.PLANNING
    )
    min_group = models.PositiveSmallIntegerField("smallest group", default=3)
    max_group = models.PositiveSmallIntegerField("largest group", default=5)
    retention_months = models.PositiveSmallIntegerField(
        "months to keep pupils' data after the end", default=12
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_programmes", blank=True
    )
    # Training days, reflection sessions and support groups: What's On events of the lead hub.
    events = models.ManyToManyField("events.Event", related_name="programmes", blank=True)
    outcomes_narrative = models.TextField(blank=True)
    outcomes_published_at = models.DateTimeField(null=True, blank=True)
    # The aggregated figures as published (and as kept once pupils' data is erased).
    outcomes_figures = models.JSONField(default=dict, blank=True)
    kept_figures = models.JSONField(default=dict, blank=True)
    pupils_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(min_group__gte=1, max_group__gte=models.F("min_group")),
                name="programme_group_limits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def phase(self, today: date) -> str:
        """Where the programme is on ``today``, in words."""
        if today < self.starts_on:
            return "starting soon"
        if today <= self.ends_on:
            return "running"
        return "finished"


class Site(BaseModel):
    """One participating organisation (music service or hub) delivering in one school."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sites")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="programme_sites"
    )
    school = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="programme_schools"
    )
    # The hub whose area holds the school: its staff see the site's summary, never pupils.
    hub = models.ForeignKey(
        "directory.Hub",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_sites",
    )
    senco_name = models.CharField("SENCo's name", max_length=150, blank=True)
    senco_email = models.EmailField("SENCo's email address", blank=True)
    senco_link_version = models.PositiveIntegerField(default=0)
    senco_link_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="one_site_per_organisation"
            ),
            models.UniqueConstraint(fields=["programme", "school"], name="one_site_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} at {self.school}"


class SiteRole(models.TextChoices):
    TUTOR = "tutor", "Tutor"
    INCLUSION_MANAGER = "inclusion_manager", "Inclusion manager"


class SitePerson(BaseModel):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_sites"
    )
    role = models.CharField(max_length=20, choices=SiteRole)

    class Meta:
        ordering = ["role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "user", "role"], name="one_site_role_each"),
            models.CheckConstraint(
                condition=models.Q(role__in=SiteRole.values), name="site_person_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class InvitationRole(models.TextChoices):
    LEAD = "lead", "Programme lead"
    TUTOR = "tutor", "Tutor"
    INCLUSION_MANAGER = "inclusion_manager", "Inclusion manager"


class ProgrammeInvitation(BaseModel):
    """An offer of a place in a programme's team, emailed with a link. Only the token's hash
    is kept. A programme spans hubs, so this is not a hub role (accounts.Invitation)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=InvitationRole)
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()}"


class ReferralReason(models.TextChoices):
    SEMH = "semh", "Social, emotional and mental health"
    COMMUNICATION = "communication", "Communication and interaction"
    EXCLUSION = "exclusion", "At risk of exclusion"
    ATTENDANCE = "attendance", "Attendance"
    OTHER = "other", "Other"


class Pupil(BaseModel):
    """A pupil in a site's group: a first name or initials only, never a surname, date of
    birth or address."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="pupils")
    name = models.CharField("first name or initials", max_length=30)
    year_group = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    consent_on = models.DateField("date a parent or carer consented")
    added_by_senco = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_group__lte=6), name="pupil_primary_year_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def reason_labels(self) -> list[str]:
        labels = dict(ReferralReason.choices)
        return [str(labels[r]) for r in self.reasons if r in labels]


class Session(BaseModel):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(default=45)
    note = models.TextField(blank=True)
    # Set once the tutor has taken the register: the session was delivered.
    attendance_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["site", "date"], name="one_session_per_site_and_day"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=480), name="session_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.date}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="one_mark_per_pupil"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {'present' if self.present else 'absent'}"


class MeasureKind(models.TextChoices):
    SCALE = "scale", "A scale (e.g. 1 to 5)"
    COUNT = "count", "A count (e.g. exclusions in a term)"


class OutcomeMeasure(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=MeasureKind, default=MeasureKind.SCALE)
    low = models.PositiveSmallIntegerField(default=1)
    high = models.PositiveSmallIntegerField(default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="measure_name_unique"),
            models.CheckConstraint(
                condition=models.Q(high__gt=models.F("low")), name="measure_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Point(models.TextChoices):
    START = "start", "Start"
    MIDDLE = "middle", "Middle"
    END = "end", "End"


class Score(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="scores")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="scores")
    point = models.CharField(max_length=10, choices=Point)
    value = models.PositiveSmallIntegerField()
    by_senco = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "measure", "point"], name="one_score_per_point"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.point}: {self.value}"


class ReflectionEntry(BaseModel):
    """A tutor's reflection: private to its author and the programme's leads."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_reflections"
    )
    date = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.author}, {self.date}"


class Resource(BaseModel):
    """Guidance or training material the programme team shares with every site."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    link = models.URLField(blank=True)
    file = models.FileField(upload_to="programme-resources/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ResourceVisit(models.Model):
    """When a person last looked at a programme's resources: what is newer is "new"."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_visit_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.programme} resources at {self.seen_at}"
