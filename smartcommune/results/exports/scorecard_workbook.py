"""One commune's scorecard as an Excel workbook, built from the scorecard selector.

Sheet "Phiếu kết quả": the official title block, the commune, its result and decision,
then every criterion with its reported counts, ratio (``0.00%``), target, status, gap,
evidence (titles), source, verifier and verification date (``dd/mm/yyyy``).
Sheet "Xu hướng": fields met per year over the criteria set's period, with the points and
level of a set that has them. A synthetic round says so on the first row of both sheets.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.criteria.wording import rule_is_count
from smartcommune.criteria.engine import Status
from smartcommune.criteria.model import points_text
from smartcommune.results.exports import labels, xlsx
from smartcommune.results.selectors.scorecard import Scorecard

CARD = "Phiếu kết quả"
TREND = "Xu hướng"


def scorecard_workbook(scorecard: Scorecard, *, day: dt.date | None = None) -> bytes:
    workbook = xlsx.new_workbook()
    _card(workbook, scorecard, day)
    _trend(workbook, scorecard)
    return xlsx.workbook_bytes(workbook)


def _card(workbook, scorecard: Scorecard, day) -> None:
    sheet = workbook.create_sheet(CARD)
    province = scorecard.round.province
    evaluation = scorecard.evaluation
    headers = [
        (_("Lĩnh vực"), 8), (_("Tiêu chí"), 8), (_("Nội dung tiêu chí"), 40), (_("Chỉ tiêu"), 10),
        (_("Tử số"), 10), (_("Mẫu số"), 10), (_("Đạt/Không đạt (báo cáo)"), 12), (_("Tỷ lệ"), 10),
        (_("Ngưỡng"), 9), (_("Trạng thái"), 14), (_("Còn thiếu"), 10), (_("Diễn giải"), 34),
        (_("Minh chứng"), 34), (_("Nguồn số liệu"), 26), (_("Người xác minh"), 20), (_("Ngày xác minh"), 12),
    ]
    row = xlsx.title_block(
        sheet, authority=labels.authority(province), date_line=labels.date_line(province, day),
        title=labels.scorecard_title(scorecard.round.year, scorecard.round.criteria_set),
        subtitle=labels.commune_line(scorecard.unit, scorecard.district), width=len(headers), synthetic=scorecard.synthetic,
    )
    facts = [
        (_("Bộ tiêu chí"), scorecard.round.criteria_set.name),
        (_("Số lĩnh vực đạt"), labels.fields_met_of(evaluation)),
        (_("Kết quả đánh giá"), wording.short_verdict(evaluation)),
        (_("Trạng thái hồ sơ"), scorecard.assessment.status_text),
        (_("Quyết định công nhận"), labels.decision_text(scorecard.assessment)),
        *labels.rule_facts(scorecard.round.criteria_set),
    ]
    verdict_row = row + 2
    facts += labels.outcome_facts(evaluation)
    for label, value in facts:
        sheet.cell(row=row, column=1, value=label).font = xlsx.BOLD_FONT
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        cell = sheet.cell(row=row, column=4, value=value)
        cell.font = xlsx.BODY_FONT
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=10)
        row += 1
    verdict = sheet.cell(row=verdict_row, column=4)
    verdict.fill = xlsx.STATUS_FILLS[Status.MET if evaluation.smart_commune else Status.NOT_MET]
    scores = evaluation.criteria_set.scores
    if scores:
        headers.append((_("Điểm"), 10))
        points = {c.criterion.code: None if c.points is None else Decimal(c.points_text) for c in evaluation.criteria()}
    header = row + 1
    xlsx.header_row(sheet, header, headers)
    row = header
    for line in scorecard.lines:
        row += 1
        evidence = "\n".join(e.title + (f" ({e.document_number})" if e.document_number and e.document_number != e.title
                                        else "") for e in line.evidence)
        verified = timezone.localdate(line.verified_at) if line.verified_at else None
        cells = [
            (f"{line.field.code}", xlsx.CENTER, None), (line.criterion.code, xlsx.CENTER, None),
            (line.criterion.text, None, None), (line.target, xlsx.CENTER, None),
            (line.numerator, xlsx.NUMBER, xlsx.INTEGER), (line.denominator, xlsx.NUMBER, xlsx.INTEGER),
            (labels.met_text(line.met), xlsx.CENTER, None),
            (None if line.ratio is None else float(line.ratio / 100), xlsx.NUMBER, xlsx.PERCENT),
            (labels.threshold_text(line.criterion), xlsx.CENTER, None),
        ]
        for column, (value, align, number_format) in enumerate(cells, start=1):
            xlsx.data_cell(sheet, row, column, value, align=align or xlsx.WRAP, number_format=number_format)
        xlsx.data_cell(sheet, row, 10, labels.criterion_status(line.status), status=line.status)
        xlsx.data_cell(sheet, row, 11, line.gap, align=xlsx.NUMBER, number_format=xlsx.INTEGER)
        xlsx.data_cell(sheet, row, 12, line.gap_text)
        xlsx.data_cell(sheet, row, 13, evidence)
        xlsx.data_cell(sheet, row, 14, line.source)
        xlsx.data_cell(sheet, row, 15, line.verified_by)
        xlsx.data_cell(sheet, row, 16, verified, align=xlsx.NUMBER, number_format=xlsx.DATE)
        if scores:
            xlsx.data_cell(sheet, row, 17, points[line.criterion.code], align=xlsx.NUMBER, number_format=xlsx.POINTS)
    xlsx.signature_block(sheet, row + 2, len(headers), right=(str(labels.HEAD),))
    xlsx.finish_sheet(sheet, header=header, freeze_column=3)


def _trend(workbook, scorecard: Scorecard) -> None:
    """One row per year of the set's period.  A set whose rule is not a plain count of
    fields has no "Số lĩnh vực cần đạt" column (its rule is stated on the card, and a
    required 0 would mislead); a set that scores adds each year's points (a number with
    two decimals), a set with levels the level reached."""
    criteria_set = scorecard.round.criteria_set
    count_rule = rule_is_count(criteria_set)
    headers = [(_("Năm"), 8), (_("Số lĩnh vực đạt"), 12)]
    if count_rule:
        headers.append((_("Số lĩnh vực cần đạt"), 12))
    headers += [(_("Kết quả đánh giá"), 18), (_("Trạng thái hồ sơ"), 20)]
    if criteria_set.scores:
        headers.append((_("Điểm"), 10))
    if criteria_set.levels:
        headers.append((_("Mức đạt"), 16))
    sheet, header = xlsx.table_sheet(
        workbook, TREND, headers,
        title=_("XU HƯỚNG %(start)d–%(end)d") % {"start": criteria_set.period_start, "end": criteria_set.period_end},
        subtitle=labels.commune_line(scorecard.unit, scorecard.district), synthetic=scorecard.synthetic,
    )
    points = {p.year: p for p in scorecard.trend}
    row = header
    for year in range(criteria_set.period_start, criteria_set.period_end + 1):
        row += 1
        point = points.get(year)
        xlsx.data_cell(sheet, row, 1, year, align=xlsx.CENTER)
        if point is None:
            cells = [(None, {})] * (len(headers) - 1)
            cells[2 if count_rule else 1] = (_("Chưa có kết quả"), {})
        else:
            verdict = wording.verdict(point.smart, criteria_set=criteria_set)
            cells = [(point.fields_met, {"align": xlsx.CENTER})]
            if count_rule:
                cells.append((point.fields_required, {"align": xlsx.CENTER}))
            cells += [(verdict, {"status": Status.MET if point.smart else Status.NOT_MET}),
                      (labels.workflow_label(point.status, districts=scorecard.round.has_districts), {})]
            if criteria_set.scores:
                cells.append((Decimal(points_text(point.points)), {"align": xlsx.NUMBER, "number_format": xlsx.POINTS}))
            if criteria_set.levels:
                cells.append((point.level.name if point.level else "—", {}))
        for column, (value, style) in enumerate(cells, start=2):
            xlsx.data_cell(sheet, row, column, value, **style)
    xlsx.finish_sheet(sheet, header=header, landscape=False)
