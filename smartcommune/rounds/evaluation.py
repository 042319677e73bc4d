"""Stored values → the engine's result: the one place every consumer (web pages, API,
exports, results pages, imports preview, CLI and demo) turns ``CriterionValue`` rows into
:class:`~smartcommune.criteria.engine.Evaluation` or
:class:`~smartcommune.criteria.engine.CriterionResult`.

A stored value becomes ``CriterionInput(numerator, denominator, met, count, choice)``
(empty fields: not reported) by :func:`input_of`; a criterion without a stored value is not reported.
The values of a criterion's keyed conditions (``CriterionValue.keyed``) become the inputs
of their own rows, ``"<code>:<key>"``, as the engine reads them (:func:`slot_inputs`).

* One assessment: :func:`inputs_of`, :func:`evaluate_assessment`; one value:
  :func:`evaluate_value`; values already loaded (prefetched, or proposed by a form or an
  import): :func:`inputs_from` and :func:`evaluate_inputs`.
* Many assessments, fast enough for the results pages, without changing a single result:

  - :func:`evaluate_stored` is :func:`smartcommune.criteria.engine.evaluate` -- same
    result, same ``InvalidInput`` and ``KeyError`` -- but remembers which (criterion,
    input) pairs it has already found valid, so the check costs a dictionary lookup for
    the counts that thousands of communes share;
  - :func:`evaluations_of` keeps each assessment's result in this process, keyed by the
    assessment's id and **version**, and by its round's id and opening time.  Every write
    to an assessment's values bumps its version (the contract of
    :mod:`smartcommune.rounds.actions`), so a kept result is never stale: a changed
    assessment has a new key.  The round's opening time keeps ids reused by a rolled-back
    transaction (a test database) from meeting an older result.  Whatever is not kept is
    loaded in one query and evaluated.  At most :data:`CACHE_SIZE` results are kept
    (oldest dropped first), a few tens of megabytes.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from django.db.models import QuerySet

from smartcommune.criteria.engine import (
    CriterionInput,
    CriterionResult,
    Evaluation,
    evaluate,
    evaluate_criterion,
    evaluate_valid,
    input_problems,
)
from smartcommune.criteria.model import CriteriaSet
from smartcommune.rounds.models import Assessment, CriterionValue, Round

CACHE_SIZE = 25_000
VALID_MEMO_SIZE = 100_000
# Above this many assessments to load, values are selected by a subquery rather than a
# list of ids (a database caps the parameters of one statement).
IDS_IN_QUERY = 500

_lock = threading.Lock()
_results: dict[tuple, Evaluation] = {}
_valid: set[tuple[str, str, CriterionInput]] = set()



def input_of(value: CriterionValue) -> CriterionInput:
    """The engine's input of one stored value's own row (empty fields: not reported)."""
    return CriterionInput(value.numerator, value.denominator, value.met, value.count, value.choice)


def slot_inputs(code: str, keyed: Mapping[str, Mapping[str, object]] | None) -> dict[str, CriterionInput]:
    """The inputs of criterion ``code``'s keyed rows (``CriterionValue.keyed``), by row code."""
    if not keyed:
        return {}
    return {
        f"{code}:{key}": CriterionInput(given.get("numerator"), given.get("denominator"), given.get("met"),
                                        given.get("count"), given.get("choice"))
        for key, given in keyed.items()
    }


def inputs_from(values: Iterable[CriterionValue]) -> dict[str, CriterionInput]:
    """The engine's inputs of values already loaded, by row code."""
    inputs = {}
    for v in values:
        inputs[v.criterion_code] = input_of(v)
        inputs.update(slot_inputs(v.criterion_code, v.keyed))
    return inputs


def inputs_of(assessment: Assessment) -> dict[str, CriterionInput]:
    """The engine's inputs from the assessment's stored values, in one query."""
    inputs = {}
    for code, *given, keyed in assessment.values.values_list(
        "criterion_code", "numerator", "denominator", "met", "count", "choice", "keyed"
    ):
        inputs[code] = CriterionInput(*given)
        if keyed:
            inputs.update(slot_inputs(code, keyed))
    return inputs


def evaluate_inputs(assessment: Assessment, inputs: Mapping[str, CriterionInput]) -> Evaluation:
    """The engine's result for ``inputs`` in ``assessment``'s round and commune (stored
    values, or values proposed by a form or an import).  Raises ``InvalidInput`` like
    :func:`~smartcommune.criteria.engine.evaluate`."""
    return evaluate(assessment.round.criteria_set, inputs, unit_code=assessment.unit.code, year=assessment.round.year)


def evaluate_assessment(assessment: Assessment) -> Evaluation:
    """The engine's result for the assessment's values as they stand."""
    return evaluate_inputs(assessment, inputs_of(assessment))


def evaluate_value(value: CriterionValue) -> CriterionResult:
    """The result of one stored value's criterion (its assessment and round loaded), the
    same as that criterion's entry in :func:`evaluate_assessment`, without evaluating the
    rest of the set (unless it has keyed rows).  Raises ``InvalidInput`` for an invalid
    stored value."""
    a = value.assessment
    criteria_set = a.round.criteria_set
    if value.keyed:
        evaluation = evaluate(criteria_set, inputs_from([value]), unit_code=a.unit.code, year=a.round.year)
        return next(r for r in (*evaluation.preconditions, *evaluation.criteria())
                    if r.criterion.code == value.criterion_code)
    return evaluate_criterion(criteria_set, value.criterion_code, input_of(value),
                              unit_code=a.unit.code, year=a.round.year)


def evaluate_stored(criteria_set: CriteriaSet, inputs: Mapping[str, CriterionInput], *,
                    unit_code: str, year: int) -> Evaluation:
    """Exactly :func:`~smartcommune.criteria.engine.evaluate` (same result, same errors),
    checking each distinct (criterion, input) once per process."""
    for code, given in inputs.items():
        key = (criteria_set.code, code, given)
        if key in _valid:
            continue
        # Any row of the set (a precondition, a keyed condition's row); KeyError, like evaluate().
        if input_problems(criteria_set.slot(code), given):
            return evaluate(criteria_set, inputs, unit_code=unit_code, year=year)  # raises InvalidInput
        if len(_valid) < VALID_MEMO_SIZE:
            _valid.add(key)
    return evaluate_valid(criteria_set, inputs, unit_code=unit_code, year=year)


def inputs_by_assessment(assessments: QuerySet[Assessment] | Iterable[int]) -> dict[int, dict[str, CriterionInput]]:
    """The engine's inputs of many assessments in one query, by assessment id (the bulk
    :func:`inputs_of`).  ``assessments`` is a queryset (used
    as a subquery) or assessment ids."""
    if isinstance(assessments, QuerySet):
        values = CriterionValue.objects.filter(assessment__in=assessments.values("pk"))
    else:
        values = CriterionValue.objects.filter(assessment_id__in=list(assessments))
    inputs: dict[int, dict[str, CriterionInput]] = defaultdict(dict)
    for assessment_id, code, *given, keyed in values.values_list(
        "assessment_id", "criterion_code", "numerator", "denominator", "met", "count", "choice", "keyed"
    ).order_by():
        inputs[assessment_id][code] = CriterionInput(*given)
        if keyed:
            inputs[assessment_id].update(slot_inputs(code, keyed))
    return inputs


def evaluations_in_order(assessments: Sequence[Assessment]) -> list[Evaluation]:
    """The engine's result of each assessment (its round and unit loaded), in the given
    order; one query for the values.  Raises ``InvalidInput`` like
    :func:`~smartcommune.criteria.engine.evaluate`."""
    inputs = inputs_by_assessment([a.pk for a in assessments])
    return [evaluate_inputs(a, inputs.get(a.pk, {})) for a in assessments]


def evaluations_of(items: Iterable[tuple[int, int, Round, str]], *,
                   superset: QuerySet[Assessment] | None = None) -> dict[int, Evaluation]:
    """The engine's result of each assessment, by id.

    ``items`` are ``(assessment id, version, round, unit code)``.  Results not kept are
    computed from values loaded in one query: by id, or, when there are many and
    ``superset`` (a queryset of assessments including them) is given, through it.
    """
    found: dict[int, Evaluation] = {}
    missing = []
    for pk, version, round_, unit_code in items:
        key = (pk, version, round_.pk, round_.opened_at)
        kept = _results.get(key)
        if kept is None:
            missing.append((key, pk, round_, unit_code))
        else:
            found[pk] = kept
    if not missing:
        return found
    if superset is not None and len(missing) > IDS_IN_QUERY:
        inputs = inputs_by_assessment(superset)
    else:
        inputs = inputs_by_assessment([pk for _, pk, _, _ in missing])
    fresh = {}
    for key, pk, round_, unit_code in missing:
        evaluation = evaluate_stored(round_.criteria_set, inputs.get(pk, {}), unit_code=unit_code, year=round_.year)
        found[pk] = fresh[key] = evaluation
    with _lock:
        _results.update(fresh)
        excess = len(_results) - CACHE_SIZE
        if excess > 0:
            for key in list(_results)[:excess]:  # dicts keep insertion order: oldest first
                _results.pop(key, None)
    return found


def forget() -> None:
    """Drop every kept result (tests that change values behind the actions' back)."""
    with _lock:
        _results.clear()
