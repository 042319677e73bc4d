"""The PDF documents: a commune's scorecard and the province's report, A4.

Each builds the template's context from a selector object (every figure is the
engine's, as the selector carries it), draws its charts as inline SVG and renders
through :func:`smartcommune.results.exports.pdf.render_pdf`.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.criteria.wording import rule_is_count
from smartcommune.results import charts
from smartcommune.results.exports import labels
from smartcommune.results.exports.pdf import render_pdf
from smartcommune.results.selectors.overview import Overview
from smartcommune.results.selectors.scorecard import Scorecard

def document_context(province, *, title: str, subtitle: str, synthetic: bool, day: dt.date | None) -> dict:
    """The context every PDF of the product starts from: the title block (``title``,
    ``subtitle``, the issuing ``authority`` of ``province``, the nation and motto, the date
    line of ``day``, or a blank date when ``None``), the synthetic mark when ``synthetic``,
    and the signature lines.  Each document adds its own keys to the dict it returns
    (the scorecard, the province report, the survey's reports)."""
    return {
        "document_title": title,
        "subtitle": subtitle,
        "synthetic": synthetic,
        "synthetic_mark": labels.SYNTHETIC_MARK,
        "authority": labels.authority(province),
        "nation": labels.NATION,
        "motto": labels.MOTTO,
        "date_line": labels.date_line(province, day),
        "preparer": labels.PREPARER,
        "head": labels.HEAD,
        "sign_hint": labels.SIGN_HINT,
        "head_sign_hint": labels.HEAD_SIGN_HINT,
    }


def percent(value) -> str:
    """``86,30%`` in Vietnamese, ``86.30%`` in English (the active language's separator)."""
    return "" if value is None else number_format(value, 2) + "%"


PROVINCE_REPORT_SYMBOL = "BC-UBND"


def official(*, kind: str, summary: str, symbol: str, issuer: str, recipients: list[str], day: dt.date | None,
             signature: tuple[str, ...] | None = None, signer_name: str = "") -> dict:
    """What an administrative document adds to :func:`document_context` (Nghị định
    30/2020/NĐ-CP): the number and symbol, the summary under the kind of document, the
    recipients, the signer's lines, and the note an annex carries ("Kèm theo Báo cáo số …")."""
    return {
        "summary": summary,
        "number_line": labels.number_line(symbol),
        "recipients": recipients,
        "signature": signature or labels.committee_signature(),
        "signer_name": signer_name,
        "annex_note": _("(Kèm theo %(kind)s số …/%(symbol)s %(date)s của %(issuer)s)") % {
            "kind": kind, "symbol": symbol, "date": labels.date_words(day or labels.today()), "issuer": issuer},
    }


def province_report_recipients() -> list[str]:
    return [_("- Bộ Khoa học và Công nghệ;"), _("- Thường trực Tỉnh ủy, HĐND tỉnh;"),
            _("- Chủ tịch, các Phó Chủ tịch UBND tỉnh;"), _("- Các sở, ban, ngành tỉnh;"),
            _("- UBND các huyện, thành phố;"), _("- Lưu: VT.")]


# -- the scorecard ------------------------------------------------------------------------


def scorecard_pdf(scorecard: Scorecard, *, day: dt.date | None = None) -> bytes:
    evaluation = scorecard.evaluation
    criteria_set = scorecard.round.criteria_set
    context = document_context(
        scorecard.round.province, title=labels.scorecard_title(scorecard.round.year, scorecard.round.criteria_set),
        subtitle=labels.commune_line(scorecard.unit, scorecard.district), synthetic=scorecard.synthetic, day=day,
    )
    fields = []
    for f in evaluation.fields:
        lines = [line for line in scorecard.lines if line.field.code == f.group.code]
        fields.append({"group": f.group, "status": f.status, "status_label": labels.field_status(f.status),
                       "lines": [scorecard_line(line) for line in lines]})
    points = {p.year: p for p in scorecard.trend}
    years = range(criteria_set.period_start, criteria_set.period_end + 1)
    trend_chart = charts.trend_chart(scorecard.trend, fields_required=evaluation.fields_required, years=years,
                                     points_required=criteria_set.pass_rule.points_at_least)
    context |= {
        "scorecard": scorecard,
        "facts": [
            (_("Đơn vị"), f"{scorecard.unit.name} ({scorecard.unit.code})"),
            # A commune of a province without districts (after 1 July 2025) has no such row.
            *([(_("Huyện"), scorecard.district.name)] if scorecard.district else []),
            (_("Bộ tiêu chí"), criteria_set.name),
            (_("Số lĩnh vực đạt"), labels.fields_met_of(evaluation)),
            (_("Kết quả đánh giá"), wording.verdict_of(evaluation)),
            (_("Trạng thái hồ sơ"), scorecard.assessment.status_text),
            (_("Quyết định công nhận"), labels.decision_text(scorecard.assessment) or "—"),
            *labels.rule_facts(criteria_set),
            *labels.outcome_facts(evaluation),
        ],
        "smart": evaluation.smart_commune,
        "rule_is_count": rule_is_count(criteria_set),
        "fields": fields,
        "trend": [points.get(y) for y in years],
        "years": list(years),
        "trend_chart": trend_chart,
    }
    return render_pdf("exports/scorecard.html", context)


def scorecard_line(line) -> dict:
    """A criterion line of the scorecard as the documents print it: the counts, the
    reported pass/fail apart (``met``), the ratio, the target and the status in words."""
    met = labels.met_text(line.met)
    if line.numerator is not None or line.denominator is not None:
        value = f"{_count(line.numerator)}/{_count(line.denominator)}"
    else:
        value, met = met or "—", ""
    return {
        "line": line,
        "value": value,
        "met": met,
        "ratio": percent(line.ratio),
        "threshold": labels.threshold_text(line.criterion) or line.target,
        "status_label": labels.criterion_status(line.status),
        "verified_at": line.verified_at,
    }


def _count(value) -> str:
    return "—" if value is None else labels.count_text(value)


# -- the province report ------------------------------------------------------------------


# The points chart of a set that recognises by points: the units by band of a tenth of the
# most points the set gives.
POINTS_BANDS = 10


def _distribution_chart(overview: Overview) -> str:
    """How the units spread: by fields met for a set that recognises by fields (green from
    the fields required); for one that recognises by points, by band of a tenth of the
    most points (green from the bar, amber within what counts as closest)."""
    rows = overview.rows
    criteria_set = overview.criteria_set
    bar = criteria_set.pass_rule.points_at_least
    if bar is None:
        required = criteria_set.fields_required
        by_fields = [sum(1 for r in rows if r.evaluation.fields_met == n) for n in range(len(overview.groups) + 1)]
        return charts.column_chart(
            [charts.Bar(str(n), count, charts.fields_colour(n, required)) for n, count in enumerate(by_fields)],
            title=_("Số đơn vị theo số lĩnh vực đạt"), x_label=_("số lĩnh vực đạt"), y_label=_("số đơn vị"),
            width=460, height=190,
        )
    step = Fraction(criteria_set.points_max) / POINTS_BANDS
    counts = [0] * POINTS_BANDS
    for r in rows:
        counts[min(int(r.evaluation.points / step), POINTS_BANDS - 1)] += 1
    near = Fraction(bar) - overview.closest_points

    def bound(points: Fraction) -> str:
        return str(int(points)) if points.denominator == 1 else wording.points(points)

    bars = []
    for band, count in enumerate(counts):
        low, high = step * band, step * (band + 1)
        colour = charts.GREEN if low >= bar else charts.AMBER if high > near else charts.RED
        bars.append(charts.Bar(f"{bound(low)}–{bound(high)}", count, colour))
    return charts.column_chart(
        bars, title=_("Số đơn vị theo điểm (mỗi cột %(step)s điểm)") % {"step": bound(step)},
        x_label=_("điểm"), y_label=_("số đơn vị"), width=460, height=190,
    )


def province_report_pdf(overview: Overview, *, day: dt.date | None = None) -> bytes:
    rows = overview.rows
    required = overview.criteria_set.fields_required
    subtitle = overview.criteria_set.name
    if overview.district is not None:
        subtitle += " — " + overview.district.name
    context = document_context(overview.province, title=_("BÁO CÁO"), subtitle=subtitle,
                               synthetic=overview.synthetic, day=day)
    context |= official(
        kind=_("Báo cáo"), summary=_("Kết quả đánh giá %(name)s năm %(year)d") % {
            "name": labels.recognition(overview.criteria_set), "year": overview.year},
        symbol=PROVINCE_REPORT_SYMBOL, issuer=_("Ủy ban nhân dân %(unit)s") % {"unit": overview.province.name},
        recipients=province_report_recipients(), day=day,
    )
    context["ending"] = _("Trên đây là báo cáo kết quả đánh giá %(name)s năm %(year)d của %(issuer)s./.") % {
        "name": labels.recognition(overview.criteria_set), "year": overview.year, "issuer": _("Ủy ban nhân dân %(unit)s") % {"unit": overview.province.name}}
    total_fields = len(overview.groups)
    fields_chart = _distribution_chart(overview)
    district_chart = charts.bar_rows(
        [charts.StackedBar(c.district.name if c.district else _("Không thuộc huyện"),
                           ((c.smart, charts.GREEN), (c.communes - c.smart, charts.GREY)))
         for c in overview.district_counts],
        title=_("Số đơn vị đạt theo huyện"),
        legend=[(_("đạt (theo đánh giá)"), charts.GREEN), (_("chưa đạt"), charts.GREY)],
        width=460,
    )
    context |= {
        "overview": overview,
        "scores": overview.criteria_set.scores,
        "count": len(rows),
        "smart": sum(1 for r in rows if r.evaluation.smart_commune),
        "recognised": sum(1 for r in rows if r.recognised),
        "published": overview.published_count,
        "closest_count": len(overview.closest),
        "required": required,
        "total_fields": total_fields,
        # The matrix's field columns share what the other columns leave (53 % of the width).
        "matrix_field_width": f"{53 / max(total_fields, 1):.2f}",
        "fields_chart": fields_chart,
        "district_chart": district_chart,
        "most_missed": overview.most_missed[:10],
        "closest": overview.closest,
        "comparison": overview.comparison,
        "matrix": [
            {"row": r, "fields": [(f.status, labels.field_status(f.status)) for f in r.evaluation.fields],
             "verdict": wording.short_verdict(r.evaluation), "points": labels.points_of(r.evaluation), "status": r.assessment.status_text}
            for r in rows
        ],
    }
    return render_pdf("exports/province_report.html", context)
