"""Typed, immutable objects for a criteria set (bộ tiêu chí).

A criteria set is loaded from a TOML file by :mod:`smartcommune.criteria.loader`
and never changed afterwards: a set in use is immutable, a change is a new
version with a new code.  Nothing here imports Django.

Shape: a set has groups (lĩnh vực, "fields" in DESIGN.md), a group has
criteria (tiêu chí), a criterion has conditions, and each level says how
many of its parts must hold (its :class:`PassRule`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction


class Comparator(str, Enum):
    """How a value is compared with its threshold."""

    AT_LEAST = ">="
    GREATER = ">"
    AT_MOST = "<="
    LESS = "<"
    EQUAL = "="

    def holds(self, lhs, rhs) -> bool:
        """``lhs <comparator> rhs`` (exact numbers: ints or Fractions)."""
        return _COMPARE[self](lhs, rhs)

    @property
    def upward(self) -> bool:
        """More is better (``>=``, ``>``); ``=`` counts as upward for gaps, as before."""
        return self in (Comparator.AT_LEAST, Comparator.GREATER, Comparator.EQUAL)


_COMPARE = {
    Comparator.AT_LEAST: lambda a, b: a >= b,
    Comparator.GREATER: lambda a, b: a > b,
    Comparator.AT_MOST: lambda a, b: a <= b,
    Comparator.LESS: lambda a, b: a < b,
    Comparator.EQUAL: lambda a, b: a == b,
}


class ZeroDenominator(str, Enum):
    """What a ratio whose denominator is 0 means (nothing to count)."""

    NOT_APPLICABLE = "not_applicable"
    MET = "met"
    NOT_MET = "not_met"


@dataclass(frozen=True, slots=True)
class PassRule:
    """How many parts must hold, at any level (conditions of a criterion, criteria of a
    field, fields of a set, fields of a level):

    * "all" (the default: every field ``None``/empty);
    * ``at_least = k``: at least k of the n parts;
    * ``points_at_least = p``: the parts' points add up to at least p;
    * ``mandatory = [codes]`` with ``at_least = k``: every mandatory part, plus at least
      k of the others (``at_least`` counts the others only).

    Its words are :func:`smartcommune.criteria.wording.pass_rule_text`.
    """

    at_least: int | None = None
    points_at_least: Decimal | None = None
    mandatory: tuple[str, ...] = ()

    @property
    def by_points(self) -> bool:
        return self.points_at_least is not None

    def required(self, n: int) -> int:
        """How many of ``n`` parts must hold (0 for a rule on points; mandatory parts
        count)."""
        if self.points_at_least is not None:
            return 0
        if self.mandatory:
            return len(self.mandatory) + (self.at_least or 0)
        return n if self.at_least is None else self.at_least

    def holds(self, ok: dict[str, bool] | list[bool], points=0) -> bool:
        """Whether the rule holds for parts that are ``ok`` (a list, or by code for a
        rule with mandatory parts) with ``points`` in total."""
        if self.points_at_least is not None:
            return points >= self.points_at_least
        if self.mandatory:
            assert isinstance(ok, dict)
            if not all(ok[c] for c in self.mandatory):
                return False
            others = sum(1 for c, v in ok.items() if v and c not in self.mandatory)
            return others >= (self.at_least or 0)
        values = list(ok.values()) if isinstance(ok, dict) else ok
        return sum(values) >= self.required(len(values))


def points_text(points, decimal: str = ".") -> str:
    """Points as a decimal string with two places, rounded half up: ``"26.67"``.

    Exact, whatever the ambient decimal context (``points`` is an int, a Fraction or a
    Decimal).  ``decimal`` is the separator: the exchange formats' ``"."`` by default,
    ``","`` for Vietnamese words (``"26,67"``)."""
    value = Fraction(points)
    hundredths, remainder = divmod(value.numerator * 100, value.denominator)
    if 2 * remainder >= value.denominator:
        hundredths += 1
    sign = "-" if hundredths < 0 else ""
    hundredths = abs(hundredths)
    return f"{sign}{hundredths // 100}{decimal}{hundredths % 100:02d}"


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RatioCondition:
    """A ratio of two counts the commune reports, compared with a threshold.

    ``threshold`` is a percentage; the comparison is exact:
    ``numerator * 100 <comparator> threshold * denominator``.  A ``share`` (a part of a
    whole: the default of format 1) has numerator ≤ denominator and a threshold ≤ 100; a
    ratio that is not a share may exceed 100 % ("thu nhập ≥ 110 % mức bình quân").
    ``key`` names the condition's own row when a criterion has several conditions of
    one kind (see :class:`Slot`).
    """

    numerator_label: str
    denominator_label: str
    comparator: Comparator
    threshold: Decimal
    zero_denominator: ZeroDenominator = ZeroDenominator.NOT_APPLICABLE
    share: bool = True
    key: str | None = None

    kind = "ratio"

    @property
    def threshold_text(self) -> str:
        """The threshold as written in results: ``"100"``, ``"90"``, ``"62.5"``."""
        return format(self.threshold.normalize(), "f")

    @property
    def label(self) -> str:
        return f"{self.numerator_label} / {self.denominator_label} {self.comparator.value} {self.threshold_text}%"


@dataclass(frozen=True, slots=True)
class BooleanCondition:
    """Something that must be true ("Đạt"), shown by evidence."""

    label: str
    key: str | None = None

    kind = "boolean"


@dataclass(frozen=True, slots=True)
class CountCondition:
    """A whole number the commune reports ("số thôn thông minh"), compared with a
    whole-number threshold: ``count <comparator> threshold``."""

    label: str
    comparator: Comparator
    threshold: int
    key: str | None = None

    kind = "count"

    @property
    def threshold_text(self) -> str:
        return str(self.threshold)


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """One answer of a :class:`ChoiceCondition`, with its points and whether it passes."""

    code: str
    label: str
    points: Decimal
    passes: bool


@dataclass(frozen=True, slots=True)
class ChoiceCondition:
    """One answer among the options the set lists ("Chủ tịch phụ trách: 10 điểm; Phó
    Chủ tịch: 5; không có: 0"); the answer's ``passes`` decides the condition."""

    label: str
    options: tuple[ChoiceOption, ...]
    key: str | None = None

    kind = "choice"

    def option(self, code: str) -> ChoiceOption | None:
        for option in self.options:
            if option.code == code:
                return option
        return None

    @property
    def points_max(self) -> Decimal:
        return max(o.points for o in self.options)

    @property
    def points_min(self) -> Decimal:
        return min(o.points for o in self.options)


Condition = RatioCondition | BooleanCondition | CountCondition | ChoiceCondition


class ScoringMethod(str, Enum):
    FIXED = "fixed"
    """``points`` when the criterion is met (or not applicable), else 0."""
    PROPORTIONAL = "proportional"
    """``points × (ratio / full_at)``, capped at ``points``: the criterion's first ratio."""
    PER_STEP = "per_step"
    """Each ``step`` units (of the first count, or percentage points of the first ratio)
    give ``step_points``, capped at ``points``."""
    OPTION = "option"
    """The chosen option's points (the criterion's first choice)."""


@dataclass(frozen=True, slots=True)
class Scoring:
    """How a criterion scores points; ``points`` is the most it can score."""

    points: Decimal
    partial_credit: bool = False
    method: ScoringMethod = ScoringMethod.FIXED
    full_at: Decimal = Decimal(100)
    """Proportional: the percentage that earns every point (100 by default)."""
    step: Decimal | None = None
    step_points: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """The cells one row of the exchange format gives a criterion.

    A criterion's conditions read the cells of its own row (``code``): a ratio the
    numerator and denominator, a boolean ``met``, a count ``count``, a choice ``choice``;
    so a row carries at most one condition of each kind.  A condition with a ``key``
    reads a row of its own, ``"<criterion code>:<key>"`` (a second ratio of a criterion,
    say ``"4.1:b"``)."""

    code: str
    criterion: "Criterion"
    ratio: RatioCondition | None = None
    boolean: BooleanCondition | None = None
    count: CountCondition | None = None
    choice: ChoiceCondition | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    text: str
    target: str
    lead_agencies: tuple[str, ...]
    coordinating_agencies: tuple[str, ...]
    evidence: str
    conditions: tuple[Condition, ...]
    pass_rule: PassRule = PassRule()
    scoring: Scoring | None = None
    note: str = ""
    ratio: RatioCondition | None = field(init=False, repr=False, compare=False)
    """The ratio condition of the criterion's own row, if it has one."""
    boolean: BooleanCondition | None = field(init=False, repr=False, compare=False)
    """The pass/fail condition of the criterion's own row, if it has one."""
    count: CountCondition | None = field(init=False, repr=False, compare=False)
    choice: ChoiceCondition | None = field(init=False, repr=False, compare=False)
    slots: tuple[Slot, ...] = field(init=False, repr=False, compare=False)
    """The rows the criterion reads: its own first, then one per keyed condition."""

    def __post_init__(self) -> None:
        # Derived once here: the engine and the readers ask for them per row.
        own = {c.kind: c for c in reversed(self.conditions) if c.key is None}
        for kind in ("ratio", "boolean", "count", "choice"):
            object.__setattr__(self, kind, own.get(kind))
        slots = [Slot(self.code, self, own.get("ratio"), own.get("boolean"), own.get("count"), own.get("choice"))]
        for c in self.conditions:
            if c.key is not None:
                slots.append(Slot(f"{self.code}:{c.key}", self, **{c.kind: c}))
        object.__setattr__(self, "slots", tuple(slots))

    def slot_of(self, condition: Condition) -> Slot:
        """The row ``condition`` reads."""
        if condition.key is None:
            return self.slots[0]
        return next(s for s in self.slots[1:] if getattr(s, condition.kind) is condition)

    @property
    def points_max(self) -> Decimal:
        """The most points the criterion can score (0 when it does not score)."""
        if self.scoring is None:
            return Decimal(0)
        return self.scoring.points


@dataclass(frozen=True, slots=True)
class Group:
    """A field (lĩnh vực): met when its pass rule holds over its criteria."""

    code: str
    name: str
    criteria: tuple[Criterion, ...]
    pass_rule: PassRule = PassRule()
    points_max: Decimal = field(init=False, repr=False, compare=False)
    """The most points its criteria can score (0 when none scores); derived once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "points_max", sum((c.points_max for c in self.criteria), Decimal(0)))


@dataclass(frozen=True, slots=True)
class Level:
    """A level (mức) a recognised-or-not commune may reach, by its rule over the fields
    (``at_least`` fields met, or ``points_at_least`` in total).  Levels are ordered,
    lowest first; an ineligible commune reaches none."""

    code: str
    name: str
    rule: PassRule


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    code: str
    name: str
    document: str
    period_start: int
    period_end: int
    pass_rule: PassRule
    agencies: tuple[Agency, ...]
    groups: tuple[Group, ...]
    preconditions: tuple[Criterion, ...] = ()
    """Criteria a commune must meet to be eligible at all, whatever else it meets."""
    description: str = ""
    recognition_name: str = ""
    """What the set recognises, as a noun phrase: "xã thông minh", "xã nông thôn mới
    kiểu mẫu".  Every verdict takes its words from here."""
    levels: tuple[Level, ...] = ()
    format: int = 1
    _index: dict = field(init=False, repr=False, compare=False)
    points_max: Decimal = field(init=False, repr=False, compare=False)
    """The most points the fields can score (0 when nothing scores); derived once."""
    scores: bool = field(init=False, repr=False, compare=False)
    """Whether any criterion scores points."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "points_max", sum((g.points_max for g in self.groups), Decimal(0)))
        object.__setattr__(self, "scores", any(c.scoring is not None for c in (*self.preconditions, *self.criteria)))
        index = {}
        for criterion in (*self.preconditions, *self.criteria):
            index[criterion.code] = criterion
            for slot in criterion.slots[1:]:
                index[slot.code] = slot
        object.__setattr__(self, "_index", index)

    @property
    def fields_required(self) -> int:
        """How many groups a commune must meet to be recognised."""
        return self.pass_rule.required(len(self.groups))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion of the fields, in the set's order (not the preconditions)."""
        return tuple(c for g in self.groups for c in g.criteria)

    @property
    def input_criteria(self) -> tuple[Criterion, ...]:
        """Every criterion a commune reports: the preconditions, then the fields' criteria."""
        return (*self.preconditions, *self.criteria)

    @property
    def slots(self) -> tuple[Slot, ...]:
        """Every row a commune-year may have in the exchange format, in order."""
        return tuple(s for c in self.input_criteria for s in c.slots)

    def criterion(self, code: str) -> Criterion:
        """The criterion (or precondition) with ``code``; ``KeyError`` when the set has none."""
        found = self._index.get(code)
        if not isinstance(found, Criterion):
            raise KeyError(code)
        return found

    def slot(self, code: str) -> Slot:
        """The row ``code`` (a criterion code, or ``"<code>:<key>"``); ``KeyError`` if none."""
        found = self._index[code]
        return found.slots[0] if isinstance(found, Criterion) else found

    def is_precondition(self, code: str) -> bool:
        return any(c.code == code for c in self.preconditions)

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def agency(self, code: str) -> Agency:
        for agency in self.agencies:
            if agency.code == code:
                return agency
        raise KeyError(code)

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end
