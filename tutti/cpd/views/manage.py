"""The hub staff's pages for its CPD networks: /<hub>/manage/networks/."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tutti.core.years import current_academic_year, year_label
from tutti.cpd import selectors, services
from tutti.cpd.forms import NetworkForm
from tutti.cpd.models import ClaimStatus, MemberStatus
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest


@hub_permission_required("can_manage_events")
def manage_network_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    networks = [
        (
            network,
            selectors.members(network=network).count(),
            selectors.members(network=network, status=MemberStatus.REQUESTED).count(),
        )
        for network in selectors.hub_networks(hub=request.hub)
    ]
    pending = selectors.hub_claims(hub=request.hub, status=ClaimStatus.PENDING).count()
    year = current_academic_year()
    return render(
        request,
        "cpd/manage_network_list.html",
        {
            "networks": networks,
            "pending": pending,
            "figures": selectors.cpd_figures(hub=request.hub, year=year),
            "year_label": year_label(year),
        },
    )


def _network_form(request: MemberRequest, network_slug: str | None) -> HttpResponse:
    network = None
    if network_slug is not None:
        network = selectors.network_get(hub=request.hub, slug=network_slug)
        if network is None:
            raise Http404("No such network.")
    form = NetworkForm(request.POST or None, instance=network, hub=request.hub)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                if network is None:
                    network = services.network_create(hub=request.hub, by=request.user, **fields)
                else:
                    services.network_update(network=network, by=request.user, **fields)
            except services.CpdError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{network.name} is saved.")
                return redirect("cpd:detail", hub_slug=request.hub.slug, network_slug=network.slug)
        status = 400
    return render(
        request, "cpd/manage_network_form.html", {"form": form, "network": network}, status=status
    )


@hub_permission_required("can_manage_events")
def manage_network_new(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return _network_form(request, None)


@hub_permission_required("can_manage_events")
def manage_network_edit(request: MemberRequest, hub_slug: str, network_slug: str) -> HttpResponse:
    return _network_form(request, network_slug)
