"""Hostile uploads, made on the spot: the files a security tester sent, for tests and the benchmark.

Each builder returns bytes; none needs the database.
"""

import io
import random
import re
import zipfile

from openpyxl import Workbook

LAST_ROW = 1_048_576  # the last row a sheet can have


def random_bytes(size: int = 64 * 1024, seed: int = 10) -> bytes:
    return random.Random(seed).randbytes(size)


def stray_bytes() -> bytes:
    """Mostly a good CSV, with bytes that are text in neither UTF-8 nor Windows-1252."""
    return b"URN,Cluster\r\n126000,Devizes area\x81\r\n126001,Chippen\x8dham\r\n"


def utf16(bom: bool = True) -> bytes:
    text = "URN,Cluster\r\n126000,Devizes area\r\n"
    return text.encode("utf-16" if bom else "utf-16-le")


def huge_field(size: int = 1024 * 1024) -> bytes:
    """A quoted field that never ends, then a field longer than the csv module allows."""
    return b'URN,Cluster\r\n126000,"' + b"a" * size


def long_cell(size: int = 50_000) -> bytes:
    return b"URN,Cluster\r\n126000," + b"a" * size + b"\r\n"


def tiny_rows_csv(size: int = 20 * 1024 * 1024, header: bytes = b"URN,Cluster\n") -> bytes:
    """A CSV of ``size`` bytes, all of it two-byte rows."""
    return header + b"1\n" * ((size - len(header)) // 2)


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def far_cell_xlsx(titles: list[str], headers: dict[str, list[str]]) -> bytes:
    """A small workbook whose every sheet has its headings and one cell in the last row."""
    wb = Workbook()
    wb.remove(wb.active)
    for title in titles:
        ws = wb.create_sheet(title)
        ws.append(headers.get(title, ["x"]))
        ws.cell(row=LAST_ROW, column=1, value=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ENTITIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
)


ENTITY_CELL = '<row r="99"><c r="A99" t="inlineStr"><is><t>&c;</t></is></c></row>'


def with_entities(xlsx: bytes, member: str = "", *, declare: bool = True) -> bytes:
    """``xlsx`` with an entity used in one of its XML parts (by default every sheet), and
    declared in a DOCTYPE there (or, with ``declare=False``, used without being declared)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            chosen = info.filename == member or (
                not member and info.filename.startswith("xl/worksheets/sheet")
            )
            if chosen:
                text = re.sub(r"^<\?xml[^>]*\?>\s*", "", data.decode())
                text = text.replace("<sheetData>", f"<sheetData>{ENTITY_CELL}", 1)
                data = ((ENTITIES if declare else "") + text).encode()
            target.writestr(info, data)
    return out.getvalue()
