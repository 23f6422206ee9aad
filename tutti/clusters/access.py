"""Who may change which cluster: shared by the staff pages and the API."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tutti.accounts.access import can_grant_roles
from tutti.accounts.models import Membership
from tutti.clusters.models import Cluster
from tutti.tenancy.request import MemberRequest


def may_edit_cluster(request: MemberRequest, cluster: Cluster) -> bool:
    """Hub staff may change any cluster of the hub; a coordinator only those they coordinate."""
    return (
        request.membership.has_capability("can_manage_clusters")
        or cluster.coordinator_id == request.user.pk
    )


def clusters_to_edit(request: MemberRequest, clusters: QuerySet[Cluster]) -> QuerySet[Cluster]:
    """Of the hub's ``clusters``, those this person may change (``may_edit_cluster``)."""
    if request.membership.has_capability("can_manage_clusters"):
        return clusters
    return clusters.filter(coordinator=request.user)


def cluster_for_edit(request: MemberRequest, pk: int) -> Cluster:
    """Another hub's cluster is 404; a coordinator may edit only their own clusters (else 403)."""
    cluster = get_object_or_404(Cluster.objects.select_related("hub"), hub=request.hub, pk=pk)
    if not may_edit_cluster(request, cluster):
        raise PermissionDenied("You can change only the clusters you coordinate.")
    return cluster


def check_may_appoint(request: MemberRequest, cluster: Cluster, email: str) -> None:
    """Hub staff may appoint someone already in the team; only a hub admin may invite someone
    new, as that gives them a role in the hub."""
    if can_grant_roles(request):
        return
    if not Membership.objects.filter(hub=cluster.hub, user__email__iexact=email.strip()).exists():
        raise PermissionDenied(
            f"{email} has no role in this hub yet, and only a hub admin can give someone a role. "
            "Ask a hub admin to appoint them, or choose someone already in the team."
        )
