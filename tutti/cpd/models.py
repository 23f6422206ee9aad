"""A hub's CPD networks of teachers, built on provision's Network (one concept, "network").

A network owned by a hub (``Network.hub``) has members (teachers of the hub's schools, who join
by invitation or by a request a facilitator approves), network days (What's On events owned by
the network), supply-cover claims for the days attended, a members-only space (resources and
discussion), peer visits and needs surveys.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tutti.core.models import BaseModel


class MemberRole(models.TextChoices):
    MEMBER = "member", "Member"
    FACILITATOR = "facilitator", "Facilitator"


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    REQUESTED = "requested", "Asked to join"
    ACTIVE = "active", "Member"
    REFUSED = "refused", "Not accepted"
    LEFT = "left", "Left"


class NetworkMember(BaseModel):
    """A person's place in a network: invited, asking to join, a member or a facilitator.

    ``email`` holds the address an invitation went to; ``user`` is set once the person (with an
    account under that address) accepts, or from the start when they ask to join.
    """

    network = models.ForeignKey(
        "provision.Network", on_delete=models.CASCADE, related_name="cpd_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_places",
    )
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_members",
        help_text="The school the member teaches at: it claims their supply cover.",
    )
    role = models.CharField(max_length=12, choices=MemberRole, default=MemberRole.MEMBER)
    status = models.CharField(max_length=10, choices=MemberStatus)
    message = models.CharField("Why you would like to join", max_length=500, blank=True)
    notify_posts = models.BooleanField("Email me about new posts", default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "network", name="one_place_per_email_per_network"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="network_member_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="network_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == MemberRole.FACILITATOR


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class NetworkDay(BaseModel):
    """One of the network's days (one a term): a What's On event that the network owns."""

    network = models.ForeignKey("provision.Network", on_delete=models.CASCADE, related_name="days")
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="network_day"
    )
    year = models.PositiveSmallIntegerField(help_text="The school year it starts, e.g. 2025.")
    term = models.CharField(max_length=6, choices=Term)

    class Meta:
        ordering = ["year", "event__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "term"], name="one_network_day_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.get_term_display()} {self.year}"

    @property
    def members_open_at(self) -> datetime | None:
        """When members may book: the network's early window before the public's opening."""
        opens = self.event.booking_opens_at
        if opens is None:
            return None
        return opens - timedelta(days=self.network.early_booking_days)

    @property
    def is_upcoming(self) -> bool:
        return self.event.starts_at > timezone.now()

    @property
    def is_members_only(self) -> bool:
        """Members only: the public's opening is the start of the day, so it never comes."""
        return self.event.booking_opens_at == self.event.starts_at


class DaySession(BaseModel):
    """A part of a network day's programme, with who presents it (members often do)."""

    day = models.ForeignKey(NetworkDay, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    title = models.CharField(max_length=200)
    presenters = models.CharField(max_length=200, help_text="Who leads it, as it should be shown.")
    presenter_member = models.ForeignKey(
        NetworkMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions_led",
        help_text="When a member leads it: members present to each other.",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="day_session_ends_after_it_starts",
                violation_error_message="A session must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the hub"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class SupplyClaim(BaseModel):
    """A school's claim towards the supply cover of one member for one day they attended."""

    day = models.ForeignKey(NetworkDay, on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="claims")
    school = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="supply_claims"
    )
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    status = models.CharField(max_length=10, choices=ClaimStatus, default=ClaimStatus.PENDING)
    reason = models.CharField("Reason", max_length=500, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Never twice: one claim per member per day, whatever became of it.
            models.UniqueConstraint(fields=["day", "member"], name="one_claim_per_member_per_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REJECTED) | ~Q(reason=""),
                name="rejected_claim_has_reason",
                violation_error_message="Say why the claim is rejected.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.member} at {self.day}"


class Resource(BaseModel):
    """A file or a link shared in the network's space."""

    network = models.ForeignKey(
        "provision.Network", on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=500)
    tags = models.CharField(max_length=200, blank=True, help_text="Separated by commas.")
    file = models.FileField(upload_to="cpd/resources/%Y/%m/", blank=True, max_length=300)
    link = models.URLField(blank=True, max_length=500)
    added_by = models.ForeignKey(
        NetworkMember, null=True, on_delete=models.SET_NULL, related_name="resources"
    )
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""), name="resource_has_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class Thread(BaseModel):
    """A discussion in the network's space; ``last_post_at`` orders the list."""

    network = models.ForeignKey(
        "provision.Network", on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000)
    author = models.ForeignKey(
        NetworkMember, null=True, on_delete=models.SET_NULL, related_name="threads"
    )
    pinned = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    last_post_at = models.DateTimeField()

    class Meta:
        ordering = ["-pinned", "-last_post_at"]

    def __str__(self) -> str:
        return self.title


class Reply(BaseModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(max_length=10_000)
    author = models.ForeignKey(
        NetworkMember, null=True, on_delete=models.SET_NULL, related_name="replies"
    )
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return f"Reply to {self.thread}"


class VisitStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    REQUESTED = "requested", "Asked for"
    ACCEPTED = "accepted", "Agreed"
    DECLINED = "declined", "Declined"


class PeerVisit(BaseModel):
    """A member visiting another's school to observe teaching.

    A host offers a visit (no visitor yet) or a visitor asks a host; the host accepts and the
    date is agreed; afterwards each records a short reflection.
    """

    network = models.ForeignKey(
        "provision.Network", on_delete=models.CASCADE, related_name="peer_visits"
    )
    host = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="visits_hosted")
    visitor = models.ForeignKey(
        NetworkMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits_made",
    )
    focus = models.CharField("What the visit is to see", max_length=300)
    status = models.CharField(max_length=10, choices=VisitStatus)
    date = models.DateField(null=True, blank=True)
    hours = models.DecimalField(max_digits=4, decimal_places=1, default=2)
    host_reflection = models.TextField(max_length=2000, blank=True)
    visitor_reflection = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.ACCEPTED) | Q(date__isnull=False),
                name="agreed_visit_has_date",
            ),
            models.CheckConstraint(
                condition=Q(visitor__isnull=True) | ~Q(visitor=models.F("host")),
                name="visit_host_is_not_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit to {self.host}"


class QuestionKind(models.TextChoices):
    ONE = "one", "Choose one"
    SEVERAL = "several", "Choose several"
    SCALE = "scale", "Scale of 1 to 5"
    TEXT = "text", "Short text"


class Survey(BaseModel):
    """A needs survey the network sends its members and the hub's schools."""

    network = models.ForeignKey(
        "provision.Network", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    intro = models.CharField(max_length=500, blank=True)
    is_open = models.BooleanField("Open for answers", default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Question(BaseModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=QuestionKind)
    text = models.CharField(max_length=300)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(BaseModel):
    """One person's answers: ``answers`` maps a question's id to a choice, choices, 1-5 or text."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(
        NetworkMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Answer to {self.survey}"
