"""Who may use an operation under ``/api/hubs/{hub_slug}/``: the pages' rules, answered in JSON.

Both decide through ``tutti.tenancy.access.member_access``; here its refusals become:

- Not signed in, on an operation that needs a role: 401.
- Signed in with no role in the hub: 404, as another hub's objects do not exist for them.
- A member whose role lacks the capability: 403.
- Admins and staff of a hub that requires two-factor sign-in, without it: 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja.errors import AuthenticationError

from tutti.accounts.models import CAPABILITIES, Role
from tutti.accounts.two_factor import API_MESSAGE as TWO_FACTOR_NEEDED
from tutti.core.api import NOT_SIGNED_IN, PUBLIC_NOTE, View, with_access_note
from tutti.directory.models import Hub
from tutti.tenancy.access import Refusal, Refused, member_access


def _roles_holding(capability: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels[role]) for role in Role.values if role in CAPABILITIES[capability])


def _access_note(capability: str | None, limit: str) -> str:
    if capability is None:
        return PUBLIC_NOTE
    note = (
        f"**Who may use it:** members of the hub whose role has `{capability}` "
        f"({_roles_holding(capability)}), signed in with a session (send the CSRF token). "
        "Not signed in: 401. No role in this hub: 404. A role without it: 403."
    )
    return f"{note} {limit}" if limit else note


def _refuse(reason: Refusal, capability: str) -> NoReturn:
    if reason is Refusal.NOT_SIGNED_IN:
        raise AuthenticationError(message=NOT_SIGNED_IN)
    if reason is Refusal.NO_ROLE:
        raise Http404("Not found in this hub.")
    if reason is Refusal.ROLE_LACKS_CAPABILITY:
        raise PermissionDenied(f"Your role cannot do this ({capability}).")
    raise PermissionDenied(TWO_FACTOR_NEEDED)


def hub_operation(capability: str | None, *, limit: str = "") -> Callable[[View], View]:
    """Declare who may use an operation under ``/api/hubs/{hub_slug}/``, and check it first.

    ``capability=None`` makes the operation public. Otherwise only members whose role holds the
    capability get through; ``limit`` describes any object-level rule the view adds (a
    coordinator's own clusters). The rule is appended to the operation's OpenAPI description,
    sets ``request.hub`` and ``request.membership``, and marks the view with ``access``.
    """
    if capability is not None and capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, hub_slug: str, *args: Any, **kwargs: Any) -> Any:
            if capability is not None and getattr(request, "auth", None) is None:
                # Fails closed if the operation was declared without session auth, which is
                # also what checks the CSRF token.
                raise AuthenticationError(message=NOT_SIGNED_IN)
            hub = Hub.objects.filter(slug=hub_slug).first()
            if hub is None:
                raise Http404("No such hub.")
            membership = None
            if capability is not None:
                access = member_access(request.user, hub, capability)
                if isinstance(access, Refused):
                    _refuse(access.reason, capability)
                membership = access
            request.hub = hub  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, hub_slug, *args, **kwargs)

        wrapper.__doc__ = with_access_note(view, _access_note(capability, limit))
        wrapper.access = capability or "public"  # type: ignore[attr-defined]
        return wrapper

    return decorator
