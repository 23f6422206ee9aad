"""Who may use a hub's pages: the decorators every hub view declares itself with.

Each view declares who may use it with one of the decorators below; they resolve the hub from
the URL, set ``request.hub`` and ``request.membership``, and mark the view with ``access`` so
that the test suite can prove no view was left without a rule. Who gets through is decided by
``tutti.tenancy.access.member_access``, as for the API; here its refusals become pages:

- Someone who is not signed in is sent to sign in (302).
- A signed-in person with no role in the hub gets 404: another hub's pages do not exist for them.
- A member whose role lacks the capability gets 403.
- Where the hub requires two-factor sign-in, its admins and staff without it are sent to set
  it up first.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect

from tutti.accounts.models import CAPABILITIES
from tutti.core.permissions import View
from tutti.directory.models import Hub
from tutti.tenancy.access import Refusal, Refused, member_access, membership_for

__all__ = ["hub_permission_required", "membership_for", "public_hub_view", "signed_in_hub_view"]


def _resolve_hub(request: HttpRequest, hub_slug: str) -> Hub:
    hub = get_object_or_404(Hub, slug=hub_slug)
    request.hub = hub  # type: ignore[attr-defined]
    request.membership = membership_for(request.user, hub)  # type: ignore[attr-defined]
    return hub


def public_hub_view(view: View) -> View:
    """Anyone may see this page of a hub, signed in or not."""

    @wraps(view)
    def wrapper(request: HttpRequest, hub_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _resolve_hub(request, hub_slug)
        return view(request, hub_slug, *args, **kwargs)

    wrapper.access = "public"  # type: ignore[attr-defined]
    return wrapper


def signed_in_hub_view(view: View) -> View:
    """Anyone signed in, with or without a role in the hub; the view shows only their own data."""

    @wraps(view)
    def wrapper(request: HttpRequest, hub_slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _resolve_hub(request, hub_slug)
        return view(request, hub_slug, *args, **kwargs)

    wrapper.access = "signed_in"  # type: ignore[attr-defined]
    return wrapper


def _refuse(request: HttpRequest, reason: Refusal, capability: str) -> HttpResponse:
    """A redirect to sign in or to set up two-factor sign-in; else raises 404 or 403."""
    if reason is Refusal.NOT_SIGNED_IN:
        return redirect_to_login(request.get_full_path())
    if reason is Refusal.NO_ROLE:
        raise Http404("No such page in this hub.")
    if reason is Refusal.ROLE_LACKS_CAPABILITY:
        raise PermissionDenied(f"Your role cannot do this ({capability}).")
    return redirect("accounts:two-factor-required")


def hub_permission_required(capability: str) -> Callable[[View], View]:
    """Only members of the hub whose role holds ``capability`` may use this view."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, hub_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            hub = get_object_or_404(Hub, slug=hub_slug)
            access = member_access(request.user, hub, capability)
            request.hub = hub  # type: ignore[attr-defined]
            if isinstance(access, Refused):
                request.membership = access.membership  # type: ignore[attr-defined]
                return _refuse(request, access.reason, capability)
            request.membership = access  # type: ignore[attr-defined]
            return view(request, hub_slug, *args, **kwargs)

        wrapper.access = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
