"""Who may manage which event: shared by the staff pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tutti.clusters.models import Cluster
from tutti.directory.models import Organisation
from tutti.events.models import Event


def can_edit_event(
    request: HttpRequest, *, cluster: Cluster | None, organiser: Organisation | None
):
    membership = request.membership
    if membership.has_capability("can_manage_events"):
        return True
    if cluster is not None and cluster.coordinator_id == request.user.pk:
        return True
    return (
        organiser is not None
        and bool(membership.pk)
        and membership.organisations.filter(pk=organiser.pk).exists()
    )


def event_for_edit(request: HttpRequest, pk: int) -> Event:
    """Another hub's event is 404; coordinators and partner staff may manage only the events of
    their own clusters and organisations (else 403)."""
    event = (
        Event.objects.select_related("hub", "category", "cluster", "venue", "organiser")
        .filter(hub=request.hub, pk=pk)
        .first()
    )
    if event is None:
        raise Http404("No such event in this hub.")
    if not can_edit_event(request, cluster=event.cluster, organiser=event.organiser):
        raise PermissionDenied(
            "You can manage only the events of clusters you coordinate or organisations you "
            "work for."
        )
    return event
