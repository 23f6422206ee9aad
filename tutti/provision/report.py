"""The needs-analysis report as a PDF, drawn from the same HTML and SVG as the pages."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from tutti.core.urls import absolute_url


def report_pdf(*, request: HttpRequest, context: dict) -> bytes:
    """The report's PDF. WeasyPrint is imported here: it loads Pango, which only this needs."""
    from weasyprint import HTML

    html = render_to_string("provision/report.html", context, request=request)
    return HTML(string=html, base_url=absolute_url("/", request)).write_pdf()
