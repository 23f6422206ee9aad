"""The needs-analysis report as a PDF, drawn from the same HTML and SVG as the pages."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from tutti.core.text import strip_controls


def report_pdf(*, request: HttpRequest, context: dict) -> bytes:
    """The report's PDF. WeasyPrint is imported here: it loads Pango, which only this needs."""
    from weasyprint import HTML

    # Names typed long ago may hold characters no PDF can (a lone surrogate stops WeasyPrint).
    html = strip_controls(render_to_string("provision/report.html", context, request=request))
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
