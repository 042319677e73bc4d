"""Criteria sets (public): every set new rounds may use (shipped, in the administrator's
directory, uploaded and made available), with their fields, criteria and conditions."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router

from smartcommune.api.auth import OPTIONAL_SECURITY, token_optional
from smartcommune.api.endpoints.common import absolute, limit_param, offset_param, page, responses
from smartcommune.api.errors import not_found
from smartcommune.api.schemas import CODE_PATTERN, CriteriaSetDetailOut, CriteriaSetPage
from smartcommune.criteria.model import CriteriaSet, PassRule, RatioCondition
from smartcommune.criteria.wording import CONDITIONS, CRITERIA, FIELDS, pass_rule_text
from smartcommune.criteriasets import store

router = Router(tags=["Bộ tiêu chí (criteria sets)"], auth=token_optional)


def _rule(rule: PassRule, n: int, parts: str) -> dict:
    """``rule`` over ``n`` parts (fields, criteria or conditions), said as the pages say it."""
    return {"at_least": rule.at_least, "description_vi": pass_rule_text(rule, n, parts)}


def _condition(c) -> dict:
    if isinstance(c, RatioCondition):
        return {"kind": "ratio", "label": None, "numerator_label": c.numerator_label,
                "denominator_label": c.denominator_label, "comparator": c.comparator.value,
                "threshold": c.threshold_text, "zero_denominator": c.zero_denominator.value}
    count = c.kind == "count"  # a boolean, a count or a choice (issue 10): its own kind, never "boolean"
    return {"kind": c.kind, "label": c.label, "numerator_label": None, "denominator_label": None,
            "comparator": c.comparator.value if count else None, "threshold": c.threshold_text if count else None,
            "zero_denominator": None}


def _summary(request: HttpRequest, s: CriteriaSet) -> dict:
    return {"code": s.code, "name": s.name, "document": s.document, "period_start": s.period_start,
            "period_end": s.period_end, "fields_required": s.fields_required, "fields_total": len(s.groups),
            "criteria_total": len(s.criteria), "url": absolute(request, "api:v1:criteria_set_detail", s.code)}


@router.get("/criteria-sets", response=responses(CriteriaSetPage), url_name="criteria_set_list",
            openapi_extra=OPTIONAL_SECURITY, summary="Các bộ tiêu chí (criteria sets)")
def criteria_set_list(request, limit: int = limit_param(), offset: int = offset_param()):
    rows, envelope = page(request, [f.criteria_set for f in store.for_new_rounds()], limit=limit, offset=offset)
    return {**envelope, "results": [_summary(request, s) for s in rows]}


@router.get("/criteria-sets/{code}", response=responses(CriteriaSetDetailOut), url_name="criteria_set_detail",
            openapi_extra=OPTIONAL_SECURITY, summary="Một bộ tiêu chí: lĩnh vực, tiêu chí, điều kiện")
def criteria_set_detail(request, code: str = Path(..., pattern=CODE_PATTERN)):
    found = next((f.criteria_set for f in store.for_new_rounds() if f.criteria_set.code == code), None)
    if found is None:
        raise not_found(f"Không có bộ tiêu chí {code!r}", f"no criteria set {code!r}")
    return {
        **_summary(request, found),
        "description": found.description,
        "pass_rule": _rule(found.pass_rule, len(found.groups), FIELDS),
        "agencies": [{"code": a.code, "name": a.name} for a in found.agencies],
        "groups": [
            {"code": g.code, "name": g.name, "pass_rule": _rule(g.pass_rule, len(g.criteria), CRITERIA),
             "criteria": [
                 {"code": c.code, "text": c.text, "target": c.target, "lead_agencies": list(c.lead_agencies),
                  "coordinating_agencies": list(c.coordinating_agencies), "evidence": c.evidence, "note": c.note,
                  "pass_rule": _rule(c.pass_rule, len(c.conditions), CONDITIONS),
                  "conditions": [_condition(x) for x in c.conditions]}
                 for c in g.criteria
             ]}
            for g in found.groups
        ],
    }
