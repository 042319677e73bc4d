"""Administrative units (public reference data) and their lineage across the 2025 reform."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from ninja import Path, Query, Router

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.common import (
    absolute,
    code_param,
    limit_param,
    offset_param,
    page,
    responses,
    unit_ref,
)
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import MAX_INT, UnitDetailOut, UnitPage
from smartcommune.units.models import Level, Unit, UnitSuccession

router = Router(tags=["Đơn vị hành chính (units)"], auth=token_optional)


def _unit(request: HttpRequest, u: Unit) -> dict:
    return {
        **unit_ref(u),
        "short_name": u.short_name,
        "kind": u.kind,
        "parent": unit_ref(u.parent),
        "latitude": None if u.latitude is None else str(u.latitude),
        "longitude": None if u.longitude is None else str(u.longitude),
        "url": absolute(request, "api:v1:unit_detail", u.pk),
    }


@router.get("/units", response=responses(UnitPage), url_name="unit_list", openapi_extra=OPTIONAL_SECURITY,
            summary="Đơn vị hành chính (units), có lọc")
def unit_list(
    request,
    level: Level | None = Query(None, description="tinh, huyen or xa"),
    code: str | None = code_param("mã ĐVHC (GSO code); a code may recur across the 2025 reform"),
    parent: str | None = code_param("mã đơn vị cấp trên (parent's code)"),
    in_force_on: dt.date | None = Query(None, description="only units in force that day (yyyy-mm-dd)"),
    limit: int = limit_param(),
    offset: int = offset_param(),
):
    units = Unit.objects.select_related("parent").order_by("level", "code", "valid_from")
    if level:
        units = units.filter(level=level)
    if code:
        units = units.filter(code=code)
    if parent:
        units = units.filter(parent__code=parent)
    if in_force_on:
        units = units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=in_force_on), valid_from__lte=in_force_on)
    rows, envelope = page(request, units, limit=limit, offset=offset)
    return {**envelope, "results": [_unit(request, u) for u in rows]}


@router.get("/units/{unit_id}", response=responses(UnitDetailOut), url_name="unit_detail",
            openapi_extra=OPTIONAL_SECURITY, summary="Một đơn vị, với đơn vị tiền thân và kế thừa (lineage)")
def unit_detail(request, unit_id: int = Path(..., ge=1, le=MAX_INT)):
    u = Unit.objects.select_related("parent").filter(pk=unit_id).first()
    if u is None:
        raise not_found(f"Không có đơn vị {unit_id}", f"no unit {unit_id}")
    links = UnitSuccession.objects.filter(Q(predecessor=u) | Q(successor=u)).select_related("predecessor", "successor")
    return {
        **_unit(request, u),
        "predecessors": [{"unit": unit_ref(s.predecessor), "effective": s.effective, "is_default": s.is_default}
                         for s in links if s.successor_id == u.pk],
        "successors": [{"unit": unit_ref(s.successor), "effective": s.effective, "is_default": s.is_default}
                       for s in links if s.predecessor_id == u.pk],
    }
