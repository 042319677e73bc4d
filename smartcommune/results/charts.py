"""The product's one chart module: inline SVG drawn on the server, for the web pages and
the PDFs alike (no script, no web font, no outside request), in one set of colours.

Each function returns an SVG document fragment (safe to put in a template) sized in
points, so WeasyPrint lays it out at print size and a browser scales it with the page.
Text uses DejaVu Sans, which carries every Vietnamese diacritic.  A bar's colour says
where it stands against what recognition needs (:func:`fields_colour`); its value is
always written on it, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from smartcommune.criteria.model import points_text

GREEN = "#2e7d32"
AMBER = "#f9a825"
RED = "#c62828"
GREY = "#9e9e9e"
INK = "#212121"
FONT = "DejaVu Sans, sans-serif"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int | None
    """None: nothing to draw (a year without a result), shown as "—"."""
    colour: str = GREEN


@dataclass(frozen=True, slots=True)
class StackedBar:
    """One row of a horizontal stacked bar chart: ``parts`` are (value, colour)."""

    label: str
    parts: tuple[tuple[int, str], ...]


def fields_colour(fields_met: int, required: int) -> str:
    """Green when recognised, amber when one or two fields short, red otherwise."""
    if fields_met >= required:
        return GREEN
    if fields_met >= required - 2:
        return AMBER
    return RED


def _text(x: float, y: float, text: str, *, size: float = 8, anchor: str = "middle", weight: str = "normal",
          fill: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>')


def _svg(width: float, height: float, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" height="{height:.0f}pt" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def column_chart(bars: Sequence[Bar], *, title: str, x_label: str = "", y_label: str = "",
                 width: float = 480, height: float = 200, reference: tuple[float, str] | None = None) -> SafeString:
    """Vertical bars with their value on top and their label below; a bar without a value
    is only its label, with "—" above it.

    ``reference`` draws a dashed horizontal line at a value, with a caption (for
    example the number of fields a commune needs).
    """
    left, right, top, bottom = 34.0, 10.0, 24.0, 36.0
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([b.value or 0 for b in bars] + [reference[0] if reference else 0, 1])
    step = plot_w / max(len(bars), 1)
    bar_w = step * 0.66
    body = [_text(width / 2, 12, title, size=9, weight="bold")]
    base = top + plot_h
    body.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="{INK}" stroke-width="0.6"/>')
    for tick in _ticks(top_value):
        y = base - plot_h * tick / top_value
        body.append(f'<line x1="{left - 3}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                    f'stroke="#e0e0e0" stroke-width="0.4"/>')
        body.append(_text(left - 5, y + 2.5, str(tick), size=7, anchor="end"))
    for i, bar in enumerate(bars):
        x = left + i * step + (step - bar_w) / 2
        h = plot_h * (bar.value or 0) / top_value
        if bar.value is not None:
            body.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{bar.colour}"/>')
        body.append(_text(x + bar_w / 2, base - h - 3, "—" if bar.value is None else str(bar.value), size=7.5,
                          weight="bold"))
        body.append(_text(x + bar_w / 2, base + 11, bar.label, size=7.5))
    if reference:
        y = base - plot_h * reference[0] / top_value
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{RED}" '
                    f'stroke-width="0.8" stroke-dasharray="4 3"/>')
        body.append(_text(left + plot_w, y - 3, reference[1], size=7, anchor="end", fill=RED))
    if x_label:
        body.append(_text(left + plot_w / 2, height - 6, x_label, size=7.5))
    if y_label:
        body.append(f'<g transform="translate(9 {top + plot_h / 2:.1f}) rotate(-90)">{_text(0, 0, y_label, size=7.5)}</g>')
    return _svg(width, height, title, body)


def bar_rows(rows: Sequence[StackedBar], *, title: str, legend: Sequence[tuple[str, str]] = (),
             width: float = 480, label_width: float = 150) -> SafeString:
    """Horizontal stacked bars, one row per label, the total at the end of each row."""
    row_h, top = 16.0, 24.0
    legend_h = 16.0 if legend else 0.0
    height = top + row_h * len(rows) + legend_h + 6
    plot_w = width - label_width - 30
    top_value = max([sum(v for v, _ in r.parts) for r in rows] + [1])
    body = [_text(width / 2, 12, title, size=9, weight="bold")]
    for i, row in enumerate(rows):
        y = top + i * row_h
        body.append(_text(label_width - 4, y + 10, row.label, size=7.5, anchor="end"))
        x = label_width
        for value, colour in row.parts:
            w = plot_w * value / top_value
            if w:
                body.append(f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="{w:.1f}" height="{row_h - 5:.1f}" fill="{colour}"/>')
            x += w
        total = sum(v for v, _ in row.parts)
        first = row.parts[0][0] if row.parts else 0
        body.append(_text(x + 4, y + 10, f"{first}/{total}", size=7.5, anchor="start"))
    x = label_width
    for caption, colour in legend:
        y = top + row_h * len(rows) + 6
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="9" height="9" fill="{colour}"/>')
        body.append(_text(x + 12, y + 8, caption, size=7.5, anchor="start"))
        x += 14 + 5.2 * len(caption)
    return _svg(width, height, title, body)


def whole_points(points) -> int:
    """Points rounded half up to a whole number, exactly (from their two-decimal text): what
    a bar or a map's circle writes for a set that recognises by points."""
    return int(Decimal(points_text(points)).quantize(Decimal(1), ROUND_HALF_UP))


def trend_chart(trend: Sequence, *, fields_required: int, years: Iterable[int] | None = None,
                points_required=None, width: float = 440, height: float = 170) -> SafeString:
    """A commune's fields met over the years (the scorecard's trend, on the web and in the
    PDF): one bar per year of ``years`` (default: the years of ``trend``), coloured by
    :func:`fields_colour` against that year's own requirement, none but a "—" for a year
    without a result (a year still to come is not a year of 0), and a dashed line at
    ``fields_required`` (the shown year's requirement).

    For a set that recognises by points, ``points_required`` (its bar): the bars are the
    points, rounded (:func:`whole_points`), green when recognised and red otherwise, and
    the dashed line is at the bar.

    ``trend`` holds points with ``year``, ``fields_met``, ``fields_required``, ``points``
    and ``smart`` (:class:`smartcommune.results.selectors.scorecard.TrendPoint`).
    """
    points = {p.year: p for p in trend}
    if points_required is not None:
        bars = [Bar(str(y), whole_points(points[y].points), GREEN if points[y].smart else RED)
                if y in points else Bar(str(y), None) for y in (points if years is None else years)]
        return column_chart(
            bars, title=_("Tổng điểm qua các năm"), y_label=_("điểm"),
            reference=(float(points_required), _("cần %(n)s") % {"n": localize(Decimal(points_text(points_required)))}),
            width=width, height=height,
        )
    bars = [
        Bar(str(y), points[y].fields_met, fields_colour(points[y].fields_met, points[y].fields_required))
        if y in points else Bar(str(y), None)
        for y in (points if years is None else years)
    ]
    return column_chart(
        bars, title=_("Số lĩnh vực đạt qua các năm"), y_label=_("lĩnh vực"),
        reference=(fields_required, _("cần %(n)d") % {"n": fields_required}), width=width, height=height,
    )


def _ticks(top_value: float) -> list[int]:
    """Up to five round gridline values from 0 to ``top_value``."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        step = candidate
        if top_value / candidate <= 5:
            break
    return list(range(0, int(top_value) + 1, step))
