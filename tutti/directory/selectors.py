"""Reads of the directory. Every function takes the hub: nothing here crosses tenants."""

import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Case, F, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Upper

from tutti.core.search import (
    Searched,
    TextIndex,
    contains_every_word,
    fuzzy,
    plain,
    searchable,
)
from tutti.directory.models import (
    Hub,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipStatus,
)


def hub_organisations(*, hub: Hub) -> QuerySet[Organisation]:
    """The hub's directory: the register's schools in its local authorities, and its partners."""
    # order_by(): without it the ids would be sorted by the partner's name (Meta.ordering),
    # a join and a sort inside every directory query.
    partner_ids = (
        Partnership.objects.filter(hub=hub, status=PartnershipStatus.ACTIVE)
        .order_by()
        .values("organisation_id")
    )
    authority_ids = Hub.local_authorities.through.objects.filter(hub=hub).values(
        "localauthority_id"
    )
    # in_once (core.models): each side of the OR is looked up by its index, not by scanning
    # every school in England.
    return Organisation.objects.filter(
        Q(kind=OrganisationKind.SCHOOL, local_authority_id__in_once=authority_ids)
        | Q(id__in_once=partner_ids)
    )


def hub_public_organisations(*, hub: Hub) -> QuerySet[Organisation]:
    return hub_organisations(hub=hub).filter(listed_publicly=True)


def organisation_get(*, hub: Hub, pk: int, public: bool = True) -> Organisation | None:
    orgs = hub_public_organisations(hub=hub) if public else hub_organisations(hub=hub)
    return (
        orgs.select_related("local_authority").prefetch_related("expertise").filter(pk=pk).first()
    )


def organisation_named(*, hub: Hub, name: str, exclude: int | None = None) -> Organisation | None:
    """An organisation in the hub's directory (listed or not, open or not) with this name, as
    a person would read it: ignoring case, spacing and punctuation such as apostrophes."""
    wanted = searchable(name).lower()
    if not wanted:
        return None
    candidates = hub_organisations(hub=hub)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    candidates = candidates.annotate(plain_name=plain(F("name")))
    candidates = contains_every_word(
        candidates, wanted.split(), ["plain_name"], index=ORGANISATION_SEARCH
    )
    return next(
        (o for o in candidates.order_by("pk") if searchable(o.name).lower() == wanted), None
    )


def already_listed(organisation: Organisation) -> str:
    where = f" ({organisation.town})" if organisation.town else ""
    return (
        f"{organisation.name}{where} is already in the directory. Edit that one, or give this "
        "one a name that tells them apart."
    )


# The directory's text search: the register's names and towns, punctuation stripped (see
# tutti.core.search), and as stored for What's On; migration 0004_search_indexes builds these.
ORGANISATION_SEARCH = TextIndex(
    table="directory_organisation",
    fields=[
        Searched("name", plain=True),
        Searched("town", plain=True),
        Searched("name"),
        Searched("town"),
    ],
)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    postcode: str = ""
    local_authority: str = ""  # DfE code
    kind: str = ""
    cluster: str = ""  # cluster slug
    expertise: str = ""  # expertise slug
    include_closed: bool = False


def _once(found: QuerySet[Organisation], filters: DirectoryFilters) -> QuerySet[Organisation]:
    # Only a filter across a many-to-many join can give an organisation twice; DISTINCT over
    # every column of a few hundred rows costs more than the search itself.
    return found.distinct() if filters.cluster or filters.expertise else found


@dataclass(frozen=True)
class DirectoryResults:
    organisations: QuerySet[Organisation]  # best first
    count: int  # how many there are: counted once, for the search's own choice and the pages


def directory_search(
    *, hub: Hub, filters: DirectoryFilters, public: bool = True
) -> DirectoryResults:
    """Search the hub's directory. Terms are combined: every one given must match."""
    orgs = hub_public_organisations(hub=hub) if public else hub_organisations(hub=hub)
    if not filters.include_closed:
        orgs = orgs.filter(is_open=True)
    if filters.postcode:
        orgs = orgs.filter(postcode__istartswith=normalise_postcode(filters.postcode))
    if filters.local_authority:
        orgs = orgs.filter(local_authority__code=filters.local_authority)
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.cluster:
        orgs = orgs.filter(cluster_memberships__cluster__hub=hub).filter(
            cluster_memberships__cluster__slug=filters.cluster
        )
    if filters.expertise:
        orgs = orgs.filter(expertise__slug=filters.expertise)
    orgs = orgs.select_related("local_authority")
    once = partial(_once, filters=filters)

    words = searchable(filters.q).split()
    if not words:
        listed = once(orgs.order_by("name", "pk"))
        return DirectoryResults(listed, listed.count())
    # alias, not annotate: the rank and the filters use them, and nothing reads them back.
    orgs = orgs.alias(plain_name=plain(F("name")), plain_town=plain(F("town")))
    found = once(
        contains_every_word(
            orgs, words, ["plain_name", "plain_town"], index=ORGANISATION_SEARCH, extra=urn_q
        )
    )
    count = found.count()
    if not count:
        # Nothing has every word: perhaps a typo ("Jospeh"). Names and towns with a word close
        # to each one typed, the closest first (PostgreSQL only).
        close = once(fuzzy(orgs, words, [plain_upper("name"), plain_upper("town")]))
        close_count = close.count()
        if close_count:
            return DirectoryResults(close.order_by("-similarity", "name", "pk"), close_count)
        return DirectoryResults(found, 0)
    # An exact name first, then names that start with the words typed, then the rest. Only a
    # name that starts so can be exact: asked second, most names are made plain once, not twice.
    q = " ".join(words)
    ranked = found.annotate(
        rank=Case(
            When(
                plain_name__istartswith=q,
                then=Case(When(plain_name__iexact=q, then=Value(0)), default=Value(1)),
            ),
            default=Value(2),
        )
    )
    return DirectoryResults(ranked.order_by("rank", "name", "pk"), count)


# The columns a list of search results shows (templates/directory/includes/results.html), for
# QuerySet.only: the register's rows are wide, and reading every column of 25 of them was a
# tenth of the page's server time.
LISTED_FIELDS = (
    "name",
    "kind",
    "phase",
    "town",
    "postcode",
    "urn",
    "is_open",
    "local_authority__name",
)


FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: "sn101aa" -> "SN10 1AA".

    A partial postcode ("SN10", "SN10 1") is kept as typed, for a prefix search.
    """
    value = " ".join(value.upper().split())
    match = FULL_POSTCODE.match(value.replace(" ", ""))
    return f"{match[1]} {match[2]}" if match else value


def plain_upper(field: str) -> Any:
    """The expression the trigram indexes hold: what ``plain_<field>__icontains`` compares."""
    return Upper(Cast(plain(F(field)), TextField()))


def urn_q(word: str) -> Q:
    return Q(urn=int(word)) if word.isdigit() and len(word) <= 9 else Q(pk__in=[])


# The clusters an organisation belongs to are read through its ``clusters`` relation, as
# hub_counts does: the directory shows them but does not import the clusters app, which
# builds on the directory.
def with_hub_clusters(orgs: QuerySet[Organisation], *, hub: Hub) -> QuerySet[Organisation]:
    """Each organisation with ``hub_clusters``: the clusters of this hub it belongs to."""
    return orgs.prefetch_related(
        Prefetch("clusters", queryset=hub.clusters.all(), to_attr="hub_clusters")
    )


def organisation_clusters(*, hub: Hub, organisation: Organisation) -> QuerySet[Any]:
    """The clusters of this hub the organisation belongs to, with their coordinators."""
    return organisation.clusters.filter(hub=hub).select_related("coordinator")


@dataclass(frozen=True)
class HubCounts:
    schools: int
    partners: int
    clusters: int


def hub_counts(*, hub: Hub) -> HubCounts:
    return HubCounts(
        schools=Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__hubs=hub, is_open=True
        ).count(),
        partners=Partnership.objects.filter(hub=hub, status=PartnershipStatus.ACTIVE)
        .exclude(organisation__kind=OrganisationKind.SCHOOL)
        .count(),
        clusters=hub.clusters.count(),
    )
