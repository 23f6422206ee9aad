from django import template

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub
from tutti.events import selectors
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


@register.inclusion_tag("events/includes/hub_events.html")
def hub_upcoming_events(hub: Hub) -> dict:
    """The hub's next events, for its home page."""
    return {"events": selectors.hub_upcoming_events(hub=hub), "hub": hub}


@register.filter
def hours(value: float) -> str:
    """7 → "7 hours", 1.5 → "1.5 hours", 0.75 → "0.75 hours", 1 → "1 hour"."""
    number = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{number} hour" if number == "1" else f"{number} hours"
