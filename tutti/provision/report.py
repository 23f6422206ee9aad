"""The needs-analysis report as a PDF, drawn from the same HTML and SVG as the pages.

The PDF is tagged (PDF/UA-1): headings, tables and paragraphs are in its structure tree, so a
screen reader can move through it, and the map and every chart is an image with alternative
text that gives what it shows in words.
"""

import base64
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string

from tutti.core.text import strip_controls
from tutti.core.urls import absolute_url

# The report's colours for each status, as in its legend.
COLOURS = {"provided": "#1e6b3a", "partly": "#8a5300", "none": "#b0261c", "unknown": "#ffffff"}
SHAPES = {"provided": "circles", "partly": "diamonds", "none": "squares", "unknown": "open circles"}


@dataclass
class Chart:
    src: str  # a data: URI of an SVG image
    alt: str


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def bar_chart(parts: list[tuple[str, int]], total: int, *, alt: str) -> Chart:
    """A horizontal bar split by status, each part as wide as its share of ``total``."""
    width, height, x = 200, 14, 0.0
    rects = []
    for status, count in parts:
        if not count or not total:
            continue
        w = width * count / total
        rects.append(
            f'<rect x="{x:.2f}" width="{w:.2f}" height="{height}" fill="{COLOURS[status]}"/>'
        )
        x += w
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><rect width="{width}" height="{height}" '
        f'fill="#eef3f8" stroke="#6b7684" stroke-width="1"/>{"".join(rects)}</svg>'
    )
    return Chart(src=_svg_uri(svg), alt=alt)


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _charts(context: dict) -> dict:
    """The map and the charts as images with their alternative text."""
    schools = context["schools"]
    labels = dict(context["statuses"])
    by_role = []
    for label, counts in context["by_role"]:
        words = ", ".join(
            f"{labels[status].lower()} {count} ({_percent(count, schools)}%)"
            for status, count in counts
        )
        by_role.append(
            (label, counts, bar_chart(counts, schools, alt=f"{label}, of {schools}: {words}."))
        )
    coverage = []
    for c in context["coverage"]:
        alt = f"{c.name}: {c.percent}% provide it fully, {c.provided} of {c.schools} schools" + (
            f", and {c.partly} more in part." if c.partly else "."
        )
        coverage.append((c, bar_chart([("provided", c.provided)], c.schools, alt=alt)))
    chart = {"by_role_charts": by_role, "coverage_charts": coverage}
    if context["map"].height:
        svg = render_to_string("provision/includes/gap_map_svg.html", context)
        totals = ", ".join(
            f"{count} {labels[status].lower()} ({SHAPES[status]})"
            for status, _, count in context["role_totals"]
        )
        chart["map_chart"] = Chart(
            src=_svg_uri(svg),
            alt=(
                f"{context['map_title']}: each school is a marker, {totals}. Grey areas are "
                "the hub's local authorities; dashed outlines are its clusters."
            ),
        )
    return chart


def report_pdf(*, request: HttpRequest, context: dict) -> bytes:
    """The report's PDF. WeasyPrint is imported here: it loads Pango, which only this needs."""
    from weasyprint import HTML

    context = {**context, **_charts(context)}
    # Names typed long ago may hold characters no PDF can (a lone surrogate stops WeasyPrint).
    html = strip_controls(render_to_string("provision/report.html", context, request=request))
    return HTML(string=html, base_url=absolute_url("/", request)).write_pdf(pdf_variant="pdf/ua-1")
