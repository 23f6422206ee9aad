"""Reads for the needs analysis, always within one hub: statuses, the gap ranking, counts, maps."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from statistics import median
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.core.paginator import Page, Paginator

from tutti.accounts.models import CAPABILITIES, Membership
from tutti.clusters.models import ClusterMember
from tutti.core import page_cache
from tutti.core.maps import MapPoint, MapShape, SvgMap, authority_outline, build_map, convex_hull
from tutti.directory.models import Hub, LocalAuthority, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.kinds import KINDS
from tutti.provision.models import (
    Answer,
    AuditLinkVersion,
    CoreRole,
    Network,
    SchoolAudit,
    Status,
    WorkingGroup,
)

STATUS_OF_ANSWER = {
    Answer.YES: Status.PROVIDED,
    Answer.PARTLY: Status.PARTLY,
    Answer.NO: Status.NOT_PROVIDED,
    "": Status.UNKNOWN,
}
# Best first: used to combine two answers (ensembles and a choir) into one status.
STATUS_ORDER = [Status.PROVIDED, Status.PARTLY, Status.NOT_PROVIDED, Status.UNKNOWN]


@dataclass
class SchoolProvision:
    pk: int
    name: str
    phase: str
    pupils: int | None
    percent_fsm: float | None
    latitude: float | None
    longitude: float | None
    local_authority: str
    clusters: list[str] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    audit: SchoolAudit | None = None
    pupils_census: str = ""  # e.g. "January 2023"
    pupils_from_predecessor: bool = False
    # Stand-ins for a number the register does not have, set by the gap ranking.
    estimated_pupils: int | None = None
    estimated_fsm: float | None = None

    @property
    def cluster_label(self) -> str:
        return ", ".join(self.clusters) or "No cluster"

    @property
    def gap_score(self) -> float:
        """Pupils, with extra weight for disadvantage: pupils x (1 + % free school meals / 100).

        A number the register does not have counts as its estimate (see ``fill_estimates``)."""
        pupils = self.pupils if self.pupils is not None else self.estimated_pupils
        fsm = self.percent_fsm if self.percent_fsm is not None else self.estimated_fsm
        return (pupils or 0) * (1 + (fsm or 0) / 100)


def statuses_from_audit(record: SchoolAudit | None) -> dict[str, str]:
    """Each core role's status from one audit; every role is unknown without one."""
    if record is None:
        return dict.fromkeys(CoreRole.values, Status.UNKNOWN)
    statuses: dict[str, str] = {
        role: STATUS_OF_ANSWER[getattr(record, role)]
        for role in CoreRole.values
        if role != CoreRole.ENSEMBLES
    }
    # A choir is an ensemble: the better of the two answers counts.
    statuses[CoreRole.ENSEMBLES] = min(
        STATUS_OF_ANSWER[record.ensembles],
        STATUS_OF_ANSWER[record.choir],
        key=STATUS_ORDER.index,
    )
    return statuses


def participation_provision(*, hub: Hub, year: int) -> dict[int, set[str]]:
    """School id -> core roles that the hub's participation records show it receives that year.

    A record of, say, whole-class ensemble teaching in a school counts as that role provided
    even when the school's audit is missing or says otherwise. One query for each kind of
    record that shows a core role (``RecordKind.core_role``).
    """
    roles: dict[int, set[str]] = defaultdict(set)
    for kind in KINDS.values():
        if not kind.core_role:
            continue
        role = CoreRole(kind.core_role)
        # Every kind with a core role names a school (RecordKind.core_role); the abstract
        # record type does not, so the field is named by string.
        school = "school_id"
        for school_id in (
            kind.model.objects.filter(hub=hub, year=year, **{f"{school}__isnull": False})
            .values_list(school, flat=True)
            .distinct()
        ):
            roles[school_id].add(role)
    return roles


def school_provision(*, hub: Hub, year: int) -> list[SchoolProvision]:
    """Every open school in the hub's area with its status per core role. Seven queries."""
    schools = (
        hub_organisations(hub=hub)
        .filter(kind=OrganisationKind.SCHOOL, is_open=True)
        .select_related("local_authority")
        .order_by("name")
    )
    audits = {a.school_id: a for a in SchoolAudit.objects.filter(hub=hub, year=year)}
    clusters: dict[int, list[str]] = defaultdict(list)
    for school_id, name in ClusterMember.objects.filter(cluster__hub=hub).values_list(
        "organisation_id", "cluster__name"
    ):
        clusters[school_id].append(name)
    records = participation_provision(hub=hub, year=year)
    rows = []
    for school in schools:
        record = audits.get(school.pk)
        statuses = statuses_from_audit(record)
        for role in records.get(school.pk, ()):
            statuses[role] = Status.PROVIDED
        rows.append(
            SchoolProvision(
                pk=school.pk,
                name=school.name,
                phase=school.phase or "Not recorded",
                pupils=school.pupils,
                percent_fsm=float(school.percent_fsm) if school.percent_fsm is not None else None,
                latitude=school.latitude,
                longitude=school.longitude,
                local_authority=school.local_authority.name if school.local_authority else "",
                clusters=sorted(clusters.get(school.pk, [])),
                statuses=statuses,
                audit=record,
                pupils_census=school.pupils_census if school.pupils is not None else "",
                pupils_from_predecessor=(
                    school.pupils is not None and school.pupils_predecessor_urn is not None
                ),
            )
        )
    return rows


RANKING_RULE = (
    "Schools that do not offer it at all come first, then schools that offer it in part, then "
    "schools that have not told us yet; schools that offer it fully are left out. Within each "
    "group, the school with the highest score comes first. A school's score is its number of "
    "pupils plus its number of pupils on free school meals, so each disadvantaged pupil counts "
    "twice. For example, 200 pupils with 50% on free school meals score 300, and come before "
    "250 pupils with 10% on free school meals (275). Where the school census has no number of "
    "pupils for a school (a college, or a school too new), it counts as the typical (median) "
    "size of the schools of the same phase in this list, marked “about”; an unknown share on "
    "free school meals counts as the median share of its phase in the same way. Equal scores "
    "go by name."
)
RANKED_STATUSES: list[str] = [Status.NOT_PROVIDED, Status.PARTLY, Status.UNKNOWN]


def gap_ranking(*, rows: Iterable[SchoolProvision], role: str) -> list[SchoolProvision]:
    """The schools lacking ``role``, most in need first.

    The rule, as shown on the gap map page: schools that do not offer it at all come first,
    then schools that offer it in part, then schools that have not told us; schools that offer
    it fully are left out. Within each group the score is pupils x (1 + % free school meals /
    100), highest first; ties go by name.
    """
    rows = list(rows)
    fill_estimates(rows)
    lacking = [r for r in rows if r.statuses[role] in RANKED_STATUSES]
    return sorted(
        lacking,
        key=lambda r: (RANKED_STATUSES.index(r.statuses[role]), -r.gap_score, r.name),
    )


def fill_estimates(rows: list[SchoolProvision]) -> None:
    """Give each school without a number of pupils (or % free school meals) the median of the
    schools of its phase that have one; of all the schools when none of its phase has."""
    for attribute, estimate in (("pupils", "estimated_pupils"), ("percent_fsm", "estimated_fsm")):
        known: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            if getattr(row, attribute) is not None:
                known[row.phase].append(getattr(row, attribute))
        everyone = [value for values in known.values() for value in values]
        for row in rows:
            if getattr(row, attribute) is not None:
                continue
            values = known.get(row.phase) or everyone
            value = median(values) if values else None
            if value is not None and attribute == "pupils":
                value = round(value)
            elif value is not None:
                value = round(value, 1)
            setattr(row, estimate, value)


def pupils_source(*, rows: Iterable[SchoolProvision]) -> str:
    """Where the numbers of pupils come from, in a sentence for the page and the report."""
    rows = list(rows)
    censuses = Counter(r.pupils_census for r in rows if r.pupils is not None and r.pupils_census)
    unknown = sum(r.pupils is None for r in rows)
    predecessors = sum(r.pupils_from_predecessor for r in rows)
    if not censuses:
        text = "Numbers of pupils come from the school register."
    else:
        named = " and ".join(sorted(censuses, key=lambda c: -censuses[c]))
        text = (
            f"Numbers of pupils come from the Department for Education's school census of {named}."
        )
    if predecessors:
        text += (
            f" For {predecessors} school{pluralize(predecessors)} opened since (most of them "
            "academies), the number is that of the school it replaced."
        )
    if unknown:
        text += (
            f" {unknown} school{pluralize(unknown)} {'has' if unknown == 1 else 'have'} no number."
        )
    return text


def pluralize(n: int) -> str:
    return "" if n == 1 else "s"


@dataclass
class GroupCounts:
    name: str
    schools: int = 0
    # role -> status -> number of schools
    by_role: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, role: str, status: str) -> int:
        return self.by_role.get(role, {}).get(status, 0)

    def lacking(self) -> list[int]:
        """Schools not providing each core role, in the order of CoreRole."""
        return [self.count(role, Status.NOT_PROVIDED) for role in CoreRole.values]

    def percent(self, role: str, status: str) -> int:
        return round(100 * self.count(role, status) / self.schools) if self.schools else 0

    def add(self, row: "SchoolProvision") -> None:
        """Count one more school, under its status for each role."""
        self.schools += 1
        for role, status in row.statuses.items():
            counts = self.by_role.setdefault(role, {})
            counts[status] = counts.get(status, 0) + 1


def provision_counts(*, rows: Iterable[SchoolProvision], by: str) -> list[GroupCounts]:
    """Schools per status per role, grouped by "cluster" or "local_authority".

    A school in two clusters counts in both; schools in no cluster are grouped last.
    """
    groups: dict[str, GroupCounts] = {}
    for row in rows:
        names = (row.clusters or ["No cluster"]) if by == "cluster" else [row.local_authority]
        for name in names:
            groups.setdefault(name, GroupCounts(name=name)).add(row)
    return sorted(groups.values(), key=lambda g: (g.name == "No cluster", g.name))


def status_totals(*, rows: Iterable[SchoolProvision], role: str) -> list[tuple[str, str, int]]:
    """(status, label, schools) for every status, in legend order."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.statuses[role]] += 1
    return [(s.value, s.label, counts[s.value]) for s in STATUS_ORDER]


# Drawn last on top, so that the gaps are never hidden under a provided school.
DRAW_ORDER: list[str] = [Status.UNKNOWN, Status.PROVIDED, Status.PARTLY, Status.NOT_PROVIDED]


def gap_map(
    *, authorities: Iterable[LocalAuthority], rows: list[SchoolProvision], role: str
) -> SvgMap:
    """The hub's authorities, its clusters' outlines and its schools marked by status."""
    shapes = [
        MapShape(label=la.name, rings=authority_outline(la.gss_code), group="map-area")
        for la in authorities
        if la.gss_code
    ]
    located = [r for r in rows if r.latitude is not None and r.longitude is not None]
    by_cluster: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in located:
        for name in row.clusters:
            by_cluster[name].append((row.longitude, row.latitude))  # type: ignore[arg-type]
    for name, positions in sorted(by_cluster.items()):
        hull = convex_hull(positions)
        if len(hull) > 3:
            shapes.append(MapShape(label=f"Cluster: {name}", rings=[hull], group="map-cluster"))
    points = [
        MapPoint(
            lat=row.latitude,  # type: ignore[arg-type]
            lon=row.longitude,  # type: ignore[arg-type]
            label=f"{row.name}: {Status(row.statuses[role]).label.lower()}",
            group=row.statuses[role],
        )
        for row in sorted(located, key=lambda r: DRAW_ORDER.index(r.statuses[role]))
    ]
    return build_map(points=points, shapes=shapes, fit_to_points=not shapes)


# The gap map page keeps what it draws and counts in the shared cache, under keys holding the
# data versions of the site and the hub (tutti.core.page_cache): saving anything the page shows
# (an audit, a cluster or its members, a school, a partner's participation record, the hub's
# authorities) sets a new version, so the next visitor's key is new and the page is drawn again
# at once. An entry under an old version is never read again; it leaves the cache by itself.
GAP_MAP_TIMEOUT = 60 * 60  # and a new release's drawing (a changed template) within the hour
T = TypeVar("T")


@dataclass(frozen=True)
class GapMapCache:
    """The cache of one hub's gap map in one academic year, at the data versions of the moment
    it was made (one read of the cache), so that every part of a page is of the same data."""

    hub_id: int
    year: int
    versions: tuple[str, str]

    @classmethod
    def of(cls, *, hub: Hub, year: int) -> "GapMapCache":
        return cls(hub_id=hub.pk, year=year, versions=page_cache.versions(hub.pk))

    def key(self, part: str, **filters: str) -> str:
        raw = "|".join(
            [
                *self.versions,
                str(self.hub_id),
                str(self.year),
                part,
                *(f"{name}={value}" for name, value in sorted(filters.items())),
            ]
        )
        return "tutti:gap-map:" + hashlib.sha256(raw.encode()).hexdigest()

    def get_or_make(self, make: Callable[[], T], part: str, **filters: str) -> T:
        """The part from the cache, or made by ``make()`` and kept."""
        key = self.key(part, **filters)
        found = cache.get(key)
        if found is None:
            found = make()
            cache.set(key, found, timeout=GAP_MAP_TIMEOUT)
        return cast(T, found)

    def analysis_page(
        self,
        make: Callable[[], dict[str, Any]],
        *,
        page_number: str | None,
        per_page: int,
        **filters: str,
    ) -> tuple[dict[str, Any], Page[Any]]:
        """The needs analysis that ``make()`` gives, kept in the cache, and a page of its
        ranking (a list of (row, status label)).

        The ranking is kept as plain tuples: a county's several hundred schools as rows took
        longer to read back from the cache than all the rest of the page took to show, and a
        visitor sees one page of them."""
        # The fields in the key: a release that changes them never reads an older entry.
        layout = ",".join(_PACKED_FIELDS)
        analysis = self.get_or_make(lambda: _packed(make()), "analysis", rows=layout, **filters)
        page = Paginator(analysis["ranking"], per_page).get_page(page_number)
        page.object_list = [(_unpack(row), label) for row, label in page.object_list]
        return analysis, page


_PACKED_FIELDS = [f.name for f in fields(SchoolProvision) if f.name != "audit"]


def _packed(analysis: dict[str, Any]) -> dict[str, Any]:
    # Without its audit (the page shows no answer, only the statuses), statuses as strings.
    def pack(row: SchoolProvision) -> tuple[Any, ...]:
        values = {name: getattr(row, name) for name in _PACKED_FIELDS}
        values["statuses"] = {role: str(status) for role, status in row.statuses.items()}
        return tuple(values.values())

    return {**analysis, "ranking": [(pack(row), label) for row, label in analysis["ranking"]]}


def _unpack(values: tuple[Any, ...]) -> SchoolProvision:
    return SchoolProvision(**dict(zip(_PACKED_FIELDS, values, strict=True)))


@dataclass
class AuditProgress:
    school: SchoolProvision
    state: str  # "complete", "started" or "not started"


def audit_progress(*, rows: Iterable[SchoolProvision]) -> list[AuditProgress]:
    progress = []
    for row in rows:
        if row.audit is None or row.audit.answered == 0:
            state = "not started"
        elif row.audit.is_complete:
            state = "complete"
        else:
            state = "started"
        progress.append(AuditProgress(school=row, state=state))
    return progress


def audit_link_versions(*, hub: Hub, school_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Each school's current audit link version, by school id; a school not listed has 0."""
    found = AuditLinkVersion.objects.filter(hub=hub)
    if school_ids is not None:
        found = found.filter(school_id__in=list(school_ids))
    return dict(found.values_list("school_id", "version"))


def audit_get(*, hub: Hub, school_id: int, year: int) -> SchoolAudit | None:
    return SchoolAudit.objects.filter(hub=hub, school_id=school_id, year=year).first()


@dataclass
class Coverage:
    name: str
    schools: int
    provided: int
    partly: int
    percent: int


def coverage_by_group(*, groups: Iterable[GroupCounts], role: str) -> list[Coverage]:
    """For a chart: each group's schools providing ``role`` fully, and in part."""
    return [
        Coverage(
            name=g.name,
            schools=g.schools,
            provided=g.count(role, Status.PROVIDED),
            partly=g.count(role, Status.PARTLY),
            percent=g.percent(role, Status.PROVIDED),
        )
        for g in groups
    ]


# Networks: several hubs' figures added together, never anything about people.


def network_get_for_user(*, slug: str, user: Any) -> tuple[Network | None, bool]:
    """The network, and whether the user may see it.

    The network exists for the people of its member hubs: hub admins and staff of a member hub
    (and superusers) may see it; other roles in a member hub may not (403). For everyone else
    it does not exist (None, so 404), like another hub's pages.
    """
    network = Network.objects.filter(slug=slug).first()
    if network is None or not user.is_authenticated:
        return network, False
    if user.is_superuser:
        return network, True
    roles = set(
        Membership.objects.filter(user=user, hub__networks=network).values_list("role", flat=True)
    )
    if not roles:
        return None, False
    return network, bool(roles & CAPABILITIES["can_manage_provision"])


@dataclass
class NetworkProvision:
    hubs: list[Hub]
    rows: list[SchoolProvision]
    by_hub: list[GroupCounts]
    total: GroupCounts


def group_counts(*, name: str, rows: Iterable[SchoolProvision]) -> GroupCounts:
    group = GroupCounts(name=name)
    for row in rows:
        group.add(row)
    return group


def _sum_counts(*, name: str, groups: Iterable[GroupCounts]) -> GroupCounts:
    total = GroupCounts(name=name)
    for group in groups:
        total.schools += group.schools
        for role, counts in group.by_role.items():
            summed = total.by_role.setdefault(role, {})
            for status, n in counts.items():
                summed[status] = summed.get(status, 0) + n
    return total


def network_provision(
    *, network: Network, year: int, school_ids: set[int] | None = None
) -> NetworkProvision:
    """Each member hub's schools and counts, and the network's total as the sum of the hubs'.

    Only member hubs are read: every row comes from ``school_provision(hub=...)`` of one of
    them. ``school_ids`` narrows it to a working group's area.
    """
    hubs = list(network.hubs.order_by("name"))
    rows: list[SchoolProvision] = []
    by_hub = []
    for hub in hubs:
        hub_rows = [
            r
            for r in school_provision(hub=hub, year=year)
            if school_ids is None or r.pk in school_ids
        ]
        rows.extend(hub_rows)
        by_hub.append(group_counts(name=hub.name, rows=hub_rows))
    return NetworkProvision(
        hubs=hubs,
        rows=rows,
        by_hub=by_hub,
        total=_sum_counts(name=network.name, groups=by_hub),
    )


def working_group_school_ids(*, group: WorkingGroup) -> set[int] | None:
    """The schools in the group's area of the map, or None when it covers the whole network."""
    las = list(group.local_authorities.values_list("pk", flat=True))
    clusters = list(group.clusters.values_list("pk", flat=True))
    if not las and not clusters:
        return None
    ids = set(
        ClusterMember.objects.filter(cluster__in=clusters).values_list("organisation_id", flat=True)
    )
    ids |= set(
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL, local_authority__in=las
        ).values_list("pk", flat=True)
    )
    return ids


def network_maps(
    *, network: Network, rows: list[SchoolProvision], role: str
) -> list[tuple[Hub, SvgMap]]:
    """One map per member hub, each fitted to that hub's area. Member hubs can be a country
    apart, and one map of them all would be mostly empty sea and land between them."""
    maps = []
    for hub in network.hubs.order_by("name").prefetch_related("local_authorities"):
        authorities = list(hub.local_authorities.all())
        names = {la.name for la in authorities}
        unique = list({r.pk: r for r in rows if r.local_authority in names}.values())
        maps.append((hub, gap_map(authorities=authorities, rows=unique, role=role)))
    return maps


def network_map(*, network: Network, rows: list[SchoolProvision], role: str) -> SvgMap:
    """The member hubs' authorities and schools; a school shared by two hubs is drawn once."""
    authorities = LocalAuthority.objects.filter(hubs__networks=network).distinct()
    unique = list({r.pk: r for r in rows}.values())
    return gap_map(authorities=authorities, rows=unique, role=role)
