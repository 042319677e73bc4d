"""Evaluation results in DESIGN.md's JSON shape, and the published open data.

``/results`` evaluates the assessments the caller may see (same filters as
``/assessments``); ``/open-data`` serves published results only, whoever asks, exactly
as the open-data exports do (:mod:`smartcommune.results.exports.open_data`), so the
evaluations equal ``smartcommune evaluate`` run on the open-data CSV.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from ninja import Path, Query, Router

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.assessments import filtered_assessments
from smartcommune.api.endpoints.common import (
    SYNTHETIC_NOTICE,
    absolute,
    code_param,
    limit_param,
    offset_param,
    page,
    responses,
    year_param,
)
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import (
    CODE_PATTERN,
    AssessmentFilters,
    EvaluationPage,
    OpenDataPage,
    OpenDataSetPage,
    RankingPage,
)
from smartcommune.demo.selectors import synthetic_round_ids
from smartcommune.exchange.results import evaluation_dict
from smartcommune.rounds.evaluation import evaluations_in_order
from smartcommune.results.exports.open_data import open_data_evaluations, published_assessments
from smartcommune.results.exports.ranking import ranking_record
from smartcommune.results.exports.selectors import district_by_code
from smartcommune.results.selectors.common import ResultsNotFound, find_province
from smartcommune.results.selectors.ranking import province_ranking

router = Router(tags=["Kết quả và dữ liệu mở (results, open data)"], auth=token_optional)


def _evaluations(assessments) -> list[dict]:
    """The evaluation (EvaluationOut) of each assessment, in the given order; one query for the values."""
    return [evaluation_dict(e) for e in evaluations_in_order(list(assessments))]


@router.get("/results", response=responses(EvaluationPage), url_name="result_list",
            openapi_extra=OPTIONAL_SECURITY, summary="Kết quả đánh giá các hồ sơ người gọi được xem")
def result_list(
    request,
    filters: Query[AssessmentFilters],
    limit: int = limit_param(),
    offset: int = offset_param(),
):
    assessments = filtered_assessments(request.auth.user, filters)
    assessments = assessments.order_by("unit__code", "round__year", "round__criteria_set_code", "pk")
    rows, envelope = page(request, assessments, limit=limit, offset=offset)
    return {**envelope, "results": _evaluations(rows)}


@router.get("/ranking/{province_code}/{year}", response=responses(RankingPage), url_name="ranking",
            openapi_extra=OPTIONAL_SECURITY,
            summary="Xếp hạng kết quả trong tỉnh và trong huyện (ranking within the province and district)")
def ranking(request, province_code: str = Path(..., pattern=CODE_PATTERN), year: int = Path(..., ge=1900, le=2200),
            district: str | None = code_param("mã huyện: chỉ các xã của huyện (district code)"),
            limit: int = limit_param(), offset: int = offset_param()):
    """The results the caller may see (without a token: published results only), best
    first, as the ranking page shows them."""
    try:
        province = find_province(code=province_code, year=year)
        area = None
        if district:
            area = district_by_code(province, district)
            if area is None:
                raise not_found(f"Không có huyện mã {district} thuộc tỉnh {province_code}",
                                f"no district {district} in province {province_code}")
        ranked = province_ranking(viewer=request.auth.user, province=province, year=year, district=area)
    except ResultsNotFound:
        raise not_found(f"Không có kết quả năm {year} của tỉnh {province_code} mà người gọi được xem",
                        f"no results of province {province_code} in {year} the caller may see") from None
    rows, envelope = page(request, ranked.rows, limit=limit, offset=offset)
    synthetic = ranked.overview.synthetic
    return {**envelope, "province_code": province_code, "year": year, "criteria_set": ranked.criteria_set.code,
            "district": district or None, "synthetic": synthetic, "data_notice": SYNTHETIC_NOTICE if synthetic else None,
            "results": [ranking_record(r) for r in rows]}


def _export_url(request, name: str, province_code: str, year: int) -> str | None:
    # The downloads of the web app's exports, when that app provides them.
    try:
        return request.build_absolute_uri(reverse(name, args=[province_code, year]))
    except NoReverseMatch:
        return None


@router.get("/open-data", response=responses(OpenDataSetPage), url_name="open_data_list",
            openapi_extra=OPTIONAL_SECURITY, summary="Dữ liệu mở: các bộ kết quả đã công bố (theo tỉnh, năm)")
def open_data_list(request, year: int | None = year_param(),
                   province: str | None = code_param("mã tỉnh (province code)"),
                   limit: int = limit_param(), offset: int = offset_param()):
    published = published_assessments(year=year)
    if province:
        published = published.filter(round__province__code=province)
    groups = list(
        published.order_by().values("round__province__code", "round__province__name", "round__year")
        .annotate(n=Count("pk")).order_by("-round__year", "round__province__code")
    )
    rows, envelope = page(request, groups, limit=limit, offset=offset)
    results = []
    for g in rows:
        code, year_ = g["round__province__code"], g["round__year"]
        round_ids = published.filter(round__province__code=code, round__year=year_).values_list("round_id", flat=True)
        synthetic = bool(synthetic_round_ids(round_ids))
        results.append({
            "province_code": code, "province_name": g["round__province__name"], "year": year_,
            "communes": g["n"], "synthetic": synthetic, "data_notice": SYNTHETIC_NOTICE if synthetic else None,
            "url": absolute(request, "api:v1:open_data_detail", code, year_),
            "csv_url": _export_url(request, "exports:open_data_csv", code, year_),
            "json_url": _export_url(request, "exports:open_data_json", code, year_),
        })
    return {**envelope, "results": results}


@router.get("/open-data/{province_code}/{year}", response=responses(OpenDataPage), url_name="open_data_detail",
            openapi_extra=OPTIONAL_SECURITY,
            summary="Dữ liệu mở của một tỉnh, một năm: kết quả đã công bố (dạng EvaluationOut)")
def open_data_detail(request, province_code: str = Path(..., pattern=CODE_PATTERN),
                     year: int = Path(..., ge=1900, le=2200),
                     limit: int = limit_param(), offset: int = offset_param()):
    published = list(published_assessments(year=year).filter(round__province__code=province_code))
    if not published:
        raise not_found(f"Chưa có kết quả công bố của tỉnh {province_code} năm {year}",
                        f"no published results for province {province_code} in {year}")
    # The exports' order (unit code, then year, compared as Python strings).
    published.sort(key=lambda a: (a.unit.code, a.round.year, a.round.criteria_set_code))
    rows, envelope = page(request, published, limit=limit, offset=offset)
    synthetic = bool(synthetic_round_ids({a.round_id for a in published}))
    return {**envelope, "province_code": province_code, "year": year, "synthetic": synthetic,
            "data_notice": SYNTHETIC_NOTICE if synthetic else None,
            "results": [evaluation_dict(e) for e in open_data_evaluations(rows)]}
