"""Newsletters: a hub's lists, who agreed to hear from it, the issues it sends and to whom.

Consent is kept as a record of each step (asked, confirmed, added by staff, left), with the
words the person was shown; a subscription is only active once confirmed. A delivery is one
row per issue and address, unique, so a send that is interrupted and run again reaches
nobody twice.
"""

from django.conf import settings
from django.db import models

from tutti.core.models import BaseModel


class ListKind(models.TextChoices):
    HUB = "hub", "Hub newsletter"
    CLUSTER = "cluster", "Cluster list"
    NETWORK = "network", "Network list"
    AUDIENCE = "audience", "Audience list"


class ListAudience(models.TextChoices):
    SCHOOL_MUSIC_LEADS = "school_music_leads", "Schools' music leads"
    PROVIDERS = "providers", "Providers and tutors"
    FAMILIES = "families", "Families"


class NewsletterList(BaseModel):
    """A list a hub sends issues to. Public lists can be joined by anyone from the sign-up
    form; cluster and network lists are usually filled by staff and coordinators."""

    hub = models.ForeignKey(
        "directory.Hub", on_delete=models.CASCADE, related_name="newsletter_lists"
    )
    kind = models.CharField(max_length=20, choices=ListKind, default=ListKind.HUB)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160)
    description = models.CharField(
        max_length=300, help_text="Shown on the sign-up form: what people will get, how often."
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_lists",
    )
    network = models.ForeignKey(
        "provision.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_lists",
    )
    audience = models.CharField(max_length=30, choices=ListAudience, blank=True)
    is_public = models.BooleanField(
        "open to sign-up",
        default=True,
        help_text="Anyone can join it from the sign-up form, and its issues are archived publicly.",
    )
    in_footer = models.BooleanField(
        "joined from the footer form",
        default=False,
        help_text="The short form at the foot of every page of the hub signs people up to this.",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "slug"], name="newsletter_list_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(kind="cluster", cluster__isnull=False)
                | ~models.Q(kind="cluster"),
                name="newsletter_cluster_list_has_cluster",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="network", network__isnull=False)
                | ~models.Q(kind="network"),
                name="newsletter_network_list_has_network",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscriber(BaseModel):
    """An email address that a hub may write to (on some list). The least we need: the address
    and, if they gave one, a name. ``suppressed_at`` is set by a hard bounce or a complaint;
    nothing is sent to a suppressed address until it confirms a sign-up afresh."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=30, blank=True)
    last_confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "email"], name="subscriber_email_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Left"


class Subscription(BaseModel):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=20, choices=SubscriptionStatus, default=SubscriptionStatus.PENDING
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The issue whose unsubscribe link or header they used, for the issue's figures.
    unsubscribed_from = models.ForeignKey(
        "Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter_list"], name="one_subscription_per_list"
            ),
        ]
        indexes = [models.Index(fields=["newsletter_list", "status"])]


class ConsentAction(models.TextChoices):
    REQUESTED = "requested", "Asked to join"
    CONFIRMED = "confirmed", "Confirmed by email"
    ADDED_BY_STAFF = "added_by_staff", "Added by staff"
    CHANGED = "changed", "Changed their lists"
    WITHDRAWN = "withdrawn", "Left"


class ConsentRecord(models.Model):
    """One step of someone's consent to a list: what they agreed to, when, from which form, and
    the words they were shown. Never edited; erased with the subscriber."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consent_records"
    )
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.CASCADE, related_name="consent_records"
    )
    action = models.CharField(max_length=20, choices=ConsentAction)
    source = models.CharField(max_length=60, help_text="The form or page it came from.")
    wording = models.TextField(help_text="The words shown to the person, or the staff member.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.newsletter_list_id}"


class Confirmation(models.Model):
    """A sign-up waiting for its email link: the link carries this row's id, signed."""

    created_at = models.DateTimeField(auto_now_add=True)
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="confirmations"
    )
    lists = models.ManyToManyField(NewsletterList, related_name="+")
    source = models.CharField(max_length=60)
    wording = models.TextField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Confirmation {self.pk}"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Issue(BaseModel):
    """One newsletter issue, written in Markdown. When it is sent, the HTML and text actually
    sent (with the digest as it was then) are kept, for the archive and for a resumed send."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="issues"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(
        blank=True,
        help_text="Markdown: # for a heading, **bold**, [text](https://link), and images.",
    )
    status = models.CharField(max_length=20, choices=IssueStatus, default=IssueStatus.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The What's On digest: a saved filter, applied when the issue is sent.
    include_digest = models.BooleanField("include a What's On digest", default=False)
    digest_category = models.ForeignKey(
        "events.EventCategory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="category",
    )
    digest_cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cluster",
    )
    digest_audience = models.CharField("audience", max_length=20, blank=True)
    digest_days = models.PositiveSmallIntegerField(
        "days ahead", default=30, help_text="Events starting within this many days of sending."
    )
    sent_html = models.TextField(blank=True)
    sent_text = models.TextField(blank=True)
    recipients_ready = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_days__gte=1, digest_days__lte=365),
                name="issue_digest_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class IssueImage(BaseModel):
    """An image uploaded for an issue, kept through Django's storage API."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="+")
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(upload_to="newsletters/%Y/%m/")
    alt = models.CharField(max_length=200)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Claimed by a worker: if it stops here, the message may or may not have gone, so it is
    # never sent again (at most once).
    SENDING = "sending", "Being sent"
    SENT = "sent", "Handed to the mail server"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Refused by the mail server"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"
    SKIPPED = "skipped", "Not sent: address suppressed or left"


class Delivery(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=20, choices=DeliveryStatus, default=DeliveryStatus.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Which run claimed it, so that two workers on one issue never take the same rows.
    claim = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="one_delivery_per_address"),
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self) -> str:
        return f"{self.email}: {self.status}"
