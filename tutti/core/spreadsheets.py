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

import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape as _escape
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
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


# A workbook of plain values written straight as XML: openpyxl, even in write-only mode, builds
# an element per cell and serialises it in pure Python (about 50 µs a cell, a second for a
# national hub's data return); this writes the same cells in a few µs each. Every text cell is
# ``cell_text`` and a shared string, so it can never be read as a formula.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class StreamedWorkbook:
    """An XLSX file of values (text, numbers, booleans; None or "" for an empty cell), with column
    widths and an optional frozen header row: what an export needs, and no styles."""

    def __init__(self) -> None:
        self._sheets: list[tuple[str, str]] = []
        # The workbook's texts, each once (the shared strings), and by text as given, its cell's
        # XML after the reference: made safe once however often it repeats ("Yes", a school).
        self._strings: list[str] = []
        self._text_cells: dict[str, str] = {}

    def _cell_rest(self, value: Any) -> str:
        """A cell's XML after its reference: its type and its value."""
        if isinstance(value, str):
            if (rest := self._text_cells.get(value)) is None:
                self._strings.append(cell_text(value))
                rest = self._text_cells[value] = f' t="s"><v>{len(self._strings) - 1}</v></c>'
            return rest
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f"><v>{int(value)}</v></c>"
        if isinstance(value, float | Decimal):
            return f"><v>{value}</v></c>"
        raise TypeError(f"No cell for a {type(value).__name__}: {value!r}")

    def add_sheet(
        self,
        title: str,
        rows: Iterable[Sequence[Any]],
        *,
        widths: Sequence[float] = (),
        freeze_header: bool = False,
    ) -> None:
        view = (
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            if freeze_header
            else ""
        )
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
            for n, w in enumerate(widths, start=1)
        )
        parts = [f'{_XML}<worksheet xmlns="{_MAIN}">{view}']
        if cols:
            parts.append(f"<cols>{cols}</cols>")
        parts.append("<sheetData>")
        letters: list[str] = []
        texts = self._text_cells
        for number, row in enumerate(rows, start=1):
            while len(letters) < len(row):
                letters.append(get_column_letter(len(letters) + 1))
            cells = [f'<row r="{number}">']
            append = cells.append
            for letter, value in zip(letters, row, strict=False):
                # The common types first, by identity: this runs for every cell.
                kind = type(value)
                if kind is int or kind is float:
                    append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                elif value is None or value == "":
                    # No cell, as openpyxl writes none for empty text.
                    continue
                elif kind is str and value in texts:
                    append(f'<c r="{letter}{number}"{texts[value]}')
                else:
                    append(f'<c r="{letter}{number}"{self._cell_rest(value)}')
            append("</row>")
            parts.append("".join(cells))
        parts.append("</sheetData></worksheet>")
        self._sheets.append((title, "".join(parts)))

    def save(self) -> bytes:
        sheets = range(1, len(self._sheets) + 1)
        files = {
            "[Content_Types].xml": (
                f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CONTENT}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_CONTENT}.styles+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{_CONTENT}.sharedStrings+xml"/>'
                + "".join(
                    f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                    f'ContentType="{_CONTENT}.worksheet+xml"/>'
                    for n in sheets
                )
                + "</Types>"
            ),
            "_rels/.rels": (
                f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
                f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ),
            "xl/workbook.xml": (
                f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
                + "".join(
                    f'<sheet name="{_escape(title, quote=True)}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, (title, _) in zip(sheets, self._sheets, strict=True)
                )
                + "</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
                + "".join(
                    f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in sheets
                )
                + f'<Relationship Id="rId{len(self._sheets) + 1}" Type="{_RELS}/styles" '
                'Target="styles.xml"/>'
                f'<Relationship Id="rId{len(self._sheets) + 2}" Type="{_RELS}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>'
            ),
            "xl/styles.xml": _XML + _STYLES,
            "xl/sharedStrings.xml": (
                f'{_XML}<sst xmlns="{_MAIN}" count="{len(self._strings)}" '
                f'uniqueCount="{len(self._strings)}">'
                # Text, never a formula, whatever it starts with; a carriage return written as
                # itself would be read back as a line feed.
                + "".join(
                    '<si><t xml:space="preserve">'
                    f"{_escape(text, quote=False).replace(chr(13), '&#13;')}</t></si>"
                    for text in self._strings
                )
                + "</sst>"
            ),
            **{
                f"xl/worksheets/sheet{n}.xml": xml
                for n, (_, xml) in zip(sheets, self._sheets, strict=True)
            },
        }
        output = io.BytesIO()
        # The fastest compression: the XML repeats itself, so it still shrinks about tenfold.
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, text in files.items():
                archive.writestr(name, text.encode("utf-8"))
        return output.getvalue()
