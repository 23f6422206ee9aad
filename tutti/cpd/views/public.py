"""The hub's networks for everyone, joining, accepting an invitation and checking a
certificate: /<hub>/networks/."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tutti.core.links import LinkProblem
from tutti.cpd import selectors, services
from tutti.cpd.access import network_place
from tutti.cpd.certificates import certificate_verify
from tutti.cpd.forms import JoinForm
from tutti.cpd.models import MemberStatus
from tutti.cpd.views.common import render_place
from tutti.tenancy.pages import public_hub_view, signed_in_hub_view
from tutti.tenancy.request import HubRequest, SignedInHubRequest


@public_hub_view
def network_list(request: HubRequest, hub_slug: str) -> HttpResponse:
    networks = selectors.hub_networks(hub=request.hub)
    return render(request, "cpd/network_list.html", {"networks": networks})


@public_hub_view
def network_detail(request: HubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """What the network is for, who leads it and its days; members see the way in."""
    place = network_place(request, network_slug)
    days = selectors.network_days(network=place.network)
    context: dict[str, Any] = {
        "days": days,
        "facilitators": selectors.facilitators(network=place.network),
    }
    if place.can_facilitate:
        context["requests"] = selectors.members(
            network=place.network, status=MemberStatus.REQUESTED
        ).count()
    return render_place(request, "cpd/network_detail.html", place, context)


@signed_in_hub_view
def network_join(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """A teacher asks to join; a facilitator answers."""
    place = network_place(request, network_slug)
    if place.is_member:
        return redirect("cpd:detail", hub_slug=hub_slug, network_slug=network_slug)
    form = JoinForm(request.POST or None, hub=request.hub)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_request(
                    network=place.network,
                    user=request.user,
                    school=form.cleaned_data["school"],
                    message=form.cleaned_data["message"],
                )
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "Thank you: a facilitator will look at your request and email you."
                )
                return redirect("cpd:detail", hub_slug=hub_slug, network_slug=network_slug)
        status = 400
    return render_place(request, "cpd/network_join.html", place, {"form": form}, status)


@signed_in_hub_view
def network_accept(request: SignedInHubRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    """Accept an invitation sent to the signed-in person's address (a POST)."""
    place = network_place(request, network_slug)
    if request.method == "POST" and place.member is not None:
        try:
            services.member_accept_invitation(member=place.member, user=request.user)
        except services.CpdError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Welcome to {place.network.name}.")
    return redirect("cpd:detail", hub_slug=hub_slug, network_slug=network_slug)


@public_hub_view
def certificate_check(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """The address printed on a certificate: says whether it is genuine, and what it states."""
    try:
        certificate = certificate_verify(hub=request.hub, code=token)
    except LinkProblem as problem:
        return render(
            request, "cpd/certificate_check.html", {"problem": str(problem)}, status=problem.status
        )
    response = render(request, "cpd/certificate_check.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
