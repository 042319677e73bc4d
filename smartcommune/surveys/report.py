"""The survey's documents: the results report (PDF, the evidence of criterion 4), the
3.4 report of the optional questions (PDF, the evidence of criterion 3.4), the QR poster
(A4 PDF) and the results as CSV and Excel.  PDFs go through the exports' offline renderer
(:func:`smartcommune.results.exports.pdf.render_pdf`); the QR code is drawn by ``segno``
as inline SVG."""

from __future__ import annotations

import csv
import io

import segno
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from smartcommune.core.workbooks import add_sheet, finish_sheet, new_workbook, workbook_bytes
from smartcommune.exchange.long_csv import spreadsheet_text
from smartcommune.results.exports import labels
from smartcommune.results.exports.pdf import render_pdf
from smartcommune.results.exports.reports import document_context
from smartcommune.surveys.charts import results_charts
from smartcommune.surveys.selectors import Distribution, Results


def _context(results: Results, *, title: str) -> dict:
    survey = results.survey
    assessment = survey.assessment
    context = document_context(assessment.round.province, title=title,
                               subtitle=labels.commune_line(assessment.unit, assessment.unit.parent),
                               synthetic=survey.synthetic, day=None)
    context.update({"results": results, "survey": survey, "charts": results_charts(results)})
    return context


def report_pdf(results: Results) -> bytes:
    title = _("Báo cáo kết quả khảo sát sự hài lòng của người dân năm %(year)d") % {
        "year": results.survey.assessment.round.year}
    return render_pdf("surveys/report_pdf.html", _context(results, title=title))


def topics_pdf(results: Results) -> bytes:
    title = _("Dữ liệu phản hồi của người dân về dịch vụ công, quy hoạch, ngân sách năm %(year)d") % {
        "year": results.survey.assessment.round.year}
    return render_pdf("surveys/topics_pdf.html", _context(results, title=title))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG element (error correction M, black on white)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=False))


def poster_pdf(survey, url: str, questionnaire) -> bytes:
    assessment = survey.assessment
    return render_pdf("surveys/poster_pdf.html", {
        "survey": survey, "q": questionnaire, "url": url, "qr": qr_svg(url), "unit": assessment.unit,
        "year": assessment.round.year, "synthetic_mark": labels.SYNTHETIC_MARK,
    })


def results_rows(results: Results) -> tuple[list[str], list[list]]:
    """The results as one table (CSV and Excel): overall, per hamlet, per channel."""
    header = [_("Phạm vi"), _("Tên"), _("Chỉ tiêu mẫu"), _("Số phiếu hợp lệ")] + [
        o.label for o in results.questionnaire.levels] + [results.questionnaire.index_name + " (%)",
                                                          _("Cận dưới (%)"), _("Cận trên (%)")]

    def row(scope: str, name: str, quota, d: Distribution) -> list:
        low, high = d.index.interval
        return [scope, name, quota, d.total, *d.counts, round(d.index.percent, 2), round(low, 2), round(high, 2)]

    rows = [row(_("Toàn xã"), *r) for r in results.overall_rows]
    rows += [row(_("Ấp / khu phố"), *r) for r in results.hamlet_rows]
    rows += [row(_("Kênh"), *r) for r in results.channel_rows]
    return header, rows


def results_csv(results: Results) -> str:
    header, rows = results_rows(results)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[spreadsheet_text(v) if isinstance(v, str) else v for v in row] for row in rows])
    return out.getvalue()


def results_xlsx(results: Results) -> bytes:
    header, rows = results_rows(results)
    workbook = new_workbook()
    title = _("Kết quả khảo sát — %(unit)s — %(year)d") % {
        "unit": results.survey.assessment.unit.name, "year": results.survey.assessment.round.year}

    def heading(sheet, width: int) -> int:
        sheet.cell(row=1, column=1, value=title)
        return 3

    sheet, top = add_sheet(workbook, _("Kết quả khảo sát"), [(h, 16) for h in header], heading=heading)
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    finish_sheet(sheet, header=top)
    return workbook_bytes(workbook)
