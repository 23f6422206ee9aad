from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tutti.accounts.access import can_grant_roles
from tutti.accounts.selectors import pending_invitations
from tutti.accounts.services import TeamError
from tutti.clusters import selectors, services
from tutti.clusters.access import check_may_appoint, cluster_for_edit, clusters_to_edit
from tutti.clusters.forms import (
    AssignmentUploadForm,
    ClusterForm,
    CoordinatorForm,
    MemberSearchForm,
)
from tutti.directory.models import Organisation
from tutti.directory.selectors import hub_organisations
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest


@public_hub_view
def cluster_list(request: HubRequest, hub_slug: str) -> HttpResponse:
    clusters = selectors.cluster_list(hub=request.hub)
    return render(request, "clusters/cluster_list.html", {"clusters": clusters})


@public_hub_view
def cluster_detail(request: HubRequest, hub_slug: str, cluster_slug: str) -> HttpResponse:
    cluster = selectors.cluster_get(hub=request.hub, slug=cluster_slug)
    if cluster is None:
        raise Http404("No such cluster in this hub.")
    members = selectors.cluster_members(cluster=cluster)
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "groups": selectors.members_by_kind(members),
            "member_count": len(members),
            "map": selectors.cluster_map(hub=request.hub, cluster=cluster, members=members),
        },
    )


@hub_permission_required("can_edit_cluster")
def manage_cluster_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    clusters = clusters_to_edit(request, selectors.cluster_list(hub=request.hub))
    return render(request, "clusters/manage_cluster_list.html", {"clusters": clusters})


@hub_permission_required("can_manage_clusters")
def cluster_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(hub=request.hub, by=request.user, **form.cleaned_data)
        except services.ClusterError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Cluster {cluster.name} created. Its coordinator is vacant.")
            return redirect("clusters-manage:members", hub_slug=hub_slug, pk=cluster.pk)
    return render(request, "clusters/cluster_form.html", {"form": form})


@hub_permission_required("can_edit_cluster")
def cluster_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    cluster = cluster_for_edit(request, pk)
    form = ClusterForm(request.POST or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        cluster.refresh_from_db()  # the form wrote its values onto the instance
        try:
            services.cluster_update(cluster=cluster, by=request.user, **form.cleaned_data)
        except services.ClusterError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "Saved.")
            return redirect("clusters-manage:members", hub_slug=hub_slug, pk=cluster.pk)
    return render(request, "clusters/cluster_form.html", {"form": form, "cluster": cluster})


@hub_permission_required("can_manage_clusters")
def cluster_coordinator(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    cluster = cluster_for_edit(request, pk)
    form = CoordinatorForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "vacate":
        services.cluster_set_coordinator(cluster=cluster, coordinator=None, by=request.user)
        messages.success(request, f"The coordinator post for {cluster.name} is now vacant.")
        return redirect("clusters-manage:members", hub_slug=hub_slug, pk=cluster.pk)
    if request.method == "POST" and form.is_valid():
        try:
            check_may_appoint(request, cluster, form.cleaned_data["email"])
            invitation = services.coordinator_appoint(
                cluster=cluster, by=request.user, **form.cleaned_data
            )
        except PermissionDenied as error:
            form.add_error("email", str(error))
            status = 403
        except TeamError as error:
            form.add_error("email", str(error))
            status = 400
        else:
            if invitation is None:
                messages.success(request, f"{cluster.coordinator} now coordinates {cluster.name}.")
            else:
                messages.success(
                    request,
                    f"We have emailed an invitation to {invitation.email}. They become "
                    f"coordinator of {cluster.name} when they accept.",
                )
            return redirect("clusters-manage:members", hub_slug=hub_slug, pk=cluster.pk)
    if form.errors and status == 200:
        status = 400
    invitations = pending_invitations(hub=request.hub, cluster=cluster)
    return render(
        request,
        "clusters/cluster_coordinator.html",
        {
            "form": form,
            "cluster": cluster,
            "invitations": invitations,
            "can_grant_roles": can_grant_roles(request),
        },
        status=status,
    )


@hub_permission_required("can_edit_cluster")
def cluster_members(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """The members of a cluster, with a search (as you type, with scripts on) to add more."""
    cluster = cluster_for_edit(request, pk)
    search = MemberSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    candidates = selectors.cluster_candidates(cluster=cluster, q=q)
    context = {"cluster": cluster, "search": search, "q": q, "candidates": candidates}
    if request.GET.get("fragment") == "results":
        return render(request, "clusters/includes/member_candidates.html", context)
    members = selectors.cluster_members(cluster=cluster)
    context |= {"groups": selectors.members_by_kind(members), "member_count": len(members)}
    return render(request, "clusters/cluster_members.html", context)


def _posted_organisation(request: MemberRequest) -> Organisation:
    pk = request.POST.get("organisation", "")
    if not pk.isdigit():
        raise Http404("No such organisation.")
    return get_object_or_404(hub_organisations(hub=request.hub), pk=int(pk))


def _change_members(
    request: MemberRequest, hub_slug: str, pk: int, change, done: str
) -> HttpResponse:
    """Add or remove the posted organisation; a GET just goes back to the members page."""
    cluster = cluster_for_edit(request, pk)
    if request.method == "POST":
        organisation = _posted_organisation(request)
        try:
            change(cluster=cluster, organisation=organisation, by=request.user)
        except services.ClusterError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done.format(organisation=organisation, cluster=cluster))
    return redirect("clusters-manage:members", hub_slug=hub_slug, pk=pk)


@hub_permission_required("can_edit_cluster")
def cluster_member_add(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _change_members(
        request, hub_slug, pk, services.cluster_add_member, "Added {organisation} to {cluster}."
    )


@hub_permission_required("can_edit_cluster")
def cluster_member_remove(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    return _change_members(
        request,
        hub_slug,
        pk,
        services.cluster_remove_member,
        "Removed {organisation} from {cluster}.",
    )


@hub_permission_required("can_manage_clusters")
def cluster_assign(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Assign schools to clusters in bulk from a CSV of URN and Cluster."""
    form = AssignmentUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.clusters_assign_from_csv(
            hub=request.hub, data=form.cleaned_data["file"].read(), by=request.user
        )
        if report.ok:
            messages.success(
                request,
                f"Assigned {report.assigned} schools; {report.unchanged} were already there.",
            )
            return redirect("clusters-manage:list", hub_slug=hub_slug)
    refused = (report is not None and not report.ok) or (form.is_bound and not form.is_valid())
    status = 400 if refused else 200
    return render(
        request, "clusters/cluster_assign.html", {"form": form, "report": report}, status=status
    )
