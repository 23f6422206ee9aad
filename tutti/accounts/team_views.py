"""A hub's team: who has a role, invitations, changing and removing roles. Hub admins only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tutti.accounts import selectors, services
from tutti.accounts.access import team_invitation, team_membership
from tutti.accounts.forms import InviteForm, RoleForm
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


@hub_permission_required("can_manage_members")
def team(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return render(
        request,
        "accounts/team.html",
        {
            "members": selectors.team_members(hub=request.hub),
            "invitations": list(selectors.pending_invitations(hub=request.hub)),
            "now": timezone.now(),
        },
    )


@hub_permission_required("can_manage_members")
def invite(request: MemberRequest, hub_slug: str) -> HttpResponse:
    initial = {}
    organisation = request.GET.get("organisation", "")
    if organisation.isdigit():
        initial = {"role": "partner_staff", "organisations": [int(organisation)]}
    form = InviteForm(request.POST or None, hub=request.hub, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                hub=request.hub, by=request.user, **form.cleaned_data
            )
        except services.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"We have emailed an invitation to {invitation.email}. "
                "It is listed below until they accept.",
            )
            return redirect("team-manage:list", hub_slug=hub_slug)
    status = 400 if form.errors else 200
    return render(request, "accounts/team_invite.html", {"form": form}, status=status)


@hub_permission_required("can_manage_members")
def member_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    membership = team_membership(request, pk)
    initial = {"role": membership.role, "organisations": list(membership.organisations.all())}
    form = RoleForm(request.POST or None, hub=request.hub, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                organisations=form.cleaned_data["organisations"],
                by=request.user,
            )
        except services.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {membership.user}'s role.")
            return redirect("team-manage:list", hub_slug=hub_slug)
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/team_member_edit.html",
        {"form": form, "member": membership},
        status=status,
    )


@hub_permission_required("can_manage_members")
def member_remove(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    membership = team_membership(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except services.TeamError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{membership.user} no longer has a role in {request.hub}.")
            return redirect("team-manage:list", hub_slug=hub_slug)
    return render(
        request,
        "accounts/team_member_remove.html",
        {"member": membership, "error": error},
        status=400 if error else 200,
    )


def _change_invitation(
    request: MemberRequest, hub_slug: str, pk: int, change, done: str
) -> HttpResponse:
    """Resend or withdraw; a GET just goes back to the team page."""
    if request.method == "POST":
        invitation = team_invitation(request, pk)
        try:
            change(invitation=invitation, by=request.user)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done.format(email=invitation.email))
    return redirect("team-manage:list", hub_slug=hub_slug)


@hub_permission_required("can_manage_members")
def invitation_resend(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _change_invitation(
        request,
        hub_slug,
        pk,
        services.invitation_resend,
        "Sent the invitation to {email} again, with a new link valid for 14 days.",
    )


@hub_permission_required("can_manage_members")
def invitation_withdraw(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _change_invitation(
        request,
        hub_slug,
        pk,
        services.invitation_withdraw,
        "Withdrew the invitation to {email}; its link no longer works.",
    )
