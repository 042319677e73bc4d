"""Rounds: those in which the caller may see at least one assessment (anonymous callers:
rounds with published results)."""

from __future__ import annotations

from django.db.models import Count
from ninja import Path, Router

from smartcommune.rounds.access import visible_assessments
from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.common import (
    code_param,
    limit_param,
    offset_param,
    page,
    responses,
    round_dict,
    year_param,
)
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import MAX_INT, RoundDetailOut, RoundPage
from smartcommune.demo.selectors import synthetic_round_ids
from smartcommune.rounds.models import Round

router = Router(tags=["Đợt đánh giá (rounds)"], auth=token_optional)


def visible_rounds(user):
    return Round.objects.filter(pk__in=visible_assessments(user).values("round_id")).select_related("province")


@router.get("/rounds", response=responses(RoundPage), url_name="round_list", openapi_extra=OPTIONAL_SECURITY,
            summary="Các đợt đánh giá (rounds)")
def round_list(request, year: int | None = year_param(),
               province: str | None = code_param("mã tỉnh (province code)"),
               limit: int = limit_param(), offset: int = offset_param()):
    rounds = visible_rounds(request.auth.user).order_by("-year", "province__code", "criteria_set_code", "pk")
    if year is not None:
        rounds = rounds.filter(year=year)
    if province:
        rounds = rounds.filter(province__code=province)
    rows, envelope = page(request, rounds, limit=limit, offset=offset)
    synthetic = synthetic_round_ids(r.pk for r in rows)
    return {**envelope, "results": [round_dict(request, r, synthetic) for r in rows]}


@router.get("/rounds/{round_id}", response=responses(RoundDetailOut), url_name="round_detail",
            openapi_extra=OPTIONAL_SECURITY, summary="Một đợt, với số hồ sơ theo trạng thái")
def round_detail(request, round_id: int = Path(..., ge=1, le=MAX_INT)):
    round_ = visible_rounds(request.auth.user).filter(pk=round_id).first()
    if round_ is None:
        raise not_found(f"Không tìm thấy đợt đánh giá {round_id}", f"round {round_id} not found")
    counts = (visible_assessments(request.auth.user).filter(round=round_).values("status")
              .annotate(n=Count("pk")).order_by("status"))
    return {**round_dict(request, round_, synthetic_round_ids([round_.pk])),
            "status_counts": {c["status"]: c["n"] for c in counts}}
