"""Text written into spreadsheets (XLSX and CSV): the one place that makes it safe.

Every writer passes each value typed by a person, or read from a file, through ``cell_value``:

- a value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return would run as a formula
  (or a DDE command) when the file is opened, so it gets a leading apostrophe, as Excel itself
  shows text typed that way; ``unguard`` takes it off again when a file of ours comes back;
- characters an XLSX file cannot hold (control characters other than tab, LF and CR, lone
  surrogates) would make openpyxl refuse the whole file, so they are dropped.

XLSX writers also type every text cell as a string (``text_cell``), so that neither openpyxl nor
a spreadsheet program ever reads one as a formula.
"""

from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from tutti.core.text import strip_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """``value`` safe to write into any spreadsheet cell as text."""
    # What XML 1.0 cannot hold, and the C1 controls, which no spreadsheet shows.
    value = strip_controls(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cell_value(value: Any) -> Any:
    """Text made safe by ``cell_text``; numbers, dates and None as they are."""
    return cell_text(value) if isinstance(value, str) else value


def unguard(value: Any) -> Any:
    """Text as it was before ``cell_text`` guarded it, for a file of ours read back."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def text_cell(sheet: Any, value: Any) -> Any:
    """A cell for ``sheet.append``: text is made safe and typed as a string."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=cell_text(value)) if _write_only(sheet) else None
    if cell is None:
        # The stub wants a row and column, which a cell given to append() does not have.
        cell = Cell(sheet, value=cell_text(value))  # type: ignore[call-arg]
    cell.data_type = "s"
    return cell


def append_row(sheet: Any, values: list[Any]) -> None:
    """``sheet.append(values)``, with every text value made safe."""
    sheet.append([text_cell(sheet, v) for v in values])


def _write_only(sheet: Any) -> bool:
    return not isinstance(sheet, Worksheet)
