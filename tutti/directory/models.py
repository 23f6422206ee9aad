from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from tutti.core.models import BaseModel


class LocalAuthority(models.Model):
    """An English local authority, keyed by the DfE three-digit code used in the register."""

    code = models.CharField(max_length=3, unique=True, help_text="DfE code, e.g. 865")
    name = models.CharField(max_length=120)
    gss_code = models.CharField("ONS code", max_length=9, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Hub(BaseModel):
    """A Music Education Hub: the tenant. Everything else belongs to, or is seen through, a hub."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    description = models.TextField(blank=True)
    local_authorities = models.ManyToManyField(LocalAuthority, related_name="hubs", blank=True)
    logo = models.ImageField(upload_to="hub-logos/", blank=True)
    # Two-factor sign-in for the roles that see personal data (hub admin, hub staff).
    require_two_factor = models.BooleanField(
        "require two-factor sign-in for hub admins and hub staff", default=False
    )
    # Empty means Tutti's default notice (privacy app), filled in with the hub's details.
    privacy_notice = models.TextField(blank=True)
    # Retention periods (the privacy section of the README explains each default).
    retention_booking_months = models.PositiveSmallIntegerField(
        "anonymise bookings this many months after the event ends",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    retention_audit_months = models.PositiveSmallIntegerField(
        "keep audit log entries for this many months",
        default=72,
        validators=[MinValueValidator(12), MaxValueValidator(240)],
    )
    retention_invitation_days = models.PositiveSmallIntegerField(
        "delete expired or withdrawn invitations after this many days",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:hub-home", kwargs={"hub_slug": self.slug})


class Expertise(models.Model):
    """An area of expertise a partner offers: SEND, music technology, a genre…"""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "areas of expertise"

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    MUSIC_SERVICE = "music_service", "Music service"
    TUTOR = "tutor", "Tutor"
    VENUE = "venue", "Venue"
    ENSEMBLE = "ensemble", "Ensemble or society"
    CHARITY = "charity", "Charity"
    BRIDGE = "bridge", "Bridge organisation"
    OTHER = "other", "Other"


class Organisation(BaseModel):
    """Any partner: a school from the register, a music service, a tutor, a venue…"""

    kind = models.CharField(max_length=20, choices=OrganisationKind)
    name = models.CharField(max_length=200, db_index=True)
    address = models.CharField(max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(49), MaxValueValidator(61)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-9), MaxValueValidator(3)]
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    description = models.TextField(blank=True)
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="organisations")
    listed_publicly = models.BooleanField(
        default=True, help_text="Show this organisation in the public directory."
    )

    # From the official school register (GIAS); empty for other kinds.
    urn = models.PositiveIntegerField("URN", null=True, blank=True, unique=True)
    phase = models.CharField(max_length=60, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    is_open = models.BooleanField(default=True)
    closed_on = models.DateField(null=True, blank=True)
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    # The school census the number comes from, e.g. "January 2023"; empty when not known.
    pupils_census = models.CharField("census of the number of pupils", max_length=20, blank=True)
    # Set when the number is the count of the school this one replaced (usually a maintained
    # school that became an academy after the census), which stands in for its own.
    pupils_predecessor_urn = models.PositiveIntegerField(
        "number of pupils from the school it replaced (URN)", null=True, blank=True
    )
    percent_fsm = models.DecimalField(
        "% free school meals",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    register_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "local_authority"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urn__isnull=True) | models.Q(kind="school"),
                name="only_schools_have_urn",
            ),
            models.CheckConstraint(
                condition=models.Q(percent_fsm__isnull=True)
                | models.Q(percent_fsm__gte=0, percent_fsm__lte=100),
                name="percent_fsm_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.SCHOOL

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def address_line(self) -> str:
        """ "Ashley Road, Bradford on Avon BA15 1DZ", with no stray comma for a missing part."""
        place = " ".join(part for part in (self.town, self.postcode) if part)
        return ", ".join(part for part in (self.address, place) if part)


class PartnerCommitments(BaseModel):
    """A version of what a hub's partners commit to. Acceptances point at the version accepted."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="commitments")
    version = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["hub", "-version"]
        verbose_name_plural = "partner commitments"
        constraints = [
            models.UniqueConstraint(fields=["hub", "version"], name="one_commitments_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.hub} partner commitments v{self.version}"


class PartnershipStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Partnership(BaseModel):
    """An organisation's partnership with a hub."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships"
    )
    since = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=PartnershipStatus, default=PartnershipStatus.ACTIVE
    )
    commitments_accepted = models.ForeignKey(
        PartnerCommitments,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
        help_text="The version of the partner commitments this partner accepted.",
    )
    commitments_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "organisation"], name="one_partnership_per_hub")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.hub}"
