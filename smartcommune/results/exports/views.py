"""Download views of the exports. Thin: parse, call the selectors and the builders,
answer a download with a Vietnamese file name.

Who sees what is the selectors' business (:mod:`smartcommune.results.selectors`, which
asks :mod:`smartcommune.rounds.access`): the province and scorecard exports show
exactly what the viewer may see (the public: published results only), and answer 404
when that is nothing. The open data is published data, the same for everyone.

The province exports take an optional ``?district=<GSO code>``. The open data of a year
without a round is 404; of a round with nothing published yet, an empty list (the CSV's
header only).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartcommune.demo.selectors import synthetic_round_ids
from smartcommune.core import downloads
from smartcommune.results import caching, delivery
from smartcommune.results.selectors.common import find_province, find_round
from smartcommune.results.selectors.overview import Overview, overview_stamp, province_overview
from smartcommune.results.selectors.ranking import Ranking, province_ranking
from smartcommune.results.selectors.scorecard import Scorecard, commune_scorecard
from smartcommune.results.exports import labels, reports
from smartcommune.results.exports.open_data import (
    published_assessments,
    write_open_data_csv,
    write_open_data_json,
)
from smartcommune.results.exports.province_workbook import province_workbook
from smartcommune.results.exports.ranking import ranking_csv as ranking_csv_text
from smartcommune.results.exports.ranking import ranking_workbook
from smartcommune.results.exports.scorecard_workbook import scorecard_workbook
from smartcommune.results.exports.selectors import district_by_code, round_ids, value_details
from smartcommune.units.models import Level, Unit


def _district(request: HttpRequest, province: Unit) -> Unit | None:
    code = request.GET.get("district", "").strip()
    if not code:
        return None
    district = district_by_code(province, code)
    if district is None:
        raise Http404(_("Không có huyện mã %(code)s thuộc %(province)s.") % {"code": code, "province": province.name})
    return district


def _province_title(overview: Overview, what: str) -> str:
    place = overview.district.name if overview.district is not None else overview.province.name
    return f"{what} {place} {overview.year}"


def _province_file(request: HttpRequest, province_code: str, year: int, page: str,
                   build: Callable[[Overview], tuple[bytes, str]], content_type: str,
                   read: Callable = province_overview) -> HttpResponse:
    """A province export, kept until the data changes: under the overview's stamp for the
    viewer (the stamp of the results pages, :mod:`smartcommune.results.caching`), the
    district, the language and the day (the date line). ``build(overview)`` gives the
    file's bytes and name; ``read`` is what it is built from (the overview, or the
    ranking, which reads the overview). Public: kept whole, compressed, with its validators
    (:func:`smartcommune.results.delivery.kept`); signed in: the bytes are kept and the
    response is private."""
    province = find_province(code=province_code, year=year)
    district = _district(request, province)
    stamp = overview_stamp(viewer=request.user, round_=find_round(province=province, year=year))
    key = caching.page_key(page, stamp, district.pk if district else None, labels.today())

    def compute() -> tuple[bytes, str]:
        return build(read(viewer=request.user, province=province, year=year, district=district))

    def respond(built: tuple[bytes, str]) -> HttpResponse:
        return downloads.download(built[0], filename=built[1], content_type=content_type)

    if delivery.is_public(request):
        return delivery.kept(request, key + ":public", lambda: respond(compute()))
    return delivery.private(respond(caching.get_or_compute(key, compute)))


def _workbook(overview: Overview) -> tuple[bytes, str]:
    content = province_workbook(overview, details=value_details(r.assessment.pk for r in overview.rows))
    what = _("Kết quả %(name)s") % {"name": labels.recognition(overview.criteria_set)}
    return content, labels.file_name(_province_title(overview, what),
                                     synthetic=overview.synthetic, extension="xlsx")


def _report(overview: Overview) -> tuple[bytes, str]:
    return reports.province_report_pdf(overview), labels.file_name(
        _province_title(overview, _("Báo cáo %(name)s") % {"name": labels.recognition(overview.criteria_set)}),
        synthetic=overview.synthetic, extension="pdf")


@require_GET
def province_xlsx(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _province_file(request, province_code, year, "province.xlsx", _workbook, downloads.XLSX)


@require_GET
def province_pdf(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _province_file(request, province_code, year, "province.pdf", _report, downloads.PDF)


def _ranking_name(ranking: Ranking, extension: str) -> str:
    place = ranking.district.name if ranking.district is not None else ranking.overview.province.name
    title = _("Xếp hạng %(name)s %(place)s %(year)d") % {
        "name": labels.recognition(ranking.criteria_set), "place": place, "year": ranking.overview.year}
    return labels.file_name(title, synthetic=ranking.overview.synthetic, extension=extension)


@require_GET
def ranking_xlsx(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _province_file(request, province_code, year, "ranking.xlsx",
                          lambda r: (ranking_workbook(r), _ranking_name(r, "xlsx")), downloads.XLSX,
                          read=province_ranking)


@require_GET
def ranking_csv(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _province_file(request, province_code, year, "ranking.csv",
                          lambda r: (ranking_csv_text(r), _ranking_name(r, "csv")), downloads.CSV,
                          read=province_ranking)


def _scorecard(request: HttpRequest, unit_id: int, year: int) -> Scorecard:
    unit = get_object_or_404(Unit, pk=unit_id, level=Level.COMMUNE)
    return commune_scorecard(viewer=request.user, unit=unit, year=year)


def _scorecard_name(scorecard: Scorecard, extension: str) -> str:
    title = _("Phiếu kết quả %(unit)s %(year)d") % {"unit": scorecard.unit.name, "year": scorecard.round.year}
    return labels.file_name(title, synthetic=scorecard.synthetic, extension=extension)


@require_GET
def scorecard_xlsx(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    scorecard = _scorecard(request, unit_id, year)
    return downloads.download(scorecard_workbook(scorecard), filename=_scorecard_name(scorecard, "xlsx"),
                              content_type=downloads.XLSX)


@require_GET
def scorecard_pdf(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    scorecard = _scorecard(request, unit_id, year)
    return downloads.download(reports.scorecard_pdf(scorecard), filename=_scorecard_name(scorecard, "pdf"),
                              content_type=downloads.PDF)


def _open_data(province_code: str, year: int) -> tuple[Unit, bool]:
    """The province and whether its round of ``year`` is synthetic; 404 without a round."""
    province = find_province(code=province_code, year=year)
    return province, bool(synthetic_round_ids(round_ids(province, year)))


def _open_data_name(province: Unit, year: int, synthetic: bool, extension: str) -> str:
    name = labels.recognition(find_round(province=province, year=year).criteria_set)
    title = _("Dữ liệu mở %(name)s %(province)s %(year)d") % {"name": name, "province": province.name, "year": year}
    return labels.file_name(title, synthetic=synthetic, extension=extension)


def _open_data_file(request: HttpRequest, province_code: str, year: int, write, extension: str,
                    content_type: str) -> HttpResponse:
    """An open-data file: the same for everyone (published results only), so kept whole,
    compressed and validated by the stamp of the published assessments
    (:func:`smartcommune.results.delivery.kept`)."""
    province, synthetic = _open_data(province_code, year)
    published = published_assessments(province=province, year=year)
    key = caching.page_key(f"open-data.{extension}", province.pk, year, sorted(caching.rounds_stamp(published).items()))

    def make() -> HttpResponse:
        out = io.StringIO()
        write(published, out)
        return downloads.download(out.getvalue(), filename=_open_data_name(province, year, synthetic, extension),
                                  content_type=content_type)

    return delivery.kept(request, key, make)


@require_GET
def open_data_csv(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _open_data_file(request, province_code, year, write_open_data_csv, "csv", downloads.CSV)


@require_GET
def open_data_json(request: HttpRequest, province_code: str, year: int) -> HttpResponse:
    return _open_data_file(request, province_code, year, write_open_data_json, "json", downloads.JSON)
