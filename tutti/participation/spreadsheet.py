"""The partner's data return as a spreadsheet: the template Tutti makes, and reading it back.

One sheet per record kind (``kinds.KINDS``), a heading row, then one row per record. Reading
checks every cell and every row and names each problem as "Sheet, row, column: problem";
records are only returned when there are no problems at all, so a submission is stored whole
or not at all.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet, TextChoices
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tutti.core.spreadsheets import append_row, unguard
from tutti.core.uploads import TooSlow, UploadError, deadline, open_workbook, sheet_rows
from tutti.core.years import year_label
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.participation.kinds import KINDS, Column, RecordKind, Sheet
from tutti.participation.models import Ensemble, SchoolSupport

MAX_BYTES = 5 * 1024 * 1024
# A full template (6 sheets of 5,000 rows) unpacks to about 15 MB.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
YES, NO = "Yes", "No"


# The sheets, in the workbook's order: one for each record kind.
SHEETS: tuple[Sheet, ...] = tuple(kind.sheet for kind in KINDS.values())
README_TITLE = "Read me"


# The template ------------------------------------------------------------------------------


def _school_row(school: Organisation | None) -> list[Any]:
    return [school.urn, school.name] if school is not None else [None, None]


def _prefill(*, hub: Hub, partner: Organisation, year: int) -> dict[str, list[list[Any]]]:
    """Last year's ensembles, and last year's schools in School support, to confirm."""
    last = year - 1
    rows: dict[str, list[list[Any]]] = {}
    ensembles = Ensemble.objects.filter(hub=hub, year=last, partner=partner).select_related(
        "school"
    )
    rows["ensembles"] = [
        [
            e.name,
            e.get_kind_display(),
            e.get_level_display(),
            *_school_row(e.school),
            e.members,
            e.fsm,
            e.send,
            e.looked_after,
            e.rehearsals,
        ]
        for e in ensembles
    ]
    support = {
        s.school_id: s for s in SchoolSupport.objects.filter(hub=hub, year=last, partner=partner)
    }
    school_ids: set[int] = set(support)
    for kind in KINDS.values():
        if kind.names_school:
            # The kinds that name a school: the base model's type cannot say so.
            records: QuerySet[Any] = kind.model.objects.filter(hub=hub, year=last, partner=partner)
            school_ids |= set(
                records.filter(school__isnull=False).values_list("school_id", flat=True)
            )
    flags = [c.field for c in KINDS["school-support"].sheet.columns if c.kind == "bool"]
    schools = hub_organisations(hub=hub).filter(pk__in=school_ids).order_by("name")
    rows["school-support"] = [
        [
            *_school_row(school),
            *[
                (YES if getattr(support[school.pk], f) else NO) if school.pk in support else None
                for f in flags
            ],
        ]
        for school in schools
    ]
    return rows


def _add_validations(ws: Worksheet, sheet: Sheet) -> None:
    last_row = sheet.max_rows + 1
    for index, column in enumerate(sheet.columns, start=1):
        cells = f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}"
        if column.kind == "choice" and column.choices is not None:
            options = ",".join(column.choices.labels)
            rule = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            rule.error = f"Choose one of: {options.replace(',', ', ')}."
        elif column.kind == "bool":
            rule = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
            rule.error = "Choose Yes or No."
        elif column.kind in {"int", "urn"}:
            rule = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            rule.error = "Type a whole number, 0 or more."
        else:
            continue
        rule.errorTitle = column.header
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        rule.add(cells)


def template_workbook(*, hub: Hub, partner: Organisation, year: int) -> bytes:
    """The spreadsheet a partner fills in, with last year's ensembles and schools in it."""
    wb = Workbook()
    readme = wb.worksheets[0]  # a new workbook has the one sheet
    readme.title = README_TITLE
    lines = [
        f"{hub.name}: data return for {year_label(year)}",
        f"From: {partner.name}",
        "",
        "Fill in one sheet for each kind of activity, one row per activity. Leave a sheet "
        "empty if you did not do that kind of work.",
        "Give schools by their URN (the school's unique reference number).",
        "Use the drop-down lists where a column has one. Counts are whole numbers.",
        "Rows from last year's ensembles and schools are filled in for you: check them, change "
        "what is different this year and delete the rows that no longer apply.",
        "Do not rename the sheets or change the headings in the first row.",
        "When you upload the file, nothing is saved until every row is right, and any problems "
        "are listed by sheet, row and column.",
    ]
    for line in lines:
        append_row(readme, [line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    prefill = _prefill(hub=hub, partner=partner, year=year)
    for kind in KINDS.values():
        sheet = kind.sheet
        ws = wb.create_sheet(sheet.title)
        ws.append([c.header for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) + 2)
        ws.freeze_panes = "A2"
        for row in prefill.get(kind.key, []):
            append_row(ws, row)
        _add_validations(ws, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Reading it back ---------------------------------------------------------------------------


@dataclass
class Upload:
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _CellError(Exception):
    pass


def _where(sheet: Sheet, row: int, index: int | None) -> str:
    if index is None:
        return f"{sheet.title}, row {row}"
    column = sheet.columns[index]
    return f"{sheet.title}, row {row}, column {get_column_letter(index + 1)} ({column.header})"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellError("must be a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text.lstrip("-").isdigit():
            raise _CellError(f"must be a whole number, not “{value.strip()}”")
        value = int(text)
    if not isinstance(value, int):
        raise _CellError("must be a whole number")
    if value < 0:
        raise _CellError(f"cannot be negative ({value})")
    return value


def _choice(value: Any, choices: type[TextChoices]) -> str:
    text = str(value).strip().casefold()
    for choice_value, label in zip(choices.values, choices.labels, strict=True):
        if text in {str(choice_value).casefold(), str(label).casefold()}:
            return str(choice_value)
    raise _CellError(f"“{value}” is not one of: {', '.join(choices.labels)}")


def _yes_no(value: Any) -> bool:
    if value is True or value is False:
        return value
    text = str(value).strip().casefold()
    if text in {"yes", "y", "1", "true"}:
        return True
    if text in {"no", "n", "0", "false"}:
        return False
    raise _CellError(f"must be Yes or No, not “{value}”")


def _read_cell(column: Column, value: Any) -> Any:
    if _blank(value):
        if column.required:
            raise _CellError("is empty")
        return False if column.kind == "bool" else "" if column.kind == "text" else None
    if column.kind in {"int", "urn"}:
        return _whole_number(value)
    if column.kind == "choice" and column.choices is not None:
        return _choice(value, column.choices)
    if column.kind == "bool":
        return _yes_no(value)
    return str(unguard(value)).strip()


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise UploadError("The file is larger than 5 MB. Please use the template from this page.")
    return open_workbook(data, max_unpacked_bytes=MAX_UNPACKED_BYTES)


def _schools(hub: Hub, urns: Iterable[int]) -> tuple[dict[int, Organisation], set[int]]:
    """Every school by URN in the register, and the pks of those in the hub's area."""
    urns = set(urns)
    found = {
        o.urn: o
        for o in Organisation.objects.filter(kind=OrganisationKind.SCHOOL, urn__in=urns)
        if o.urn is not None
    }
    in_area = set(
        hub_organisations(hub=hub)
        .filter(kind=OrganisationKind.SCHOOL, urn__in=urns)
        .values_list("pk", flat=True)
    )
    return found, in_area


def _readable(error: ValidationError, sheet: Sheet) -> list[tuple[int | None, str]]:
    """A model's validation errors, against the sheet's columns where there is one."""
    by_field = {c.field: i for i, c in enumerate(sheet.columns) if c.field}
    problems = []
    for name, messages in error.message_dict.items():
        index = None if name == NON_FIELD_ERRORS else by_field.get(name)
        for message in messages:
            if "already exists" in message:
                message = "this is already recorded for this year"
            problems.append((index, message[:1].lower() + message[1:]))
    return problems


def read_upload(data: bytes, *, hub: Hub, partner: Organisation, year: int) -> Upload:  # noqa: C901 - every check of the template; to split by sheet
    """Every record in an uploaded template, or every problem with it."""
    upload = Upload()
    try:
        wb = _open(data)
    except UploadError as error:
        upload.errors.append(str(error))
        return upload
    until = deadline()
    missing = [s.title for s in SHEETS if s.title not in wb.sheetnames]
    if missing:
        upload.errors.append(
            f"The workbook has no sheet called {', '.join(f'“{m}”' for m in missing)}. "
            "Do not rename the sheets: download the template again if you need to."
        )
        return upload
    raw: list[tuple[RecordKind, int, list[Any]]] = []
    for kind in KINDS.values():
        sheet = kind.sheet
        width = len(sheet.columns)
        try:
            rows = list(
                sheet_rows(wb[sheet.title], width=width, max_rows=sheet.max_rows, until=until)
            )
        except TooSlow as error:
            upload.errors = [str(error)]
            return upload
        except UploadError as error:
            upload.errors.append(f"{sheet.title}: {error}")
            continue
        headers = rows.pop(0)[1] if rows and rows[0][0] == 1 else [None] * width
        expected = [c.header for c in sheet.columns]
        if [str(h or "").strip().casefold() for h in headers] != [h.casefold() for h in expected]:
            upload.errors.append(
                f"{sheet.title}, row 1: the column headings have been changed. They should be: "
                f"{', '.join(expected)}."
            )
            continue
        raw.extend((kind, number, values) for number, values in rows)
    wb.close()
    if upload.errors:
        return upload

    urns = [
        v
        for kind, _, values in raw
        for c, v in zip(kind.sheet.columns, values, strict=True)
        if c.kind == "urn" and isinstance(v, int | float | str) and str(v).strip().isdigit()
    ]
    found, in_area = _schools(hub, (int(float(u)) for u in urns))
    seen: dict[tuple[Any, ...], int] = {}
    for kind, number, values in raw:
        sheet = kind.sheet
        fields: dict[str, Any] = {}
        errors: list[tuple[int | None, str]] = []
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
            if column.kind == "info":
                continue
            try:
                cleaned = _read_cell(column, value)
                if column.kind == "urn" and cleaned is not None:
                    school = found.get(cleaned)
                    if school is None:
                        raise _CellError(f"there is no school with URN {cleaned} in the register")
                    if school.pk not in in_area:
                        raise _CellError(f"{school.name} (URN {cleaned}) is not in this hub's area")
                    cleaned = school
            except _CellError as error:
                errors.append((index, str(error)))
            else:
                fields[column.field] = cleaned
        for index, column in enumerate(sheet.columns):
            total = fields.get(column.within) if column.within else None
            count = fields.get(column.field)
            if total is not None and count is not None and count > total:
                total_header = next(c.header for c in sheet.columns if c.field == column.within)
                errors.append((index, f"{count} is more than {total_header} ({total})"))
        if kind.school_or_centre and not errors and not fields["school"] and not fields["centre"]:
            errors.append((0, "give the school's URN, or the centre's name if not at a school"))
        if not errors:
            errors.extend(_duplicate(kind, number, values, fields, seen))
        if not errors:
            errors.extend(_model_errors(kind, fields, hub=hub, partner=partner, year=year))
        for at, message in errors:
            upload.errors.append(f"{_where(sheet, number, at)}: {message}")
        if not errors:
            upload.records.append((kind.key, fields))
    if upload.errors:
        upload.records = []
    return upload


def _duplicate(
    kind: RecordKind,
    number: int,
    values: list[Any],
    fields: dict[str, Any],
    seen: dict[tuple[Any, ...], int],
) -> list[tuple[int | None, str]]:
    whole = (kind.key, "row", *(str(v).strip().casefold() for v in values))
    keys = [whole]
    if kind.sheet.unique:
        keys.append(
            (
                kind.key,
                "key",
                *(getattr(fields[f], "pk", str(fields[f]).casefold()) for f in kind.sheet.unique),
            )
        )
    for key in keys:
        if key in seen:
            what = "repeats" if key[1] == "row" else "is the same record as"
            return [(None, f"this row {what} row {seen[key]}")]
    for key in keys:
        seen[key] = number
    return []


def _model_errors(
    kind: RecordKind, fields: dict[str, Any], *, hub: Hub, partner: Organisation, year: int
) -> list[tuple[int | None, str]]:
    """The model's own checks (lengths, constraints, one of each per year) before any save."""
    record = kind.model(hub=hub, year=year, partner=partner, **fields)
    try:
        record.full_clean()
    except ValidationError as error:
        return _readable(error, kind.sheet)
    return []
