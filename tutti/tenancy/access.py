"""The one rule for who may use a hub's pages and its API operations.

``member_access`` answers for both: the page decorators (``tenancy.pages``) turn a refusal into
a redirect to sign in, a 404, a 403 or a redirect to set up two-factor sign-in; the API's
(``tenancy.api``) into a 401, 404 or 403 in JSON. So a page and its operation cannot disagree
about who gets through.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any

from tutti.accounts.models import Membership, Role
from tutti.accounts.two_factor import two_factor_missing
from tutti.directory.models import Hub


def membership_for(user: Any, hub: Hub) -> Membership | None:
    """The user's membership of this hub; a superuser acts as a hub admin everywhere."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(hub=hub, user=user).first()
    if membership is None and user.is_superuser:
        membership = Membership(hub=hub, user=user, role=Role.HUB_ADMIN)
    return membership


class Refusal(Enum):
    NOT_SIGNED_IN = "not signed in"
    # Another hub's pages and objects do not exist for them: answered as not found.
    NO_ROLE = "no role in the hub"
    ROLE_LACKS_CAPABILITY = "role lacks the capability"
    TWO_FACTOR_MISSING = "two-factor sign-in required"


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    # Their role in the hub, if any: the refusal's page still shows their hub's navigation.
    membership: Membership | None


def member_access(user: Any, hub: Hub, capability: str) -> Membership | Refused:
    """The user's membership when their role in ``hub`` holds ``capability`` (and they meet
    the hub's two-factor rule); otherwise why not."""
    membership = membership_for(user, hub)
    if not user.is_authenticated:
        return Refused(Refusal.NOT_SIGNED_IN, None)
    if membership is None:
        return Refused(Refusal.NO_ROLE, None)
    if not membership.has_capability(capability):
        return Refused(Refusal.ROLE_LACKS_CAPABILITY, membership)
    if two_factor_missing(user=user, hub=hub, membership=membership):
        return Refused(Refusal.TWO_FACTOR_MISSING, membership)
    return membership
