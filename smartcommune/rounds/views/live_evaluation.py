"""The live evaluation of the assessment page: the engine's result for the stored values
with what is typed over them, and the summary and result rows the page shows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from smartcommune.core import wording
from smartcommune.criteria import engine
from smartcommune.criteria.model import points_text
from smartcommune.criteria.wording import upward
from smartcommune.rounds.evaluation import evaluate_inputs, inputs_of
from smartcommune.rounds.models import Assessment, criterion_of_slot, criterion_slug
from smartcommune.rounds.views.entry_form import field_label


def live_evaluation(assessment: Assessment, editable: set[str], posted: dict | None = None,
                     parse_problems: dict | None = None):
    """The engine's result for the stored values with the posted editable values over
    them: ``(evaluation, problems by criterion)``.

    A criterion whose input is invalid is evaluated as not reported and its problems are
    returned; nothing raises on bad input.
    """
    criteria_set = assessment.round.criteria_set
    inputs = inputs_of(assessment)
    problems: dict[str, list[str]] = defaultdict(list)
    for code, messages_ in (parse_problems or {}).items():
        problems[code] += messages_
    for code, given in (posted or {}).items():
        if criterion_of_slot(code) not in editable:
            continue
        current = inputs.get(code, engine.NOT_REPORTED)
        inputs[code] = current._replace(**{f: v for f, v in given.items() if f != "source"})
    valid = {}
    for code, given in inputs.items():
        try:
            criterion = criteria_set.slot(code)
        except KeyError:
            continue
        if code in problems:
            continue
        found = engine.input_problems(criterion, given)
        if found:
            problems[code] += [f"{field_label(p.column)} = {p.value}: {p.vi}" for p in found]
            continue
        valid[code] = given
    return evaluate_inputs(assessment, valid), dict(problems)


# How many criteria "Gần đạt nhất" lists for a set that recognises by points.
CLOSEST_CRITERIA = 5


def summary(evaluation: engine.Evaluation) -> dict:
    """What the summary panel shows, including what is closest to being achieved: for a
    set that recognises by points, the criteria that could still add the most points
    (:func:`points_to_gain`); otherwise the fields closest to being met."""
    by_points = evaluation.criteria_set.pass_rule.by_points
    missing = sum(1 for c in evaluation.criteria() if c.status == engine.Status.MISSING)
    return {
        "fields_met": evaluation.fields_met,
        "fields_total": len(evaluation.fields),
        "fields_required": evaluation.fields_required,
        "fields_short": evaluation.fields_short,
        "smart_commune": evaluation.smart_commune,
        "complete": evaluation.complete,
        "criteria_missing": missing,
        "closest": points_to_gain(evaluation) if by_points else closest_fields(evaluation),
        "by_points": by_points,
        # Issue 10: the set's own words, eligibility, points and levels.
        "evaluation": evaluation,
        "eligible": evaluation.eligible,
        "outcome_certain": evaluation.outcome_certain,
        "scores": evaluation.points_max > 0,
        "points": Decimal(evaluation.points_text),
        "points_max": evaluation.points_max,
        "has_levels": bool(evaluation.criteria_set.levels),
    }


def closest_fields(evaluation: engine.Evaluation) -> list[dict]:
    """The three fields not met with the fewest criteria lacking (then the smallest gaps),
    each with what it lacks."""
    closest = []
    for field in evaluation.fields:
        if field.status == engine.Status.MET:
            continue
        lacking = [
            {"code": c.criterion.code, "slug": criterion_slug(c.criterion.code), "status": c.status, "gap": c.gap,
             "label": engine.STATUS_LABELS_VI[c.status], "upward": upward(c)}
            for c in field.criteria
            if c.status not in (engine.Status.MET, engine.Status.NOT_APPLICABLE)
        ]
        gaps = sum(x["gap"] or 0 for x in lacking)
        closest.append({"group": field.group, "slug": criterion_slug(field.group.code), "status": field.status, "lacking": lacking,
                        "key": (len(lacking), gaps)})
    closest.sort(key=lambda x: x["key"])
    return closest[:3]


def points_to_gain(evaluation: engine.Evaluation) -> list[dict]:
    """For a set that recognises by points, what could still change the outcome
    (``Evaluation.lacking``) as the overview's closest communes say it: preconditions not
    met first, then the criteria that could add the most points (the set's order among
    equals), each with the points it could add and what it lacks in words; at most
    ``CLOSEST_CRITERIA``."""
    items = []
    for group, c in evaluation.lacking():
        gain = None if group is None or c.points is None else Fraction(c.criterion.points_max) - c.points
        items.append({"code": c.criterion.code, "slug": criterion_slug(c.criterion.code), "group": group,
                      "gain": None if gain is None else Decimal(points_text(gain)),
                      "text": wording.lack_text(c)})
    items.sort(key=lambda x: (x["group"] is not None, -(x["gain"] or 0)))
    return items[:CLOSEST_CRITERIA]


def result_rows(evaluation: engine.Evaluation, problems: dict[str, list[str]]) -> list[dict]:
    """The result cell of every criterion, preconditions first; a keyed row's problems
    are shown with its criterion."""
    return [result_row(result, criterion_problems(problems, result.criterion))
            for result in (*evaluation.preconditions, *evaluation.criteria())]


def criterion_problems(problems: dict[str, list[str]], criterion) -> list[str]:
    """The problems of ``criterion``'s rows (its own, then its keyed rows, each named)."""
    found = list(problems.get(criterion.code, []))
    for slot in criterion.slots[1:]:
        found += [f"{slot.code}: {p}" for p in problems.get(slot.code, [])]
    return found


def preconditions_status(evaluation: engine.Evaluation) -> str:
    """The status of the preconditions together: met when the commune is eligible, not
    met when one is not met, else missing."""
    statuses = {r.status for r in evaluation.preconditions}
    if evaluation.eligible:
        return engine.Status.MET
    return engine.Status.NOT_MET if engine.Status.NOT_MET in statuses else engine.Status.MISSING


def result_row(result: engine.CriterionResult, problems: list[str]) -> dict:
    return {
        "code": result.criterion.code,
        "slug": criterion_slug(result.criterion.code),
        "status": result.status,
        "label": engine.STATUS_LABELS_VI[result.status],
        "ratio": result.ratio,
        "threshold": result.threshold,
        "gap": result.gap,
        # With the unit from the set's labels: "còn thiếu 20 hộ gia đình có …".
        "gap_text": wording.gap_text(result) if result.gap else "",
        "problems": problems,
    }
