"""Synthetic self-assessments for demos: plausible, deterministic, clearly fake.

Pure Python, no Django. :func:`generate` returns, for every commune and year,
the :class:`~smartcommune.criteria.engine.CriterionInput` of every criterion of
a criteria set — the same shape the long CSV reader and the engine use — so a
demo database, a sample CSV or a screenshot can be built from it. Nothing here
is real data: the numbers come from a seeded random generator and the same
seed always gives the same values.

Each commune gets a :class:`CommuneProfile` that decides its trajectory over
the years before any value is drawn:

* how many fields (lĩnh vực) it meets each year — non-decreasing for most
  communes, ending (in the last year) recognised for about a quarter, exactly
  one field short for a clear group, two short for a few, far behind for the
  rest; a few communes lose ground in the last year;
* the order in which it achieves the fields (some fields are harder across the
  province, so "the criteria most often missed" has an answer);
* how many criteria it leaves unreported (a few communes are incomplete in the
  last year).

Counts follow the criterion they belong to: the denominator of each ratio is
recognised from its labels (households, key public places, civil servants,
information items, survey sample, administrative services, food
establishments, classrooms, workers in need, jobs found) and drawn from a
realistic range; a criterion that is not recognised gets a generic range, so
any other criteria set works too. In a field the commune has not achieved, the
failing ratios' numerator share climbs toward the threshold year by year.
Numerators never exceed denominators, counts are whole numbers ≥ 0, and every
input passes :func:`~smartcommune.criteria.engine.input_problems`.

:func:`describe_spread` counts, per year, what the evaluations of such data
show, so the claims above can be checked (the tests do).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from smartcommune.criteria.engine import NOT_REPORTED, CriterionInput, Evaluation, evaluate
from smartcommune.criteria.model import (
    Comparator,
    CriteriaSet,
    Criterion,
    ZeroDenominator,
)

__all__ = [
    "CommuneProfile",
    "Trajectory",
    "describe_spread",
    "evaluate_generated",
    "generate",
    "profiles",
]



class Trajectory:
    """Where a commune is heading, by the last year (plain string constants)."""

    RECOGNISED = "recognised"
    """Ends with at least the required number of fields."""
    ONE_SHORT = "one_short"
    """Ends exactly one field short of recognition."""
    TWO_SHORT = "two_short"
    """Ends exactly two fields short."""
    INCOMPLETE = "incomplete"
    """Ends one to three fields short with some criteria left unreported."""
    REGRESSING = "regressing"
    """Improves, then meets fewer fields in the last year than the year before."""
    BEHIND = "behind"
    """Improves slowly; ends three or more fields short."""
    ALL = (RECOGNISED, ONE_SHORT, TWO_SHORT, INCOMPLETE, REGRESSING, BEHIND)


# Share of the communes per trajectory; the rest are BEHIND.
TRAJECTORY_SHARES: tuple[tuple[str, float], ...] = (
    (Trajectory.RECOGNISED, 0.25),
    (Trajectory.ONE_SHORT, 0.17),
    (Trajectory.TWO_SHORT, 0.07),
    (Trajectory.INCOMPLETE, 0.04),
    (Trajectory.REGRESSING, 0.05),
)

# Chance that a commune-year before the last leaves one criterion unreported.
EARLY_UNREPORTED_CHANCE = 0.03


@dataclass(frozen=True, slots=True)
class CommuneProfile:
    """What decides one commune's synthetic values over the years."""

    unit_code: str
    trajectory: str
    """One of :class:`Trajectory`."""
    size: float
    """0 (small) … 1 (large): scales the commune's counts (households, classrooms…)."""
    field_order: tuple[str, ...]
    """Group codes in the order the commune achieves them."""
    years: tuple[int, ...]
    """The years generated, ascending."""
    fields_planned: tuple[int, ...]
    """Fields met in each of :attr:`years`."""
    unreported: tuple[int, ...]
    """Criteria left unreported in each of :attr:`years`."""

    def planned(self, year: int) -> int:
        """Fields the commune meets in ``year``."""
        return self.fields_planned[self.years.index(year)]

    def met_groups(self, year: int) -> frozenset[str]:
        """Codes of the groups the commune meets in ``year``."""
        return frozenset(self.field_order[: self.planned(year)])


# --- What a denominator counts -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Count:
    """A kind of denominator and its plausible range for one commune."""

    name: str
    keywords: tuple[str, ...]
    low: int
    high: int
    spread: float
    """Relative year-to-year noise."""
    growth: float
    """Drift per year."""
    zero_share: float = 0.0
    """Chance of a year with nothing to count (0 → not applicable)."""


# First match wins, so the more specific labels come first ("hộ gia đình và cơ
# sở … thực phẩm" is food, not households; "thông tin dịch vụ công" is
# information, not services).
_COUNTS: tuple[_Count, ...] = (
    _Count("food_establishments", ("thực phẩm", "food"), 50, 400, 0.06, 0.02),
    _Count("public_places", ("điểm công cộng", "public place"), 3, 15, 0.0, 0.03),
    _Count("households", ("hộ gia đình", "household"), 1500, 6000, 0.005, 0.012),
    _Count("civil_servants", ("cán bộ", "công chức", "civil servant"), 18, 30, 0.04, 0.0),
    _Count("workers_in_need", ("lao động", "worker"), 0, 60, 0.35, 0.0, zero_share=0.12),
    _Count("jobs_found", ("việc làm", "job"), 0, 40, 0.35, 0.03, zero_share=0.08),
    _Count("information_items", ("thông tin", "information"), 20, 120, 0.2, 0.04),
    _Count("survey_sample", ("khảo sát", "lấy mẫu", "survey", "sample"), 100, 400, 0.1, 0.0),
    _Count("administrative_services", ("dịch vụ", "service"), 80, 150, 0.03, 0.02),
    _Count("classrooms", ("phòng học", "lớp học", "classroom", "class"), 20, 80, 0.03, 0.01),
)
_GENERIC = _Count("generic", (), 10, 200, 0.1, 0.02)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def count_kind(criterion: Criterion) -> str:
    """The name of what the criterion's denominator counts (``"generic"`` if unknown)."""
    return _count_of(criterion).name


def _count_of(criterion: Criterion) -> _Count:
    ratio = criterion.ratio
    if ratio is None:
        return _GENERIC
    for text in (ratio.denominator_label, ratio.numerator_label, criterion.text):
        text = _normal(text)
        for count in _COUNTS:
            if any(keyword in text for keyword in count.keywords):
                return count
    return _GENERIC


# --- The set, compiled ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Crit:
    code: str
    count: _Count | None
    """What the denominator counts; None when the criterion has no ratio."""
    p: int
    q: int
    """threshold = p / q percent, exactly."""
    at_least: bool
    zero: ZeroDenominator
    step: int
    """A denominator must be a multiple of this ("=" comparators need exact shares)."""
    has_boolean: bool
    conditions: int
    conditions_required: int

    def needed(self, d: int) -> int:
        """Numerator that just meets the threshold: ceil(threshold × d / 100)."""
        return -((-self.p * d) // (100 * self.q))

    def ratio_can_fail(self, d: int) -> bool:
        if d == 0:
            return self.zero is ZeroDenominator.NOT_MET
        return self.needed(d) >= 1 if self.at_least else True

    def can_fail(self, d: int | None) -> bool:
        failable = int(self.has_boolean) + int(self.count is not None and self.ratio_can_fail(d or 0))
        return failable >= self.conditions - self.conditions_required + 1


@dataclass(frozen=True, slots=True)
class _Group:
    code: str
    criteria: tuple[_Crit, ...]
    must_fail: int
    """How many criteria must fail for the group to be not met."""
    failable: bool
    """Whether the group can be not met at all (with positive denominators)."""


def _compile(criteria_set: CriteriaSet) -> tuple[_Group, ...]:
    groups = []
    for group in criteria_set.groups:
        crits = []
        for c in group.criteria:
            ratio = c.ratio
            if ratio is not None:
                p, q = ratio.threshold.as_integer_ratio()
                at_least = ratio.comparator is Comparator.AT_LEAST
                # "=": numerator/denominator == p/(100q) needs denominator % step == 0.
                step = 1 if at_least else (100 * q) // _gcd(p, 100 * q)
                crit = _Crit(c.code, _count_of(c), p, q, at_least, ratio.zero_denominator, step,
                             c.boolean is not None, len(c.conditions), c.pass_rule.required(len(c.conditions)))
            else:
                crit = _Crit(c.code, None, 0, 1, True, ZeroDenominator.NOT_APPLICABLE, 1,
                             c.boolean is not None, len(c.conditions), c.pass_rule.required(len(c.conditions)))
            crits.append(crit)
        must_fail = len(crits) - group.pass_rule.required(len(crits)) + 1
        failable = sum(c.can_fail(10**6) for c in crits) >= must_fail
        groups.append(_Group(group.code, tuple(crits), must_fail, failable))
    return tuple(groups)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a or 1


# --- Profiles -------------------------------------------------------------------


def _seed_text(seed: int, criteria_set: CriteriaSet, *parts: object) -> str:
    # A str seed is hashed with SHA-512 by random.Random: stable across runs and
    # machines, independent of PYTHONHASHSEED.
    return ":".join(["smartcommune-demo", str(seed), criteria_set.code, *map(str, parts)])


def _path(start: int, end: int, steps: int, rng: random.Random) -> list[int]:
    """A non-decreasing path of ``steps + 1`` values from ``start`` to ``end``."""
    if steps <= 0:
        return [end]
    rises = [0] * steps
    for _ in range(end - start):
        rises[rng.randrange(steps)] += 1
    values = [start]
    for rise in rises:
        values.append(values[-1] + rise)
    return values


def assign_by_share(items: Sequence[str], shares: Sequence[tuple[str, float]], rng: random.Random,
                    default: str) -> dict[str, str]:
    """Shuffle ``items`` and hand them out by proportion: ``shares`` is (label, fraction)
    in order; what the fractions leave over gets ``default``. The counts depend only on
    the fractions, not on the seed."""
    shuffled = list(items)
    rng.shuffle(shuffled)
    result: dict[str, str] = {}
    taken, start = 0.0, 0
    for label, share in shares:
        taken += share
        stop = round(taken * len(shuffled))
        for item in shuffled[start:stop]:
            result[item] = label
        start = stop
    for item in shuffled[start:]:
        result[item] = default
    return result


def profiles(
    criteria_set: CriteriaSet,
    unit_codes: Sequence[str],
    years: Sequence[int],
    *,
    seed: int = 2021,
) -> dict[str, CommuneProfile]:
    """The profile of every commune (duplicates counted once), deterministic from ``seed``."""
    units = list(dict.fromkeys(unit_codes))
    ordered_years = tuple(sorted(set(years)))
    if not units or not ordered_years:
        return {}
    groups = _compile(criteria_set)
    n_groups = len(groups)
    required = criteria_set.fields_required
    always = [g.code for g in groups if not g.failable]
    lowest = len(always)

    rng = random.Random(_seed_text(seed, criteria_set))
    difficulty = {g.code: rng.random() for g in groups}
    trajectory_of = assign_by_share(units, TRAJECTORY_SHARES, rng, Trajectory.BEHIND)

    def clip(n: int) -> int:
        return max(lowest, min(n_groups, n))

    result = {}
    n_years = len(ordered_years)
    for unit in units:
        trajectory = trajectory_of[unit]
        r = random.Random(_seed_text(seed, criteria_set, unit, "profile"))
        size = r.random()
        failable = sorted((g.code for g in groups if g.failable), key=lambda code: difficulty[code] + r.gauss(0, 0.3))
        order = tuple(always + failable)
        rise = r.choice((0, 1, 2, 3, 3, 4, 4, 5))
        if trajectory == Trajectory.RECOGNISED:
            end = clip(required + int(r.expovariate(1.0)))
        elif trajectory == Trajectory.ONE_SHORT:
            end = clip(required - 1)
        elif trajectory == Trajectory.TWO_SHORT:
            end = clip(required - 2)
        elif trajectory == Trajectory.INCOMPLETE:
            end = clip(required - r.randint(1, 3))
        elif trajectory == Trajectory.REGRESSING:
            end = None
        else:
            end = clip(required - r.randint(3, 6))
        if end is not None:
            planned = _path(clip(end - rise), end, n_years - 1, r)
        elif n_years == 1:
            planned = [clip(required - r.randint(1, 2))]
        else:
            peak = clip(required + r.choice((-1, 0, 0, 1)))
            last = clip(peak - r.randint(1, 2))
            planned = _path(clip(peak - rise), peak, n_years - 2, r) + [last]
        unreported = [1 if r.random() < EARLY_UNREPORTED_CHANCE else 0 for _ in range(n_years - 1)]
        unreported.append(r.randint(1, 3) if trajectory == Trajectory.INCOMPLETE else 0)
        # Only criteria of fields not met are left blank: a blank never costs a field.
        unreported = [u if fields < n_groups else 0 for u, fields in zip(unreported, planned)]
        result[unit] = CommuneProfile(
            unit_code=unit,
            trajectory=trajectory,
            size=size,
            field_order=order,
            years=ordered_years,
            fields_planned=tuple(planned),
            unreported=tuple(unreported),
        )
    return result


# --- Values ---------------------------------------------------------------------


def generate(
    criteria_set: CriteriaSet,
    unit_codes: Sequence[str],
    years: Sequence[int],
    *,
    seed: int = 2021,
) -> dict[tuple[str, int], dict[str, CriterionInput]]:
    """Synthetic inputs for every commune and year: ``{(unit_code, year): {criterion code: input}}``.

    Every criterion of the set is present for every commune-year (an unreported
    one as ``CriterionInput(None, None, None)``); keys come commune by commune,
    years ascending. Deterministic: the same set, units, years and ``seed``
    give the same values.
    """
    groups = _compile(criteria_set)
    result: dict[tuple[str, int], dict[str, CriterionInput]] = {}
    for unit, profile in profiles(criteria_set, unit_codes, years, seed=seed).items():
        rng = random.Random(_seed_text(seed, criteria_set, unit, "values"))
        _commune(groups, profile, rng, result)
    return result


def _commune(
    groups: tuple[_Group, ...],
    profile: CommuneProfile,
    rng: random.Random,
    out: dict[tuple[str, int], dict[str, CriterionInput]],
) -> None:
    crits = [c for g in groups for c in g.criteria]
    ratios = [c for c in crits if c.count is not None]
    # Per commune and ratio: its usual size, and how close to the threshold a
    # failing share starts and ends.
    base = {}
    for c in ratios:
        count = c.count
        low = max(count.low, 1)
        share = min(1.0, max(0.0, profile.size + rng.gauss(0, 0.2)))
        base[c.code] = low + (count.high - low) * share
    reach = {c.code: (rng.uniform(0.3, 0.8), rng.uniform(0.8, 0.97)) for c in ratios}
    # Which criteria a commune tends to fail first, within each group.
    fail_order = {g.code: sorted(g.criteria, key=lambda _: rng.random()) for g in groups}

    n_years = len(profile.years)
    for i, year in enumerate(profile.years):
        progress = i / (n_years - 1) if n_years > 1 else 1.0
        met_groups = set(profile.field_order[: profile.fields_planned[i]])
        denominators = {c.code: _denominator(c, base[c.code], i, rng) for c in ratios}
        failing: set[str] = set()
        unmet_codes: list[str] = []
        for g in groups:
            if g.code in met_groups or not g.failable:
                continue
            unmet_codes += [c.code for c in g.criteria]
            order = fail_order[g.code]
            candidates = [c for c in order if c.can_fail(denominators.get(c.code))]
            if len(candidates) < g.must_fail:
                # Nothing to count made the group pass by default: count something.
                for c in order:
                    if c.count is not None and denominators[c.code] == 0:
                        denominators[c.code] = _denominator(c, base[c.code], i, rng, allow_zero=False)
                candidates = [c for c in order if c.can_fail(denominators.get(c.code))]
            extra = 0.45 * (1.0 - progress)
            for k, c in enumerate(candidates):
                if k < g.must_fail or rng.random() < extra:
                    failing.add(c.code)
        values = {}
        for c in crits:
            d = denominators.get(c.code)
            if c.code in failing:
                values[c.code] = _failing(c, d, reach.get(c.code), progress, rng)
            else:
                values[c.code] = _passing(c, d, rng)
        blank = profile.unreported[i]
        if blank and unmet_codes:
            for code in rng.sample(unmet_codes, min(blank, len(unmet_codes))):
                values[code] = NOT_REPORTED
        out[(profile.unit_code, year)] = values


def _denominator(c: _Crit, base: float, i: int, rng: random.Random, *, allow_zero: bool = True) -> int:
    count = c.count
    noise = rng.gauss(0, count.spread) if count.spread else 0.0
    zero_ok = count.zero_share and c.zero is not ZeroDenominator.NOT_MET
    if allow_zero and zero_ok and rng.random() < count.zero_share:
        return 0
    low = max(count.low, 1)
    d = round(base * (1 + count.growth) ** i * (1 + noise))
    d = max(low, min(count.high, d))
    if c.step > 1:
        d = max(c.step, round(d / c.step) * c.step)
    return d


def _passing(c: _Crit, d: int | None, rng: random.Random) -> CriterionInput:
    met = True if c.has_boolean else None
    if c.count is None:
        return CriterionInput(None, None, met)
    if d == 0:
        return CriterionInput(0, 0, met)
    return CriterionInput(_meets(c, d, rng), d, met)


def _meets(c: _Crit, d: int, rng: random.Random) -> int:
    if not c.at_least:
        return c.p * d // (100 * c.q)
    needed = c.needed(d)
    return needed + int((d - needed) * rng.random() ** 3)


def _failing(
    c: _Crit,
    d: int | None,
    reach: tuple[float, float] | None,
    progress: float,
    rng: random.Random,
) -> CriterionInput:
    """Values that make ``c`` not met (``c.can_fail(d)`` holds)."""
    ratio_fails = c.count is not None and c.ratio_can_fail(d or 0)
    options = (["ratio"] if ratio_fails else []) + (["boolean"] if c.has_boolean else [])
    need = c.conditions - c.conditions_required + 1
    chosen = set(rng.sample(options, need))
    if len(chosen) < len(options) and rng.random() < 0.5 * (1.0 - progress):
        chosen = set(options)
    met = None if not c.has_boolean else "boolean" not in chosen
    if c.count is None:
        return CriterionInput(None, None, met)
    if "ratio" not in chosen:
        return CriterionInput(0, 0, met) if d == 0 else CriterionInput(_meets(c, d, rng), d, met)
    if d == 0:
        return CriterionInput(0, 0, met)  # zero_denominator = not_met
    if not c.at_least:
        exact = c.p * d // (100 * c.q)
        return CriterionInput(exact - 1 if exact >= 1 else 1, d, met)
    needed = c.needed(d)
    start, end = reach
    share = start + (end - start) * progress
    return CriterionInput(min(needed - 1, int(needed * share)), d, met)


# --- Checking the spread ----------------------------------------------------------


def evaluate_generated(
    criteria_set: CriteriaSet,
    generated: Mapping[tuple[str, int], Mapping[str, CriterionInput]],
) -> list[Evaluation]:
    """Evaluate every commune-year of :func:`generate`'s output, in its order."""
    return [evaluate(criteria_set, inputs, unit_code=unit, year=year) for (unit, year), inputs in generated.items()]


def describe_spread(evaluations: Iterable[Evaluation] | Mapping[object, Evaluation]) -> dict[int, dict[str, int]]:
    """Per year (ascending): how many communes are recognised, short, incomplete.

    ``{year: {"communes", "recognised", "one_short", "two_short", "incomplete",
    "improved", "regressed"}}``: ``one_short``/``two_short`` count communes with
    exactly ``fields_required − 1``/``− 2`` fields met (complete or not);
    ``incomplete`` those with a criterion missing; ``improved``/``regressed``
    those meeting more/fewer fields than in their previous evaluated year.
    """
    if isinstance(evaluations, Mapping):
        evaluations = evaluations.values()
    ordered = sorted(evaluations, key=lambda e: e.year)
    previous: dict[str, int] = {}
    spread: dict[int, dict[str, int]] = {}
    for e in ordered:
        row = spread.setdefault(e.year, dict.fromkeys(
            ("communes", "recognised", "one_short", "two_short", "incomplete", "improved", "regressed"), 0))
        row["communes"] += 1
        row["recognised"] += e.smart_commune
        row["one_short"] += e.fields_met == e.fields_required - 1
        row["two_short"] += e.fields_met == e.fields_required - 2
        row["incomplete"] += not e.complete
        before = previous.get(e.unit_code)
        if before is not None:
            row["improved"] += e.fields_met > before
            row["regressed"] += e.fields_met < before
        previous[e.unit_code] = e.fields_met
    return spread
