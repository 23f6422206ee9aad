"""The term's charges for the hub's finance system, as CSV and XLSX: every text cell made safe
(tutti.core.spreadsheets), so a name typed as a formula never runs."""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from tutti.core.spreadsheets import append_row, cell_value
from tutti.loans.models import Charge

HEADERS = [
    "Charge",
    "Term",
    "Borrower",
    "School",
    "Contact email",
    "Instrument",
    "Asset tag",
    "Full fee",
    "Remission",
    "Amount due",
    "Paid on",
]


def _rows(charges: Iterable[Charge]) -> Iterable[list[object]]:
    for charge in charges:
        loan = charge.loan
        request = loan.request
        school = request.school if request else loan.school
        yield [
            charge.pk,
            f"{charge.get_term_display()} {charge.year}/{(charge.year + 1) % 100:02d}",
            request.pupil_name if request else (school.name if school else ""),
            school.name if school else "",
            request.contact_email if request else loan.borrower_email,
            loan.instrument.type_and_size,
            loan.instrument.asset_tag,
            float(charge.full_fee),
            charge.get_ground_display() if charge.ground else "",
            float(charge.amount),
            charge.paid_on.isoformat() if charge.paid_on else "",
        ]


def charges_csv(charges: Iterable[Charge]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in _rows(charges):
        writer.writerow([cell_value(v) for v in row])
    return out.getvalue()


def charges_xlsx(charges: Iterable[Charge]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Charges")
    append_row(sheet, list(HEADERS))
    for row in _rows(charges):
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
