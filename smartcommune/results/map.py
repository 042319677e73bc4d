"""The province map: communes placed by their coordinates in a self-contained SVG.

No tiles, no outside request: each commune is a circle at its latitude and longitude,
projected into the box of the province's communes (equirectangular, the longitude scaled
by the cosine of the mean latitude, which is exact enough for a province), coloured on
viridis (readable with every common colour-vision deficiency, and in grey) by what decides
recognition -- fields met, or for a set that recognises by points the points, rounded to
a whole number -- outlined, and labelled with that number itself, so colour is never the
only cue.  Where there are districts, each is outlined (the convex hull of its
communes, widened by :data:`DISTRICT_MARGIN`) and named, and carries the box a tap on it
zooms to (``results-map.js``, the page's own small script: pan and zoom, nothing else).
Floats are fine here: they place dots, they decide nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from smartcommune.criteria.engine import Evaluation
from smartcommune.criteria.model import CriteriaSet
from smartcommune.results.charts import whole_points
from smartcommune.results.selectors.overview import CommuneResult

# Viridis in 11 steps, from none of the fields met (or no points) to all of them (the most points).
PALETTE = (
    "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
    "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725",
)
# Steps from which black text reads better than white.
LIGHT_FROM = 6
BOX = 600  # the longer side of the drawing, in SVG units
PAD = 24
RADIUS = 9
DISTRICT_MARGIN = RADIUS + 5  # how far a district's outline runs around its communes


@dataclass(frozen=True)
class Marker:
    row: CommuneResult
    x: float
    y: float
    value: int
    """The number in the circle: fields met, or points rounded (:func:`deciding_value`)."""
    fill: str
    ink: str


@dataclass(frozen=True)
class LegendStep:
    value: int
    fill: str
    ink: str


@dataclass(frozen=True)
class DistrictOutline:
    code: str
    name: str
    points: str  # the outline, as SVG polygon points
    box: tuple[float, float, float, float]  # x, y, width, height around the outline
    label_x: float
    label_y: float


@dataclass(frozen=True)
class MapLayout:
    width: int
    height: int
    radius: int
    markers: list[Marker]
    legend: list[LegendStep]
    districts: list[DistrictOutline] = field(default_factory=list)


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of ``points``, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def district_outline(code: str, name: str, centres: list[tuple[float, float]]) -> DistrictOutline:
    """The outline of a district whose communes sit at ``centres``: the hull of a circle of
    :data:`DISTRICT_MARGIN` around each (approximated by twelve points)."""
    around = [(x + DISTRICT_MARGIN * math.cos(a), y + DISTRICT_MARGIN * math.sin(a))
              for x, y in centres for a in (i * math.pi / 6 for i in range(12))]
    hull = _hull(around)
    xs, ys = [p[0] for p in hull], [p[1] for p in hull]
    cx = sum(p[0] for p in centres) / len(centres)
    cy = sum(p[1] for p in centres) / len(centres)
    return DistrictOutline(
        code, name, " ".join(f"{x:.1f},{y:.1f}" for x, y in hull),
        (round(min(xs), 1), round(min(ys), 1), round(max(xs) - min(xs), 1), round(max(ys) - min(ys), 1)),
        round(cx, 1), round(cy, 1),
    )


def colour(value: int, total: int) -> tuple[str, str]:
    """(fill, text colour) for ``value`` of ``total`` (fields met of all, or points of the most)."""
    step = round(value * (len(PALETTE) - 1) / total) if total else 0
    step = max(0, min(len(PALETTE) - 1, step))
    return PALETTE[step], "#000" if step >= LIGHT_FROM else "#fff"


def deciding_value(evaluation: Evaluation) -> int:
    """What decides recognition, as a whole number for the circle: the points rounded for
    a set that recognises by points, else the fields met."""
    if evaluation.criteria_set.pass_rule.by_points:
        return whole_points(evaluation.points)
    return evaluation.fields_met


def layout(rows: list[CommuneResult], *, criteria_set: CriteriaSet) -> MapLayout:
    """Place ``rows`` in a box (communes without coordinates are left out: the page lists
    every commune beside the map), coloured and numbered by :func:`deciding_value`; the
    legend runs from 0 to every field, or for a set on points to its most points in
    tenths."""
    placed = [r for r in rows if r.unit.latitude is not None and r.unit.longitude is not None]
    if criteria_set.pass_rule.by_points:
        total = whole_points(criteria_set.points_max)
        steps = sorted({whole_points(criteria_set.points_max * i / 10) for i in range(11)})
    else:
        total = len(criteria_set.groups)
        steps = list(range(total + 1))
    legend = [LegendStep(n, *colour(n, total)) for n in steps]
    if not placed:
        return MapLayout(BOX, 0, RADIUS, [], legend)
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
    # Lowest first, so the best results are drawn on top where circles overlap.
    for value, r in sorted(((deciding_value(r.evaluation), r) for r in placed), key=lambda p: (p[0], p[1].unit.code)):
        x = PAD + (float(r.unit.longitude) - min(lons)) * k * scale
        y = PAD + (max(lats) - float(r.unit.latitude)) * scale
        markers.append(Marker(r, round(x, 1), round(y, 1), value, *colour(value, total)))
    by_district: dict[str, list[Marker]] = {}
    for m in markers:
        if m.row.district is not None:
            by_district.setdefault(m.row.district.code, []).append(m)
    districts = [
        district_outline(code, ms[0].row.district.name, [(m.x, m.y) for m in ms])
        for code, ms in sorted(by_district.items())
    ]
    return MapLayout(round(width), round(height), RADIUS, markers, legend, districts)
