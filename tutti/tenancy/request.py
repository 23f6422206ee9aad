"""The request a view receives, typed: the decorators of ``pages`` and ``api`` set these.

Annotate a hub view's request with ``HubRequest`` (public and signed-in pages: ``membership``
may be None), ``SignedInHubRequest`` (``signed_in_hub_view``: someone signed in, perhaps with
no role in the hub) or ``MemberRequest`` (views behind ``hub_permission_required`` or an
operation with a capability: a signed-in member, never None). A view outside any hub behind
``login_required_view`` takes a ``SignedInRequest``.
"""

from django.http import HttpRequest

from tutti.accounts.models import Membership, User
from tutti.directory.models import Hub


class SignedInRequest(HttpRequest):
    user: User  # login_required_view turned away AnonymousUser


class HubRequest(HttpRequest):
    hub: Hub
    membership: Membership | None


class SignedInHubRequest(HubRequest):
    user: User  # signed_in_hub_view turned away AnonymousUser


class MemberRequest(SignedInHubRequest):
    membership: Membership  # a member whose role holds the capability
