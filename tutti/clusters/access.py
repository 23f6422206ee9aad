"""Who may change which cluster: shared by the staff pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tutti.clusters.models import Cluster


def cluster_for_edit(request: HttpRequest, pk: int) -> Cluster:
    """Another hub's cluster is 404; a coordinator may edit only their own clusters (else 403)."""
    cluster = get_object_or_404(Cluster.objects.select_related("hub"), hub=request.hub, pk=pk)
    membership = request.membership
    if not membership.has_capability("can_manage_clusters") and (
        cluster.coordinator_id != request.user.pk
    ):
        raise PermissionDenied("You can change only the clusters you coordinate.")
    return cluster
