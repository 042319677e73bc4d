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
from smartcommune.criteria.model import points_text
from smartcommune.criteria.wording import recognised_text, shortfall, verdict_of


def criterion_dict(result: CriterionResult) -> dict[str, Any]:
    return {
        "code": result.criterion.code,
        "status": result.status,
        "ratio": None if result.ratio is None else str(result.ratio),
        "threshold": result.threshold,
        "gap": result.gap,
        "points": result.points_text,
    }


def next_level_dict(evaluation: Evaluation) -> dict[str, Any] | None:
    need = evaluation.next_level
    if need is None:
        return None
    return {
        "code": need.level.code,
        "fields_short": need.fields,
        "points_short": None if need.points is None else points_text(need.points),
        "preconditions": list(need.preconditions),
    }


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    """One commune-year as the JSON object of DESIGN.md (today's keys first, then the
    points, level, eligibility and certainty keys)."""
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
                "points": f.points_text,
                "points_max": points_text(f.points_max),
            }
            for f in evaluation.fields
        ],
        "points": evaluation.points_text,
        "points_max": points_text(evaluation.points_max),
        "level": None if evaluation.level is None else evaluation.level.code,
        "next_level": next_level_dict(evaluation),
        "eligible": evaluation.eligible,
        "preconditions": [criterion_dict(c) for c in evaluation.preconditions],
        "outcome_certain": evaluation.outcome_certain,
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
    field_parts: dict[str, tuple[str, str]] = {}
    points_max = None
    out.write("[")
    for i, e in enumerate(evaluations):
        if points_max is None:
            points_max = _json_str(points_text(e.points_max))
        parts = [
            ",\n" if i else "\n",
            f'{{"unit_code":{_json_str(e.unit_code)},"year":{e.year},'
            f'"fields_met":{e.fields_met},"fields_required":{e.fields_required},'
            f'"smart_commune":{_JSON_BOOL[e.smart_commune]},"complete":{_JSON_BOOL[e.complete]},"fields":[',
        ]
        for j, f in enumerate(e.fields):
            criteria = []
            for criterion, status, _, hundredths, gap, points, _open, _conditions in f.criteria:
                fixed = criterion_parts.get(criterion.code)
                if fixed is None:
                    threshold = (criterion.ratio.threshold_text if criterion.ratio
                                 else criterion.count.threshold_text if criterion.count else None)
                    fixed = criterion_parts[criterion.code] = (
                        f'{{"code":{_json_str(criterion.code)},"status":"',
                        "null" if threshold is None else _json_str(threshold),
                    )
                ratio = "null" if hundredths is None else f'"{ratio_text(hundredths)}"'
                shown = "null" if points is None else f'"{points_text(points)}"'
                criteria.append(f'{fixed[0]}{status}","ratio":{ratio},"threshold":{fixed[1]},'
                                f'"gap":{"null" if gap is None else gap},"points":{shown}}}')
            field = field_parts.get(f.group.code)
            if field is None:
                field = field_parts[f.group.code] = (f'{{"code":{_json_str(f.group.code)},"status":"',
                                                     _json_str(points_text(f.group.points_max)))
            f_points = _ZERO_POINTS if not f.points else _json_str(points_text(f.points))
            parts.append(f'{"," if j else ""}{field[0]}{f.status}","criteria":[{",".join(criteria)}],'
                         f'"points":{f_points},"points_max":{field[1]}}}')
        level = "null" if e.level is None else _json_str(e.level.code)
        e_points = _ZERO_POINTS if not e.points else _json_str(points_text(e.points))
        tail = (f'],"points":{e_points},"points_max":{points_max},"level":{level},'
                f'"next_level":{_json_dumps(next_level_dict(e))},"eligible":{_JSON_BOOL[e.eligible]},')
        if e.preconditions:
            tail += f'"preconditions":{_json_dumps([criterion_dict(c) for c in e.preconditions])},'
        else:
            tail += '"preconditions":[],'
        parts.append(f'{tail}"outcome_certain":{_JSON_BOOL[e.outcome_certain]}}}')
        out.write("".join(parts))
    out.write("\n]\n")


_ZERO_POINTS = '"0.00"'


def _json_dumps(value) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_JSON_BOOL = {True: "true", False: "false"}


CSV_COLUMNS = (
    "unit_code", "year", "field", "field_status", "criterion", "status", "ratio",
    "threshold", "gap", "fields_met", "fields_required", "smart_commune", "complete",
    "criterion_points", "field_points", "field_points_max", "points", "points_max", "level",
    "eligible", "outcome_certain",
)
"""Today's thirteen columns first, then the points, level, eligibility and certainty."""


def write_csv(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """One row per commune, year and criterion, with the commune's totals repeated.

    A precondition's row has ``field`` and ``field_status`` empty."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    thresholds: dict[str, str] = {}
    field_max: dict[str, str] = {}
    set_max = None
    for e in evaluations:
        if set_max is None:
            set_max = points_text(e.points_max)
        totals = (e.fields_met, e.fields_required, _bool(e.smart_commune), _bool(e.complete))
        tail = (e.points_text, set_max, "" if e.level is None else e.level.code,
                _bool(e.eligible), _bool(e.outcome_certain))
        parts = [(None, "", "", "", "", e.preconditions)] if e.preconditions else []
        for f in e.fields:
            code = f.group.code
            most = field_max.get(code)
            if most is None:
                most = field_max[code] = points_text(f.group.points_max)
            parts.append((f, code, f.status, f.points_text if f.points else "0.00", most, f.criteria))
        for f, field_code, field_status, field_points, most, results in parts:
            for criterion, status, _, hundredths, gap, points, _open, _conditions in results:
                threshold = thresholds.get(criterion.code)
                if threshold is None:
                    threshold = thresholds[criterion.code] = (
                        criterion.ratio.threshold_text if criterion.ratio
                        else criterion.count.threshold_text if criterion.count else "")
                writer.writerow((
                    e.unit_code, e.year, field_code, field_status, criterion.code, status,
                    "" if hundredths is None else ratio_text(hundredths),
                    threshold, "" if gap is None else gap, *totals,
                    "" if points is None else points_text(points),
                    field_points, most, *tail,
                ))


def _bool(value: bool) -> str:
    return "true" if value else "false"


TABLE_HEADER = ("Mã ĐVHC", "Năm", "Lĩnh vực đạt", "Kết quả", "Còn thiếu / chưa đạt")


def _table_header(criteria_set) -> tuple[str, ...]:
    extra = (("Điểm",) if criteria_set.scores else ()) + (("Mức",) if criteria_set.levels else ())
    return (*TABLE_HEADER[:3], *extra, *TABLE_HEADER[3:])


def table_rows(evaluations: Iterable[Evaluation]) -> list[tuple[str, ...]]:
    """One row per commune-year; a set that scores points adds "Điểm" (``"26.67/100.00"``)
    and one with levels "Mức", after the fields met."""
    rows = []
    for e in evaluations:
        s = e.criteria_set
        bar = s.pass_rule.points_at_least
        points = f"{e.points_text}/{points_text(e.points_max)}" + ("" if bar is None else f" (cần {points_text(bar)})")
        extra = ((points,) if s.scores else ()) + ((e.level.name if e.level else "—",) if s.levels else ())
        fields = f"{e.fields_met}/{len(e.fields)}" + ("" if bar is not None else f" (cần {e.fields_required})")
        rows.append((e.unit_code, str(e.year), fields, *extra, verdict_of(e), shortfall(e)))
    return rows


def write_table(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """An aligned plain-text table, one line per commune-year, then a count in the words
    of the set ("…, 12 đạt xã thông minh.")."""
    evaluations = list(evaluations)
    rows = table_rows(evaluations)
    header = _table_header(evaluations[0].criteria_set) if evaluations else TABLE_HEADER
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] + "\n")
    recognised = sum(1 for e in evaluations if e.smart_commune)
    name = evaluations[0].criteria_set.recognition_name if evaluations else ""
    what = recognised_text(name).lower()
    out.write(f"\n{len(rows)} xã-năm, {recognised} {what}.\n")
