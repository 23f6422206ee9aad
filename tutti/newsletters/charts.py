"""The growth chart of a list: an SVG drawn on the server, like the impact page's charts."""

from dataclasses import dataclass

from tutti.newsletters.selectors import GrowthPoint

WIDTH = 600
HEIGHT = 160
PAD = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    value_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    top: int
    baseline: float


def growth_chart(points: list[GrowthPoint]) -> Chart:
    """A bar for each month: people on the list at its end."""
    top = max([p.subscribers for p in points] + [1])
    slot = (WIDTH - PAD) / max(len(points), 1)
    usable = HEIGHT - 2 * PAD
    bars = []
    for n, point in enumerate(points):
        height = round(usable * point.subscribers / top, 1)
        bars.append(
            Bar(
                x=round(PAD + n * slot + slot * 0.15, 1),
                y=round(HEIGHT - PAD - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
                label=point.month.strftime("%b"),
                value=point.subscribers,
                value_y=round(HEIGHT - PAD - height - 4, 1),
            )
        )
    return Chart(width=WIDTH, height=HEIGHT, bars=bars, top=top, baseline=HEIGHT - PAD)
