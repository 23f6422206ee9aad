import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast, Lower, Upper
from django.urls import reverse

from tutti.core.models import BaseModel

# The categories every hub starts with, in the order the What's On filter lists them.
DEFAULT_CATEGORIES = [
    "Training and Development for Schools and Providers",
    "Cluster meetings",
    "Concerts and performances",
    "Festivals",
    "Conferences",
    "Competitions",
    "Workshops and courses",
    "Holiday courses",
]


class EventCategory(BaseModel):
    """A hub's own heading for its What's On, e.g. "Cluster meetings"."""

    hub = models.ForeignKey(
        "directory.Hub", on_delete=models.CASCADE, related_name="event_categories"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=110)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "event categories"
        constraints = [
            models.UniqueConstraint(fields=["hub", "slug"], name="event_category_slug_unique"),
            models.UniqueConstraint(fields=["hub", "name"], name="event_category_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    SCHOOLS = "schools", "Schools"
    PROVIDERS = "providers", "Providers and tutors"
    YOUNG_PEOPLE = "young_people", "Young people"
    FAMILIES = "families", "Families"


# Each audience is a boolean column, so a filter is a plain indexed WHERE on any database.
AUDIENCE_FIELDS = {
    Audience.SCHOOLS: "for_schools",
    Audience.PROVIDERS: "for_providers",
    Audience.YOUNG_PEOPLE: "for_young_people",
    Audience.FAMILIES: "for_families",
}


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class Event(BaseModel):
    """Something on the hub's What's On: a meeting, a CPD day, a concert, a series of sessions.

    ``starts_at`` and ``ends_at`` are the start of the first session and the end of the last,
    kept by the services so that lists and filters read one table.
    """

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences, shown in the What's On list."
    )
    description = models.TextField(blank=True)
    category = models.ForeignKey(EventCategory, on_delete=models.PROTECT, related_name="events")
    for_schools = models.BooleanField("for schools", default=False)
    for_providers = models.BooleanField("for providers and tutors", default=False)
    for_young_people = models.BooleanField("for young people", default=False)
    for_families = models.BooleanField("for families", default=False)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    venue = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_hosted",
    )
    venue_name = models.CharField(
        "venue name",
        max_length=200,
        blank=True,
        help_text="A place that is not in the directory, such as a cathedral or a hall.",
    )
    venue_address = models.CharField(
        "venue address", max_length=300, blank=True, help_text="Street, town and postcode."
    )
    is_online = models.BooleanField("online", default=False)
    online_link = models.URLField(
        blank=True, help_text="Sent to people with a place; never shown on the public page."
    )
    organiser = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_organised",
        help_text="The partner organisation running it; empty when the hub runs it.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places available. Leave empty for no limit."
    )
    price = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0.00"), help_text="0 for a free event."
    )
    payment_instructions = models.TextField(
        "how to pay",
        blank=True,
        help_text="For a paid event: how and when to pay. Shown on the event's page and in the "
        "confirmation email.",
    )
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=EventStatus, default=EventStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["hub", "status", "ends_at"], name="event_hub_status_ends"),
            models.Index(fields=["hub", "status", "starts_at"], name="event_hub_status_starts"),
            # The What's On filtered by category or cluster, each of which belongs to one hub.
            models.Index(
                fields=["category", "status", "ends_at"], name="event_category_status_ends"
            ),
            models.Index(fields=["cluster", "status", "ends_at"], name="event_cluster_status_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message="The event must end after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message="Places must be at least 1; leave it empty for no limit.",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="event_price_not_negative",
                violation_error_message="The price cannot be less than 0.",
            ),
            models.CheckConstraint(
                condition=models.Q(booking_opens_at__isnull=True)
                | models.Q(booking_closes_at__isnull=True)
                | models.Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="event_booking_closes_after_it_opens",
                violation_error_message="Booking must close after it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The one way to the event's public page: the pages, the API, calendars, JSON-LD and
        emails all take it, made full by ``tutti.core.urls.absolute_url``."""
        return reverse("events:detail", kwargs={"hub_slug": self.hub.slug, "pk": self.pk})

    @property
    def has_venue(self) -> bool:
        return self.venue_id is not None or bool(self.venue_name)

    @property
    def venue_text(self) -> str:
        """The venue in one line: the directory entry's address, or the typed name and address."""
        venue = self.venue
        if venue is not None:
            parts = [venue.name, venue.address, venue.town, venue.postcode]
        else:
            parts = [self.venue_name, self.venue_address]
        return ", ".join(p for p in parts if p)

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def audiences(self) -> list[str]:
        return [str(a.label) for a, name in AUDIENCE_FIELDS.items() if getattr(self, name)]

    @property
    def audience_values(self) -> list[str]:
        return [str(a.value) for a, name in AUDIENCE_FIELDS.items() if getattr(self, name)]


class EventSession(BaseModel):
    """One meeting of an event. A one-off event has one; a series (a CPD network) has several."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message="Each session must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event} session"

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


# Enough for a family or a class's few helpers; a school bringing a whole class talks to the hub.
MAX_PLACES_PER_BOOKING = 6


def new_booking_reference() -> str:
    return secrets.token_urlsafe(12)


class Booking(BaseModel):
    """Places on an event (all of its sessions) for one person and those they bring, or a place
    in its waiting list.

    ``created_at`` orders the waiting list: first come, first served.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_bookings",
        help_text="The person coming, when they have an account and booked themselves.",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the booking, when signed in: a colleague may book for someone.",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(
        default=1, help_text="How many places this booking holds (the person and who they bring)."
    )
    status = models.CharField(max_length=10, choices=BookingStatus)
    # Unguessable and never reused: the cancel link carries it, signed.
    reference = models.CharField(max_length=32, unique=True, default=new_booking_reference)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="booking_queue"),
            # A person's bookings, found by email in whatever case (``email__iexact``).
            models.Index(Upper(Cast("email", models.TextField())), name="booking_email_ci"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1) & models.Q(places__lte=MAX_PLACES_PER_BOOKING),
                name="booking_places_in_range",
                violation_error_message=(
                    f"A booking holds from 1 to {MAX_PLACES_PER_BOOKING} places."
                ),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=~models.Q(status="cancelled"),
                name="one_live_booking_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False) & ~models.Q(status="cancelled"),
                name="one_live_booking_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.event} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status != BookingStatus.CANCELLED


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"


class Attendance(BaseModel):
    """Whether a booked person came to one session."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(EventSession, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=AttendanceStatus)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "session"], name="one_attendance_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="attendance_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking.name}: {self.get_status_display()} at {self.session}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(BaseModel):
    """A person's secret address for their own bookings as a calendar, so that a calendar app
    can subscribe without signing in. Resetting it gives a new token; the old address stops."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    def __str__(self) -> str:
        return f"Calendar of {self.user}'s bookings"
