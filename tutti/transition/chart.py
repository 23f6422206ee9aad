"""The transition picture's chart, drawn on the server as SVG: one bar per instrument.

Nothing loads from elsewhere and no script runs; the same numbers are in a table beside it for
anyone who cannot see the chart. Bars for fewer than 10 pupils are not drawn (their row says so).
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tutti.transition.selectors import SMALLEST_SHOWN, Bar

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 26
GAP = 10
COLOUR = "#1d5e8c"


def bar_chart(bars: list[Bar], *, title: str, description: str) -> SafeString:
    drawn = [b for b in bars if b.pupils >= SMALLEST_SHOWN]
    if not drawn:
        return SafeString("")
    most = max(b.pupils for b in drawn)
    room = WIDTH - LABEL_WIDTH - 70
    height = len(drawn) * (BAR_HEIGHT + GAP) + GAP
    rows = format_html_join(
        "",
        '<g transform="translate(0 {})">'
        '<text x="{}" y="{}" text-anchor="end" font-size="14" fill="#1b1b1b">{}</text>'
        '<rect x="{}" y="0" width="{}" height="{}" rx="3" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="#1b1b1b">{}</text></g>',
        (
            (
                GAP + i * (BAR_HEIGHT + GAP),
                LABEL_WIDTH - 8,
                BAR_HEIGHT * 0.7,
                b.label[:30],
                LABEL_WIDTH,
                max(2, round(room * b.pupils / most)),
                BAR_HEIGHT,
                COLOUR,
                LABEL_WIDTH + max(2, round(room * b.pupils / most)) + 6,
                BAR_HEIGHT * 0.7,
                f"{b.pupils:,}",
            )
            for i, b in enumerate(drawn)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title '
        'chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title>'
        '<desc id="chart-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        title,
        description,
        rows,
    )
