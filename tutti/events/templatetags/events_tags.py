from django import template

from tutti.clusters.models import Cluster
from tutti.events.selectors import cluster_upcoming_events

register = template.Library()


@register.inclusion_tag("events/includes/cluster_events.html")
def cluster_events(cluster: Cluster, hub_slug: str) -> dict:
    """A cluster's upcoming meetings, for its public page."""
    return {
        "events": cluster_upcoming_events(cluster=cluster),
        "cluster": cluster,
        "hub_slug": hub_slug,
    }
