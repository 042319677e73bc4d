"""What every endpoint shares: documented error responses, pagination, query rules,
and the small serialisers of units and rounds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query

from smartcommune.api.errors import ErrorOut
from smartcommune.api.schemas import CODE_PATTERN, MAX_INT
from smartcommune.units.models import Unit

SYNTHETIC_NOTICE = "Dữ liệu mô phỏng"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# Every operation may answer these (bad query, no/invalid token, unknown object, bad
# parameter types, rate limit); writes add theirs.
READ_ERRORS = frozenset({400, 401, 404, 422, 429})


def responses(ok, *extra: int, ok_status: int = 200) -> dict:
    return {ok_status: ok, frozenset(READ_ERRORS | set(extra)): ErrorOut}


def limit_param():
    return Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"page size (1–{MAX_LIMIT})")


def offset_param():
    return Query(0, ge=0, le=MAX_INT, description="rows to skip")


def code_param(description: str):
    return Query(None, pattern=CODE_PATTERN, description=description)


def year_param():
    return Query(None, ge=1900, le=2200, description="năm đánh giá (year)")


def page(request: HttpRequest, items, *, limit: int, offset: int) -> tuple[list, dict]:
    """``(the rows of this page, the page's envelope)``; ``items`` is a queryset or a list.

    ``next``/``previous`` repeat the request's query with another offset."""
    total = len(items) if isinstance(items, list) else items.count()
    rows = list(items[offset:offset + limit])

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(new_offset), str(limit)
        return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")

    envelope = {
        "count": total,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < total else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
    }
    return rows, envelope


def absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def unit_ref(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level,
            "valid_from": unit.valid_from, "valid_to": unit.valid_to}


def round_dict(request: HttpRequest, round_, synthetic: set[int]) -> dict:
    is_synthetic = round_.pk in synthetic
    return {
        "id": round_.pk,
        "criteria_set_code": round_.criteria_set_code,
        "year": round_.year,
        "province": unit_ref(round_.province),
        "submission_deadline": round_.submission_deadline,
        "review_deadline": round_.review_deadline,
        "verification_deadline": round_.verification_deadline,
        "opened_at": round_.opened_at,
        "synthetic": is_synthetic,
        "data_notice": SYNTHETIC_NOTICE if is_synthetic else None,
        "url": absolute(request, "api:v1:round_detail", round_.pk),
        "assessments_url": absolute(request, "api:v1:assessment_list") + f"?round={round_.pk}",
    }
