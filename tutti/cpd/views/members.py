"""A network's members, for its facilitators and the hub's staff: requests to answer,
invitations and roles. /<hub>/networks/<network>/members/."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from tutti.cpd import selectors, services
from tutti.cpd.access import facilitator_place
from tutti.cpd.forms import InviteForm
from tutti.cpd.models import MemberRole, MemberStatus, NetworkMember
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import signed_in_hub_view
from tutti.tenancy.request import SignedInHubRequest


@signed_in_hub_view
def member_list(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    place = facilitator_place(request, network_slug)
    network = place.network
    form = InviteForm(request.POST or None, hub=request.hub)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_invite(network=network, by=request.user, **form.cleaned_data)
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"We have emailed an invitation to {form.cleaned_data['email']}."
                )
                return redirect("cpd:members", hub_slug=hub_slug, network_slug=network_slug)
        status = 400
    context = {
        "requests": selectors.members(network=network, status=MemberStatus.REQUESTED),
        "invited": selectors.members(network=network, status=MemberStatus.INVITED),
        "members": selectors.members(network=network),
        "form": form,
    }
    return render_place(request, "cpd/member_list.html", place, context, status)


ACTIONS = {"approve", "refuse", "make-facilitator", "make-member", "remove"}


@signed_in_hub_view
def member_action(
    request: SignedInHubRequest, hub_slug: str, network_slug: str, pk: int
) -> HttpResponse:
    """Approve or refuse a request, change a role or remove someone (a POST)."""
    place = facilitator_place(request, network_slug)
    member = NetworkMember.objects.filter(network=place.network, pk=pk).first()
    if member is None:
        raise Http404("No such member.")
    action = request.POST.get("action", "")
    if request.method == "POST" and action in ACTIONS:
        try:
            if action in ("approve", "refuse"):
                services.member_decide(member=member, approve=action == "approve", by=request.user)
                done = f"{member} is now a member." if action == "approve" else "Request refused."
            elif action == "remove":
                services.member_leave(member=member, by=request.user)
                done = f"{member} is no longer a member."
            else:
                role = MemberRole.FACILITATOR if action == "make-facilitator" else MemberRole.MEMBER
                services.member_set_role(member=member, role=role, by=request.user)
                done = f"{member} is now a {role.label.lower()}."
        except services.CpdError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
    return redirect("cpd:members", hub_slug=hub_slug, network_slug=network_slug)
