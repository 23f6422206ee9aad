"""The clusters' JSON API: each hub's musical clusters, their coordinators and members."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import Http404
from ninja import Field, P, PatchDict, Router, Schema, Status
from ninja.params import PathEx

from tutti.accounts.services import TeamError
from tutti.clusters import selectors, services
from tutti.clusters.access import check_may_appoint, cluster_for_edit
from tutti.clusters.models import Cluster, ClusterMember
from tutti.core.api import READ_ERRORS, WRITE_ERRORS, BodyIn, invalid
from tutti.directory.models import Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["clusters"])

OWN_CLUSTERS = "A coordinator may change only the clusters they coordinate."


class ClusterOut(Schema):
    id: int
    slug: str
    name: str
    area: str
    coordinator: str | None = Field(description="The coordinator's name; null while vacant.")
    coordinator_display: str = Field(description='The name, or "Vacant (TBC)".')
    contact_email: str
    member_count: int

    @staticmethod
    def resolve_coordinator(obj: Cluster) -> str | None:
        return str(obj.coordinator) if obj.coordinator_id else None


class ClusterMemberOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    kind_display: str
    town: str
    postcode: str
    urn: int | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_kind_display(obj: Organisation) -> str:
        return obj.get_kind_display()


class ClusterDetailOut(ClusterOut):
    description: str
    members: list[ClusterMemberOut]

    @staticmethod
    def resolve_members(obj: Cluster) -> list[Organisation]:
        return obj.member_list  # type: ignore[attr-defined]


class ClusterIn(BodyIn):
    name: str
    area: str = ""
    description: str = ""
    contact_email: str = Field("", description="Shown on the public clusters page.")


class CoordinatorIn(BodyIn):
    email: str | None = Field(None, description="Whom to appoint; an account is made if needed.")
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    vacant: bool = Field(False, description="true (with no email) to leave the post vacant.")


class CoordinatorOut(ClusterOut):
    invited: str | None = Field(
        None, description="Whom an invitation was emailed to, when they had no role in the hub."
    )


APPOINT_LIMIT = (
    "Hub staff may appoint only someone who already has a role in the hub (else 403); "
    "inviting someone new is for hub admins."
)


class MemberIn(BodyIn):
    organisation_id: int = Field(description="An organisation in this hub's directory.")


def _detail(cluster: Cluster) -> Cluster:
    members = selectors.cluster_members(cluster=cluster)
    cluster.member_list = members  # type: ignore[attr-defined]
    cluster.member_count = len(members)  # type: ignore[attr-defined]
    return cluster


def _organisation(request: MemberRequest, pk: int) -> Organisation | None:
    return hub_organisations(hub=request.hub).filter(pk=pk).first()


@router.get("/{hub_slug}/clusters", response={200: list[ClusterOut], **READ_ERRORS}, auth=None)
@hub_operation(None)
def cluster_list(request: HubRequest, hub_slug: str) -> Any:
    """The hub's musical clusters, with their coordinators and how many members each has."""
    return selectors.cluster_list(hub=request.hub)


# The public page of a cluster is found by its slug, as on the website; changes name it by id,
# which stays the same when a rename changes the slug. Both share this path.
@router.get(
    "/{hub_slug}/clusters/{cluster}",
    response={200: ClusterDetailOut, **READ_ERRORS},
    auth=None,
)
@hub_operation(None)
def cluster_detail(
    request: HubRequest, hub_slug: str, cluster: PathEx[str, P(description="Its slug.")]
) -> Any:
    """One cluster of the hub, with its members."""
    found = selectors.cluster_get(hub=request.hub, slug=cluster)
    if found is None:
        raise Http404("No such cluster in this hub.")
    return _detail(found)


@router.post("/{hub_slug}/clusters", response={201: ClusterDetailOut, **WRITE_ERRORS})
@hub_operation("can_manage_clusters")
def cluster_create(request: MemberRequest, hub_slug: str, payload: ClusterIn) -> Any:
    """Create a cluster. Its coordinator post starts vacant."""
    cluster = services.cluster_create(
        hub=request.hub,
        by=request.user,
        **payload.model_dump(),
    )
    return Status(201, _detail(cluster))


@router.patch("/{hub_slug}/clusters/{cluster}", response={200: ClusterDetailOut, **WRITE_ERRORS})
@hub_operation("can_edit_cluster", limit=OWN_CLUSTERS)
def cluster_update(
    request: MemberRequest,
    hub_slug: str,
    cluster: PathEx[int, P(description="Its id.")],
    payload: PatchDict[ClusterIn],
) -> Any:
    """Change some of a cluster's details; fields left out stay as they are. A new name gives
    it a new slug."""
    found = cluster_for_edit(request, cluster)
    services.cluster_update(cluster=found, by=request.user, **payload)
    return _detail(found)


@router.put("/{hub_slug}/clusters/{id}/coordinator", response={200: CoordinatorOut, **WRITE_ERRORS})
@hub_operation("can_manage_clusters", limit=APPOINT_LIMIT)
def cluster_coordinator_set(
    request: MemberRequest, hub_slug: str, id: int, payload: CoordinatorIn
) -> Any:
    """Appoint the cluster's coordinator by email, or send ``{"vacant": true}`` to leave the
    post vacant. Someone with a role in the hub is appointed at once; someone new is emailed an
    invitation (``invited`` in the answer) and becomes coordinator on accepting it."""
    cluster = cluster_for_edit(request, id)
    email = (payload.email or "").strip()
    if payload.vacant and email:
        raise invalid("email", 'Send an email or "vacant": true, not both.')
    invitation = None
    if payload.vacant:
        services.cluster_set_coordinator(cluster=cluster, coordinator=None, by=request.user)
    else:
        if not email:
            raise invalid("email", 'Give the coordinator\'s email, or send "vacant": true.')
        try:
            validate_email(email)
        except DjangoValidationError:
            raise invalid("email", "Enter a valid email address.") from None
        check_may_appoint(request, cluster, email)
        try:
            invitation = services.coordinator_appoint(
                cluster=cluster,
                email=email,
                first_name=payload.first_name,
                last_name=payload.last_name,
                by=request.user,
            )
        except TeamError as error:
            raise invalid("email", str(error)) from None
    cluster.invited = invitation.email if invitation else None  # type: ignore[attr-defined]
    return _detail(cluster)


@router.post("/{hub_slug}/clusters/{id}/members", response={201: ClusterMemberOut, **WRITE_ERRORS})
@hub_operation("can_edit_cluster", limit=OWN_CLUSTERS)
def cluster_member_add(request: MemberRequest, hub_slug: str, id: int, payload: MemberIn) -> Any:
    """Add an organisation of the hub's directory to the cluster."""
    cluster = cluster_for_edit(request, id)
    organisation = _organisation(request, payload.organisation_id)
    if organisation is None:
        raise invalid(
            "organisation_id",
            f"There is no organisation {payload.organisation_id} in this hub's directory.",
        )
    services.cluster_add_member(cluster=cluster, organisation=organisation, by=request.user)
    return Status(201, organisation)


@router.delete(
    "/{hub_slug}/clusters/{id}/members/{organisation_id}",
    response={204: None, **WRITE_ERRORS},
)
@hub_operation("can_edit_cluster", limit=OWN_CLUSTERS)
def cluster_member_remove(
    request: MemberRequest, hub_slug: str, id: int, organisation_id: int
) -> Any:
    """Take an organisation out of the cluster."""
    cluster = cluster_for_edit(request, id)
    organisation = _organisation(request, organisation_id)
    if organisation is None:
        raise Http404("No such organisation in this hub's directory.")
    if not ClusterMember.objects.filter(cluster=cluster, organisation=organisation).exists():
        raise Http404(f"{organisation.name} is not a member of {cluster.name}.")
    services.cluster_remove_member(cluster=cluster, organisation=organisation, by=request.user)
    return Status(204, None)
