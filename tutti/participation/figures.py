"""The hub's impact figures, each defined once, here, with the words shown beside it.

Every figure is computed from one year's records (``YearData``), and each can say which
records are behind it, so the impact page, the list of records behind a figure and the data
return always agree. A school is counted once however many partners or records name it.

The database adds the records up: per kind, per year and per school (``selectors.
figure_tallies``), and the figures add those up over the schools, so a figure costs the same
whatever the number of records. Only the list of records behind a figure reads records one by
one, and only when it is asked for (``Result.records``).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from django.db.models import Q

from tutti.directory.models import Hub
from tutti.participation import selectors
from tutti.participation.kinds import KINDS
from tutti.participation.models import SchoolSupport
from tutti.participation.selectors import Tally

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


class SchoolsOfALoad:
    """The schools a load of years counts (``selectors.figure_schools``), shared by its years
    and read only when something asks for them: the reach tables, the data return and the list
    behind "schools in the area" do; the figures need only how many are open, a COUNT."""

    def __init__(self, hub: Hub, with_records: set[int]) -> None:
        self.hub, self.with_records = hub, with_records

    @cached_property
    def rows(self) -> dict[int, School]:
        return {
            pk: School(pk, urn, name, phase, is_open, la or "", cluster or "")
            for pk, urn, name, phase, is_open, la, cluster in selectors.figure_schools(
                hub=self.hub, with_records=self.with_records
            )
        }

    def read(self) -> dict[int, School]:
        """The schools, read now if not yet: for a page that lists them, so that their count
        then needs no query of its own."""
        return self.rows

    @cached_property
    def open_count(self) -> int:
        if "rows" in self.__dict__:  # read already: no query
            return sum(1 for school in self.rows.values() if school.is_open)
        return selectors.figure_open_schools(hub=self.hub, with_records=self.with_records)


@dataclass
class YearData:
    """One hub's records for one year, added up per kind and school, and the schools of its
    area."""

    hub: Hub
    year: int
    # Per kind, per school (None: at no school), how many records and what they add up to.
    tallies: dict[str, dict[int | None, Tally]]
    # The partners with at least one record.
    partner_ids: set[int]
    # The register's open schools in the hub's local authorities, and any other school that
    # has a record in the years loaded (one that has since closed), so every school counted
    # has a row.
    area: SchoolsOfALoad = field(repr=False)
    # Figures counted by an app above participation (LIVE_COUNTS): (count, where it came from).
    live: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def schools(self) -> dict[int, School]:
        return self.area.rows

    @property
    def has_records(self) -> bool:
        return any(self.tallies.values())

    def total(self, kind: str, *names: str) -> int:
        """The kind's records' ``names`` (a number, or "records" for how many) added up."""
        return sum(t[n] for t in self.tallies[kind].values() for n in names)

    def school_ids(self, kind: str, *flags: str) -> set[int]:
        """Schools with a record of the kind; with ``flags``, one with any of them set."""
        return {
            pk
            for pk, t in self.tallies[kind].items()
            if pk is not None and (not flags or any(t[f] for f in flags))
        }

    def records(self, parts: dict[str, Q]) -> dict[str, list[Row]]:
        """The records of each kind in ``parts`` that match its condition, one query each."""
        names = {}
        for key in parts:
            kind = KINDS[key]
            names[key] = ["pk", "year", "partner_id", *kind.figure_fields]
            if kind.names_school:
                names[key].append("school_id")
        found = selectors.figure_records(hub=self.hub, year=self.year, parts=parts, names=names)
        for key, rows in found.items():
            if not KINDS[key].names_school:
                for r in rows:
                    r["school_id"] = None
        return found


# Figures counted by apps above participation in the layers, which it may not import: each
# registers a function of (hub, years) from its AppConfig.ready(), called once by load_years
# (one query), returning per year (count, where it came from); no year at all when the hub
# keeps no such records there. tutti.loans fills "instruments-on-loan" from its real loans.
LIVE_COUNTS: dict[str, Callable[[Hub, list[int]], dict[int, tuple[int, str]]]] = {}


def load_year(*, hub: Hub, year: int, with_schools: bool = False) -> YearData:
    """Everything the figures need, in two queries whatever the number of records (and one
    for each of LIVE_COUNTS)."""
    return load_years(hub=hub, years=[year], with_schools=with_schools)[year]


def load_years(*, hub: Hub, years: list[int], with_schools: bool = False) -> dict[int, YearData]:
    """``load_year`` for several years at once, still in two queries: the records added up
    per kind and school and the partners (one query for every kind), and how many schools are
    open. ``with_schools``: the schools themselves instead of their count, for a page that
    lists them (``YearData.schools`` reads them anyway, with a query of its own)."""
    found = selectors.figure_tallies(hub=hub, years=years)
    tallies, partner_ids = found.tallies, found.partner_ids
    with_records = {
        pk for by_year in tallies.values() for t in by_year.values() for pk in t if pk is not None
    }
    area = SchoolsOfALoad(hub, with_records)
    if with_schools:
        area.read()
    live = {key: count(hub, years) for key, count in LIVE_COUNTS.items()}
    return {
        year: YearData(
            hub=hub,
            year=year,
            tallies={key: tallies[key][year] for key in KINDS},
            partner_ids=partner_ids[year],
            area=area,
            live={key: by_year[year] for key, by_year in live.items() if year in by_year},
        )
        for year in years
    }


def _no_records() -> dict[str, list[Row]]:
    return {}


@dataclass
class Result:
    value: float
    # The schools it counts, if it counts any.
    schools: set[int] | None = None
    # Reads the records behind the figure, by kind (``records``).
    behind: Callable[[], dict[str, list[Row]]] = field(default=_no_records, repr=False)
    # Where this year's number came from, when not from partners' records (LIVE_COUNTS).
    note: str = ""

    @cached_property
    def records(self) -> dict[str, list[Row]]:
        """The records behind the figure, by kind: read when first asked for, never to
        compute the value."""
        return self.behind()


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    compute: Callable[[YearData], Result]
    # Where the number comes from when it is not from partners' records.
    source: str = ""
    percent: bool = False


def _every(data: YearData, *kinds: str) -> Callable[[], dict[str, list[Row]]]:
    """Every record of the kinds, behind a figure."""
    return partial(data.records, dict.fromkeys(kinds, Q()))


def _any_of(flags: tuple[str, ...]) -> Q:
    q = Q()
    for flag in flags:
        q |= Q(**{flag: True})
    return q


def _schools_with(data: YearData, parts: dict[str, tuple[str, ...]]) -> Result:
    """The schools with a record of any of the kinds in ``parts``, each with any of its flags
    set (or any record, for no flags)."""
    schools: set[int] = set()
    for kind, flags in parts.items():
        schools |= data.school_ids(kind, *flags)
    behind = {kind: Q(school__isnull=False) & _any_of(flags) for kind, flags in parts.items()}
    return Result(value=len(schools), schools=schools, behind=partial(data.records, behind))


def schools_in_area(data: YearData) -> Result:
    # The schools themselves are listed from data.schools by the page behind the figure.
    return Result(value=data.area.open_count)


def schools_engaged(data: YearData) -> Result:
    return _schools_with(
        data,
        {
            "wcet": (),
            "tuition": (),
            "ensembles": (),
            "singing": (),
            "school-support": SchoolSupport.CORE_ROLES,
        },
    )


def schools_teaching(data: YearData) -> Result:
    return _schools_with(data, {"tuition": ()})


def pupils_taught(data: YearData) -> Result:
    return Result(value=data.total("tuition", "pupils"), behind=_every(data, "tuition"))


def ensembles(data: YearData) -> Result:
    return Result(value=data.total("ensembles", "records"), behind=_every(data, "ensembles"))


def ensemble_members(data: YearData) -> Result:
    return Result(value=data.total("ensembles", "members"), behind=_every(data, "ensembles"))


def singing_schools(data: YearData) -> Result:
    return _schools_with(data, {"singing": (), "school-support": ("singing",)})


def wcet_pupils(data: YearData) -> Result:
    return Result(value=data.total("wcet", "pupils"), behind=_every(data, "wcet"))


def wcet_schools(data: YearData) -> Result:
    return _schools_with(data, {"wcet": ()})


def wcet_continuation(data: YearData) -> Result:
    pupils = data.total("wcet", "pupils")
    rate = round(100 * data.total("wcet", "continued") / pupils) if pupils else 0
    return Result(value=rate, behind=_every(data, "wcet"))


def schools_supported(data: YearData) -> Result:
    return _schools_with(data, {"school-support": ()})


def instruments_on_loan(data: YearData) -> Result:
    if "instruments-on-loan" in data.live:
        value, note = data.live["instruments-on-loan"]
        return Result(value=value, note=note)
    return Result(
        value=data.total("loans", "to_pupils", "to_schools"), behind=_every(data, "loans")
    )


def partners(data: YearData) -> Result:
    return Result(value=len(data.partner_ids), behind=_every(data, *KINDS))


def pupils_weekly(data: YearData) -> Result:
    return Result(
        value=data.total("wcet", "pupils")
        + data.total("tuition", "pupils")
        + data.total("ensembles", "members"),
        behind=_every(data, "wcet", "tuition", "ensembles"),
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
        "Instruments on loan to pupils and to schools at any time in the year: from the hub's "
        "instrument library where it runs one in Tutti, else from partners' returns.",
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
