"""Who may manage which event: shared by the staff pages and the API.

An event's owners are its cluster and its organiser, and whoever runs either may manage it and
download its attendee list. So both fields follow one rule each, here, for the form and the
API alike: someone who is not hub staff may name only a cluster they coordinate and an
organisation they work for, or keep the value the event already has.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.events import selectors
from tutti.events.models import Event
from tutti.tenancy.request import MemberRequest

NOT_YOURS = (
    "You can manage only the events of clusters you coordinate or organisations you work for."
)
OWNER_FIELDS = {
    "cluster": "Choose a cluster you coordinate, or none: you cannot give an event to "
    "another coordinator's cluster.",
    "organiser": "Choose an organisation you work for, or the hub: you cannot give an event to "
    "another partner.",
}


def manages_every_event(request: MemberRequest) -> bool:
    """Hub staff, who manage all of the hub's events; everyone else who may edit events manages
    only their own clusters' and organisations'."""
    return request.membership.has_capability("can_manage_events")


def can_edit_event(
    request: MemberRequest, *, cluster: Cluster | None, organiser: Organisation | None
) -> bool:
    if manages_every_event(request):
        return True
    if cluster is not None and cluster.coordinator_id == request.user.pk:
        return True
    return organiser is not None and request.membership.acts_for(organiser.pk)


def hub_partners(hub: Hub) -> QuerySet[Organisation]:
    """The organisations that may run a hub's events: its directory's, but not schools."""
    return hub_organisations(hub=hub).exclude(kind=OrganisationKind.SCHOOL)


def event_venue_choices(hub: Hub) -> QuerySet[Organisation]:
    """The places an event may be held: the hub's directory, but not a closed organisation."""
    return hub_organisations(hub=hub).filter(is_open=True)


def event_cluster_choices(request: MemberRequest, event: Event | None = None) -> QuerySet[Cluster]:
    """The clusters this person may give an event: hub staff any of the hub's; others those
    they coordinate, and the one the event already has."""
    hub = request.hub
    clusters = Cluster.objects.filter(hub=hub).order_by("name")
    if manages_every_event(request):
        return clusters
    current = [event.cluster_id] if event is not None and event.cluster_id else []
    return clusters.filter(coordinator=request.user) | clusters.filter(pk__in=current)


def event_organiser_choices(
    request: MemberRequest, event: Event | None = None
) -> QuerySet[Organisation]:
    """The partners this person may name as an event's organiser: hub staff any of the hub's
    (not schools); others those they work for, and the one the event already has."""
    partners = hub_partners(request.hub).order_by("name")
    if manages_every_event(request):
        return partners
    own = request.membership.organisation_ids()
    if event is not None and event.organiser_id:
        own.append(event.organiser_id)
    return partners.filter(pk__in=own)


def event_owner_errors(
    request: MemberRequest,
    *,
    cluster: Cluster | None,
    organiser: Organisation | None,
    event: Event | None = None,
) -> dict[str, str]:
    """Why this person may not give an event this cluster and organiser, by field; empty when
    they may. The event must stay one they can manage."""
    errors = {}
    if cluster is not None and not event_cluster_choices(request, event).filter(pk=cluster.pk):
        errors["cluster"] = OWNER_FIELDS["cluster"]
    if organiser is not None and not event_organiser_choices(request, event).filter(
        pk=organiser.pk
    ):
        errors["organiser"] = OWNER_FIELDS["organiser"]
    if not errors and not can_edit_event(request, cluster=cluster, organiser=organiser):
        # Neither is theirs: the event would leave their hands.
        errors["__all__"] = "Choose a cluster you coordinate or an organisation you work for."
    return errors


def check_event_owners(
    request: MemberRequest,
    *,
    cluster: Cluster | None,
    organiser: Organisation | None,
    event: Event | None = None,
) -> None:
    """PermissionDenied, naming the field, unless ``event_owner_errors`` finds nothing."""
    errors = event_owner_errors(request, cluster=cluster, organiser=organiser, event=event)
    if errors:
        raise PermissionDenied(" ".join(errors.values()))


def event_for_edit(request: MemberRequest, pk: int) -> Event:
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
        raise PermissionDenied(NOT_YOURS)
    return event


def can_create_event(request: MemberRequest, event: Event | None = None) -> bool:
    """Hub staff may create any event; others need a cluster or organisation to give it."""
    return manages_every_event(request) or (
        event_cluster_choices(request, event).exists()
        or event_organiser_choices(request, event).exists()
    )


def events_in_reach(request: MemberRequest) -> QuerySet[Event] | None:
    """The events whose attendance this person may see: None for all of the hub's (hub staff),
    else those they manage."""
    if manages_every_event(request):
        return None
    return selectors.events_managed_by(
        hub=request.hub,
        membership=request.membership,
        user=request.user,
    )
