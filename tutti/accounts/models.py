from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Cast, Upper

from tutti.core.models import BaseModel
from tutti.directory.models import Organisation


class TuttiUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # People sign in with their email address, in whatever case they type it.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. Email is the sign-in name; the username is kept for Django admin."""

    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects: ClassVar[TuttiUserManager] = TuttiUserManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        # Sign-in and a person's bookings find an account by email in whatever case.
        indexes = [models.Index(Upper(Cast("email", models.TextField())), name="user_email_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    HUB_ADMIN = "hub_admin", "Hub admin"
    HUB_STAFF = "hub_staff", "Hub staff"
    COORDINATOR = "coordinator", "Cluster coordinator"
    PARTNER_STAFF = "partner_staff", "Partner staff"
    # A teacher who leads music at one school (named in the membership's organisations).
    SCHOOL_MUSIC_LEAD = "school_music_lead", "School music lead"


# Roles that act for named organisations: partner staff for their partners, a school music
# lead for their one school.
ROLES_WITH_ORGANISATIONS = frozenset({Role.PARTNER_STAFF, Role.SCHOOL_MUSIC_LEAD})


# Named capabilities, and the roles that hold them. Views declare the capability they need;
# object-level limits (a coordinator's own clusters, a partner's own organisation) are
# applied by the access helpers in each app.
CAPABILITIES: dict[str, frozenset[str]] = {
    "can_view_manage": frozenset(Role.values),
    "can_manage_directory": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_import_schools": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_manage_clusters": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_edit_cluster": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.COORDINATOR}),
    "can_edit_organisation": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.PARTNER_STAFF}),
    "can_manage_members": frozenset({Role.HUB_ADMIN}),
    "can_change_hub_settings": frozenset({Role.HUB_ADMIN}),
    # Find, download and erase what the hub holds about a person; read the audit log.
    "can_manage_privacy": frozenset({Role.HUB_ADMIN}),
    # Every event of the hub; the roles below run only their own cluster's or organisation's.
    "can_manage_events": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_edit_event": frozenset(Role.values) - {Role.SCHOOL_MUSIC_LEAD},
    # Send schools their audit links and follow up; the gap map itself is public.
    "can_manage_provision": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    # Run competitions: entries, adjudicators, scores, shortlist and results.
    "can_manage_competitions": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    # Every partner's participation records, the figures' record lists and the data return;
    # partner staff enter records only for their own organisations.
    "can_manage_participation": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_enter_participation": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.PARTNER_STAFF}),
    # Every figure of every year on the impact page, published or not; everyone else sees
    # only what the hub has published.
    "can_view_draft_impact": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.PARTNER_STAFF}),
    # Secondary transition: hub staff see every school; coordinators their clusters' schools;
    # a school music lead only their own school (tutti/transition/access.py).
    "can_view_transition": frozenset(
        {Role.HUB_ADMIN, Role.HUB_STAFF, Role.COORDINATOR, Role.SCHOOL_MUSIC_LEAD}
    ),
    "can_manage_transition": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    # The instrument library: requests, loans, fees and charges; partner staff keep the
    # instruments their own organisations own.
    "can_manage_loans": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF}),
    "can_keep_instruments": frozenset({Role.HUB_ADMIN, Role.HUB_STAFF, Role.PARTNER_STAFF}),
}


class Membership(BaseModel):
    """A person's role in one hub. A person can belong to several hubs."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role)
    # For partner staff: the organisations they act for.
    organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="staff_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "user"], name="one_membership_per_hub"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.hub}"

    def has_capability(self, capability: str) -> bool:
        if capability not in CAPABILITIES:
            raise KeyError(f"Unknown capability {capability!r}")
        return self.role in CAPABILITIES[capability]

    # A superuser with no role in a hub acts through an unsaved stand-in membership
    # (tutti.tenancy.pages.membership_for). It has no row, so it acts for no organisation;
    # these methods say so instead of every caller checking for a primary key.
    @property
    def is_stand_in(self) -> bool:
        return self.pk is None

    def own_organisations(self) -> "models.QuerySet[Organisation]":
        """The organisations this person acts for in the hub (none for a stand-in)."""
        if self.is_stand_in:
            return Organisation.objects.none()
        return self.organisations.all()

    def organisation_ids(self) -> list[int]:
        return list(self.own_organisations().values_list("pk", flat=True))

    def acts_for(self, organisation_id: int) -> bool:
        return self.own_organisations().filter(pk=organisation_id).exists()


INVITATION_DAYS = 14


class InvitationStatus(models.TextChoices):
    # An invitation past its expires_at is still PENDING here; selectors treat it as expired.
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Invitation(models.Model):
    """An offer of a role in a hub, sent by email with a link that sets a password and accepts.

    Only a hash of the link's token is kept, so a copy of the database cannot accept it.
    """

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role)
    # For partner staff: the organisations they will act for.
    organisations = models.ManyToManyField("directory.Organisation", blank=True, related_name="+")
    # For a coordinator appointed on a cluster's page: the cluster they will coordinate.
    cluster = models.ForeignKey(
        "clusters.Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=InvitationStatus, default=InvitationStatus.PENDING
    )
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_hub_and_email",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()}, {self.hub}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
