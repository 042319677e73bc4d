"""Evaluation results in their exchange shapes: JSON, CSV and a table for people.

The JSON shape is DESIGN.md's and the API serves the same one::

    {"unit_code": "28756", "year": 2024, "fields_met": 8, "fields_required": 7,
     "smart_commune": true, "complete": true,
     "fields": [{"code": "1", "status": "met", "criteria": [
       {"code": "1.1", "status": "met", "ratio": "100.00", "threshold": "100", "gap": 0}]}]}

Nothing here imports Django.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from smartcommune.criteria.engine import CriterionResult, Evaluation, ratio_text
from smartcommune.criteria.wording import shortfall, verdict


def criterion_dict(result: CriterionResult) -> dict[str, Any]:
    return {
        "code": result.criterion.code,
        "status": result.status,
        "ratio": None if result.ratio is None else str(result.ratio),
        "threshold": result.threshold,
        "gap": result.gap,
    }


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    """One commune-year as the JSON object of DESIGN.md."""
    return {
        "unit_code": evaluation.unit_code,
        "year": evaluation.year,
        "fields_met": evaluation.fields_met,
        "fields_required": evaluation.fields_required,
        "smart_commune": evaluation.smart_commune,
        "complete": evaluation.complete,
        "fields": [
            {
                "code": f.group.code,
                "status": f.status,
                "criteria": [criterion_dict(c) for c in f.criteria],
            }
            for f in evaluation.fields
        ],
    }


def write_json(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """A JSON list, one object per commune-year, written as it is produced.

    Produces exactly ``json.dumps([evaluation_dict(e), ...])`` (compact, UTF-8
    kept), but formats each criterion with a string template: for a national
    file, building and encoding 1.2 million small dicts costs more than the
    evaluation itself. The tests hold the two to the same output.
    """
    # Per criterion and field code, the parts of its JSON that never change.
    criterion_parts: dict[str, tuple[str, str]] = {}
    field_parts: dict[str, str] = {}
    out.write("[")
    for i, e in enumerate(evaluations):
        parts = [
            ",\n" if i else "\n",
            f'{{"unit_code":{_json_str(e.unit_code)},"year":{e.year},'
            f'"fields_met":{e.fields_met},"fields_required":{e.fields_required},'
            f'"smart_commune":{_JSON_BOOL[e.smart_commune]},"complete":{_JSON_BOOL[e.complete]},"fields":[',
        ]
        for j, f in enumerate(e.fields):
            criteria = []
            for criterion, status, _, hundredths, gap in f.criteria:
                fixed = criterion_parts.get(criterion.code)
                if fixed is None:
                    threshold = criterion.ratio.threshold_text if criterion.ratio else None
                    fixed = criterion_parts[criterion.code] = (
                        f'{{"code":{_json_str(criterion.code)},"status":"',
                        "null" if threshold is None else _json_str(threshold),
                    )
                ratio = "null" if hundredths is None else f'"{ratio_text(hundredths)}"'
                criteria.append(f'{fixed[0]}{status}","ratio":{ratio},"threshold":{fixed[1]},'
                                f'"gap":{"null" if gap is None else gap}}}')
            field = field_parts.get(f.group.code)
            if field is None:
                field = field_parts[f.group.code] = f'{{"code":{_json_str(f.group.code)},"status":"'
            parts.append(f'{"," if j else ""}{field}{f.status}","criteria":[{",".join(criteria)}]}}')
        parts.append("]}")
        out.write("".join(parts))
    out.write("\n]\n")


def _json_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_JSON_BOOL = {True: "true", False: "false"}


CSV_COLUMNS = (
    "unit_code", "year", "field", "field_status", "criterion", "status", "ratio",
    "threshold", "gap", "fields_met", "fields_required", "smart_commune", "complete",
)


def write_csv(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """One row per commune, year and criterion, with the commune's totals repeated."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    thresholds: dict[str, str] = {}
    for e in evaluations:
        tail = (e.fields_met, e.fields_required, _bool(e.smart_commune), _bool(e.complete))
        for f in e.fields:
            for criterion, status, _, hundredths, gap in f.criteria:
                threshold = thresholds.get(criterion.code)
                if threshold is None:
                    threshold = thresholds[criterion.code] = criterion.ratio.threshold_text if criterion.ratio else ""
                writer.writerow((
                    e.unit_code, e.year, f.group.code, f.status, criterion.code, status,
                    "" if hundredths is None else ratio_text(hundredths),
                    threshold, "" if gap is None else gap, *tail,
                ))


def _bool(value: bool) -> str:
    return "true" if value else "false"


TABLE_HEADER = ("Mã ĐVHC", "Năm", "Lĩnh vực đạt", "Kết quả", "Còn thiếu / chưa đạt")


def table_rows(evaluations: Iterable[Evaluation]) -> list[tuple[str, ...]]:
    rows = []
    for e in evaluations:
        rows.append((e.unit_code, str(e.year), f"{e.fields_met}/{len(e.fields)} (cần {e.fields_required})",
                     verdict(e.smart_commune, e.fields_short, complete=e.complete), shortfall(e)))
    return rows


def write_table(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """An aligned plain-text table, one line per commune-year, then a count."""
    evaluations = list(evaluations)
    rows = table_rows(evaluations)
    widths = [max(len(r[i]) for r in [TABLE_HEADER, *rows]) for i in range(len(TABLE_HEADER) - 1)]
    for row in [TABLE_HEADER, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] + "\n")
    recognised = sum(1 for e in evaluations if e.smart_commune)
    out.write(f"\n{len(rows)} xã-năm, {recognised} đạt xã thông minh.\n")
