"""An independent reference model of the issue-10 rules, for the property tests.

Written from the contract (docs/criteria-format.md, DESIGN.md "Evaluation semantics"),
not from the engine: plain Fractions, one function per rule, no fast paths, no memo.
It works on the loaded model objects (their fields only) and plain dicts of inputs.
"""

from __future__ import annotations

import math
from fractions import Fraction

MET, NOT_MET, NA, MISSING = "met", "not_met", "not_applicable", "missing"
OK = (MET, NA)


def compare(op: str, a, b) -> bool:
    return {">=": a >= b, ">": a > b, "<=": a <= b, "<": a < b, "=": a == b}[op]


def row_of(criterion, condition, inputs: dict) -> dict:
    code = criterion.code if condition.key is None else f"{criterion.code}:{condition.key}"
    given = inputs.get(code)
    if given is None:
        return {}
    return dict(zip(("numerator", "denominator", "met", "count", "choice"), tuple(given) + (None,) * 5))


def condition_status(condition, row: dict) -> str:
    kind = condition.kind
    if kind == "ratio":
        n, d = row.get("numerator"), row.get("denominator")
        if n is None or d is None:
            return MISSING
        if d == 0:
            return condition.zero_denominator.value
        return MET if compare(condition.comparator.value, Fraction(n * 100, d), Fraction(condition.threshold)) else NOT_MET
    if kind == "boolean":
        m = row.get("met")
        return MISSING if m is None else (MET if m else NOT_MET)
    if kind == "count":
        k = row.get("count")
        return MISSING if k is None else (MET if compare(condition.comparator.value, k, condition.threshold) else NOT_MET)
    choice = row.get("choice")
    if choice is None:
        return MISSING
    return MET if any(o.code == choice and o.passes for o in condition.options) else NOT_MET


def rule_holds(rule, parts: list[tuple[str | None, bool]], points) -> bool:
    """``parts``: (code, ok) in order."""
    if rule.points_at_least is not None:
        return points >= Fraction(rule.points_at_least)
    if rule.mandatory:
        if not all(ok for code, ok in parts if code in rule.mandatory):
            return False
        return sum(ok for code, ok in parts if code not in rule.mandatory) >= (rule.at_least or 0)
    need = len(parts) if rule.at_least is None else rule.at_least
    return sum(ok for _, ok in parts) >= need


def criterion_result(criterion, inputs: dict) -> tuple[str, Fraction | None]:
    statuses = [condition_status(c, row_of(criterion, c, inputs)) for c in criterion.conditions]
    keys = [c.key for c in criterion.conditions]
    now = list(zip(keys, [s in OK for s in statuses]))
    best = list(zip(keys, [s != NOT_MET for s in statuses]))
    if rule_holds(criterion.pass_rule, now, 0):
        status = MET if MET in statuses else NA
    elif rule_holds(criterion.pass_rule, best, 0):
        status = MISSING
    else:
        status = NOT_MET
    return status, points(criterion, status, inputs)


def points(criterion, status: str, inputs: dict) -> Fraction | None:
    scoring = criterion.scoring
    if scoring is None:
        return None
    most = Fraction(scoring.points)
    method = scoring.method.value

    def first(kind):
        c = next(c for c in criterion.conditions if c.kind == kind)
        return c, row_of(criterion, c, inputs)

    if method == "fixed":
        return most if status in OK else Fraction(0)
    if method == "option":
        c, row = first("choice")
        chosen = [o for o in c.options if o.code == row.get("choice")]
        return Fraction(chosen[0].points) if chosen else Fraction(0)
    if method == "proportional" or not any(c.kind == "count" for c in criterion.conditions):
        c, row = first("ratio")
        n, d = row.get("numerator"), row.get("denominator")
        if n is None or d is None:
            return Fraction(0)
        if d == 0:
            return most if condition_status(c, row) in OK else Fraction(0)
        percent = Fraction(n * 100, d)
        if method == "proportional":
            return min(most, most * percent / Fraction(scoring.full_at))
        units = percent
    else:
        _, row = first("count")
        if row.get("count") is None:
            return Fraction(0)
        units = Fraction(row["count"])
    return min(most, math.floor(units / Fraction(scoring.step)) * Fraction(scoring.step_points))


def outcome(criteria_set, inputs: dict) -> dict:
    """Everything the tests compare: statuses, points, eligibility, recognition, level."""
    pre = [criterion_result(c, inputs)[0] for c in criteria_set.preconditions]
    eligible = all(s in OK for s in pre)
    fields, criteria, total = [], {}, Fraction(0)
    for g in criteria_set.groups:
        results = [(c, *criterion_result(c, inputs)) for c in g.criteria]
        for c, s, p in results:
            criteria[c.code] = (s, p)
        f_points = sum((p for _, _, p in results if p is not None), Fraction(0))
        best_points = sum((Fraction(c.points_max) if _open(c, inputs) else (p or Fraction(0)) for c, s, p in results),
                          Fraction(0))
        now = [(c.code, s in OK) for c, s, _ in results]
        best = [(c.code, s != NOT_MET) for c, s, _ in results]
        if rule_holds(g.pass_rule, now, f_points):
            status = MET
        elif rule_holds(g.pass_rule, best, best_points):
            status = MISSING
        else:
            status = NOT_MET
        fields.append((g.code, status, f_points))
        total += f_points
    met_fields = [(code, s == MET) for code, s, _ in fields]
    recognised = eligible and rule_holds(criteria_set.pass_rule, met_fields, total)
    level = None
    if eligible:
        for lv in criteria_set.levels:
            if rule_holds(lv.rule, met_fields, total):
                level = lv.code
    return {"criteria": criteria, "fields": fields, "points": total, "eligible": eligible,
            "recognised": recognised, "level": level, "preconditions": pre}


def _open(criterion, inputs) -> bool:
    return any(condition_status(c, row_of(criterion, c, inputs)) == MISSING for c in criterion.conditions)
