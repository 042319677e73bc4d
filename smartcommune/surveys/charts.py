"""The survey's charts, drawn on the server by :mod:`smartcommune.results.charts` (inline
SVG, the same on the web and in the PDF): the distribution over the four levels, and the
levels per hamlet as stacked bars."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from smartcommune.results.charts import AMBER, GREEN, GREY, RED, Bar, StackedBar, bar_rows, column_chart
from smartcommune.surveys.selectors import Results

# Level 1 (thụt lùi) to level 4 (tiến bộ rõ rệt).
LEVEL_COLOURS = (RED, AMBER, GREY, GREEN)


def _colour(level: int, levels: int) -> str:
    return LEVEL_COLOURS[level - 1] if levels == len(LEVEL_COLOURS) else GREY


def results_charts(results: Results) -> dict[str, SafeString]:
    q = results.questionnaire
    n = len(q.levels)
    overall = column_chart(
        [Bar(o.label, c, _colour(i + 1, n)) for i, (o, c) in enumerate(zip(q.levels, results.overall.counts))],
        title=_("Phân bố câu trả lời theo mức độ tiến bộ"), y_label=_("phiếu"),
    )
    # Highest level first: each row ends with "tiến bộ rõ rệt / tổng".
    order = list(range(n - 1, -1, -1))
    rows = [StackedBar(h.name, tuple((h.distribution.counts[i], _colour(i + 1, n)) for i in order))
            for h in results.hamlets]
    hamlets = bar_rows(rows, title=_("Theo ấp / khu phố"),
                       legend=[(q.levels[i].label, _colour(i + 1, n)) for i in order]) if rows else None
    return {"overall": overall, "hamlets": hamlets}
