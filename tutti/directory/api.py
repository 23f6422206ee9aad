"""The directory's JSON API: hubs, and each hub's public directory of organisations."""

from datetime import date
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema, Status

from tutti.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIn,
    PageNumber,
    SlugFilter,
    invalid,
    public_operation,
)
from tutti.directory import selectors, services
from tutti.directory.access import organisation_for_edit
from tutti.directory.models import (
    Expertise,
    Hub,
    LocalAuthority,
    Organisation,
    OrganisationKind,
)
from tutti.tenancy.api import hub_operation
from tutti.tenancy.request import HubRequest, MemberRequest

router = Router(tags=["directory"])

MAX_PAGE_SIZE = 100

Coordinate = Annotated[float, Field(allow_inf_nan=False)]


class LocalAuthorityOut(Schema):
    code: str = Field(description="DfE code, e.g. 865")
    name: str


class HubOut(Schema):
    slug: str
    name: str
    website: str
    contact_email: str
    description: str
    local_authorities: list[LocalAuthorityOut]


class ExpertiseOut(Schema):
    slug: str
    name: str


class ClusterRefOut(Schema):
    id: int
    slug: str
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    kind_display: str
    address: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    website: str
    email: str
    phone: str
    local_authority: LocalAuthorityOut | None
    urn: int | None
    is_open: bool
    expertise: list[ExpertiseOut]
    clusters: list[ClusterRefOut] = Field(description="The clusters of this hub it belongs to.")

    @staticmethod
    def resolve_kind_display(obj: Organisation) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_clusters(obj: Organisation) -> list[Any]:
        return obj.hub_clusters  # type: ignore[attr-defined]


class OrganisationDetailOut(OrganisationOut):
    description: str
    phase: str
    establishment_type: str
    pupils: int | None
    percent_fsm: float | None
    closed_on: date | None
    listed_publicly: bool


class OrganisationPage(Schema):
    count: int = Field(description="How many organisations match, on every page.")
    page: int
    page_size: int
    items: list[OrganisationOut]


class DirectoryQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the name or town, or a URN.")
    postcode: str = Field("", max_length=10, description="A postcode or its start, e.g. SN10.")
    local_authority: str = Field("", max_length=3, description="DfE code, e.g. 865.")
    kind: OrganisationKind | None = None
    cluster: SlugFilter = Field("", description="A cluster's slug.")
    expertise: SlugFilter = Field("", max_length=50, description="An area of expertise's slug.")
    page: PageNumber = 1
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class OrganisationIn(BodyIn):
    kind: OrganisationKind = Field(
        description="Any kind but school: schools come from the register."
    )
    name: str
    description: str = ""
    address: str = ""
    town: str = ""
    postcode: str = Field(
        "",
        description="A UK postcode (or just its district, e.g. SN10). Unless latitude and "
        "longitude are given, the organisation is placed at the middle of its postcode district.",
    )
    local_authority: str | None = Field(
        None, description="DfE code of its local authority: one of the hub's."
    )
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    expertise: list[str] = Field(default_factory=list, description="Slugs of its expertise.")
    listed_publicly: bool = True


def _with_hub_clusters(orgs: QuerySet[Organisation], hub: Hub) -> QuerySet[Organisation]:
    return selectors.with_hub_clusters(orgs.prefetch_related("expertise"), hub=hub)


def _detail(organisation: Organisation, hub: Hub) -> Organisation:
    organisation.hub_clusters = list(  # type: ignore[attr-defined]
        selectors.organisation_clusters(hub=hub, organisation=organisation)
    )
    return organisation


def _fields_from(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the codes and slugs of a request body into the objects the services take."""
    fields = dict(data)
    if "local_authority" in fields:
        code = fields["local_authority"]
        fields["local_authority"] = None
        if code:
            fields["local_authority"] = LocalAuthority.objects.filter(code=code).first()
            if fields["local_authority"] is None:
                raise invalid("local_authority", f"There is no local authority with code {code}.")
    if fields.get("expertise") is not None:
        slugs = set(fields["expertise"])
        found = list(Expertise.objects.filter(slug__in=slugs))
        unknown = slugs - {e.slug for e in found}
        if unknown:
            raise invalid("expertise", f"Unknown expertise: {', '.join(sorted(unknown))}.")
        fields["expertise"] = found
    else:
        fields.pop("expertise", None)
    return fields


@router.get("", response=list[HubOut], auth=None)
@public_operation
def hub_list(request: HttpRequest) -> Any:
    """Every hub, with the local authorities it covers."""
    return Hub.objects.prefetch_related("local_authorities").order_by("name")


@router.get("/{hub_slug}/organisations", response={200: OrganisationPage, **READ_ERRORS}, auth=None)
@hub_operation(None)
def organisation_list(request: HubRequest, hub_slug: str, query: Query[DirectoryQuery]) -> Any:
    """Search the hub's public directory; every filter given must match. Closed organisations
    are left out. Paginated: ``count`` is the number of matches on all pages."""
    hub = request.hub
    filters = selectors.DirectoryFilters(
        q=query.q,
        postcode=query.postcode,
        local_authority=query.local_authority,
        kind=query.kind or "",
        cluster=query.cluster,
        expertise=query.expertise,
    )
    results = selectors.directory_search(hub=hub, filters=filters)
    orgs = results.organisations
    start = (query.page - 1) * query.page_size
    return {
        "count": results.count,
        "page": query.page,
        "page_size": query.page_size,
        "items": list(_with_hub_clusters(orgs, hub)[start : start + query.page_size]),
    }


@router.get(
    "/{hub_slug}/organisations/{id}",
    response={200: OrganisationDetailOut, **READ_ERRORS},
    auth=None,
)
@hub_operation(None)
def organisation_detail(request: HubRequest, hub_slug: str, id: int) -> Any:
    """One organisation of the hub's public directory."""
    organisation = selectors.organisation_get(hub=request.hub, pk=id)
    if organisation is None:
        raise Http404("No such organisation in this hub's directory.")
    return _detail(organisation, request.hub)


@router.post("/{hub_slug}/organisations", response={201: OrganisationDetailOut, **WRITE_ERRORS})
@hub_operation("can_manage_directory")
def organisation_create(request: MemberRequest, hub_slug: str, payload: OrganisationIn) -> Any:
    """Add a partner organisation to the hub's directory, as an active partner."""
    fields = _fields_from(payload.model_dump())
    organisation = services.organisation_create(
        hub=request.hub,
        by=request.user,
        **fields,
    )
    return Status(201, _detail(organisation, request.hub))


@router.patch(
    "/{hub_slug}/organisations/{id}", response={200: OrganisationDetailOut, **WRITE_ERRORS}
)
@hub_operation(
    "can_edit_organisation", limit="Partner staff may change only their own organisation."
)
def organisation_update(
    request: MemberRequest,
    hub_slug: str,
    id: int,
    payload: PatchDict[OrganisationIn],
) -> Any:
    """Change some of an organisation's details; fields left out stay as they are."""
    organisation = organisation_for_edit(request, id)
    fields = _fields_from(payload)
    services.organisation_update(
        hub=request.hub,
        organisation=organisation,
        by=request.user,
        **fields,
    )
    return _detail(organisation, request.hub)
