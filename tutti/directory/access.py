"""Who may change which organisation: shared by the staff pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tutti.directory import selectors
from tutti.directory.models import Organisation
from tutti.tenancy.request import HubRequest, MemberRequest


def can_edit_organisation(request: HubRequest, pk: int) -> bool:
    """Hub staff may edit any organisation of the hub; partner staff only their own."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.has_capability("can_edit_organisation"):
        return False
    if membership.has_capability("can_manage_directory"):
        return True
    return membership.acts_for(pk)


def organisation_for_edit(request: MemberRequest, pk: int) -> Organisation:
    """Another hub's organisation is 404; partner staff may edit only their own (else 403)."""
    organisation = selectors.organisation_get(hub=request.hub, pk=pk, public=False)
    if organisation is None:
        raise Http404("No such organisation in this hub's directory.")
    if not can_edit_organisation(request, pk):
        raise PermissionDenied("You can edit only your own organisation.")
    return organisation
