"""The hub's impact figures, each defined once, here, with the words shown beside it.

Every figure is computed from one year's records (``YearData``), and each can say which
records are behind it, so the impact page, the list of records behind a figure and the data
return always agree. A school is counted once however many partners or records name it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from tutti.clusters.models import ClusterMember
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.participation.kinds import KINDS
from tutti.participation.models import SchoolSupport

Row = dict[str, Any]


@dataclass
class School:
    pk: int
    urn: int | None
    name: str
    phase: str
    is_open: bool
    local_authority: str
    cluster: str = ""


@dataclass
class YearData:
    """One hub's records for one year, as plain rows, and the schools of its area."""

    hub: Hub
    year: int
    rows: dict[str, list[Row]]
    # The register's open schools in the hub's local authorities, and any other school that
    # has a record this year (one that has since closed), so every school counted has a row.
    schools: dict[int, School]

    @property
    def has_records(self) -> bool:
        return any(self.rows.values())

    def school_ids(self, kind: str, where: Callable[[Row], bool] = lambda r: True) -> set[int]:
        return {r["school_id"] for r in self.rows[kind] if r["school_id"] and where(r)}


def load_year(*, hub: Hub, year: int) -> YearData:
    """Everything the figures need, in eight queries whatever the number of records."""
    return load_years(hub=hub, years=[year])[year]


def load_years(*, hub: Hub, years: list[int]) -> dict[int, YearData]:
    """``load_year`` for several years at once, still in eight queries."""
    rows: dict[int, dict[str, list[Row]]] = {year: {k: [] for k in KINDS} for year in years}
    for kind in KINDS.values():
        names = ["pk", "year", "partner_id", *kind.figure_fields]
        if kind.names_school:
            names.append("school_id")
        records = kind.model.objects.filter(hub=hub, year__in=years).filter(
            # A partner's return counts once it is sent, not while they are filling it in.
            Q(submission__isnull=True) | Q(submission__status="submitted")
        )
        for r in records.values(*names):
            if not kind.names_school:
                r["school_id"] = None
            rows[r["year"]][kind.key].append(r)
    with_records = {
        r["school_id"] for by_kind in rows.values() for rs in by_kind.values() for r in rs
    } - {None}
    found = (
        Organisation.objects.filter(
            Q(
                kind=OrganisationKind.SCHOOL,
                is_open=True,
                local_authority_id__in=hub.local_authorities.values("pk"),
            )
            | Q(pk__in=with_records)
        )
        .values_list("pk", "urn", "name", "phase", "is_open", "local_authority__name")
        .order_by("urn")
    )
    schools = {
        pk: School(pk, urn, name, phase, is_open, la or "")
        for pk, urn, name, phase, is_open, la in found
    }
    for org_id, cluster in ClusterMember.objects.filter(cluster__hub=hub).values_list(
        "organisation_id", "cluster__name"
    ):
        if org_id in schools:
            schools[org_id].cluster = cluster
    return {year: YearData(hub=hub, year=year, rows=rows[year], schools=schools) for year in years}


@dataclass
class Result:
    value: float
    # The records behind the figure, by kind; and the schools it counts, if it counts any.
    records: dict[str, list[Row]] = field(default_factory=dict)
    schools: set[int] | None = None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    compute: Callable[[YearData], Result]
    # Where the number comes from when it is not from partners' records.
    source: str = ""
    percent: bool = False


def _total(rows: list[Row], *names: str) -> int:
    return sum(r[n] for r in rows for n in names)


def _schools_with(data: YearData, parts: dict[str, Callable[[Row], bool]]) -> Result:
    records = {
        s: [r for r in data.rows[s] if r["school_id"] and where(r)] for s, where in parts.items()
    }
    schools = {r["school_id"] for rs in records.values() for r in rs}
    return Result(value=len(schools), records=records, schools=schools)


def _any_core_role(r: Row) -> bool:
    return any(r[role] for role in SchoolSupport.CORE_ROLES)


def _everything(r: Row) -> bool:
    return True


def schools_in_area(data: YearData) -> Result:
    schools = {pk for pk, s in data.schools.items() if s.is_open}
    return Result(value=len(schools), schools=schools)


def schools_engaged(data: YearData) -> Result:
    return _schools_with(
        data,
        {
            "wcet": _everything,
            "tuition": _everything,
            "ensembles": _everything,
            "singing": _everything,
            "school-support": _any_core_role,
        },
    )


def schools_teaching(data: YearData) -> Result:
    return _schools_with(data, {"tuition": _everything})


def pupils_taught(data: YearData) -> Result:
    rows = data.rows["tuition"]
    return Result(value=_total(rows, "pupils"), records={"tuition": rows})


def ensembles(data: YearData) -> Result:
    rows = data.rows["ensembles"]
    return Result(value=len(rows), records={"ensembles": rows})


def ensemble_members(data: YearData) -> Result:
    rows = data.rows["ensembles"]
    return Result(value=_total(rows, "members"), records={"ensembles": rows})


def singing_schools(data: YearData) -> Result:
    return _schools_with(data, {"singing": _everything, "school-support": lambda r: r["singing"]})


def wcet_pupils(data: YearData) -> Result:
    rows = data.rows["wcet"]
    return Result(value=_total(rows, "pupils"), records={"wcet": rows})


def wcet_schools(data: YearData) -> Result:
    return _schools_with(data, {"wcet": _everything})


def wcet_continuation(data: YearData) -> Result:
    rows = data.rows["wcet"]
    pupils = _total(rows, "pupils")
    rate = round(100 * _total(rows, "continued") / pupils) if pupils else 0
    return Result(value=rate, records={"wcet": rows})


def schools_supported(data: YearData) -> Result:
    return _schools_with(data, {"school-support": _everything})


def instruments_on_loan(data: YearData) -> Result:
    rows = data.rows["loans"]
    return Result(value=_total(rows, "to_pupils", "to_schools"), records={"loans": rows})


def partners(data: YearData) -> Result:
    partner_ids = {r["partner_id"] for rows in data.rows.values() for r in rows}
    return Result(value=len(partner_ids), records=data.rows)


def pupils_weekly(data: YearData) -> Result:
    return Result(
        value=_total(data.rows["wcet"], "pupils")
        + _total(data.rows["tuition"], "pupils")
        + _total(data.rows["ensembles"], "members"),
        records={s: data.rows[s] for s in ("wcet", "tuition", "ensembles")},
    )


COUNTED_ONCE = " Each school is counted once, however many partners work with it."
REGISTER = (
    "From the national register of schools (Get Information About Schools), not from "
    "partners' records."
)

FIGURES: list[Figure] = [
    Figure(
        "schools-in-area",
        "Schools and settings in the area",
        "Open schools and settings in the national register in the hub's local authorities.",
        schools_in_area,
        source=REGISTER,
    ),
    Figure(
        "schools-engaged",
        "Schools engaged on one or more core roles",
        "Schools with whole-class ensemble teaching, instrumental or vocal lessons, an ensemble "
        "based at the school, singing support, or support with a core role (whole-class "
        "teaching, ensembles, progression or singing) in the year." + COUNTED_ONCE,
        schools_engaged,
    ),
    Figure(
        "schools-teaching",
        "Schools with instrumental and/or vocal teaching",
        "Schools where a partner gave instrumental or vocal lessons in the year." + COUNTED_ONCE,
        schools_teaching,
    ),
    Figure(
        "pupils-taught",
        "Pupils having instrumental and/or vocal lessons",
        "Pupils on every tuition record, at schools and at centres, added up. A pupil who "
        "learns with two partners, or two instruments, is counted by each.",
        pupils_taught,
    ),
    Figure(
        "ensembles",
        "Ensembles and choirs",
        "Ensembles and choirs that ran in the year, area based or based at a school.",
        ensembles,
    ),
    Figure(
        "ensemble-members",
        "Young people in ensembles and choirs",
        "Members of every ensemble and choir, added up. A young person in two ensembles is "
        "counted twice.",
        ensemble_members,
    ),
    Figure(
        "schools-singing",
        "Schools supported to deliver singing",
        "Schools with singing support (whole-school singing, a choir, training for staff or a "
        "performance), or school support that includes singing." + COUNTED_ONCE,
        singing_schools,
    ),
    Figure(
        "wcet-pupils",
        "Pupils in whole-class ensemble teaching",
        "Pupils in every whole-class ensemble teaching programme, added up.",
        wcet_pupils,
    ),
    Figure(
        "wcet-schools",
        "Schools with whole-class ensemble teaching",
        "Schools with at least one whole-class ensemble teaching programme." + COUNTED_ONCE,
        wcet_schools,
    ),
    Figure(
        "wcet-continuation",
        "Pupils who carried on after whole-class teaching",
        "Of all the pupils in whole-class ensemble teaching, the share that partners recorded "
        "as continuing to learn afterwards.",
        wcet_continuation,
        percent=True,
    ),
    Figure(
        "schools-supported",
        "Schools and settings supported to deliver regular music",
        "Schools with a school support record: help with any core role, training for staff, "
        "the curriculum, instrument loans or a large-scale experience." + COUNTED_ONCE,
        schools_supported,
    ),
    Figure(
        "instruments-on-loan",
        "Instruments on loan",
        "Instruments partners had out on loan to pupils and to schools in the year.",
        instruments_on_loan,
    ),
    Figure(
        "partners",
        "Music education partners delivering",
        "Organisations with at least one record of delivery in the year.",
        partners,
    ),
    Figure(
        "pupils-weekly",
        "Pupils engaged weekly",
        "Pupils in whole-class ensemble teaching, pupils having lessons and members of "
        "ensembles, added up. Someone who does two of these is counted twice.",
        pupils_weekly,
    ),
]
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


@dataclass
class FigureValue:
    figure: Figure
    result: Result

    @property
    def value(self) -> float:
        return self.result.value


def compute_figures(data: YearData) -> list[FigureValue]:
    return [FigureValue(f, f.compute(data)) for f in FIGURES]


@dataclass
class BreakdownRow:
    name: str
    in_area: int
    engaged: int

    @property
    def share(self) -> int:
        return round(100 * self.engaged / self.in_area) if self.in_area else 0


def breakdown(
    data: YearData, engaged: set[int], by: str, *, missing: str = "Not recorded"
) -> list[BreakdownRow]:
    """Schools in the area and schools engaged, by ``local_authority``, ``cluster`` or
    ``phase``, with schools that have none last; the share reached is of the open schools."""
    in_area: dict[str, int] = defaultdict(int)
    reached: dict[str, int] = defaultdict(int)
    for pk, school in data.schools.items():
        name = getattr(school, by) or missing
        if school.is_open:
            in_area[name] += 1
        if pk in engaged:
            reached[name] += 1
    names = sorted(in_area.keys() | reached.keys(), key=lambda n: (n == missing, n))
    return [BreakdownRow(n, in_area[n], reached[n]) for n in names]
