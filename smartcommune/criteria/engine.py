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
  100) − numerator)``: how many more units of the numerator are needed (for ``<=`` and
  ``<``: how many fewer); a count's gap is the same in units of the count;
* points (``Scoring``) are exact fractions: fixed when met, proportional, per step, per
  option; a field's and the set's points are sums; pass rules may ask for points
  (``points_at_least``) or for mandatory parts plus k of the others;
* preconditions are criteria: a commune that does not meet every one is not eligible,
  and an ineligible commune is neither recognised nor at any level;
* ``outcome_certain``: no value still missing could change recognition or level.  The
  result with every missing value at its best (criterion met, every point) is computed
  beside the result as reported; every rule is monotone, so when the two agree no
  fill-in can change the outcome.

Inputs are checked by :func:`input_problems`, which names every invalid count;
:func:`evaluate` refuses invalid inputs with :class:`InvalidInput` rather than
clipping them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import NamedTuple

from smartcommune.criteria.model import (
    Comparator,
    CriteriaSet,
    Criterion,
    Group,
    Level,
    PassRule,
    ScoringMethod,
    Slot,
    ZeroDenominator,
    points_text,
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
    """What a commune reported on one row (a criterion, or a keyed condition's own row);
    ``None`` means not reported.

    A tuple, so bulk readers may pass plain ``(numerator, denominator, met)``; ``count``
    is a whole number for a count condition, ``choice`` the code of a choice's option.
    """

    numerator: int | None = None
    denominator: int | None = None
    met: bool | None = None
    count: int | None = None
    choice: str | None = None


NOT_REPORTED = CriterionInput()


def as_input(given) -> CriterionInput:
    """``given`` (a :class:`CriterionInput` or a shorter plain tuple) as a full input."""
    if len(given) == 5 and type(given) is CriterionInput:
        return given
    return CriterionInput(*given)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One invalid input value. ``column`` is ``numerator``, ``denominator``, ``met``,
    ``count`` or ``choice``; ``criterion`` the row's code (``"4.1"`` or ``"4.1:b"``)."""

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


class ConditionResult(NamedTuple):
    """One condition's status, with its ratio (hundredths of a percent) and gap."""

    condition: object
    status: str
    hundredths: int | None
    gap: int | None


class CriterionResult(NamedTuple):
    criterion: Criterion
    status: str
    input: CriterionInput
    """The input of the criterion's own row."""
    hundredths: int | None
    """The ratio in hundredths of a percent (9000 for 90.00 %); None if not computed."""
    gap: int | None
    """More numerator units needed (0 when the ratio holds; fewer for ``<=``); None if no
    ratio was computed.  For a criterion without a ratio, its count's gap."""
    points: Fraction | None = None
    """Points scored (None when the criterion does not score)."""
    open: bool = False
    """Some condition's input is missing: a value filled in could still change it."""
    conditions: tuple[ConditionResult, ...] = ()
    """Each condition's result, in the set's order (empty for a one-condition criterion
    of the fast path, where the criterion's own fields say it all)."""

    @property
    def ratio(self) -> Decimal | None:
        """numerator × 100 / denominator, rounded half-up to 2 places; None if not computed."""
        return None if self.hundredths is None else Decimal(ratio_text(self.hundredths))

    @property
    def threshold(self) -> str | None:
        ratio = self.criterion.ratio
        if ratio is not None:
            return ratio.threshold_text
        count = self.criterion.count
        return count.threshold_text if count is not None else None

    @property
    def points_text(self) -> str | None:
        """``"26.67"``; None when the criterion does not score."""
        return None if self.points is None else points_text(self.points)

    @property
    def points_max(self) -> Decimal:
        return self.criterion.points_max

    @property
    def ok(self) -> bool:
        return self.status == Status.MET or self.status == Status.NOT_APPLICABLE


def ratio_text(hundredths: int) -> str:
    """9000 → ``"90.00"``: exact, whatever the ambient decimal context."""
    return f"{hundredths // 100}.{hundredths % 100:02d}"


class FieldResult(NamedTuple):
    group: Group
    status: str
    criteria: tuple[CriterionResult, ...]
    points: Fraction = Fraction(0)
    """The sum of its criteria's points."""

    @property
    def points_max(self) -> Decimal:
        return self.group.points_max

    @property
    def points_text(self) -> str:
        return points_text(self.points)


@dataclass(frozen=True, slots=True)
class LevelNeed:
    """What the next level still needs: ``fields`` more fields met, or ``points`` more
    points; ``preconditions`` names the preconditions not met (an ineligible commune
    reaches no level)."""

    level: Level
    fields: int | None = None
    points: Fraction | None = None
    preconditions: tuple[str, ...] = ()


class Evaluation(NamedTuple):
    """The result for one commune and year.

    Immutable, like the results it holds; a named tuple rather than a frozen dataclass
    because a national file makes 53,000 of them, and a tuple is built in C where a
    frozen dataclass sets each of its fifteen fields through ``object.__setattr__``.
    Change a copy with ``_replace``.
    """

    unit_code: str
    year: int
    criteria_set: CriteriaSet
    fields: tuple[FieldResult, ...]
    fields_met: int
    fields_required: int
    smart_commune: bool
    """Recognised: eligible, and the set's pass rule holds (the name is today's key; what
    the set recognises is ``criteria_set.recognition_name``)."""
    complete: bool
    eligible: bool = True
    """Every precondition met (or not applicable)."""
    preconditions: tuple[CriterionResult, ...] = ()
    points: Fraction = Fraction(0)
    level: Level | None = None
    next_level: LevelNeed | None = None
    outcome_certain: bool = True
    """No value still missing could change recognition or level."""
    relevant: frozenset[str] = frozenset()
    """Codes of the criteria (and preconditions) not met whose improvement could change
    recognition or level: what a shortfall lists."""

    @property
    def recognised(self) -> bool:
        return self.smart_commune

    @property
    def fields_short(self) -> int:
        """How many more fields are needed for recognition (0 when recognised)."""
        rule = self.criteria_set.pass_rule
        if not rule.mandatory:
            return max(0, self.fields_required - self.fields_met)
        met = {f.group.code: f.status == Status.MET for f in self.fields}
        mandatory_short = sum(1 for c in rule.mandatory if not met[c])
        others = sum(1 for c, ok in met.items() if ok and c not in rule.mandatory)
        return mandatory_short + max(0, (rule.at_least or 0) - others)

    @property
    def points_short(self) -> Fraction:
        """How many more points recognition needs (0 when the set's rule is not on points)."""
        bar = self.criteria_set.pass_rule.points_at_least
        return Fraction(0) if bar is None else max(Fraction(0), Fraction(bar) - self.points)

    @property
    def points_max(self) -> Decimal:
        return self.criteria_set.points_max

    @property
    def points_text(self) -> str:
        return points_text(self.points)

    def criteria(self) -> list[CriterionResult]:
        return [c for f in self.fields for c in f.criteria]

    def lacking(self) -> list[tuple[Group | None, CriterionResult]]:
        """The results in :attr:`relevant` (what could still change the outcome), in the
        set's order, preconditions first, each with its field (None for a precondition)."""
        relevant = self.relevant
        parts = [(None, c) for c in self.preconditions] + [(f.group, c) for f in self.fields for c in f.criteria]
        return [(group, c) for group, c in parts if c.criterion.code in relevant]


def _slot(target: Criterion | Slot) -> Slot:
    return target.slots[0] if isinstance(target, Criterion) else target


def input_problems(criterion: Criterion | Slot, given) -> list[InputProblem]:
    """Every reason ``given`` is not a valid input for the row of ``criterion`` (a
    criterion: its own row; or a :class:`~smartcommune.criteria.model.Slot`); empty if
    valid."""
    slot = _slot(criterion)
    given = as_input(given)
    problems = []
    code = slot.code

    def bad(column: str, value: object, vi: str, en: str) -> None:
        problems.append(InputProblem(code, column, value, vi, en))

    def whole(column: str, value: object, present: bool, vi_what: str, en_what: str) -> None:
        if value is None:
            return
        if not present:
            bad(column, value, f"tiêu chí {code} không có {vi_what}, cột {column} phải để trống",
                f"criterion {code} has no {en_what}; {column} must be empty")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            bad(column, value, "phải là số nguyên không âm", "must be a whole number, 0 or more")

    ratio = slot.ratio
    for column in ("numerator", "denominator"):
        whole(column, getattr(given, column), ratio is not None, "tỷ lệ", "ratio")
    n, d = given.numerator, given.denominator
    if ratio is not None and ratio.share and isinstance(n, int) and isinstance(d, int) and 0 <= d < n:
        bad("numerator", n, f"tử số {n} lớn hơn mẫu số {d}", f"numerator {n} is greater than denominator {d}")
    if given.met is not None:
        if slot.boolean is None:
            bad("met", given.met, f"tiêu chí {code} không có điều kiện Đạt/Không đạt, cột met phải để trống",
                f"criterion {code} has no pass/fail condition; met must be empty")
        elif not isinstance(given.met, bool):
            bad("met", given.met, "phải là đúng/sai", "must be true or false")
    whole("count", given.count, slot.count is not None, "số đếm", "count")
    if given.choice is not None:
        choice = slot.choice
        if choice is None:
            bad("choice", given.choice, f"tiêu chí {code} không có câu hỏi lựa chọn, cột choice phải để trống",
                f"criterion {code} has no choice; choice must be empty")
        elif not isinstance(given.choice, str) or choice.option(given.choice) is None:
            known = ", ".join(o.code for o in choice.options)
            bad("choice", given.choice, f"không phải phương án của tiêu chí {code} (có: {known})",
                f"not an option of criterion {code} (options: {known})")
    return problems


def evaluate(
    criteria_set: CriteriaSet,
    inputs: Mapping[str, CriterionInput],
    *,
    unit_code: str,
    year: int,
) -> Evaluation:
    """Evaluate one commune-year; rows absent from ``inputs`` are not reported.

    ``inputs`` maps a row's code (a criterion's or a precondition's code, or
    ``"<code>:<key>"`` for a keyed condition) to its input.  Raises
    :class:`InvalidInput` naming every invalid value, and ``KeyError`` for a code
    that is not in the set.
    """
    problems = []
    for code, given in inputs.items():
        problems += input_problems(criteria_set.slot(code), given)
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
    plan = _plan(criteria_set)
    if plan.simple:
        return _evaluate_simple(plan, inputs, unit_code, year)
    return _evaluate_full(plan, inputs, unit_code, year)


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
    plan = _plan(criteria_set)
    return _criterion(plan.criteria[code], {code: as_input(given)}.get)


_MET, _NOT_MET, _NA, _MISSING = Status.MET, Status.NOT_MET, Status.NOT_APPLICABLE, Status.MISSING
_OK = (_MET, _NA)
_ZERO: dict[ZeroDenominator, str] = {
    ZeroDenominator.NOT_APPLICABLE: _NA,
    ZeroDenominator.MET: _MET,
    ZeroDenominator.NOT_MET: _NOT_MET,
}
NO_POINTS = Fraction(0)
"""The points of a field or commune-year that scores nothing on the fast path: one
object, so that a writer can tell it without Fraction arithmetic."""
_NO_POINTS = NO_POINTS

# A criterion compiled for evaluation: (criterion, ratio, has_boolean, pass rule,
# memo, slot codes, generic) where ratio is (t_num, 100 × t_den, comparator,
# zero-denominator status) with threshold = t_num / t_den exactly, or None; memo maps
# inputs to their (immutable) result: many communes report the same counts and
# answers.  ``generic`` is False for a criterion of today's shape (one row, a ratio
# and/or a boolean, no points), which takes the fast path.
_MEMO_LIMIT = 20_000
# NamedTuple's generated __new__ is Python code; tuple.__new__ builds the same
# object in C. Used only where the fields are already in order.
_new = tuple.__new__
_plans: dict[int, tuple[CriteriaSet, "_Plan"]] = {}


class _CriterionPlan(NamedTuple):
    criterion: Criterion
    ratio: tuple | None
    has_boolean: bool
    rule: PassRule
    memo: dict
    slots: tuple[str, ...]
    generic: bool


class _Plan(NamedTuple):
    criteria_set: CriteriaSet
    groups: tuple
    preconditions: tuple
    criteria: dict
    simple: bool


def _ratio_plan(ratio) -> tuple:
    t_num, t_den = ratio.threshold.as_integer_ratio()
    return (t_num, 100 * t_den, ratio.comparator, _ZERO[ratio.zero_denominator])


def _plan(criteria_set: CriteriaSet) -> _Plan:
    """The set compiled once into tuples of integers, so a national file does
    not re-derive thresholds 1.2 million times. Keyed by identity: sets are
    immutable and few."""
    cached = _plans.get(id(criteria_set))
    if cached is not None and cached[0] is criteria_set:
        return cached[1]
    by_code = {}

    def compile_(c: Criterion) -> _CriterionPlan:
        ratio = _ratio_plan(c.ratio) if c.ratio is not None else None
        generic = (c.scoring is not None or len(c.slots) > 1 or c.count is not None or c.choice is not None
                   or bool(c.pass_rule.mandatory)
                   or (c.ratio is not None and c.ratio.comparator not in (Comparator.AT_LEAST, Comparator.EQUAL)))
        plan = _CriterionPlan(c, ratio, c.boolean is not None, c.pass_rule, {}, tuple(s.code for s in c.slots), generic)
        by_code[c.code] = plan
        return plan

    groups = []
    for group in criteria_set.groups:
        plans = tuple(compile_(c) for c in group.criteria)
        codes = tuple(p.criterion.code for p in plans)
        # A field compiled: (group, parts required, its criteria's plans, the inputs of its
        # rows as a tuple in one call (KeyError if one is absent), their codes, and a memo
        # from those inputs to the field's result, the same object each time, so that a
        # writer formats it once: a field's answers repeat across communes).
        rows_of = itemgetter(*codes) if len(codes) > 1 else (lambda inputs, code=codes[0]: (inputs[code],))
        groups.append((group, group.pass_rule.required(len(plans)), plans, rows_of, codes, {}))
    preconditions = tuple(compile_(c) for c in criteria_set.preconditions)
    rules = [criteria_set.pass_rule, *(g.pass_rule for g in criteria_set.groups)]
    simple = (not preconditions and not criteria_set.levels
              and not any(r.mandatory or r.by_points for r in rules)
              and not any(p.generic for p in by_code.values()))
    plan = _Plan(criteria_set, tuple(groups), preconditions, by_code, simple)
    _plans[id(criteria_set)] = (criteria_set, plan)
    return plan


def _evaluate_simple(plan: _Plan, inputs, unit_code: str, year: int) -> Evaluation:
    """Today's sets (ratios and booleans, "all" or "at least k" rules, no points): the
    fast path of a national file."""
    fields = []
    fields_met = fields_possible = 0
    complete = True
    get = inputs.get
    for group, required, plans, rows_of, codes, memo in plan.groups:
        try:
            given = rows_of(inputs)
        except KeyError:  # a row not reported
            given = tuple([get(code, NOT_REPORTED) for code in codes])
        known = memo.get(given)
        if known is None:
            known = _field_simple(group, required, plans, given)
            if len(memo) < _MEMO_LIMIT:
                memo[given] = known
        field, possible, has_missing = known
        fields.append(field)
        if field[1] == _MET:
            fields_met += 1
        fields_possible += possible
        if has_missing:
            complete = False
    criteria_set = plan.criteria_set
    required = criteria_set.fields_required
    smart = fields_met >= required
    relevant = frozenset() if smart else frozenset(
        r[0].code for f in fields if f[1] != _MET for r in f[2] if r[1] != _MET and r[1] != _NA)
    # In the fields' order (tuple.__new__: see _new); the fast path's sets have no
    # preconditions, points or levels.
    return _new(Evaluation, (unit_code, year, criteria_set, tuple(fields), fields_met, required, smart, complete,
                             True, (), _NO_POINTS, None, None, smart or fields_possible < required, relevant))


def _field_simple(group: Group, required: int, plans: tuple, given: tuple) -> tuple[FieldResult, int, bool]:
    """(the field's result, 1 if it is met or could still be, whether an input is missing)
    for its criteria's inputs ``given`` in the set's order."""
    results = []
    for cplan, row in zip(plans, given):
        memo = cplan[4]
        result = memo.get(row)
        if result is None:
            result = _criterion_simple(cplan, as_input(row))
            if len(memo) < _MEMO_LIMIT:
                memo[row] = result
        results.append(result)
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
    elif ok + missing >= required:
        status = _MISSING
    else:
        status = _NOT_MET
    return _new(FieldResult, (group, status, tuple(results), _NO_POINTS)), int(status != _NOT_MET), missing > 0


def _holds(rule: PassRule, parts: list[tuple[str, bool]], points) -> bool:
    if rule.mandatory:
        return rule.holds(dict(parts), points)
    return rule.holds([ok for _, ok in parts], points)


def _status(rule: PassRule, now: list[tuple[str, bool]], best: list[tuple[str, bool]], points, points_best) -> str:
    if _holds(rule, now, points):
        return _MET
    if _holds(rule, best, points_best):
        return _MISSING
    return _NOT_MET


def _evaluate_full(plan: _Plan, inputs, unit_code: str, year: int) -> Evaluation:
    """Any set: points, mandatory parts, preconditions, levels, keyed rows."""
    criteria_set = plan.criteria_set
    get = inputs.get
    complete = True

    def run(cplan: _CriterionPlan) -> CriterionResult:
        nonlocal complete
        if len(cplan.slots) == 1:
            given = get(cplan.slots[0], NOT_REPORTED)
            key = given
        else:
            key = tuple(get(code, NOT_REPORTED) for code in cplan.slots)
        result = cplan.memo.get(key)
        if result is None:
            result = _criterion(cplan, get)
            if len(cplan.memo) < _MEMO_LIMIT:
                cplan.memo[key] = result
        if result.status == _MISSING:
            complete = False
        return result

    preconditions = tuple(run(p) for p in plan.preconditions)
    eligible = all(r.status in _OK for r in preconditions)
    eligible_best = all(r.status != _NOT_MET for r in preconditions)

    fields = []
    field_now, field_best = [], []
    points = points_best = Fraction(0)
    for group, _required, plans, *_ in plan.groups:
        results = tuple(run(p) for p in plans)
        now = [(r.criterion.code, r.status in _OK) for r in results]
        best = [(r.criterion.code, r.status != _NOT_MET) for r in results]
        f_points = sum((r.points for r in results if r.points is not None), Fraction(0))
        f_best = sum((Fraction(r.criterion.points_max) if r.open else (r.points or Fraction(0)) for r in results),
                     Fraction(0))
        status = _status(group.pass_rule, now, best, f_points, f_best)
        fields.append(FieldResult(group, status, results, f_points))
        field_now.append((group.code, status == _MET))
        field_best.append((group.code, status != _NOT_MET))
        points += f_points
        points_best += f_best

    rule = criteria_set.pass_rule
    fields_ok = _holds(rule, field_now, points)
    recognised = eligible and fields_ok
    recognised_best = eligible_best and _holds(rule, field_best, points_best)

    def level_index(ok_fields, total, eligible_) -> int:
        reached = -1
        if eligible_:
            for i, level in enumerate(criteria_set.levels):
                if _holds(level.rule, ok_fields, total):
                    reached = i
        return reached

    now_index = level_index(field_now, points, eligible)
    best_index = level_index(field_best, points_best, eligible_best)
    level = criteria_set.levels[now_index] if now_index >= 0 else None
    fields_met = sum(ok for _, ok in field_now)
    next_level = None
    if now_index + 1 < len(criteria_set.levels):
        target = criteria_set.levels[now_index + 1]
        failing = tuple(r.criterion.code for r in preconditions if r.status not in _OK)
        if target.rule.by_points:
            next_level = LevelNeed(target, points=max(Fraction(0), Fraction(target.rule.points_at_least) - points),
                                   preconditions=failing)
        else:
            short = max(0, target.rule.required(len(fields)) - fields_met)
            next_level = LevelNeed(target, fields=short, preconditions=failing)

    # What could still change the outcome, to say in a shortfall.
    can_rise = not recognised or next_level is not None
    relevant = set()
    if can_rise:
        relevant.update(r.criterion.code for r in preconditions if r.status not in _OK)
        fields_matter = not fields_ok or (next_level is not None and next_level.fields)
        points_matter = (rule.by_points and not fields_ok) or (next_level is not None and next_level.points) \
            or any(f.group.pass_rule.by_points and f.status != _MET for f in fields)
        for f in fields:
            for r in f.criteria:
                short_points = r.points is not None and r.points < r.criterion.points_max
                if (fields_matter and f.status != _MET and r.status not in _OK) or (points_matter and short_points):
                    relevant.add(r.criterion.code)

    return Evaluation(
        unit_code=unit_code,
        year=year,
        criteria_set=criteria_set,
        fields=tuple(fields),
        fields_met=fields_met,
        fields_required=criteria_set.fields_required,
        smart_commune=recognised,
        complete=complete,
        eligible=eligible,
        preconditions=preconditions,
        points=points,
        level=level,
        next_level=next_level,
        outcome_certain=recognised == recognised_best and now_index == best_index,
        relevant=frozenset(relevant),
    )


def _ratio_status(ratio: tuple, numerator, denominator) -> tuple[str, int | None, int | None]:
    """(status, hundredths, gap) of a ratio condition."""
    if numerator is None or denominator is None:
        return _MISSING, None, None
    if denominator == 0:
        return ratio[3], None, None
    t_num, t_den100, comparator, _ = ratio
    # numerator/denominator vs threshold/100, cross-multiplied in integers.
    lhs, rhs = numerator * t_den100, t_num * denominator
    if comparator is Comparator.AT_LEAST:
        status = _MET if lhs >= rhs else _NOT_MET
    else:
        status = _MET if comparator.holds(lhs, rhs) else _NOT_MET
    hundredths, remainder = divmod(numerator * 10_000, denominator)
    if 2 * remainder >= denominator:  # round half up
        hundredths += 1
    if comparator is Comparator.AT_LEAST or comparator is Comparator.EQUAL:
        gap = -((-rhs) // t_den100) - numerator  # ceil(threshold × denominator / 100) − numerator
    elif comparator is Comparator.GREATER:
        gap = rhs // t_den100 + 1 - numerator  # the least numerator above the threshold
    elif comparator is Comparator.AT_MOST:
        gap = numerator - rhs // t_den100  # how many fewer
    else:  # LESS
        gap = numerator - (-((-rhs) // t_den100) - 1)
    return status, hundredths, gap if gap > 0 else 0


def _count_status(condition, count) -> tuple[str, None, int | None]:
    if count is None:
        return _MISSING, None, None
    t, comparator = condition.threshold, condition.comparator
    status = _MET if comparator.holds(count, t) else _NOT_MET
    if comparator is Comparator.AT_LEAST:
        gap = t - count
    elif comparator is Comparator.GREATER:
        gap = t + 1 - count
    elif comparator is Comparator.AT_MOST:
        gap = count - t
    elif comparator is Comparator.LESS:
        gap = count - t + 1
    else:
        gap = abs(t - count)
    return status, None, gap if gap > 0 else 0


def _condition(condition, given: CriterionInput, ratio_plan=None) -> ConditionResult:
    kind = condition.kind
    if kind == "ratio":
        status, hundredths, gap = _ratio_status(ratio_plan or _ratio_plan(condition), given.numerator, given.denominator)
        return ConditionResult(condition, status, hundredths, gap)
    if kind == "boolean":
        met = given.met
        return ConditionResult(condition, _MISSING if met is None else (_MET if met else _NOT_MET), None, None)
    if kind == "count":
        return ConditionResult(condition, *_count_status(condition, given.count))
    if given.choice is None:
        return ConditionResult(condition, _MISSING, None, None)
    option = condition.option(given.choice)
    return ConditionResult(condition, _MET if option is not None and option.passes else _NOT_MET, None, None)


def _criterion_simple(plan: _CriterionPlan, given: CriterionInput) -> CriterionResult:
    """A criterion of today's shape (one row, a ``>=``/``=`` ratio and/or a boolean, no
    points): the national file's path, the ratio inlined."""
    criterion, ratio, has_boolean, rule = plan[0], plan[1], plan[2], plan[3]
    numerator, denominator, met = given[0], given[1], given[2]
    hundredths = gap = ratio_status = None
    if ratio is not None:
        if numerator is None or denominator is None:
            ratio_status = _MISSING
        elif denominator == 0:
            ratio_status = ratio[3]
        else:
            t_num, t_den100, comparator, _ = ratio
            # numerator/denominator vs threshold/100, cross-multiplied in integers.
            lhs, rhs = numerator * t_den100, t_num * denominator
            ratio_status = _MET if (lhs >= rhs if comparator is Comparator.AT_LEAST else lhs == rhs) else _NOT_MET
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
    open_ = ratio_status == _MISSING or (has_boolean and met is None)
    return _new(CriterionResult, (criterion, status, given, hundredths, gap, None, open_, ()))


def _criterion(plan: _CriterionPlan, get) -> CriterionResult:
    """The result of one criterion, reading its rows' inputs through ``get(code)``."""
    criterion, ratio, has_boolean, rule, _, slot_codes, generic = plan
    given = as_input(get(slot_codes[0]) or NOT_REPORTED)
    if not generic:
        return _criterion_simple(plan, given)
    inputs = {code: as_input(get(code) or NOT_REPORTED) for code in slot_codes}
    results = []
    for condition in criterion.conditions:
        slot = criterion.slot_of(condition)
        own_ratio = ratio if condition is criterion.ratio else None
        results.append(_condition(condition, inputs[slot.code], own_ratio))
    statuses = [r.status for r in results]
    if rule.mandatory:
        now = {c.key: s in _OK for c, s in zip(criterion.conditions, statuses)}
        best = {c.key: s != _NOT_MET for c, s in zip(criterion.conditions, statuses)}
        if rule.holds(now):
            status = _MET if _MET in statuses else _NA
        elif rule.holds(best):
            status = _MISSING
        else:
            status = _NOT_MET
    else:
        status = _combine(rule, statuses)
    first = {}
    for r in results:
        first.setdefault(r.condition.kind, r)
    shown = first.get("ratio") or first.get("count")
    hundredths = first["ratio"].hundredths if "ratio" in first else None
    gap = shown.gap if shown is not None else None
    points = _points(criterion, status, first, inputs)
    return CriterionResult(criterion, status, given, hundredths, gap, points, _MISSING in statuses, tuple(results))


def _points(criterion: Criterion, status: str, first: dict, inputs: dict) -> Fraction | None:
    """The criterion's points; ``first`` maps a kind to the result of its first condition,
    ``inputs`` a row code to its input."""
    scoring = criterion.scoring
    if scoring is None:
        return None
    most = Fraction(scoring.points)
    method = scoring.method
    if method is ScoringMethod.FIXED:
        return most if status in _OK else Fraction(0)

    def given(kind: str) -> CriterionInput:
        return inputs[criterion.slot_of(first[kind].condition).code]

    if method is ScoringMethod.OPTION:
        choice = given("choice").choice
        option = None if choice is None else first["choice"].condition.option(choice)
        return Fraction(0) if option is None else Fraction(option.points)
    if method is ScoringMethod.PROPORTIONAL or "count" not in first:
        result = first["ratio"]
        row = given("ratio")
        if result.status == _MISSING:
            return Fraction(0)
        if row.denominator == 0:  # the zero-denominator policy decides: all or nothing
            return most if result.status in _OK else Fraction(0)
        percent = Fraction(row.numerator * 100, row.denominator)
        if method is ScoringMethod.PROPORTIONAL:
            return min(most, most * percent / Fraction(scoring.full_at))
        value = percent
    else:
        count = given("count").count
        if count is None:
            return Fraction(0)
        value = Fraction(count)
    steps = int(value // Fraction(scoring.step))
    return min(most, steps * Fraction(scoring.step_points))


def _combine(rule: PassRule, statuses: list[str]) -> str:
    required = rule.required(len(statuses))
    met = statuses.count(_MET)
    not_applicable = statuses.count(_NA)
    if met + not_applicable >= required:
        return _MET if met else _NA
    if met + not_applicable + statuses.count(_MISSING) >= required:
        return _MISSING
    return _NOT_MET
