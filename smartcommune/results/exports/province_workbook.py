"""The province's Excel workbook of a year's results, built from the overview.

Sheets: "Tổng hợp" (one row per commune: each field Đạt/Không đạt/—, fields met, the
engine's verdict, the workflow status and the decision), "Giá trị tiêu chí" (one row per
commune and criterion: the counts, the ratio as a number formatted ``0.00%``, the
threshold, status, gap, source, verifier and the verification date as a date),
"Theo huyện" (counts by district and the comparison with the year before),
"Tiêu chí chưa đạt" (the criteria most often missed) and "Xã gần đạt" (communes one or
two fields short, or for a set on points a few points short, with what they lack). Every figure is the engine's, as the overview
carries it; a synthetic round says so on the first row of every sheet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.criteria.engine import Status
from smartcommune.criteria.model import points_text
from smartcommune.criteria.wording import shortfall
from smartcommune.results.exports import labels, xlsx
from smartcommune.results.exports.selectors import ValueDetail
from smartcommune.results.selectors.overview import Overview

SUMMARY = "Tổng hợp"
VALUES = "Giá trị tiêu chí"
DISTRICTS = "Theo huyện"
MISSED = "Tiêu chí chưa đạt"
CLOSEST = "Xã gần đạt"


def province_workbook(overview: Overview, *, details: dict[tuple[int, str], ValueDetail],
                      day: dt.date | None = None) -> bytes:
    """The workbook as ``.xlsx`` bytes. ``details`` gives each value's source and verifier
    (:func:`~smartcommune.results.exports.selectors.value_details`)."""
    workbook = xlsx.new_workbook()
    _summary(workbook, overview, day)
    _values(workbook, overview, details)
    _districts(workbook, overview)
    _missed(workbook, overview)
    _closest(workbook, overview)
    return xlsx.workbook_bytes(workbook)


def _subtitle(overview: Overview) -> str:
    text = overview.criteria_set.name
    if overview.district is not None:
        text += " — " + overview.district.name
    return text


def _summary(workbook, overview: Overview, day) -> None:
    groups = overview.groups
    headers = [(_("STT"), 6), (_("Mã ĐVHC"), 9), (_("Tên đơn vị"), 26), (_("Huyện"), 22)]
    headers += [(f"{g.code}. {g.name}", 12) for g in groups]
    headers += [(_("Số lĩnh vực đạt"), 10), (_("Kết quả đánh giá"), 16), (_("Trạng thái"), 16),
                (_("Quyết định công nhận"), 20), (_("Còn thiếu / chưa đạt"), 48)]
    extra = _outcome_columns(overview)
    headers += [(label, width) for label, width, _value, _format in extra]
    sheet, header = xlsx.document_sheet(
        workbook, SUMMARY, headers, authority=labels.authority(overview.province),
        date_line=labels.date_line(overview.province, day), title=labels.results_title(overview.year, overview.criteria_set),
        subtitle=_subtitle(overview), synthetic=overview.synthetic,
    )
    first_field = 5
    met_per_field = [0] * len(groups)
    for i, r in enumerate(overview.rows, start=1):
        row = header + i
        e = r.evaluation
        xlsx.data_cell(sheet, row, 1, i, align=xlsx.NUMBER)
        xlsx.data_cell(sheet, row, 2, r.unit.code)
        xlsx.data_cell(sheet, row, 3, r.unit.name)
        xlsx.data_cell(sheet, row, 4, r.district.name if r.district else "")
        for j, f in enumerate(e.fields):
            xlsx.data_cell(sheet, row, first_field + j, labels.field_status(f.status), status=f.status, align=xlsx.CENTER)
            met_per_field[j] += f.status == Status.MET
        column = first_field + len(groups)
        xlsx.data_cell(sheet, row, column, e.fields_met, align=xlsx.CENTER)
        xlsx.data_cell(sheet, row, column + 1, wording.short_verdict(e),
                       status=Status.MET if e.smart_commune else Status.NOT_MET)
        xlsx.data_cell(sheet, row, column + 2, r.assessment.status_text)
        xlsx.data_cell(sheet, row, column + 3, labels.decision_text(r.assessment))
        xlsx.data_cell(sheet, row, column + 4, shortfall(e))
        for k, (_label, _width, value, number_format) in enumerate(extra, start=column + 5):
            xlsx.data_cell(sheet, row, k, value(e), number_format=number_format,
                           align=xlsx.NUMBER if number_format else xlsx.WRAP)
    total = header + len(overview.rows) + 1
    xlsx.data_cell(sheet, total, 3, _("Số đơn vị đạt"), bold=True)
    for j, count in enumerate(met_per_field):
        xlsx.data_cell(sheet, total, first_field + j, count, align=xlsx.CENTER, bold=True)
    column = first_field + len(groups)
    xlsx.data_cell(sheet, total, column + 1, sum(r.evaluation.smart_commune for r in overview.rows), bold=True,
                   align=xlsx.CENTER)
    xlsx.signature_block(sheet, total + 2, len(headers), right=labels.committee_signature())
    xlsx.finish_sheet(sheet, header=header, freeze_column=4, filter_to=header + len(overview.rows))


def _outcome_columns(overview: Overview) -> list[tuple[str, int, object, str | None]]:
    """The summary's columns after the shortfall (header, width, value, number format):
    points (a number, the most in the header), level and eligibility for a set that has
    them, then whether the outcome is certain (none for a set like Bến Tre's, whose sheet
    stays as it was)."""
    criteria_set = overview.criteria_set
    columns = []
    if criteria_set.scores:
        columns.append((_("Điểm (tối đa %(max)s)") % {"max": wording.points(criteria_set.points_max)},
                        14, lambda e: Decimal(e.points_text), xlsx.POINTS))
    if criteria_set.levels:
        columns += [(_("Mức đạt"), 16, labels.level_text, None), (_("Mức tiếp theo"), 30, wording.next_level_text, None)]
    if criteria_set.preconditions:
        columns.append((_("Điều kiện tiên quyết"), 30, wording.eligibility_text, None))
    if columns:
        columns.append((_("Kết quả đã chắc chắn"), 16, labels.certainty_text, None))
    return columns


def _values(workbook, overview: Overview, details) -> None:
    headers = [
        (_("STT"), 6), (_("Mã ĐVHC"), 9), (_("Tên đơn vị"), 24), (_("Huyện"), 20), (_("Lĩnh vực"), 8),
        (_("Tiêu chí"), 8), (_("Nội dung tiêu chí"), 40), (_("Tử số"), 10), (_("Mẫu số"), 10),
        (_("Đạt/Không đạt (báo cáo)"), 12), (_("Tỷ lệ"), 10), (_("Ngưỡng"), 9), (_("Trạng thái"), 14),
        (_("Còn thiếu"), 10), (_("Diễn giải"), 36), (_("Nguồn số liệu"), 28), (_("Người xác minh"), 22),
        (_("Ngày xác minh"), 12),
    ]
    scores = overview.criteria_set.scores
    if scores:
        headers.append((_("Điểm"), 10))
    sheet, header = xlsx.table_sheet(
        workbook, VALUES, headers, title=_("GIÁ TRỊ TIÊU CHÍ NĂM %(year)d") % {"year": overview.year},
        subtitle=f"{overview.province.name} — {_subtitle(overview)}",
        synthetic=overview.synthetic,
    )
    row = header
    empty = ValueDetail("", "", None)
    for r in overview.rows:
        district = r.district.name if r.district else ""
        for f in r.evaluation.fields:
            for c in f.criteria:
                row += 1
                criterion = c.criterion
                detail = details.get((r.assessment.pk, criterion.code), empty)
                cells = [
                    (row - header, xlsx.NUMBER, None), (r.unit.code, None, None), (r.unit.name, None, None),
                    (district, None, None), (f.group.code, xlsx.CENTER, None), (criterion.code, xlsx.CENTER, None),
                    (criterion.text, None, None),
                    (c.input.numerator, xlsx.NUMBER, xlsx.INTEGER), (c.input.denominator, xlsx.NUMBER, xlsx.INTEGER),
                    (labels.met_text(c.input.met), xlsx.CENTER, None),
                    (None if c.hundredths is None else c.hundredths / 10_000, xlsx.NUMBER, xlsx.PERCENT),
                    (labels.threshold_text(criterion), xlsx.CENTER, None),
                ]
                for column, (value, align, number_format) in enumerate(cells, start=1):
                    xlsx.data_cell(sheet, row, column, value, align=align or xlsx.WRAP, number_format=number_format)
                xlsx.data_cell(sheet, row, 13, labels.criterion_status(c.status), status=c.status)
                xlsx.data_cell(sheet, row, 14, c.gap, align=xlsx.NUMBER, number_format=xlsx.INTEGER)
                xlsx.data_cell(sheet, row, 15, wording.gap_text(c))
                xlsx.data_cell(sheet, row, 16, detail.source)
                xlsx.data_cell(sheet, row, 17, detail.verified_by)
                xlsx.data_cell(sheet, row, 18, detail.verified_at, align=xlsx.NUMBER, number_format=xlsx.DATE)
                if scores:
                    xlsx.data_cell(sheet, row, 19, None if c.points is None else Decimal(c.points_text),
                                   align=xlsx.NUMBER, number_format=xlsx.POINTS)
    xlsx.finish_sheet(sheet, header=header, freeze_column=7, filter_to=row)


def _averages(overview: Overview) -> list[tuple[str, str, object]]:
    """The district sheet's averages of what decides recognition: points for a set that
    scores, fields met unless the set recognises by points (header, number format, value)."""
    criteria_set = overview.criteria_set
    columns = []
    if criteria_set.scores:
        columns.append((_("Bình quân số điểm"), xlsx.POINTS, lambda count: count.average_points))
    if not criteria_set.pass_rule.by_points:
        columns.append((_("Bình quân số lĩnh vực đạt"), "0.0", lambda count: float(count.average_fields_met)))
    return columns


def _districts(workbook, overview: Overview) -> None:
    averages = _averages(overview)
    headers = [(_("Huyện"), 28), (_("Số xã"), 10), (_("Số xã đạt theo đánh giá"), 14),
               (_("Số xã được công nhận"), 14), *((label, 14) for label, _format, _value in averages)]
    sheet, header = xlsx.table_sheet(
        workbook, DISTRICTS, headers, title=_("SỐ XÃ ĐẠT THEO HUYỆN NĂM %(year)d") % {"year": overview.year},
        subtitle=f"{overview.province.name} — {_subtitle(overview)}",
        synthetic=overview.synthetic,
    )
    row = header
    for count in overview.district_counts:
        row += 1
        name = count.district.name if count.district else _("Không thuộc huyện")
        values = [name, count.communes, count.smart, count.recognised]
        for column, value in enumerate(values, start=1):
            xlsx.data_cell(sheet, row, column, value, align=xlsx.WRAP if column == 1 else xlsx.NUMBER)
        for column, (_label, number_format, value) in enumerate(averages, start=len(values) + 1):
            xlsx.data_cell(sheet, row, column, value(count), align=xlsx.NUMBER, number_format=number_format)
    row += 1
    totals = [_("Toàn tỉnh"), sum(c.communes for c in overview.district_counts),
              sum(c.smart for c in overview.district_counts), sum(c.recognised for c in overview.district_counts)]
    for column, value in enumerate(totals, start=1):
        xlsx.data_cell(sheet, row, column, value, bold=True, align=xlsx.WRAP if column == 1 else xlsx.NUMBER)
    comparison = overview.comparison
    if comparison.available:
        row += 2
        xlsx.data_cell(sheet, row, 1, _("So sánh với năm %(year)d") % {"year": comparison.previous_year}, bold=True)
        facts = [
            (_("Số xã có kết quả cả hai năm"), len(comparison.rows), None),
            (_("Số xã đạt năm trước"), comparison.smart_before, None),
            (_("Số xã đạt năm nay"), comparison.smart_now, None),
        ]
        if comparison.scores:
            facts += [
                (_("Điểm bình quân năm trước"), comparison.average_points_before, xlsx.POINTS),
                (_("Điểm bình quân năm nay"), comparison.average_points_now, xlsx.POINTS),
                (_("Số xã tăng điểm"), comparison.improved, None),
                (_("Số xã giảm điểm"), comparison.declined, None),
            ]
        else:
            facts += [
                (_("Số xã tăng số lĩnh vực đạt"), comparison.improved, None),
                (_("Số xã giảm số lĩnh vực đạt"), comparison.declined, None),
            ]
        facts.append((_("Số xã không đổi"), comparison.unchanged, None))
        for label, value, number_format in facts:
            row += 1
            xlsx.data_cell(sheet, row, 1, label)
            xlsx.data_cell(sheet, row, 2, value, align=xlsx.NUMBER, number_format=number_format)
    xlsx.finish_sheet(sheet, header=header, landscape=False)


def _missed(workbook, overview: Overview) -> None:
    headers = [(_("Tiêu chí"), 9), (_("Nội dung tiêu chí"), 60), (_("Lĩnh vực"), 30),
               (_("Số xã chưa đạt"), 12), (_("Số xã thiếu dữ liệu"), 12)]
    sheet, header = xlsx.table_sheet(
        workbook, MISSED, headers, title=_("CÁC TIÊU CHÍ CHƯA ĐẠT NHIỀU NHẤT NĂM %(year)d") % {"year": overview.year},
        subtitle=f"{overview.province.name} — {_subtitle(overview)}",
        synthetic=overview.synthetic,
    )
    for i, m in enumerate(overview.most_missed, start=1):
        values = [m.code, m.name, f"{m.field.code}. {m.field.name}", m.count, m.missing]
        for column, value in enumerate(values, start=1):
            xlsx.data_cell(sheet, header + i, column, value, align=xlsx.NUMBER if column > 3 else xlsx.WRAP)
    xlsx.finish_sheet(sheet, header=header, landscape=False)


def _closest(workbook, overview: Overview) -> None:
    """Columns 4 and 5 are in what the set counts: fields met and short, or for a set on
    points the points scored and short (numbers with two decimals)."""
    near = overview.closest_points
    if near is None:
        counted = [(_("Số lĩnh vực đạt"), 10), (_("Còn thiếu (lĩnh vực)"), 10)]
        subtitle = _("Thiếu một hoặc hai lĩnh vực — %(set)s") % {"set": _subtitle(overview)}
    else:
        counted = [(_("Điểm"), 10), (_("Còn thiếu (điểm)"), 10)]
        subtitle = _("Thiếu không quá %(points)s điểm — %(set)s") % {
            "points": wording.points(near), "set": _subtitle(overview)}
    headers = [(_("Mã ĐVHC"), 9), (_("Tên đơn vị"), 24), (_("Huyện"), 20), *counted,
               (_("Lĩnh vực chưa đạt"), 30), (_("Những gì còn thiếu"), 70)]
    sheet, header = xlsx.table_sheet(
        workbook, CLOSEST, headers, title=_("CÁC XÃ GẦN ĐẠT %(name)s NĂM %(year)d") % {
            "name": labels.recognition(overview.criteria_set).upper(), "year": overview.year},
        subtitle=subtitle, synthetic=overview.synthetic,
    )
    for i, c in enumerate(overview.closest, start=1):
        r = c.result
        lacks = "\n".join(f"{lack.criterion.code}: {lack.text}" for lack in c.lacks)
        if c.points_short is None:
            counts, number_format = [r.evaluation.fields_met, c.fields_short], None
        else:
            counts, number_format = [Decimal(r.evaluation.points_text), Decimal(points_text(c.points_short))], xlsx.POINTS
        values = [r.unit.code, r.unit.name, r.district.name if r.district else "", *counts,
                  ", ".join(f"{g.code}. {g.name}" for g in c.unmet_fields), lacks]
        for column, value in enumerate(values, start=1):
            number = column in (4, 5)
            xlsx.data_cell(sheet, header + i, column, value, align=xlsx.NUMBER if number else xlsx.WRAP,
                           number_format=number_format if number else None)
    xlsx.finish_sheet(sheet, header=header)
