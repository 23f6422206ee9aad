"""Who may do what in a hub's CPD network, for every page (and any API) alike.

- The network's public page (vision, lead, days) is open to all.
- The space (resources, discussion), the days' booking for members, claims, certificates,
  peer visits and surveys are for its active members only: anyone else, including members of
  the hub's other networks and people of other hubs, gets 404, as if it did not exist.
- Facilitators (active members with that role) manage its members, days, attendance, space
  and surveys; so do the hub's admins and staff (``can_manage_events``), who run the networks
  and decide supply-cover claims, though they do not see the space unless they are members.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tutti.cpd import selectors
from tutti.cpd.models import NetworkMember
from tutti.provision.models import Network
from tutti.tenancy.request import HubRequest


@dataclass
class Place:
    network: Network
    member: NetworkMember | None
    is_staff: bool

    @property
    def can_facilitate(self) -> bool:
        return self.is_staff or (self.member is not None and self.member.is_facilitator)

    @property
    def me(self) -> NetworkMember:
        """The person's membership, on the pages ``member_place`` lets in."""
        if self.member is None:
            raise Http404("No such network space.")
        return self.member

    @property
    def is_member(self) -> bool:
        return self.member is not None and self.member.is_active


def is_hub_staff(request: HubRequest) -> bool:
    membership = request.membership
    return membership is not None and membership.has_capability("can_manage_events")


def network_place(request: HubRequest, network_slug: str) -> Place:
    """The hub's network and the person's place in it; 404 for another hub's or none."""
    network = selectors.network_get(hub=request.hub, slug=network_slug)
    if network is None:
        raise Http404("No such network.")
    member = selectors.member_for(network=network, user=request.user)
    return Place(network, member, is_hub_staff(request))


def member_place(request: HubRequest, network_slug: str) -> Place:
    """Active members only; everyone else gets 404 (the space is not shown to exist)."""
    place = network_place(request, network_slug)
    if not place.is_member:
        raise Http404("No such network space.")
    return place


def facilitator_place(request: HubRequest, network_slug: str) -> Place:
    """Facilitators and hub staff; a plain member gets 403, anyone else 404."""
    place = network_place(request, network_slug)
    if place.can_facilitate:
        return place
    if place.is_member:
        raise PermissionDenied("Only the network's facilitators can do this.")
    raise Http404("No such network.")


def can_moderate(place: Place) -> bool:
    """Pinning and hiding posts: the network's facilitators, who are members of its space."""
    return place.is_member and place.member is not None and place.member.is_facilitator
