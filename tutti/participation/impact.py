"""The impact page: one year's figures, their five-year trend and the schools reached.

The same function serves hub staff (every figure of every year) and the public (only the
years and figures the hub has published), so the two can never disagree on a number.
"""

from dataclasses import dataclass, field

from tutti.core.years import year_label
from tutti.directory.models import Hub
from tutti.participation.figures import (
    FIGURES,
    BreakdownRow,
    Figure,
    FigureValue,
    breakdown,
    compute_figures,
    load_years,
)
from tutti.participation.models import Publication

TREND_YEARS = 5

# The trend chart beside each figure: columns in a small SVG, drawn on the server.
CHART_WIDTH, CHART_HEIGHT, BAR_WIDTH, BAR_GAP = 150, 40, 24, 6


@dataclass
class Bar:
    x: int
    y: float
    height: float
    label: str
    current: bool


@dataclass
class TrendCell:
    year: int
    label: str
    value: float | None  # None: no records that year, or not published


@dataclass
class FigureRow:
    figure_value: FigureValue
    published: bool
    trend: list[TrendCell]
    bars: list[Bar] = field(default_factory=list)

    @property
    def figure(self) -> Figure:
        return self.figure_value.figure

    @property
    def value(self) -> float:
        return self.figure_value.value


@dataclass
class ImpactPage:
    year: int
    public: bool
    publication: Publication | None
    rows: list[FigureRow]
    trend_years: list[TrendCell]
    engaged: int
    in_area: int
    breakdowns: list[tuple[str, list[BreakdownRow]]]
    show_reach: bool

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def share(self) -> int:
        return round(100 * self.engaged / self.in_area) if self.in_area else 0

    @property
    def reach_by_cluster(self) -> list[BreakdownRow]:
        return next((rows for by, rows in self.breakdowns if by == "cluster"), [])

    @property
    def has_clusters(self) -> bool:
        return any(r.name != NO_CLUSTER for r in self.reach_by_cluster)


NO_CLUSTER = "Not in a cluster"


def trend_bars(values: list[float | None], *, percent: bool = False) -> list[Bar]:
    """Columns for the values, scaled to the largest (or to 100 for a percentage); the last
    is the year shown. A missing value gets no column."""
    top = 100 if percent else max((v for v in values if v), default=0)
    bars = []
    for n, value in enumerate(values):
        if value is None:
            continue
        height = round(CHART_HEIGHT * value / top, 1) if top else 0
        # A zero still shows as a hairline, so "nothing" reads differently from "no data".
        height = max(height, 1)
        bars.append(
            Bar(
                x=n * (BAR_WIDTH + BAR_GAP),
                y=CHART_HEIGHT - height,
                height=height,
                label=str(value),
                current=n == len(values) - 1,
            )
        )
    return bars


def impact_page(
    *, hub: Hub, year: int, publications: dict[int, Publication], public: bool
) -> ImpactPage:
    """The page for ``year``. ``public``: only published years and figures count."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    # The page shows the reach, which reads every school.
    data_by_year = load_years(hub=hub, years=years, with_schools=True)
    computed = {y: compute_figures(d) for y, d in data_by_year.items()}
    publication = publications.get(year)

    def shown(key: str, in_year: int) -> bool:
        if not public:
            return data_by_year[in_year].has_records
        published = publications.get(in_year)
        return published is not None and key in published.figures

    rows = []
    for n, figure in enumerate(FIGURES):
        if public and not shown(figure.key, year):
            continue
        trend = [
            TrendCell(y, year_label(y), computed[y][n].value if shown(figure.key, y) else None)
            for y in years
        ]
        rows.append(
            FigureRow(
                figure_value=computed[year][n],
                published=publication is not None and figure.key in publication.figures,
                trend=trend,
                bars=trend_bars([c.value for c in trend], percent=figure.percent),
            )
        )
    data = data_by_year[year]
    by_key = {f.figure.key: f for f in computed[year]}
    engaged = by_key["schools-engaged"].result.schools or set()
    return ImpactPage(
        year=year,
        public=public,
        publication=publication,
        rows=rows,
        trend_years=[TrendCell(y, year_label(y), None) for y in years],
        engaged=len(engaged & set(data.schools)),
        in_area=int(by_key["schools-in-area"].value),
        breakdowns=[
            ("local authority", breakdown(data, engaged, "local_authority")),
            ("cluster", breakdown(data, engaged, "cluster", missing=NO_CLUSTER)),
            ("school phase", breakdown(data, engaged, "phase")),
        ],
        show_reach=not public or (publication is not None and publication.show_reach),
    )
