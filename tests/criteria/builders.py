"""Small criteria sets built as plain dicts, for the tests (not a test module).

``criteria_set_dict`` returns a document that ``parse_criteria_set`` accepts;
tests mutate a copy of it to provoke exactly one validation error.
"""

from __future__ import annotations

import copy


def ratio(threshold="100", comparator=">=", zero_denominator=None) -> dict:
    condition = {
        "kind": "ratio",
        "numerator": "Số đạt",
        "denominator": "Tổng số",
        "comparator": comparator,
        "threshold": threshold,
    }
    if zero_denominator is not None:
        condition["zero_denominator"] = zero_denominator
    return condition


def boolean(label="Có ứng dụng") -> dict:
    return {"kind": "boolean", "label": label}


def criterion(code: str, *conditions: dict, pass_rule=None) -> dict:
    table = {
        "code": code,
        "text": f"Tiêu chí {code}",
        "target": "100%",
        "lead_agencies": ["STTTT"],
        "evidence": "Báo cáo của UBND xã",
        "conditions": list(conditions) or [ratio()],
    }
    if pass_rule is not None:
        table["pass_rule"] = pass_rule
    return table


def group(code: str, *criteria: dict, pass_rule=None) -> dict:
    table = {"code": code, "name": f"Lĩnh vực {code}", "criteria": list(criteria)}
    if pass_rule is not None:
        table["pass_rule"] = pass_rule
    return table


def criteria_set_dict(*groups: dict, pass_rule=None, code="thu-nghiem") -> dict:
    return {
        "format": 1,
        "code": code,
        "name": "Bộ tiêu chí thử nghiệm",
        "document": "Quyết định số 1/QĐ-UBND",
        "period": {"start": 2024, "end": 2026},
        "pass_rule": pass_rule if pass_rule is not None else {"at_least": 1},
        "agencies": [
            {"code": "STTTT", "name": "Sở Thông tin và Truyền thông"},
            {"code": "SYT", "name": "Sở Y tế"},
        ],
        "groups": list(groups) or [group("1", criterion("1.1"))],
    }


def copy_of(document: dict) -> dict:
    return copy.deepcopy(document)
