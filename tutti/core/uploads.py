"""Reading uploaded files within limits: every upload is answered in seconds, in little memory.

A file is refused with a plain message (``UploadError``), never a server error, when it is too
large, has too many rows, takes too long to read, or is not the kind of file asked for. Each
reader here streams: a CSV is read row by row and stops at the row limit; a workbook is opened
read-only, its XML is parsed by defusedxml, its unpacked size is checked before any XML is
read, and its rows are read as they are in the file, so a cell at row 1,048,576 costs no more
than one at row 2.

openpyxl parses with defusedxml only when that is installed (``openpyxl.DEFUSEDXML``); it is a
pinned dependency, and a test fails if openpyxl ever stops using it.
"""

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml import DefusedXmlException
from django import forms
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from tutti.core.errors import DomainError

# Reading any one upload gives up after this long, whatever the file.
MAX_SECONDS = 4.0
# A cell longer than this is not a name, a number or a URN.
MAX_FIELD_CHARS = 10_000
SAVE_AS_CSV = "In Excel, choose File, Save As, “CSV UTF-8 (Comma delimited)”, and upload that."
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CHUNK = 1024 * 1024


class UploadError(DomainError):
    """The upload cannot be read; the message says why, in plain English, and what to do."""


class TooSlow(UploadError):
    """Reading the upload ran past its time: the whole file is refused, not just one part."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def deadline(seconds: float = MAX_SECONDS) -> float:
    return time.monotonic() + seconds


def check_deadline(until: float) -> None:
    if time.monotonic() > until:
        raise TooSlow("This file takes too long to read. Please split it into smaller files.")


def read_limited(file: Any, *, max_bytes: int) -> bytes:
    """An uploaded file's bytes, refused before reading if it is larger than ``max_bytes``."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise UploadError(
            f"The file is {megabytes(size)}; files here can be at most {megabytes(max_bytes)}."
        )
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(f"The file is larger than {megabytes(max_bytes)}, the most it can be.")
    return data


# CSV ----------------------------------------------------------------------------------------


def refuse_non_text(data: bytes) -> None:
    """Refuse, by its first bytes, a file that is plainly not a CSV file."""
    if data.startswith(b"PK\x03\x04"):
        raise UploadError(f"This is an Excel workbook or a zip file, not a CSV file. {SAVE_AS_CSV}")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise UploadError(f"This file is saved as “Unicode text” (UTF-16). {SAVE_AS_CSV}")
    if b"\x00" in data[:1_000_000]:
        raise UploadError(
            f"This is not a CSV file: it holds binary data, or text saved as UTF-16. {SAVE_AS_CSV}"
        )


def csv_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), or Windows-1252 as older Excel saves it; checked in chunks,
    so that no copy of the whole text is made."""
    refuse_non_text(data)
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), CHUNK):
                decoder.decode(data[start : start + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as e:
            where = start + e.start
            continue
        return encoding
    line = data.count(b"\n", 0, where) + 1
    raise UploadError(
        f"Line {line} has a byte (0x{data[where]:02X}) that is not text in any encoding a CSV "
        f"file uses. {SAVE_AS_CSV}"
    )


def open_csv(data: bytes) -> io.TextIOWrapper:
    """A CSV file's text, decoded as it is read."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=csv_encoding(data), newline="")


def csv_records(
    text: io.TextIOBase, *, max_rows: int, until: float | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on, header first.

    Refuses more than ``max_rows`` records under the header, a cell over ``MAX_FIELD_CHARS``
    or holding a control character, and running past ``until``.
    """
    until = until or deadline()
    reader = csv.reader(text)
    count, last_line = 0, 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise UploadError(
                f"The file can't be read as CSV near line {last_line + 1}: check its quotes, "
                "or save it again as CSV."
            ) from None
        start, last_line = last_line + 1, reader.line_num
        if record and max(map(len, record)) > MAX_FIELD_CHARS:
            raise UploadError(
                f"Line {start} has a cell longer than {MAX_FIELD_CHARS:,} characters; this "
                "is not the kind of file asked for."
            )
        # One search over the whole record: line breaks inside cells are allowed anyway.
        bad = NOT_TEXT.search("\n".join(record))
        if bad is not None:
            raise UploadError(
                f"Line {start} holds a control character (U+{ord(bad.group()):04X}), so this "
                f"is not a CSV file of text. {SAVE_AS_CSV}"
            )
        count += 1
        if count > max_rows + 1:
            raise UploadError(
                f"The file has more than {max_rows:,} rows; it can have at most {max_rows:,}."
            )
        if count % 1000 == 0:
            check_deadline(until)
        yield start, record


# Workbooks ----------------------------------------------------------------------------------

NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (.xlsx). Please use the template from this page."
)


def open_workbook(data: bytes, *, max_unpacked_bytes: int) -> Any:
    """A read-only workbook, after checking that unpacking it stays within the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadError(NOT_A_WORKBOOK) from None
    if len(members) > 1000 or sum(m.file_size for m in members) > max_unpacked_bytes:
        raise UploadError(
            "This workbook is too large once unpacked. Please use the template from this page, "
            "with one row for each activity."
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValueError as e:
        # openpyxl wraps what defusedxml refuses in a ValueError of its own.
        if isinstance(e, DefusedXmlException) or isinstance(e.__cause__, DefusedXmlException):
            raise UploadError(
                "This workbook has content Tutti does not read (XML entity or DTD "
                "declarations). Please fill in the template from this page and save it from "
                "Excel."
            ) from None
        raise UploadError(NOT_A_WORKBOOK) from None
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        TypeError,
        AttributeError,
        IndexError,
        SyntaxError,  # xml.etree's ParseError
    ):
        raise UploadError(NOT_A_WORKBOOK) from None


def sheet_rows(  # noqa: C901 - one streaming loop: deadline, width, blank rows, row limit
    ws: Any, *, width: int, max_rows: int, until: float
) -> Iterator[tuple[int, list[Any]]]:
    """Each row that has something in it, with its row number, as ``width`` values.

    Rows are read as the file lists them, without filling in the empty rows between, and
    reading stops at the ``max_rows``-th row with content after the first.
    """
    wb = ws.parent
    filled = 0
    try:
        with ws._get_source() as source:
            parser = WorkSheetParser(
                source,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for number, (row_number, cells) in enumerate(parser.parse()):
                if number % 500 == 0:
                    check_deadline(until)
                values: list[Any] = [None] * width
                for cell in cells:
                    if 1 <= cell["column"] <= width:
                        values[cell["column"] - 1] = cell["value"]
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if row_number > 1:
                    filled += 1
                    if filled > max_rows:
                        raise UploadError(
                            f"there are more than {max_rows:,} rows; this sheet takes at most "
                            f"{max_rows:,}."
                        )
                yield row_number, values
            if parser.merged_cells is not None and parser.merged_cells.mergeCell:
                cells = ", ".join(str(m.ref) for m in parser.merged_cells.mergeCell)
                raise UploadError(f"please unmerge the merged cells ({cells}).")
    except DefusedXmlException:
        raise UploadError(
            "the sheet has content Tutti does not read (XML entity or DTD declarations)."
        ) from None
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, SyntaxError, OSError):
        raise UploadError(
            "the sheet cannot be read; please use the template from this page."
        ) from None


class LimitedFileField(forms.FileField):
    """A file field that refuses, before anything reads it, a file larger than ``max_bytes``."""

    def __init__(self, *, max_bytes: int, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        size = getattr(value, "size", None)
        if size is not None and size > self.max_bytes:
            raise ValidationError(
                "The file is %(size)s; it can be at most %(most)s.",
                code="too_large",
                params={"size": megabytes(size), "most": megabytes(self.max_bytes)},
            )
