"""Who may change which organisation: shared by the staff pages and the API."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tutti.directory import selectors
from tutti.directory.models import Organisation


def organisation_for_edit(request: HttpRequest, pk: int) -> Organisation:
    """Another hub's organisation is 404; partner staff may edit only their own (else 403)."""
    organisation = selectors.organisation_get(hub=request.hub, pk=pk, public=False)
    if organisation is None:
        raise Http404("No such organisation in this hub's directory.")
    membership = request.membership
    if not membership.has_capability("can_manage_directory") and (
        not membership.pk or not membership.organisations.filter(pk=pk).exists()
    ):
        raise PermissionDenied("You can edit only your own organisation.")
    return organisation
