"""The request a hub view receives, typed: the decorators of ``pages`` and ``api`` set these.

Annotate a hub view's request with ``HubRequest`` (public and signed-in pages: ``membership``
may be None) or ``MemberRequest`` (views behind ``hub_permission_required`` or an operation
with a capability: a signed-in member, never None).
"""

from django.http import HttpRequest

from tutti.accounts.models import Membership, User
from tutti.directory.models import Hub


class HubRequest(HttpRequest):
    hub: Hub
    membership: Membership | None


class MemberRequest(HubRequest):
    user: User  # type: ignore[assignment]  # signed in: never AnonymousUser here
    membership: Membership
