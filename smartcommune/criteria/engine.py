"""The evaluation engine: one commune, one year, one criteria set → a result.

Plain Python, no Django, exact integer arithmetic (never floats). The CLI, the
web, the API and the exports all call :func:`evaluate`; the semantics are
DESIGN.md "Evaluation semantics":

* a condition is ``missing`` when its inputs are not reported; a ratio with a
  zero denominator follows its ``zero_denominator`` policy (by default
  ``not_applicable``, which counts as met);
* a ratio holds when ``numerator * 100 >= threshold * denominator`` (or ``=``);
* a criterion, a field and the commune combine their parts with the part's
  :class:`~smartcommune.criteria.model.PassRule` ("all of" or "at least k of n"):
  enough parts met or not applicable → met (not applicable when every counted
  part is); otherwise missing if the missing parts could still make up the
  number; otherwise not met;
* the ``gap`` of a computed ratio is ``max(0, ceil(threshold × denominator /
  100) − numerator)``: how many more units of the numerator are needed.

Inputs are checked by :func:`input_problems`, which names every invalid count;
:func:`evaluate` refuses invalid inputs with :class:`InvalidInput` rather than
clipping them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from smartcommune.criteria.model import (
    Comparator,
    CriteriaSet,
    Criterion,
    Group,
    PassRule,
    ZeroDenominator,
)


class Status:
    """The four statuses of DESIGN.md.

    Plain strings rather than an Enum: a national file compares and serialises
    them 1.2 million times, and an Enum member's hash and ``.value`` run Python
    code each time.
    """

    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    MISSING = "missing"
    ALL = (MET, NOT_MET, NOT_APPLICABLE, MISSING)


def _(text: str) -> str:
    """Marks a label for translation catalogues (xgettext finds ``_``) without
    importing Django: the web translates it when it renders it."""
    return text


STATUS_LABELS_VI = {
    Status.MET: _("Đạt"),
    Status.NOT_MET: _("Chưa đạt"),
    Status.NOT_APPLICABLE: _("Không áp dụng"),
    Status.MISSING: _("Thiếu dữ liệu"),
}


class CriterionInput(NamedTuple):
    """What a commune reported for one criterion; ``None`` means not reported.

    A tuple, so bulk readers may pass plain ``(numerator, denominator, met)``.
    """

    numerator: int | None = None
    denominator: int | None = None
    met: bool | None = None


NOT_REPORTED = CriterionInput()


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One invalid input value. ``column`` is ``numerator``, ``denominator`` or ``met``."""

    criterion: str
    column: str
    value: object
    vi: str
    en: str


class InvalidInput(ValueError):
    """Inputs that cannot be evaluated; ``problems`` names each one.

    The message names the unit, year, criterion and value, in Vietnamese and English.
    """

    def __init__(self, problems: list[InputProblem], *, unit_code: str, year: int):
        self.problems = problems
        self.unit_code = unit_code
        self.year = year
        super().__init__("\n".join(
            f"đơn vị {unit_code}, năm {year}, tiêu chí {p.criterion}, {p.column} = {p.value!r}: {p.vi} "
            f"(unit {unit_code}, year {year}, criterion {p.criterion}, {p.column} = {p.value!r}: {p.en})"
            for p in problems
        ))


class CriterionResult(NamedTuple):
    criterion: Criterion
    status: str
    input: CriterionInput
    hundredths: int | None
    """The ratio in hundredths of a percent (9000 for 90.00 %); None if not computed."""
    gap: int | None
    """More numerator units needed (0 when the ratio holds); None if no ratio was computed."""

    @property
    def ratio(self) -> Decimal | None:
        """numerator × 100 / denominator, rounded half-up to 2 places; None if not computed."""
        return None if self.hundredths is None else Decimal(ratio_text(self.hundredths))

    @property
    def threshold(self) -> str | None:
        ratio = self.criterion.ratio
        return ratio.threshold_text if ratio is not None else None


def ratio_text(hundredths: int) -> str:
    """9000 → ``"90.00"``: exact, whatever the ambient decimal context."""
    return f"{hundredths // 100}.{hundredths % 100:02d}"


class FieldResult(NamedTuple):
    group: Group
    status: str
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result for one commune and year."""

    unit_code: str
    year: int
    criteria_set: CriteriaSet
    fields: tuple[FieldResult, ...]
    fields_met: int
    fields_required: int
    smart_commune: bool
    complete: bool

    @property
    def fields_short(self) -> int:
        """How many more fields are needed for recognition (0 when recognised)."""
        return max(0, self.fields_required - self.fields_met)

    def criteria(self) -> list[CriterionResult]:
        return [c for f in self.fields for c in f.criteria]


def input_problems(criterion: Criterion, given: CriterionInput) -> list[InputProblem]:
    """Every reason ``given`` is not a valid input for ``criterion`` (empty if valid)."""
    problems = []
    code = criterion.code

    def bad(column: str, value: object, vi: str, en: str) -> None:
        problems.append(InputProblem(code, column, value, vi, en))

    ratio = criterion.ratio
    for column in ("numerator", "denominator"):
        value = getattr(given, column)
        if value is None:
            continue
        if ratio is None:
            bad(column, value, f"tiêu chí {code} không có tỷ lệ, cột {column} phải để trống",
                f"criterion {code} has no ratio; {column} must be empty")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            bad(column, value, "phải là số nguyên không âm", "must be a whole number, 0 or more")
    n, d = given.numerator, given.denominator
    if ratio is not None and isinstance(n, int) and isinstance(d, int) and 0 <= d < n:
        bad("numerator", n, f"tử số {n} lớn hơn mẫu số {d}", f"numerator {n} is greater than denominator {d}")
    if given.met is not None:
        if criterion.boolean is None:
            bad("met", given.met, f"tiêu chí {code} không có điều kiện Đạt/Không đạt, cột met phải để trống",
                f"criterion {code} has no pass/fail condition; met must be empty")
        elif not isinstance(given.met, bool):
            bad("met", given.met, "phải là đúng/sai", "must be true or false")
    return problems


def evaluate(
    criteria_set: CriteriaSet,
    inputs: Mapping[str, CriterionInput],
    *,
    unit_code: str,
    year: int,
) -> Evaluation:
    """Evaluate one commune-year; criteria absent from ``inputs`` are not reported.

    Raises :class:`InvalidInput` naming every invalid value, and ``KeyError``
    for a criterion code that is not in the set.
    """
    problems = []
    for code, given in inputs.items():
        problems += input_problems(criteria_set.criterion(code), given)
    if problems:
        raise InvalidInput(problems, unit_code=unit_code, year=year)
    return evaluate_valid(criteria_set, inputs, unit_code=unit_code, year=year)


def evaluate_valid(
    criteria_set: CriteriaSet,
    inputs: Mapping[str, CriterionInput],
    *,
    unit_code: str,
    year: int,
) -> Evaluation:
    """:func:`evaluate` for inputs already checked by :func:`input_problems`.

    The bulk CSV path checks each row once as it reads it; checking again here
    would double the cost of a national file.
    """
    fields = []
    fields_met = 0
    complete = True
    get = inputs.get
    for group, required, plans in _plan(criteria_set):
        results = []
        for plan in plans:
            given = get(plan[0].code, NOT_REPORTED)
            memo = plan[4]
            result = memo.get(given)
            if result is None:
                result = _criterion(plan, _new(CriterionInput, given))
                if len(memo) < _MEMO_LIMIT:
                    memo[result.input] = result
            results.append(result)
        results = tuple(results)
        ok = missing = 0
        for result in results:
            status = result[1]
            if status == _MET or status == _NA:
                ok += 1
            elif status == _MISSING:
                missing += 1
        if ok >= required:
            # A field whose every criterion has nothing to count is achieved.
            status = _MET
            fields_met += 1
        elif ok + missing >= required:
            status = _MISSING
        else:
            status = _NOT_MET
        if missing:
            complete = False
        fields.append(_new(FieldResult, (group, status, results)))
    required = criteria_set.fields_required
    return Evaluation(
        unit_code=unit_code,
        year=year,
        criteria_set=criteria_set,
        fields=tuple(fields),
        fields_met=fields_met,
        fields_required=required,
        smart_commune=fields_met >= required,
        complete=complete,
    )



def evaluate_criterion(
    criteria_set: CriteriaSet,
    code: str,
    given: CriterionInput,
    *,
    unit_code: str,
    year: int,
) -> CriterionResult:
    """One criterion's result: the same as its entry in :func:`evaluate`'s result for
    ``{code: given}``, without evaluating the rest of the set.

    Raises :class:`InvalidInput` for an invalid value and ``KeyError`` for a code that
    is not in the set, like :func:`evaluate`.
    """
    criterion = criteria_set.criterion(code)
    problems = input_problems(criterion, given)
    if problems:
        raise InvalidInput(problems, unit_code=unit_code, year=year)
    for _group, _required, plans in _plan(criteria_set):
        for plan in plans:
            if plan[0].code == code:
                return _criterion(plan, _new(CriterionInput, given))
    raise KeyError(code)  # pragma: no cover - criterion() above already refused it


_MET, _NOT_MET, _NA, _MISSING = Status.MET, Status.NOT_MET, Status.NOT_APPLICABLE, Status.MISSING
_ZERO: dict[ZeroDenominator, str] = {
    ZeroDenominator.NOT_APPLICABLE: _NA,
    ZeroDenominator.MET: _MET,
    ZeroDenominator.NOT_MET: _NOT_MET,
}

# A criterion compiled for evaluation: (criterion, ratio, has_boolean, pass rule,
# memo) where ratio is (t_num, 100 × t_den, is_at_least, zero-denominator
# status) with threshold = t_num / t_den exactly, or None; memo maps inputs to
# their (immutable) result: many communes report the same counts and answers.
_CriterionPlan = tuple[Criterion, "tuple[int, int, bool, str] | None", bool, PassRule, dict]
_MEMO_LIMIT = 20_000
# NamedTuple's generated __new__ is Python code; tuple.__new__ builds the same
# object in C. Used only where the fields are already in order.
_new = tuple.__new__
_plans: dict[int, tuple[CriteriaSet, tuple]] = {}


def _plan(criteria_set: CriteriaSet) -> tuple[tuple[Group, int, tuple[_CriterionPlan, ...]], ...]:
    """The set compiled once into tuples of integers, so a national file does
    not re-derive thresholds 1.2 million times. Keyed by identity: sets are
    immutable and few."""
    cached = _plans.get(id(criteria_set))
    if cached is not None and cached[0] is criteria_set:
        return cached[1]
    groups = []
    for group in criteria_set.groups:
        plans = []
        for c in group.criteria:
            ratio = None
            if c.ratio is not None:
                t_num, t_den = c.ratio.threshold.as_integer_ratio()
                ratio = (t_num, 100 * t_den, c.ratio.comparator is Comparator.AT_LEAST, _ZERO[c.ratio.zero_denominator])
            plans.append((c, ratio, c.boolean is not None, c.pass_rule, {}))
        groups.append((group, group.pass_rule.required(len(plans)), tuple(plans)))
    plan = tuple(groups)
    _plans[id(criteria_set)] = (criteria_set, plan)
    return plan


def _criterion(plan: _CriterionPlan, given: CriterionInput) -> CriterionResult:
    criterion, ratio, has_boolean, rule, _ = plan
    numerator, denominator, met = given
    hundredths = gap = ratio_status = None
    if ratio is not None:
        if numerator is None or denominator is None:
            ratio_status = _MISSING
        elif denominator == 0:
            ratio_status = ratio[3]
        else:
            t_num, t_den100, at_least, _ = ratio
            # numerator/denominator vs threshold/100, cross-multiplied in integers.
            lhs, rhs = numerator * t_den100, t_num * denominator
            ratio_status = _MET if (lhs >= rhs if at_least else lhs == rhs) else _NOT_MET
            hundredths, remainder = divmod(numerator * 10_000, denominator)
            if 2 * remainder >= denominator:  # round half up
                hundredths += 1
            gap = -((-rhs) // t_den100) - numerator  # ceil(threshold × denominator / 100) − numerator
            if gap < 0:
                gap = 0
    if not has_boolean:
        status = ratio_status
    else:
        boolean_status = _MISSING if met is None else (_MET if met else _NOT_MET)
        status = boolean_status if ratio_status is None else _combine(rule, [ratio_status, boolean_status])
    return _new(CriterionResult, (criterion, status, given, hundredths, gap))


def _combine(rule: PassRule, statuses: list[str]) -> str:
    required = rule.required(len(statuses))
    met = statuses.count(_MET)
    not_applicable = statuses.count(_NA)
    if met + not_applicable >= required:
        return _MET if met else _NA
    if met + not_applicable + statuses.count(_MISSING) >= required:
        return _MISSING
    return _NOT_MET
