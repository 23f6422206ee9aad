"""A hub's rule that the people who see personal data sign in with two factors."""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled

from tutti.accounts.models import Membership, Role

# The roles that see pupils' and partners' personal data across the hub.
ROLES_SEEING_PERSONAL_DATA = frozenset({Role.HUB_ADMIN, Role.HUB_STAFF})

API_MESSAGE = (
    "This hub asks its admins and staff to use two-factor sign-in. "
    "Turn it on at /accounts/2fa/ and try again."
)


def two_factor_missing(*, user: Any, hub: Any, membership: Membership) -> bool:
    """True when the hub requires two-factor sign-in of this person, who has not turned it on."""
    return (
        hub.require_two_factor
        and membership.role in ROLES_SEEING_PERSONAL_DATA
        and not is_mfa_enabled(user)
    )


def hubs_requiring_two_factor(*, user: Any) -> list[Any]:
    """The hubs where this person's role needs two-factor sign-in."""
    memberships = Membership.objects.filter(
        user=user, role__in=ROLES_SEEING_PERSONAL_DATA, hub__require_two_factor=True
    ).select_related("hub")
    return [m.hub for m in memberships.order_by("hub__name")]
