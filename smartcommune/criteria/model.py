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


class Comparator(str, Enum):
    """How a ratio is compared with its threshold (percent)."""

    AT_LEAST = ">="
    EQUAL = "="


class ZeroDenominator(str, Enum):
    """What a ratio whose denominator is 0 means (nothing to count)."""

    NOT_APPLICABLE = "not_applicable"
    MET = "met"
    NOT_MET = "not_met"


@dataclass(frozen=True, slots=True)
class PassRule:
    """"All of" the parts (``at_least is None``) or "at least k of n"."""

    at_least: int | None = None

    def required(self, n: int) -> int:
        """How many of ``n`` parts must hold."""
        return n if self.at_least is None else self.at_least

    def describe(self, n: int) -> str:
        if self.at_least is None:
            return f"tất cả {n}"
        return f"ít nhất {self.at_least}/{n}"


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class RatioCondition:
    """A ratio of two counts the commune reports, compared with a threshold.

    ``threshold`` is a percentage; the comparison is exact:
    ``numerator * 100 >= threshold * denominator``.
    """

    numerator_label: str
    denominator_label: str
    comparator: Comparator
    threshold: Decimal
    zero_denominator: ZeroDenominator = ZeroDenominator.NOT_APPLICABLE

    kind = "ratio"

    @property
    def threshold_text(self) -> str:
        """The threshold as written in results: ``"100"``, ``"90"``, ``"62.5"``."""
        return format(self.threshold.normalize(), "f")


@dataclass(frozen=True, slots=True)
class BooleanCondition:
    """Something that must be true ("Đạt"), shown by evidence."""

    label: str

    kind = "boolean"


Condition = RatioCondition | BooleanCondition


@dataclass(frozen=True, slots=True)
class Scoring:
    """Room for weighted points with partial credit.

    Carried and validated so that sets which score points load today; the
    engine does not score them yet.
    """

    points: Decimal
    partial_credit: bool = False


@dataclass(frozen=True, slots=True)
class Precondition:
    """A title the commune must already hold (e.g. "xã đạt chuẩn nông thôn mới").

    Carried and validated; the engine does not check preconditions yet.
    """

    code: str
    text: str


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
    """The criterion's ratio condition, if it has one (at most one)."""
    boolean: BooleanCondition | None = field(init=False, repr=False, compare=False)
    """The criterion's pass/fail condition, if it has one (at most one)."""

    def __post_init__(self) -> None:
        # Derived once here: the engine and the readers ask for them per row.
        object.__setattr__(self, "ratio", next((c for c in self.conditions if isinstance(c, RatioCondition)), None))
        object.__setattr__(self, "boolean", next((c for c in self.conditions if isinstance(c, BooleanCondition)), None))


@dataclass(frozen=True, slots=True)
class Group:
    """A field (lĩnh vực): met when its pass rule holds over its criteria."""

    code: str
    name: str
    criteria: tuple[Criterion, ...]
    pass_rule: PassRule = PassRule()


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
    preconditions: tuple[Precondition, ...] = ()
    description: str = ""

    @property
    def fields_required(self) -> int:
        """How many groups a commune must meet to be recognised."""
        return self.pass_rule.required(len(self.groups))

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion, in the set's order."""
        return tuple(c for g in self.groups for c in g.criteria)

    def criterion(self, code: str) -> Criterion:
        """The criterion with ``code``; ``KeyError`` when the set has none."""
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)

    def agency(self, code: str) -> Agency:
        for agency in self.agencies:
            if agency.code == code:
                return agency
        raise KeyError(code)

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end
