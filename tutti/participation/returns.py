"""The annual data return, in the shape of ACE's templates, from the same figures as the page.

The Schools sheet has one row per school of the hub's area (every school a figure counts has
one), and a last row for what happened at no school: lessons at centres and area ensembles.
So each column's total is the impact page's figure.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from tutti.core.spreadsheets import StreamedWorkbook
from tutti.core.years import year_label
from tutti.participation import selectors
from tutti.participation.figures import FigureValue, YearData
from tutti.participation.selectors import Tally

SCHOOL_COLUMNS = [
    "URN",
    "School",
    "Phase",
    "Local authority",
    "Cluster",
    "Open",
    "Engaged on a core role",
    "Core role: whole-class teaching",
    "Core role: ensembles",
    "Core role: progression",
    "Core role: singing",
    "Instrumental or vocal teaching",
    "Supported to deliver regular music",
    "WCET programmes",
    "WCET pupils",
    "Tuition pupils",
    "Ensemble members",
]
WCET_COLUMNS = [
    "URN",
    "School",
    "Delivering partner",
    "Year groups",
    "Instruments",
    "Pupils",
    "Weeks",
    "Lesson length (minutes)",
    "Pupils who continued",
]
NOT_AT_A_SCHOOL = "Not at a school: lessons at centres and area-based ensembles"


Cell = str | int | float | None


@dataclass
class ReturnRows:
    schools: list[list[Cell]]
    wcet: list[list[Cell]]


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def return_rows(data: YearData, figures: list[FigureValue]) -> ReturnRows:
    """The Schools sheet from the year's per-school tallies (the SQL the figures add up) and
    the WCET sheet, one row per programme."""
    results = {f.figure.key: f.result for f in figures}
    engaged = results["schools-engaged"].schools or set()
    teaching = results["schools-teaching"].schools or set()
    supported = results["schools-supported"].schools or set()
    singing = results["schools-singing"].schools or set()
    wcet, tuition, members = (data.tallies[k] for k in ("wcet", "tuition", "ensembles"))
    roles = {
        "wcet": data.school_ids("wcet") | data.school_ids("school-support", "wcet"),
        "ensembles": data.school_ids("ensembles") | data.school_ids("school-support", "ensembles"),
        "progression": teaching | data.school_ids("school-support", "progression"),
        "singing": singing,
    }
    nothing: Tally = defaultdict(int)

    schools: list[list[Cell]] = []
    for pk, s in data.schools.items():
        schools.append(
            [
                s.urn,
                s.name,
                s.phase,
                s.local_authority,
                s.cluster,
                _yes(s.is_open),
                _yes(pk in engaged),
                *(
                    _yes(pk in roles[role])
                    for role in ("wcet", "ensembles", "progression", "singing")
                ),
                _yes(pk in teaching),
                _yes(pk in supported),
                wcet.get(pk, nothing)["records"],
                wcet.get(pk, nothing)["pupils"],
                tuition.get(pk, nothing)["pupils"],
                members.get(pk, nothing)["members"],
            ]
        )
    schools.append(
        [
            None,
            NOT_AT_A_SCHOOL,
            "",
            "",
            "",
            "",
            *([""] * 7),
            0,
            0,
            tuition.get(None, nothing)["pupils"],
            members.get(None, nothing)["members"],
        ]
    )
    rows = selectors.wcet_programme_rows(hub=data.hub, year=data.year)
    programmes: list[list[Cell]] = [list(row) for row in rows]
    return ReturnRows(schools=schools, wcet=programmes)


# Wide enough for the header and most values, so nobody has to widen columns to read them;
# long text (a definition) wraps at the widest.
NARROWEST, WIDEST = 8, 60


def _widths(rows: list[list[Any]]) -> list[int]:
    """Each column as wide as its longest value, within limits."""
    longest = [
        max((len(str(value)) for value in column if value is not None), default=0)
        for column in zip_longest(*rows)
    ]
    return [min(WIDEST, max(NARROWEST, length + 2)) for length in longest]


def return_workbook(data: YearData, figures: list[FigureValue]) -> bytes:
    rows = return_rows(data, figures)
    book = StreamedWorkbook()
    for title, columns, body in (
        ("Schools", SCHOOL_COLUMNS, rows.schools),
        ("WCET", WCET_COLUMNS, rows.wcet),
    ):
        sheet: list[list[Any]] = [list(columns), *body]
        book.add_sheet(title, sheet, widths=_widths(sheet), freeze_header=True)
    header = ["Figure", f"{data.hub.name} {year_label(data.year)}", "How it is counted"]
    table: list[list[Any]] = [header]
    for f in figures:
        how = " ".join(filter(None, [f.figure.definition, f.figure.source]))
        table.append([f.figure.label, f.value, how])
    book.add_sheet("Figures", table, widths=_widths(table))
    return book.save()
