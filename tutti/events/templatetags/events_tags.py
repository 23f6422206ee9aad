from django import template
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub
from tutti.events import selectors
from tutti.events.models import Event
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


@register.simple_tag
def event_meta(e: Event) -> SafeString:
    """One line about an event in a list: when, where, price and places (What's On, the hub's
    home page, a person's bookings). Written in Python rather than as an included template: in
    a list of 20 events the template was a fifth of What's On's server time."""
    starts = timezone.localtime(e.starts_at)
    parts: list[tuple[str, ...]] = []
    session_count = getattr(e, "session_count", 1)
    if session_count > 1:
        parts.append((f"{session_count} sessions",))
    parts.append((e.category.name,))
    if e.venue:
        parts.append((f"{e.venue.name}, {e.venue.town}" if e.venue.town else e.venue.name,))
    elif e.venue_name:
        parts.append((e.venue_name,))
    if e.is_online:
        parts.append(("Online",))
    parts.append(("Free" if e.is_free else f"£{formats.localize(e.price)}",))
    return format_html(
        '<p class="meta"><time datetime="{}">{}</time>{}</p>',
        starts.isoformat(),
        dateformat.format(starts, "l j F Y, H:i"),
        format_html_join("", " · {}", parts),
    )
