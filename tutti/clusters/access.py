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


def check_may_appoint(request: HttpRequest, cluster: Cluster, email: str) -> None:
    """Hub staff may appoint someone already in the team; only a hub admin may invite someone
    new, as that gives them a role in the hub."""
    from tutti.accounts.access import can_grant_roles
    from tutti.accounts.models import Membership

    if can_grant_roles(request):
        return
    if not Membership.objects.filter(hub=cluster.hub, user__email__iexact=email.strip()).exists():
        raise PermissionDenied(
            f"{email} has no role in this hub yet, and only a hub admin can give someone a role. "
            "Ask a hub admin to appoint them, or choose someone already in the team."
        )
