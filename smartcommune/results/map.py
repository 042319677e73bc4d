"""The province map: communes placed by their coordinates in a self-contained SVG.

No tiles, no scripts, no outside request: each commune is a circle at its latitude and
longitude, projected into the box of the province's communes (equirectangular, the
longitude scaled by the cosine of the mean latitude, which is exact enough for a
province), coloured by fields met on viridis (readable with every common colour-vision
deficiency, and in grey) and labelled with the number itself, so colour is never the only
cue.  Floats are fine here: they place dots, they decide nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from smartcommune.results.selectors.overview import CommuneResult

# Viridis in 11 steps, from none of the fields met to all of them.
PALETTE = (
    "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
    "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725",
)
# Steps from which black text reads better than white.
LIGHT_FROM = 6
BOX = 600  # the longer side of the drawing, in SVG units
PAD = 24
RADIUS = 9


@dataclass(frozen=True)
class Marker:
    row: CommuneResult
    x: float
    y: float
    fill: str
    ink: str


@dataclass(frozen=True)
class LegendStep:
    fields_met: int
    fill: str
    ink: str


@dataclass(frozen=True)
class MapLayout:
    width: int
    height: int
    radius: int
    markers: list[Marker]
    without_coordinates: list[CommuneResult]
    legend: list[LegendStep]


def colour(fields_met: int, fields_total: int) -> tuple[str, str]:
    """(fill, text colour) for ``fields_met`` of ``fields_total`` fields."""
    step = round(fields_met * (len(PALETTE) - 1) / fields_total) if fields_total else 0
    step = max(0, min(len(PALETTE) - 1, step))
    return PALETTE[step], "#000" if step >= LIGHT_FROM else "#fff"


def layout(rows: list[CommuneResult], *, fields_total: int) -> MapLayout:
    """Place ``rows`` in a box; communes without coordinates are returned apart."""
    placed = [r for r in rows if r.unit.latitude is not None and r.unit.longitude is not None]
    without = [r for r in rows if r.unit.latitude is None or r.unit.longitude is None]
    legend = [LegendStep(n, *colour(n, fields_total)) for n in range(fields_total + 1)]
    if not placed:
        return MapLayout(BOX, 0, RADIUS, [], without, legend)
    lats = [float(r.unit.latitude) for r in placed]
    lons = [float(r.unit.longitude) for r in placed]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    # A single commune, or communes on one line, still get a box around them.
    span_x = max((max(lons) - min(lons)) * k, 0.01)
    span_y = max(max(lats) - min(lats), 0.01)
    scale = BOX / max(span_x, span_y)
    width = span_x * scale + 2 * PAD
    height = span_y * scale + 2 * PAD
    markers = []
    # Fewest fields first, so the best results are drawn on top where circles overlap.
    for r in sorted(placed, key=lambda r: (r.evaluation.fields_met, r.unit.code)):
        x = PAD + (float(r.unit.longitude) - min(lons)) * k * scale
        y = PAD + (max(lats) - float(r.unit.latitude)) * scale
        fill, ink = colour(r.evaluation.fields_met, fields_total)
        markers.append(Marker(r, round(x, 1), round(y, 1), fill, ink))
    return MapLayout(round(width), round(height), RADIUS, markers, without, legend)
