"""The store's spreadsheet import: one instrument a row, all or nothing, with a row report.

A CSV file or an Excel workbook (.xlsx, first sheet) with a header row naming the columns in
``COLUMNS`` (in any order; the ones marked needed must be there). Every row is checked before
anything is stored: one bad row and nothing is stored, and the report names each problem.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tutti.core.uploads import (
    UploadError,
    csv_records,
    deadline,
    open_csv,
    open_workbook,
    read_limited,
    sheet_rows,
)
from tutti.directory.models import Hub, Organisation
from tutti.loans.kinds import TYPES_BY_KEY, type_for_label
from tutti.loans.models import Condition, Instrument

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Each column: its header, the field it fills, and whether it is needed.
COLUMNS = [
    ("Asset tag", "asset_tag", True),
    ("Type", "kind", True),
    ("Size", "size", False),
    ("Maker", "maker", False),
    ("Serial number", "serial", False),
    ("Owner", "owner", True),
    ("Where it is kept", "location", False),
    ("Condition", "condition", False),
    ("Purchase date", "purchased_on", False),
    ("Value", "value", False),
    ("Funding source", "funding_source", False),
]
HEADERS = [header for header, _, _ in COLUMNS]


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0


def _rows(data: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    until = deadline()
    if name.lower().endswith(".xlsx"):
        book = open_workbook(data, max_unpacked_bytes=50 * MAX_BYTES)
        sheet = book.worksheets[0]
        try:
            yield from sheet_rows(sheet, width=len(COLUMNS) + 5, max_rows=MAX_ROWS, until=until)
        except UploadError as error:
            raise UploadError(f"In the workbook, {error.message}") from None
        return
    yield from csv_records(open_csv(data), max_rows=MAX_ROWS, until=until)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date: write it as 31/01/2025")


def _header(values: list[Any]) -> dict[str, int]:
    names = {h.lower(): f for h, f, _ in COLUMNS} | {f: f for _, f, _ in COLUMNS}
    where: dict[str, int] = {}
    for n, value in enumerate(values):
        key = names.get(_text(value).lower())
        if key:
            where[key] = n
    missing = [h for h, f, needed in COLUMNS if needed and f not in where]
    if missing:
        raise UploadError(
            f"The first row must name the columns; {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing. Use the template from this page."
        )
    return where


def _instrument(  # noqa: C901 - one check per column, each with its own message
    hub: Hub, values: dict[str, str], raw: dict[str, Any], owners: dict[str, Organisation]
) -> tuple[Instrument | None, list[str]]:
    problems = []
    kind = type_for_label(values["kind"]) if values["kind"] else None
    if kind is None:
        problems.append(f"the type “{values['kind']}” is not one of the instrument types")
    elif kind.sizes and values["size"] not in kind.sizes:
        problems.append(f"a {kind.label.lower()}'s size is one of {', '.join(kind.sizes)}")
    elif not kind.sizes and values["size"]:
        problems.append(f"a {kind.label.lower()} has no size: leave Size empty")
    if not values["asset_tag"]:
        problems.append("the asset tag is empty")
    elif len(values["asset_tag"]) > 30:
        problems.append("the asset tag is longer than 30 characters")
    owner = owners.get(values["owner"].lower())
    if owner is None:
        problems.append(f"the owner “{values['owner']}” is not an organisation you keep for")
    condition = values["condition"].lower() or Condition.GOOD
    if condition not in Condition.values:
        problems.append(f"the condition is one of {', '.join(Condition.values)}")
    try:
        value = Decimal(values["value"].replace("£", "").replace(",", "") or "0")
        if value < 0 or value >= 10_000_000:
            problems.append("the value must be between 0 and 9,999,999")
    except InvalidOperation:
        problems.append(f"the value “{values['value']}” is not an amount of money")
        value = Decimal(0)
    try:
        purchased_on = _date(raw.get("purchased_on"))
    except ValueError as error:
        problems.append(str(error))
        purchased_on = None
    for name, most in (("maker", 100), ("serial", 60), ("location", 150), ("funding_source", 100)):
        if len(values[name]) > most:
            problems.append(f"{name.replace('_', ' ')} is longer than {most} characters")
    if problems or kind is None or owner is None:
        return None, problems
    instrument = Instrument(
        hub=hub,
        kind=kind.key,
        size=values["size"],
        maker=values["maker"],
        serial=values["serial"],
        asset_tag=values["asset_tag"].upper(),
        owner=owner,
        location=values["location"],
        condition=condition,
        purchased_on=purchased_on,
        value=value,
        funding_source=values["funding_source"],
    )
    return instrument, []


def check_file(
    *, hub: Hub, file: Any, owners: list[Organisation], existing: set[tuple[str, str]]
) -> ImportReport:
    """Every row checked; ``existing`` holds ("tag"|"serial", upper-case value) already used."""
    data = read_limited(file, max_bytes=MAX_BYTES)
    by_name = {o.name.lower(): o for o in owners}
    report = ImportReport()
    seen: dict[tuple[str, str], int] = {}
    where: dict[str, int] | None = None
    for line, cells in _rows(data, getattr(file, "name", "") or ""):
        if where is None:
            where = _header(cells)
            continue
        report.rows += 1
        raw = {f: cells[n] if n < len(cells) else None for f, n in where.items()}
        values = {f: _text(raw.get(f)) for _, f, _ in COLUMNS}
        instrument, problems = _instrument(hub, values, raw, by_name)
        for key, label in (("asset_tag", "asset tag"), ("serial", "serial number")):
            wanted = values[key].upper()
            if not wanted:
                continue
            if (key, wanted) in existing:
                problems.append(f"the {label} {values[key]} is in the store already")
            elif (key, wanted) in seen:
                problems.append(f"the {label} {values[key]} is on row {seen[(key, wanted)]} too")
            else:
                seen[(key, wanted)] = line
        if problems:
            text = "; ".join(problems)
            report.problems.append((line, text[0].upper() + text[1:] + "."))
        elif instrument is not None:
            report.instruments.append(instrument)
    if where is None or report.rows == 0:
        raise UploadError("The file has no instruments: fill in a row under the headings.")
    return report


def template_rows() -> list[list[str]]:
    violin = TYPES_BY_KEY["violin"]
    return [
        HEADERS,
        [
            "TMP-00001",
            violin.label,
            "1/2",
            "Stentor",
            "SN12345",
            "Your organisation's name",
            "Store room B",
            "good",
            "01/09/2024",
            "120.00",
            "Capital grant 2024",
        ],
    ]
