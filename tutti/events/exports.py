"""An event's attendee list as files for a spreadsheet: CSV and Excel, the same columns and rows.

Every text cell goes through ``tutti.core.spreadsheets``, so a name such as ``=HYPERLINK(...)``
stays text and control characters are dropped (tutti/core/tests/test_writers.py).
"""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from tutti.core.spreadsheets import cell_text, text_cell
from tutti.events import selectors
from tutti.events.models import Booking, Event

ATTENDEE_COLUMNS = ["Name", "Email", "Organisation", "Status", "Waiting list place", "Booked at"]
ATTENDEE_COLUMNS += ["Places"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attendee_rows(event: Event) -> list[tuple[Booking, int | None]]:
    """Everyone booked, then the waiting list in order with each person's place in it."""
    bookings = selectors.event_bookings(event=event)
    return [(b, None) for b in bookings["confirmed"]] + [
        (b, place) for place, b in enumerate(bookings["waiting"], start=1)
    ]


def attendees_csv(event: Event) -> str:
    """The attendee list as CSV text, starting with a byte order mark."""
    output = io.StringIO()
    output.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(output)
    writer.writerow(ATTENDEE_COLUMNS)
    for b, place in attendee_rows(event):
        writer.writerow(
            [
                cell_text(b.name),
                cell_text(b.email),
                cell_text(b.organisation_name),
                b.get_status_display(),
                place or "",
                timezone.localtime(b.created_at).strftime("%Y-%m-%d %H:%M"),
                b.places,
            ]
        )
    return output.getvalue()


def attendees_xlsx(event: Event) -> bytes:
    """The CSV's columns and rows as an Excel workbook."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Attendees")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (28, 32, 32, 20, 12, 18, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(ATTENDEE_COLUMNS)

    def text(value: str) -> Cell:
        return text_cell(sheet, value)

    for b, place in attendee_rows(event):
        booked = WriteOnlyCell(sheet, value=timezone.localtime(b.created_at).replace(tzinfo=None))
        booked.number_format = "yyyy-mm-dd hh:mm"
        sheet.append(
            [
                text(b.name),
                text(b.email),
                text(b.organisation_name),
                b.get_status_display(),
                place,
                booked,
                b.places,
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
