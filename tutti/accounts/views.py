from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tutti.accounts.two_factor import hubs_requiring_two_factor
from tutti.core.permissions import login_required_view


@login_required_view
def my_hubs(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: their hubs and roles."""
    memberships = list(request.user.memberships.select_related("hub").order_by("hub__name"))
    if len(memberships) == 1:
        return redirect("directory-manage:home", hub_slug=memberships[0].hub.slug)
    return render(request, "accounts/my_hubs.html", {"memberships": memberships})


@login_required_view
def account(request: HttpRequest) -> HttpResponse:
    """A person's own account: name, email, password, two-factor sign-in and sessions."""
    user = request.user
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return render(
        request,
        "accounts/account.html",
        {
            "pending_email": EmailAddress.objects.filter(user=user, verified=False)
            .exclude(email__iexact=user.email)
            .first(),
            "two_factor_on": Authenticator.Type.TOTP in authenticators,
            "recovery_codes_left": (
                len(recovery.wrap().get_unused_codes()) if recovery is not None else None
            ),
            "session_count": UserSession.objects.filter(user=user).count(),
            "hubs_requiring_two_factor": hubs_requiring_two_factor(user=user),
        },
    )


@login_required_view
def two_factor_required(request: HttpRequest) -> HttpResponse:
    """Why a hub's staff page sent this person here, and the one step to take."""
    return render(
        request,
        "accounts/two_factor_required.html",
        {"hubs": hubs_requiring_two_factor(user=request.user)},
    )
