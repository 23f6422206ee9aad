from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse

from tutti.core.models import BaseModel

if TYPE_CHECKING:
    from tutti.directory.models import Organisation


class Cluster(BaseModel):
    """A local musical cluster: a mini-hub of schools, tutors, venues and societies."""

    hub = models.ForeignKey("directory.Hub", on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160)
    area = models.CharField(
        max_length=200, blank=True, help_text="The towns and villages it covers."
    )
    description = models.TextField(blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_clusters",
        help_text="Leave empty while the post is vacant.",
    )
    contact_email = models.EmailField(blank=True)
    members: "models.ManyToManyField[Organisation, ClusterMember]" = models.ManyToManyField(
        "directory.Organisation", through="ClusterMember", related_name="clusters"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "slug"], name="cluster_slug_unique_in_hub"),
            models.UniqueConstraint(fields=["hub", "name"], name="cluster_name_unique_in_hub"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "clusters:detail", kwargs={"hub_slug": self.hub.slug, "cluster_slug": self.slug}
        )

    @property
    def is_vacant(self) -> bool:
        return self.coordinator_id is None

    @property
    def coordinator_display(self) -> str:
        coordinator = self.coordinator
        if coordinator is None:
            return "Vacant (TBC)"
        # Never fall back to the email address: this is shown on public pages.
        return coordinator.get_full_name() or "Appointed (name to follow)"


class ClusterMember(BaseModel):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="cluster_memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation"], name="organisation_once_per_cluster"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cluster}"
