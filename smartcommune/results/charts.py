"""A small bar chart of a commune's fields met over the years, as SVG geometry for the
scorecard template (server-side, no script, printable)."""

from __future__ import annotations

from dataclasses import dataclass

from smartcommune.results.map import colour
from smartcommune.results.selectors.scorecard import TrendPoint

BAR = 36
GAP = 18
UNIT = 10  # SVG units per field
TOP = 16  # room for the value above a bar
BOTTOM = 20  # room for the year under the axis


@dataclass(frozen=True)
class Bar:
    point: TrendPoint
    x: int
    y: int
    height: int
    fill: str
    label_x: int


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    axis_y: int
    threshold_y: int
    bars: list[Bar]


def trend_chart(trend: list[TrendPoint], *, fields_total: int, fields_required: int) -> TrendChart:
    axis_y = TOP + fields_total * UNIT
    bars = []
    for i, p in enumerate(trend):
        x = GAP + i * (BAR + GAP)
        height = p.fields_met * UNIT
        bars.append(Bar(p, x, axis_y - height, height, colour(p.fields_met, fields_total)[0], x + BAR // 2))
    width = GAP + len(trend) * (BAR + GAP)
    return TrendChart(width, axis_y + BOTTOM, axis_y, axis_y - fields_required * UNIT, bars)
