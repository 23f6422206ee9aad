"""The certificate of participation: a tagged PDF (PDF/UA-1), made from HTML by WeasyPrint."""

from django.template.loader import render_to_string

from tutti.competitions.models import Entry
from tutti.core.text import strip_controls


def certificate_pdf(entry: Entry) -> bytes:
    """WeasyPrint is imported here: it loads Pango, which only this needs."""
    from weasyprint import HTML

    html = render_to_string(
        "competitions/certificate.html",
        {"entry": entry, "competition": entry.competition, "hub": entry.competition.hub},
    )
    return HTML(string=strip_controls(html)).write_pdf(pdf_variant="pdf/ua-1")
