"""The hub's data return, downloaded as a workbook or its Schools sheet as CSV."""

import csv

from django.http import HttpResponse

from tutti.core.audit import ReadAction, audit_read
from tutti.core.spreadsheets import cell_value
from tutti.core.years import year_label
from tutti.participation.figures import compute_figures
from tutti.participation.returns import SCHOOL_COLUMNS, return_rows, return_workbook
from tutti.participation.views.years import chosen_year_data
from tutti.tenancy.pages import hub_permission_required
from tutti.tenancy.request import MemberRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_year(year: int) -> str:
    """The academic year in a file name: 2025 → "2025-26", as "2025" alone could be either."""
    return year_label(year).replace("/", "-")


@hub_permission_required("can_manage_participation")
def return_xlsx(request: MemberRequest, hub_slug: str) -> HttpResponse:
    data, _ = chosen_year_data(request, with_schools=True)
    audit_read(request, ReadAction.DATA_RETURN, year=data.year, format="xlsx")
    body = return_workbook(data, compute_figures(data))
    response = HttpResponse(body, content_type=XLSX)
    name = f"{hub_slug}-data-return-{file_year(data.year)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hub_permission_required("can_manage_participation")
def return_csv(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The Schools sheet of the data return, as CSV."""
    data, _ = chosen_year_data(request, with_schools=True)
    audit_read(request, ReadAction.DATA_RETURN, year=data.year, format="csv")
    rows = return_rows(data, compute_figures(data))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{hub_slug}-data-return-{file_year(data.year)}-schools.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(SCHOOL_COLUMNS)
    writer.writerows([cell_value(v) for v in row] for row in rows.schools)
    return response
