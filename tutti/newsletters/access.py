"""Who may do what with newsletters: shared by the staff pages (and any API to come).

Hub admins and staff run every list of the hub. A cluster coordinator runs the lists of the
clusters they coordinate: they add members and write and send issues there, and see only
those lists. Partner staff have no part in newsletters.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tutti.newsletters.models import Issue, ListKind, NewsletterList
from tutti.tenancy.request import MemberRequest

# The staff pages' capability: hub admins, hub staff and coordinators hold it.
CAPABILITY = "can_edit_cluster"


def runs_every_list(request: MemberRequest) -> bool:
    return request.membership.has_capability("can_manage_clusters")


def may_run_list(request: MemberRequest, newsletter_list: NewsletterList) -> bool:
    if runs_every_list(request):
        return True
    return (
        newsletter_list.kind == ListKind.CLUSTER
        and newsletter_list.cluster is not None
        and newsletter_list.cluster.coordinator_id == request.user.pk
    )


def lists_to_run(
    request: MemberRequest, lists: QuerySet[NewsletterList]
) -> QuerySet[NewsletterList]:
    """Of the hub's ``lists``, those this person runs (``may_run_list``)."""
    if runs_every_list(request):
        return lists
    return lists.filter(Q(kind=ListKind.CLUSTER) & Q(cluster__coordinator=request.user))


def check_may_create_list(request: MemberRequest) -> None:
    if not runs_every_list(request):
        raise PermissionDenied("Only hub staff can create lists. Ask them to make one for you.")


def list_for_edit(request: MemberRequest, pk: int) -> NewsletterList:
    """Another hub's list is 404; a list this person does not run is 403."""
    newsletter_list = get_object_or_404(
        NewsletterList.objects.select_related("hub", "cluster", "network"),
        hub=request.hub,
        pk=pk,
    )
    if not may_run_list(request, newsletter_list):
        raise PermissionDenied("You can run only the lists of the clusters you coordinate.")
    return newsletter_list


def issue_for_edit(request: MemberRequest, pk: int) -> Issue:
    issue = get_object_or_404(
        Issue.objects.select_related(
            "hub",
            "newsletter_list__cluster",
            "newsletter_list__hub",
            "digest_category",
            "digest_cluster",
        ),
        hub=request.hub,
        pk=pk,
    )
    if not may_run_list(request, issue.newsletter_list):
        raise PermissionDenied("You can run only the lists of the clusters you coordinate.")
    return issue
