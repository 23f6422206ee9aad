from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tutti.accounts import selectors, services
from tutti.accounts.forms import AcceptForm
from tutti.accounts.models import User
from tutti.accounts.two_factor import hubs_requiring_two_factor
from tutti.core.permissions import login_required_view, public_view
from tutti.directory.models import Hub
from tutti.tenancy.request import SignedInRequest


@login_required_view
def my_hubs(request: SignedInRequest) -> HttpResponse:
    """Where a person lands after signing in: their hubs and roles (every hub for the site
    administrator)."""
    memberships = list(request.user.memberships.select_related("hub").order_by("hub__name"))
    if request.user.is_superuser:
        return render(
            request,
            "accounts/my_hubs.html",
            {"memberships": memberships, "all_hubs": Hub.objects.order_by("name")},
        )
    if len(memberships) == 1:
        return redirect("directory-manage:home", hub_slug=memberships[0].hub.slug)
    return render(request, "accounts/my_hubs.html", {"memberships": memberships})


@public_view
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: a new person chooses a password; someone with an account signs
    in with their own and accepts. The link itself stands in for signing in."""
    found = selectors.invitation_by_token(token=token)
    try:
        invitation = services.invitation_check(found)
    except services.InvitationError as error:
        return render(
            request,
            "accounts/invitation_problem.html",
            {"error": str(error)},
            status=404 if found is None else 410,
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    signed_in_as = request.user if request.user.is_authenticated else None
    context: dict[str, object] = {
        "invitation": invitation,
        "existing": existing,
        "signed_in_as": signed_in_as,
    }
    if existing is not None:
        if signed_in_as is None or signed_in_as.pk != existing.pk:
            return render(request, "accounts/invitation_sign_in.html", context)
        if request.method == "POST":
            return _accept(request, invitation, user=existing)
        return render(request, "accounts/invitation_accept.html", context)

    form = AcceptForm(
        request.POST or None,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        user=User(email=invitation.email, username=invitation.email),
    )
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            invitation,
            password=form.cleaned_data["password1"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


def _accept(request: HttpRequest, invitation, **kwargs) -> HttpResponse:
    try:
        membership = services.invitation_accept(invitation=invitation, **kwargs)
    except ValidationError as error:
        # The form checked the password and names; what is left is rare (e.g. a username
        # already taken by another account's long address).
        return render(
            request,
            "accounts/invitation_problem.html",
            {"error": " ".join(error.messages)},
            status=400,
        )
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_problem.html", {"error": str(error)}, status=410
        )
    if request.user != membership.user:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        f"Welcome to {membership.hub.name}. You are {membership.get_role_display().lower()}.",
    )
    return redirect("directory-manage:home", hub_slug=membership.hub.slug)


@login_required_view
def account(request: SignedInRequest) -> HttpResponse:
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
def two_factor_required(request: SignedInRequest) -> HttpResponse:
    """Why a hub's staff page sent this person here, and the one step to take."""
    return render(
        request,
        "accounts/two_factor_required.html",
        {"hubs": hubs_requiring_two_factor(user=request.user)},
    )
