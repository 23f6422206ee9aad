from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tutti.core.permissions import login_required_view


@login_required_view
def my_hubs(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: their hubs and roles."""
    memberships = list(request.user.memberships.select_related("hub").order_by("hub__name"))
    if len(memberships) == 1:
        return redirect("directory-manage:home", hub_slug=memberships[0].hub.slug)
    return render(request, "accounts/my_hubs.html", {"memberships": memberships})
