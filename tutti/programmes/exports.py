"""The published outcomes as a tagged PDF, and the funder's report as XLSX.

Both are built from ``selectors`` figures only, so no figure about fewer than 10 pupils can
reach them.
"""

import io

from django.http import HttpRequest
from django.template.loader import render_to_string
from openpyxl import Workbook

from tutti.core.spreadsheets import append_row
from tutti.core.text import strip_controls
from tutti.core.urls import absolute_url
from tutti.programmes import selectors
from tutti.programmes.models import Programme


def outcomes_pdf(*, request: HttpRequest, programme: Programme) -> bytes:
    """The published summary as PDF/UA (tagged). WeasyPrint loads Pango: imported here only."""
    from weasyprint import HTML

    context = {
        "programme": programme,
        "figures": selectors.published_figures(programme=programme),
        "suppressed_text": selectors.SUPPRESSED,
    }
    html = strip_controls(
        render_to_string("programmes/outcomes_pdf.html", context, request=request)
    )
    return bytes(
        HTML(string=html, base_url=absolute_url("/", request)).write_pdf(pdf_variant="pdf/ua-1")
    )


def funder_report_xlsx(*, programme: Programme) -> bytes:
    """Figures (suppressed where about fewer than 10 pupils) and each site's sessions."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Outcomes"
    append_row(sheet, [programme.name])
    append_row(sheet, ["Lead organisation", str(programme.lead_organisation or "")])
    append_row(sheet, ["Funder", programme.funder])
    append_row(sheet, ["Starts", programme.starts_on])
    append_row(sheet, ["Ends", programme.ends_on])
    append_row(sheet, [])
    append_row(sheet, ["Figure", "Value", "Pupils it is about"])
    for figure in selectors.programme_figures(programme=programme):
        if figure.suppressed:
            append_row(sheet, [figure.label, selectors.SUPPRESSED, ""])
        else:
            append_row(sheet, [figure.label, figure.value, figure.pupils or ""])
    sites = book.create_sheet("Sites")
    append_row(
        sites,
        ["Organisation", "School", "URN", "Sessions planned", "Sessions delivered", "Weeks missed"],
    )
    for row in selectors.site_rows(programme=programme):
        append_row(
            sites,
            [
                row.site.organisation.name,
                row.site.school.name,
                row.site.school.urn,
                row.planned,
                row.delivered,
                row.missed,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
