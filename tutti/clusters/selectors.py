"""Reads of clusters, always within one hub."""

from collections import defaultdict

from django.db.models import Count, QuerySet
from django.urls import reverse

from tutti.clusters.models import Cluster
from tutti.core.maps import (
    MapPoint,
    MapShape,
    SvgMap,
    authority_outline,
    build_map,
    convex_hull,
)
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations


def cluster_list(*, hub: Hub) -> QuerySet[Cluster]:
    return (
        Cluster.objects.filter(hub=hub)
        .select_related("coordinator")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )


def cluster_get(*, hub: Hub, slug: str) -> Cluster | None:
    return Cluster.objects.filter(hub=hub, slug=slug).select_related("coordinator", "hub").first()


def cluster_members(*, cluster: Cluster) -> list[Organisation]:
    return list(cluster.members.select_related("local_authority").order_by("kind", "name"))


def members_by_kind(members: list[Organisation]) -> list[tuple[str, list[Organisation]]]:
    """Members grouped under their kind's label, in the order kinds are declared."""
    groups: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in members:
        groups[organisation.kind].append(organisation)
    return [
        (label, groups[value]) for value, label in OrganisationKind.choices if groups.get(value)
    ]


def cluster_map(*, hub: Hub, cluster: Cluster, members: list[Organisation]) -> SvgMap:
    """The hub's area with its other schools faint, the cluster's outline and its members."""
    shapes = [
        MapShape(label=la.name, rings=authority_outline(la.gss_code), group="map-area")
        for la in hub.local_authorities.all()
        if la.gss_code
    ]
    located = [
        (o, o.latitude, o.longitude)
        for o in members
        if o.latitude is not None and o.longitude is not None
    ]
    hull = convex_hull((lon, lat) for _, lat, lon in located)
    if len(hull) > 3:
        shapes.append(MapShape(label=f"Area of {cluster.name}", rings=[hull], group="map-cluster"))
    member_ids = {o.pk for o in members}
    context = [
        MapPoint(lat=lat, lon=lon, label="", group="context")
        for pk, lat, lon in hub_organisations(hub=hub)
        .filter(is_open=True, latitude__isnull=False, longitude__isnull=False)
        .values_list("pk", "latitude", "longitude")
        if pk not in member_ids and lat is not None and lon is not None
    ]
    points = [
        MapPoint(
            lat=lat,
            lon=lon,
            label=o.name,
            group=o.kind,
            url=reverse("directory:organisation", kwargs={"hub_slug": hub.slug, "pk": o.pk}),
        )
        for o, lat, lon in located
    ]
    return build_map(points=context + points, shapes=shapes, fit_to_points=not shapes)


def cluster_candidates(*, cluster: Cluster, q: str, limit: int = 20) -> list[Organisation]:
    """Organisations in the hub's directory, not yet in the cluster, whose name matches."""
    q = q.strip()
    if len(q) < 2:
        return []
    orgs = hub_organisations(hub=cluster.hub).filter(is_open=True)
    for word in q.split():
        orgs = orgs.filter(name__icontains=word)
    return list(
        orgs.exclude(cluster_memberships__cluster=cluster)
        .select_related("local_authority")
        .order_by("name")[:limit]
    )
