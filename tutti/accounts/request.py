"""The request a view behind ``login_required_view`` receives, typed: someone is signed in.

Hub views use ``tutti.tenancy.request.HubRequest`` or ``MemberRequest`` instead.
"""

from django.http import HttpRequest

from tutti.accounts.models import User


class SignedInRequest(HttpRequest):
    user: User  # the decorator turned away AnonymousUser
