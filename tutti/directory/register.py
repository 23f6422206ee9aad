"""Import of the official school register: DfE "Get Information about Schools" (GIAS).

A GIAS download is a CSV of any selection of its columns; only URN is required. Each row is
matched to a school by URN, which is created or updated. Nothing is ever deleted: a school that
closes stays in the directory, marked closed.

All or nothing: every row is checked before anything is written. One bad row writes nothing, and
the report names every bad cell, so staff can fix the file (or tell us) in one go.

An empty cell means "the register doesn't say": it never erases what Tutti already holds. GIAS
leaves cells empty when it has no value (pupil numbers and FSM of closed or new schools, a
website it was never told), and staff may have filled some of those in by hand. The one exception
is the close date, which is cleared when the row says the school is open.

A file without names (a school census file: URN, NumberOfPupils, CensusYear) only updates the
schools Tutti already has; its other rows are counted as not found.
"""

import io
import math
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from pyproj import Transformer

from tutti.core.audit import audit
from tutti.core.page_cache import bump_site
from tutti.core.uploads import UploadError, csv_encoding, csv_records, deadline
from tutti.directory.models import LocalAuthority, Organisation, OrganisationKind

BATCH_SIZE = 1000


@dataclass(frozen=True)
class RegisterLimits:
    max_bytes: int  # of the CSV, after unzipping
    max_rows: int
    max_seconds: float


# A full national GIAS extract is about 60 MB and 52,000 rows; anything far larger is not one.
NATIONAL = RegisterLimits(max_bytes=300 * 1024 * 1024, max_rows=200_000, max_seconds=math.inf)
# Through the website, a hub's own area: a download of a few local authorities, with every
# column, is a few MB. The full register is imported with ``manage.py import_schools``.
WEBSITE = RegisterLimits(max_bytes=15 * 1024 * 1024, max_rows=5_000, max_seconds=4.0)


@dataclass
class RowError:
    line: int  # the file's line number; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"Line {self.line}: {self.message}"
        return f"Line {self.line}, {self.column}: {self.message}"


@dataclass
class ImportReport:
    """What an import did. ``closed`` counts schools that this import marked closed."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped: int = 0
    not_found: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        rows = f"{self.rows:,} row{'s' if self.rows != 1 else ''}"
        new = f"{self.created:,} new school{'s' if self.created != 1 else ''}"
        text = f"{rows}: {new}, {self.updated:,} updated, {self.unchanged:,} unchanged"
        if self.closed:
            text += f", {self.closed:,} marked closed"
        if self.skipped:
            text += f", {self.skipped:,} skipped (outside the chosen local authorities)"
        if self.not_found:
            text += f", {self.not_found:,} not in Tutti (a file without names adds no school)"
        return text + "."


# Our name for each column -> the GIAS names for it. Headers are matched ignoring case and
# spacing; the full extract, the "search results" export and our national file all agree on
# these, and a few downloads drop the " (name)" suffix.
COLUMNS: dict[str, tuple[str, ...]] = {
    "urn": ("URN",),
    "name": ("EstablishmentName",),
    "la_code": ("LA (code)",),
    "la_name": ("LA (name)",),
    "gss_code": ("GSSLACode (name)", "GSSLACode (code)", "GSSLACode"),
    "type": ("TypeOfEstablishment (name)", "TypeOfEstablishment"),
    "phase": ("PhaseOfEducation (name)", "PhaseOfEducation"),
    "status": ("EstablishmentStatus (name)", "EstablishmentStatus"),
    "close_date": ("CloseDate",),
    "street": ("Street",),
    "locality": ("Locality",),
    "address3": ("Address3",),
    "town": ("Town",),
    "postcode": ("Postcode",),
    "website": ("SchoolWebsite",),
    "phone": ("TelephoneNum",),
    "pupils": ("NumberOfPupils",),
    # When the pupils were counted: GIAS gives the census date, DfE's census files the year.
    "census_date": ("CensusDate",),
    "census_year": ("CensusYear",),
    # Our census file's proxy for a school new since the census: the school it replaced.
    "predecessor_urn": ("PredecessorURN",),
    "fsm": ("PercentageFSM",),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "easting": ("Easting",),
    "northing": ("Northing",),
}

# Plain text columns -> the Organisation field they fill.
TEXT_FIELDS = {
    "name": "name",
    "type": "establishment_type",
    "phase": "phase",
    "town": "town",
    "postcode": "postcode",
    "phone": "phone",
}

# "Proposed to open" is not open yet, but it is not closed either, and the directory shows a
# school that is not open as "Closed"; so it counts as open.
STATUSES = {
    "open": True,
    "open, but proposed to close": True,
    "open but proposed to close": True,
    "proposed to open": True,
    "closed": False,
}

# The register's "Does not apply": an establishment outside any local authority.
NO_LA_CODE = "000"
MAX_INT = 2_147_483_647  # PositiveIntegerField's ceiling on PostgreSQL

# Great Britain, in WGS84 (the bounds the Organisation model validates) and in the British
# National Grid (OSGB36, metres).
LAT_RANGE = (49.0, 61.0)
LON_RANGE = (-9.0, 3.0)
EASTING_RANGE = (0, 700_000)
NORTHING_RANGE = (0, 1_300_000)

# Text decoded as UTF-8 that holds C1 control characters was, somewhere upstream, Windows-1252
# read as Latin-1: "St John\x92s" was "St John\u2019s" (a curly apostrophe).
C1_CONTROLS = re.compile("[\x80-\x9f]")
DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
LA_CODE = re.compile(r"\d{3}")
GSS_CODE = re.compile(r"[A-Z]\d{8}")
WHOLE_NUMBER = re.compile(r"\d+")
URL_VALIDATOR = URLValidator()


class CellError(ValueError):
    """A cell's value is wrong; the message says why, in plain English."""


@dataclass
class ParsedRow:
    line: int
    urn: int
    values: dict[str, Any]  # Organisation field -> value, for the cells the row fills
    named: bool = False  # the row gives a name (perhaps a bad one, reported on its own)
    la_code: str = ""
    grid: tuple[float, float] | None = None  # easting, northing, waiting to be converted


@dataclass
class LocalAuthorityInfo:
    # Counted, because a file can disagree with itself: our national file puts the Isles of
    # Scilly under Cornwall's code. The name most rows give wins.
    names: Counter[str] = field(default_factory=Counter)
    gss_codes: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0] if self.names else ""

    @property
    def gss_code(self) -> str:
        return self.gss_codes.most_common(1)[0][0] if self.gss_codes else ""


def register_import(  # noqa: C901 - the import's steps in order, each with its own report
    *,
    data: bytes,
    by: Any = None,
    hub: Any = None,
    la_codes: set[str] | None = None,
    progress: Callable[[int], object] | None = None,
    limits: RegisterLimits | None = None,
) -> ImportReport:
    """Create or update schools from a GIAS CSV, all or nothing; ``progress`` gets row counts.

    ``la_codes`` limits the import to those local authorities (DfE codes); other rows are
    skipped. ``progress`` is called with the number of rows just handled, as they are written,
    so that ``tqdm.update`` fits it. ``limits`` bound a file uploaded through the website.
    """
    report = ImportReport()
    try:
        header, records = _read_csv(data, limits or NATIONAL)
    except CellError as e:
        report.errors.append(RowError(1, "", str(e)))
        return report
    columns = _match_columns(header)
    if "urn" not in columns:
        report.errors.append(
            RowError(
                1,
                "URN",
                "the header row has no URN column, so no row can be matched to a school. "
                "Every GIAS download has one: include URN when you choose the fields.",
            )
        )
        return report
    if la_codes is not None and "la_code" not in columns:
        report.errors.append(
            RowError(
                1,
                "LA (code)",
                "the header row has no LA (code) column, so the rows can't be limited to "
                "your local authorities.",
            )
        )
        return report
    if not records:
        report.errors.append(RowError(1, "", "the file has no rows under its header."))
        return report

    report.rows = len(records)
    rows, authorities = _parse_rows(records, header, columns, la_codes, report)
    easting_column = header[columns["easting"]] if "easting" in columns else "Easting"
    _convert_grid_references(rows, easting_column, report)

    with transaction.atomic():
        touched = sorted({name for row in rows for name in row.values})
        if any(row.la_code for row in rows):
            touched.append("local_authority_id")
        existing = _existing_schools([row.urn for row in rows], touched)
        name_column = header[columns["name"]] if "name" in columns else "EstablishmentName"
        if "name" not in columns:
            report.not_found = sum(row.urn not in existing for row in rows)
            rows = [row for row in rows if row.urn in existing]
        for row in rows:
            if row.urn not in existing and not row.named:
                report.errors.append(
                    RowError(
                        row.line,
                        name_column,
                        f"URN {row.urn} is not in Tutti yet, so it needs a name.",
                    )
                )
        if report.errors:
            position = {name: i for i, name in enumerate(header)}
            report.errors.sort(key=lambda e: (e.line, position.get(e.column, -1)))
            return report
        if progress is not None and report.skipped + report.not_found:
            progress(report.skipped + report.not_found)
        _write(rows, existing, authorities, report, progress)
        if report.created or report.updated or report.closed:
            # Written in bulk, past the models' signals: every hub shows schools.
            bump_site()
        audit(
            "directory.register.imported",
            hub=hub,
            actor=by,
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            closed=report.closed,
            skipped=report.skipped,
            not_found=report.not_found,
        )
    return report


def _open_register(data: bytes, limits: RegisterLimits) -> tuple[io.TextIOWrapper, bool]:
    """The file's text, decoded as it is read: UTF-8 (with or without BOM), or Windows-1252 as
    GIAS serves it; and whether it is UTF-8 (whose C1 controls are then read as Windows-1252)."""
    if data.startswith(b"PK\x03\x04"):
        data = _unzip(data, limits.max_bytes)
    try:
        encoding = csv_encoding(data)
    except UploadError as e:
        raise CellError(_sentence(str(e))) from None
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    return stream, encoding != "cp1252"


def _sentence(message: str) -> str:
    # Register errors follow "Line 1: ", so they start in lower case.
    return message[:1].lower() + message[1:]


def count_rows(data: bytes) -> int:
    """How many rows the file has under its header (0 if it can't be read)."""
    try:
        return len(_read_csv(data, NATIONAL)[1])
    except CellError:
        return 0


def _from_cp1252(match: re.Match[str]) -> str:
    return match.group().encode("latin-1").decode("cp1252", errors="ignore")


def _unzip(data: bytes, max_bytes: int) -> bytes:
    # GIAS hands out its downloads as zip files; accept one with a single CSV inside.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                raise CellError(
                    "this is an Excel workbook. Upload the CSV file from Get Information about "
                    "Schools, or save the sheet as “CSV (comma delimited)” first."
                )
            members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise CellError(
                    f"the zip file holds {len(members)} CSV files; it should hold exactly one."
                )
            if members[0].file_size > max_bytes:
                raise CellError("the CSV file inside the zip is too large to be the register.")
            return archive.read(members[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise CellError("the zip file is damaged; download it again.") from None


def _read_csv(data: bytes, limits: RegisterLimits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the records, each record with the line it starts on.

    Only the columns Tutti reads are kept (a full GIAS download has hundreds), and the header
    is cut to match, so the records take little memory however wide the file is.
    """
    stream, utf8 = _open_register(data, limits)
    header: list[str] | None = None
    keep: list[int] = []
    records: list[tuple[int, list[str]]] = []
    until = deadline(limits.max_seconds)
    try:
        for start, record in csv_records(stream, max_rows=limits.max_rows, until=until):
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                keep = sorted(set(_match_columns(record).values()))
            cells = [record[i] if i < len(record) else "" for i in keep]
            # One search per record: a C1 control is rare, and a search per cell is slow.
            if utf8 and C1_CONTROLS.search("".join(cells)):
                cells = [C1_CONTROLS.sub(_from_cp1252, cell) for cell in cells]
            if header is None:
                header = cells
            else:
                records.append((start, cells))
    except UploadError as e:
        raise CellError(_sentence(str(e))) from None
    if header is None:
        raise CellError("the file is empty.")
    return header, records


def _match_columns(header: list[str]) -> dict[str, int]:
    """Our column name -> its index in the header, for the columns the file has."""
    positions = {_normalise(name): i for i, name in reversed(list(enumerate(header)))}
    columns = {}
    for key, names in COLUMNS.items():
        for name in names:
            if _normalise(name) in positions:
                columns[key] = positions[_normalise(name)]
                break
    return columns


def _normalise(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).lower()


def _parse_rows(  # noqa: C901 - one check per column of the register
    records: list[tuple[int, list[str]]],
    header: list[str],
    columns: dict[str, int],
    la_codes: set[str] | None,
    report: ImportReport,
) -> tuple[list[ParsedRow], dict[str, LocalAuthorityInfo]]:
    rows: list[ParsedRow] = []
    authorities: dict[str, LocalAuthorityInfo] = {}
    seen: dict[int, int] = {}  # URN -> line
    for line, record in records:
        cells = {key: record[i].strip() if i < len(record) else "" for key, i in columns.items()}
        if la_codes is not None and cells["la_code"] not in la_codes:
            report.skipped += 1
            continue

        def bad(key: str, message: str, line: int = line) -> None:
            report.errors.append(RowError(line, header[columns[key]], message))

        try:
            urn = _parse_urn(cells["urn"])
        except CellError as e:
            bad("urn", str(e))
            continue
        if urn in seen:
            bad("urn", f"URN {urn} is also on line {seen[urn]}.")
            continue
        seen[urn] = line
        row = ParsedRow(line=line, urn=urn, values={}, named=bool(cells.get("name")))
        for key, parse in CELL_PARSERS.items():
            if cells.get(key):
                try:
                    parse(row, cells[key])
                except CellError as e:
                    bad(key, str(e))
        try:
            _parse_address(row, cells)
        except CellError as e:
            bad(next(k for k in ("street", "locality", "address3") if k in columns), str(e))
        _parse_status(row, cells, bad)
        _parse_census(row, cells, bad)
        _parse_position(row, cells, bad)
        if row.la_code:
            info = authorities.setdefault(row.la_code, LocalAuthorityInfo())
            if la_name := cells.get("la_name", ""):
                try:
                    info.names[_text(la_name, 120)] += 1
                except CellError as e:
                    bad("la_name", str(e))
            gss = cells.get("gss_code", "")
            # GIAS writes a placeholder (X999999) where it has no ONS code: that is "unknown".
            if GSS_CODE.fullmatch(gss):
                info.gss_codes[gss] += 1
        rows.append(row)
    return rows, authorities


def _q(value: str) -> str:
    """A cell's value quoted for a message, cut short if long."""
    return f"“{value if len(value) <= 40 else value[:39] + '…'}”"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _text(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CellError(f"{_q(value)} is longer than {max_length} characters.")
    return value


def _parse_urn(value: str) -> int:
    if not WHOLE_NUMBER.fullmatch(value) or not 0 < int(value) <= MAX_INT:
        if not value:
            raise CellError("the URN is missing.")
        raise CellError(f"{_q(value)} is not a URN (a whole number, e.g. 107806).")
    return int(value)


def _parse_number(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise CellError(f"{_q(value)} is not a number.") from None
    if not number.is_finite():
        raise CellError(f"{_q(value)} is not a number.")
    return number


def _parse_text_cell(key: str) -> Callable[[ParsedRow, str], None]:
    field_name = TEXT_FIELDS[key]
    field = cast("Field[Any, Any]", Organisation._meta.get_field(field_name))
    max_length = field.max_length or 0

    def parse(row: ParsedRow, value: str) -> None:
        row.values[field_name] = _text(value, max_length)

    return parse


def _parse_postcode(row: ParsedRow, value: str) -> None:
    row.values["postcode"] = _text(" ".join(value.upper().split()), 10)


def _parse_pupils(row: ParsedRow, value: str) -> None:
    number = _parse_number(value)
    if number != number.to_integral_value():
        raise CellError(f"{_q(value)} is not a whole number.")
    if not 0 <= number <= MAX_INT:
        raise CellError(f"{_q(value)} is not a number of pupils.")
    row.values["pupils"] = int(number)


def _parse_fsm(row: ParsedRow, value: str) -> None:
    number = _parse_number(value.removesuffix("%"))
    if not 0 <= number <= 100:
        raise CellError(f"{_q(value)} is not a percentage between 0 and 100.")
    # Stored to one decimal place; rounding here keeps a second import from seeing a change.
    row.values["percent_fsm"] = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _parse_close_date(row: ParsedRow, value: str) -> None:
    row.values["closed_on"] = _parse_date(value)


def _parse_date(value: str) -> date:
    try:
        if match := DMY_DATE.fullmatch(value):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(f"{_q(value)} is not a date like 31-08-2023 (day-month-year).") from None


def _parse_website(row: ParsedRow, value: str) -> None:
    url = value if "://" in value else f"https://{value}"
    # A website the register has wrong is dropped, not an error: staff can't correct GIAS,
    # and one mistyped address must not stop the whole register from importing.
    try:
        URL_VALIDATOR(url)
    except ValidationError:
        return
    if len(url) <= Organisation._meta.get_field("website").max_length:  # type: ignore[operator]
        row.values["website"] = url


def _parse_la_code(row: ParsedRow, value: str) -> None:
    if not LA_CODE.fullmatch(value):
        raise CellError(f"{_q(value)} is not a local authority code (three digits, e.g. 383).")
    if value != NO_LA_CODE:
        row.la_code = value


CELL_PARSERS: dict[str, Callable[[ParsedRow, str], None]] = {
    **{key: _parse_text_cell(key) for key in TEXT_FIELDS if key != "postcode"},
    "postcode": _parse_postcode,
    "pupils": _parse_pupils,
    "fsm": _parse_fsm,
    "close_date": _parse_close_date,
    "website": _parse_website,
    "la_code": _parse_la_code,
}


def _parse_address(row: ParsedRow, cells: dict[str, str]) -> None:
    parts = [cells.get(key, "") for key in ("street", "locality", "address3")]
    address = ", ".join(part for part in parts if part)
    if address:
        row.values["address"] = _text(address, 300)


def _parse_status(row: ParsedRow, cells: dict[str, str], bad: Callable[[str, str], None]) -> None:
    status = cells.get("status", "")
    if not status:
        return
    is_open = STATUSES.get(" ".join(status.lower().split()))
    if is_open is None:
        bad(
            "status",
            f"{_q(status)} is not a status we know: Open, Closed, "
            "Open but proposed to close, or Proposed to open.",
        )
        return
    row.values["is_open"] = is_open
    if is_open and "closed_on" not in row.values:
        row.values["closed_on"] = None


MONTHS = "January February March April May June July August September October November December"
CENSUS_YEAR = re.compile(r"(\d{4})/?(\d{2})")


def _parse_census(row: ParsedRow, cells: dict[str, str], bad: Callable[[str, str], None]) -> None:
    """Which census the row's number of pupils comes from, as "January 2023", and whether it is
    the count of the school this one replaced (our census file's proxy for a new academy)."""
    if "pupils" not in row.values:
        return
    census = ""
    if value := cells.get("census_date", ""):
        try:
            counted = _parse_date(value)
        except CellError as e:
            bad("census_date", str(e))
            return
        census = f"{MONTHS.split()[counted.month - 1]} {counted.year}"
    elif value := cells.get("census_year", ""):
        # DfE's census year 2022/23 is the census of January 2023 (or 202223).
        match = CENSUS_YEAR.fullmatch(value)
        if not match or int(match[2]) != (int(match[1]) + 1) % 100:
            bad("census_year", f"{_q(value)} is not an academic year like 2022/23.")
            return
        census = f"January {int(match[1]) + 1}"
    # A new number replaces the old one's census and source, even with nothing to put there.
    row.values["pupils_census"] = census
    predecessor = cells.get("predecessor_urn", "")
    try:
        row.values["pupils_predecessor_urn"] = _parse_urn(predecessor) if predecessor else None
    except CellError as e:
        bad("predecessor_urn", str(e))


def _parse_position(row: ParsedRow, cells: dict[str, str], bad: Callable[[str, str], None]) -> None:
    """Latitude and longitude as given, or else the grid reference, converted later in bulk."""
    for first, second, ranges in (
        ("latitude", "longitude", (LAT_RANGE, LON_RANGE)),
        ("easting", "northing", (EASTING_RANGE, NORTHING_RANGE)),
    ):
        given = {key: cells.get(key, "") for key in (first, second)}
        if not any(given.values()):
            continue
        numbers = {}
        for (key, value), (low, high) in zip(given.items(), ranges, strict=True):
            other = second if key == first else first
            if not value:
                bad(other, f"{_a(other)} needs {_a(key)} on the same row.")
                continue
            try:
                number = float(_parse_number(value))
            except CellError as e:
                bad(key, str(e))
                continue
            if not low <= number <= high:
                bad(key, f"{_q(value)} is not in Great Britain ({key} {low:,} to {high:,}).")
                continue
            numbers[key] = number
        if len(numbers) < 2:
            return
        if first == "latitude":
            row.values["latitude"] = numbers["latitude"]
            row.values["longitude"] = numbers["longitude"]
        else:
            row.grid = (numbers["easting"], numbers["northing"])
        return


@cache
def _grid_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _convert_grid_references(rows: list[ParsedRow], column: str, report: ImportReport) -> None:
    """Easting/Northing (British National Grid) to latitude/longitude, all rows in one call."""
    waiting = [row for row in rows if row.grid is not None]
    if not waiting:
        return
    eastings = [row.grid[0] for row in waiting]  # type: ignore[index]
    northings = [row.grid[1] for row in waiting]  # type: ignore[index]
    longitudes, latitudes = _grid_to_wgs84().transform(eastings, northings)
    for row, lat, lon in zip(waiting, latitudes, longitudes, strict=True):
        # Six places is about 10 cm: finer than the register, and stable from one import to
        # the next, so a second import sees no change.
        lat, lon = round(lat, 6), round(lon, 6)
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            report.errors.append(
                RowError(row.line, column, "this grid reference is not in Great Britain.")
            )
            continue
        row.values["latitude"], row.values["longitude"] = lat, lon


def _existing_schools(urns: list[int], fields: list[str]) -> dict[int, dict[str, Any]]:
    """URN -> the current values of ``fields``, for the URNs already here.

    A large file reads every school in one query (most of the country is in it anyway); a small
    one, a few local authorities from the website, reads only its own URNs.
    """
    query = Organisation.objects.order_by().values_list("urn", *fields)
    if len(urns) > BATCH_SIZE:
        wanted = set(urns)
        found: Iterator[tuple[Any, ...]] = (
            values for values in query.filter(urn__isnull=False) if values[0] in wanted
        )
    else:
        found = iter(query.filter(urn__in=urns))
    return {values[0]: dict(zip(fields, values[1:], strict=True)) for values in found}


def _save_local_authorities(authorities: dict[str, LocalAuthorityInfo]) -> dict[str, int]:
    """Create or update the local authorities the file names; their ids by code."""
    existing = {la.code: la for la in LocalAuthority.objects.filter(code__in=authorities)}
    new = [
        # A file without LA (name) still names the authority by code; a later import fills it.
        LocalAuthority(
            code=code, name=info.name or f"Local authority {code}", gss_code=info.gss_code
        )
        for code, info in authorities.items()
        if code not in existing
    ]
    LocalAuthority.objects.bulk_create(new)
    for code, info in authorities.items():
        la = existing.get(code)
        if la is None:
            continue
        changed = {"name": info.name, "gss_code": info.gss_code}
        changed = {k: v for k, v in changed.items() if v and getattr(la, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(la, name, value)
            la.save(update_fields=list(changed))
    return dict(LocalAuthority.objects.filter(code__in=authorities).values_list("code", "id"))


# Rows to write, by the fields they fill: (URN, field -> value) for each school.
Groups = dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]]
# Set again on a school whose row changed; its other fields are those its row gives.
RESTAMPED = ("updated_at", "register_updated_at")


def _write(
    rows: list[ParsedRow],
    existing: dict[int, dict[str, Any]],
    authorities: dict[str, LocalAuthorityInfo],
    report: ImportReport,
    progress: Callable[[int], object] | None,
) -> None:
    """Create the new schools and update the changed ones; an unchanged school isn't touched."""
    now = timezone.now()
    la_ids = _save_local_authorities(authorities)
    # Rows grouped by the fields they fill: a school keeps what an empty cell doesn't say, so
    # each group updates only its own fields. A register has a handful of such groups.
    groups: Groups = defaultdict(list)
    for row in rows:
        values = dict(row.values)
        if row.la_code:
            values["local_authority_id"] = la_ids[row.la_code]
        current = existing.get(row.urn)
        if current is None:
            report.created += 1
            report.closed += values.get("is_open") is False
        elif any(current[name] != value for name, value in values.items()):
            report.updated += 1
            report.closed += values.get("is_open") is False and current["is_open"] is not False
        else:
            report.unchanged += 1
            continue
        groups[tuple(sorted(values))].append((row.urn, values))
    if progress is not None and report.unchanged:
        progress(report.unchanged)
    if groups:
        _upsert(groups, now, progress)


def _upsert(  # noqa: C901  (one statement per database, kept side by side to compare)
    groups: Groups, now: datetime, progress: Callable[[int], object] | None
) -> None:
    """Insert each group's schools, or update the group's fields of those already here (by URN),
    in one INSERT … ON CONFLICT (urn) DO UPDATE per group, on PostgreSQL or SQLite.

    Rows go to the database as plain tuples: building a model per school, as bulk_create does,
    takes several times longer than the database's own work for the whole country. PostgreSQL
    gets them by COPY into a temporary table, as fast as it can read them; SQLite, which runs
    in our process, by executemany.
    """
    # Every column but the id: a new school gets each field's default where its row is silent.
    fields = [f for f in Organisation._meta.concrete_fields if not f.primary_key]
    columns = [f.attname for f in fields]
    position = {name: i for i, name in enumerate(columns)}
    stamps = {
        "kind": OrganisationKind.SCHOOL.value,
        "created_at": now,
        "updated_at": now,
        "register_updated_at": now,
    }
    defaults = [stamps.get(f.attname, f.get_default()) for f in fields]
    postgresql = connection.vendor == "postgresql"
    if not postgresql:  # psycopg adapts Python values itself, in COPY too
        defaults = [
            f.get_db_prep_save(v, connection) for f, v in zip(fields, defaults, strict=True)
        ]
    prepare = {f.attname: f for f in fields}

    def record(urn: int, values: dict[str, Any]) -> list[Any]:
        row = list(defaults)
        row[position["urn"]] = urn
        for name, value in values.items():
            if not postgresql:
                value = prepare[name].get_db_prep_save(value, connection)
            row[position[name]] = value
        return row

    # The SQL is built only from the model's own table and column names, quoted.
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(name) for name in columns)
    insert = f"INSERT INTO {quote(Organisation._meta.db_table)} ({column_list})"

    def on_conflict(names: tuple[str, ...]) -> str:
        updates = (f"{quote(name)} = EXCLUDED.{quote(name)}" for name in (*names, *RESTAMPED))
        return f" ON CONFLICT ({quote('urn')}) DO UPDATE SET {', '.join(updates)}"

    with connection.cursor() as cursor:
        if not postgresql:
            placeholders = ", ".join(["%s"] * len(columns))
            for names, schools in groups.items():
                for start in range(0, len(schools), BATCH_SIZE):
                    batch = schools[start : start + BATCH_SIZE]
                    cursor.executemany(
                        f"{insert} VALUES ({placeholders}){on_conflict(names)}",
                        [record(urn, values) for urn, values in batch],
                    )
                    if progress is not None:
                        progress(len(batch))
            return
        cursor.execute(
            f"CREATE TEMPORARY TABLE register_rows AS SELECT {column_list}, "  # noqa: S608
            f"0 AS register_group FROM {quote(Organisation._meta.db_table)} WITH NO DATA"
        )
        with cursor.copy(f"COPY register_rows ({column_list}, register_group) FROM STDIN") as copy:
            for group, schools in enumerate(groups.values()):
                for urn, values in schools:
                    copy.write_row([*record(urn, values), group])
        for group, (names, schools) in enumerate(groups.items()):
            cursor.execute(
                f"{insert} SELECT {column_list} FROM register_rows "  # noqa: S608
                f"WHERE register_group = %s{on_conflict(names)}",
                [group],
            )
            if progress is not None:
                progress(len(schools))
        cursor.execute("DROP TABLE register_rows")
