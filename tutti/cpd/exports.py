"""Approved supply-cover claims for payment, as CSV and Excel: one row a claim, then the total
for each school with its URN. Every text cell goes through ``tutti.core.spreadsheets``, so a
name such as ``=HYPERLINK(...)`` stays text."""

import csv
import io

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from tutti.core.spreadsheets import append_row, cell_value
from tutti.cpd.models import SupplyClaim
from tutti.cpd.selectors import claim_totals

CLAIM_COLUMNS = ["School", "URN", "Teacher", "Network", "Day", "Amount (£)", "Approved on"]
TOTAL_COLUMNS = ["School", "URN", "Claims", "Total (£)"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def claim_rows(claims: QuerySet[SupplyClaim]) -> list[list[object]]:
    return [
        [
            c.school.name,
            c.school.urn or "",
            str(c.member),
            c.day.network.name,
            timezone.localtime(c.day.event.starts_at).date().isoformat(),
            float(c.amount),
            timezone.localtime(c.decided_at).date().isoformat() if c.decided_at else "",
        ]
        for c in claims.order_by("school__name", "day__event__starts_at", "member__name")
    ]


def total_rows(claims: QuerySet[SupplyClaim]) -> list[list[object]]:
    return [
        [t.school.name, t.school.urn or "", t.claims, float(t.amount)]
        for t in claim_totals(claims=claims)
    ]


def claims_csv(claims: QuerySet[SupplyClaim]) -> str:
    output = io.StringIO()
    output.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(output)
    writer.writerow(CLAIM_COLUMNS)
    for row in claim_rows(claims):
        writer.writerow([cell_value(v) for v in row])
    writer.writerow([])
    writer.writerow(["Totals per school"])
    writer.writerow(TOTAL_COLUMNS)
    for row in total_rows(claims):
        writer.writerow([cell_value(v) for v in row])
    return output.getvalue()


def claims_xlsx(claims: QuerySet[SupplyClaim]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Claims")
    append_row(sheet, CLAIM_COLUMNS)
    for row in claim_rows(claims):
        append_row(sheet, row)
    totals = book.create_sheet("Totals per school")
    append_row(totals, TOTAL_COLUMNS)
    for row in total_rows(claims):
        append_row(totals, row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
