"""The province overview: one row per commune the viewer may see, with the counts by
district, the criteria most often missed, the communes closest to recognition and the
comparison with the year before.  See :mod:`smartcommune.results.selectors` for who sees
what and how results are computed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcommune.rounds import access as permissions
from smartcommune.results import caching
from smartcommune.core import wording
from smartcommune.criteria.engine import Evaluation, Status
from smartcommune.criteria.model import CriteriaSet, Criterion, Group, Level
from smartcommune.rounds.evaluation import evaluations_of
from smartcommune.results.selectors.common import (
    DECIDED, ResultsNotFound, average, average_points, district_of, find_round, is_synthetic)
from smartcommune.rounds.models import Assessment, Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Unit

# How far a commune may be from recognition to count as "closest", in what the set
# counts: for a set that recognises by fields, at most CLOSEST_MAX_SHORT fields short; for
# one that recognises by points (``pass_rule = {points_at_least = p}``), at most
# CLOSEST_POINTS_SHARE of the bar short (10 points of a bar of 50).
CLOSEST_MAX_SHORT = 2
CLOSEST_POINTS_SHARE = Fraction(1, 5)


def closest_points(criteria_set: CriteriaSet) -> Fraction | None:
    """For a set that recognises by points, the most points short a commune may be to
    count as closest; None for a set on fields."""
    bar = criteria_set.pass_rule.points_at_least
    return None if bar is None else Fraction(bar) * CLOSEST_POINTS_SHARE


@dataclass(frozen=True)
class Lack:
    """One criterion (or precondition) that keeps a commune back, and by how much."""

    criterion: Criterion
    field: Group | None
    """None for a precondition."""
    status: str
    gap: int | None
    text: str


def lacking(evaluation: Evaluation) -> list[Lack]:
    """What could change the commune's outcome (``Evaluation.relevant``), in the set's
    order, preconditions first: criteria not met or missing, and for a set on points the
    criteria short of their most points."""
    return [Lack(c.criterion, group, c.status, c.gap, wording.lack_text(c))
            for group, c in evaluation.lacking()]


# -- the province overview ----------------------------------------------------------------


@dataclass(frozen=True)
class CommuneResult:
    """One commune's row of the overview."""

    unit: Unit
    district: Unit | None
    assessment: Assessment
    evaluation: Evaluation
    status: str
    """The assessment's workflow status (``rounds.models.Status``)."""
    published: bool
    previous_fields_met: int | None
    """Fields met the year before (same unit, same criteria set), if the viewer may see it."""
    previous_points: Fraction | None = None
    """Points the year before, exact, when ``previous_fields_met`` is known."""
    previous_level: Level | None = None
    """The level reached the year before (None: none reached, or no result that year)."""

    @property
    def recognised(self) -> bool:
        """Recognised by a recorded decision (not the engine's suggestion)."""
        return self.status in DECIDED and bool(self.assessment.decision_recognised)

    @property
    def previous(self) -> int | Fraction | None:
        """What the year before is compared in: points for a set that scores, fields met
        otherwise; None without a visible result that year."""
        if self.previous_fields_met is None:
            return None
        return self.previous_points if self.evaluation.criteria_set.scores else self.previous_fields_met

    @property
    def current(self) -> int | Fraction:
        """The same this year."""
        e = self.evaluation
        return e.points if e.criteria_set.scores else e.fields_met

    @property
    def field_statuses(self) -> list[str]:
        return [f.status for f in self.evaluation.fields]


@dataclass(frozen=True)
class DistrictCount:
    district: Unit | None
    """None: communes without a district (after the 2025 reform)."""
    communes: int
    by_status: dict[str, int]
    recognised: int
    smart: int
    """Smart communes by the engine (fields met ≥ required), decided or not."""
    fields_met_total: int
    points_total: Fraction = Fraction(0)
    """The communes' points, summed exactly (0 for a set that does not score)."""

    @property
    def average_fields_met(self) -> Decimal:
        return average(self.fields_met_total, self.communes)

    @property
    def average_points(self) -> Decimal:
        return average_points(self.points_total, self.communes)


@dataclass(frozen=True)
class MissedCriterion:
    code: str
    name: str
    field: Group
    count: int
    """Communes for which the criterion is not met."""
    missing: int
    """Communes that did not report it."""


@dataclass(frozen=True)
class Closest:
    """A commune close to recognition (see :func:`_closest`), and what it lacks."""

    result: CommuneResult
    fields_short: int
    lacks: list[Lack]
    points_short: Fraction | None = None
    """Points short of the bar, for a set that recognises by points; None otherwise."""

    @property
    def unmet_fields(self) -> list[Group]:
        return [f.group for f in self.result.evaluation.fields if f.status != Status.MET]


@dataclass(frozen=True)
class ComparisonRow:
    result: CommuneResult
    before: int | Fraction
    now: int | Fraction
    """What the set compares, the year before and now: points (exact) for a set that
    scores, fields met otherwise."""

    @property
    def change(self) -> int | Fraction:
        return self.now - self.before


@dataclass(frozen=True)
class Comparison:
    """This year against the year before, over the communes shown that have both years."""

    previous_year: int
    available: bool
    """Whether the viewer may see any result of the year before."""
    rows: list[ComparisonRow]
    fields_met_before: int
    fields_met_now: int
    smart_before: int
    smart_now: int
    improved: int
    declined: int
    unchanged: int
    new: int
    """Communes shown this year without a visible result the year before."""
    scores: bool = False
    """The set scores: the rows, ``improved``, ``declined`` and ``unchanged`` compare points."""
    points_before: Fraction = Fraction(0)
    points_now: Fraction = Fraction(0)
    """The rows' points, summed exactly (0 for a set that does not score)."""
    levels_before: dict[str, int] = field(default_factory=dict)
    levels_now: dict[str, int] = field(default_factory=dict)
    """For a set with levels, how many of the rows reached each level (by code, in the
    set's order, 0 included), the year before and now; empty for a set without levels."""

    @property
    def average_points_before(self) -> Decimal:
        return average_points(self.points_before, len(self.rows))

    @property
    def average_points_now(self) -> Decimal:
        return average_points(self.points_now, len(self.rows))


@dataclass(frozen=True)
class Overview:
    round: Round
    criteria_set: CriteriaSet
    province: Unit
    year: int
    synthetic: bool
    rows: list[CommuneResult]
    district_counts: list[DistrictCount]
    most_missed: list[MissedCriterion]
    closest: list[Closest]
    comparison: Comparison
    districts: list[Unit] = field(default_factory=list)
    """Every district among the visible communes, before filtering (for the filter form)."""
    statuses: list[str] = field(default_factory=list)
    """Every workflow status among the visible communes, before filtering."""
    district: Unit | None = None
    status: str | None = None

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.criteria_set.groups

    @property
    def closest_points(self) -> Fraction | None:
        """:func:`closest_points` of the set."""
        return closest_points(self.criteria_set)

    @property
    def published_count(self) -> int:
        return sum(1 for r in self.rows if r.published)

    @property
    def smart_count(self) -> int:
        """Rows the engine finds smart (fields met ≥ required), decided or not."""
        return sum(1 for r in self.rows if r.evaluation.smart_commune)

    @property
    def recognised_count(self) -> int:
        return sum(1 for r in self.rows if r.recognised)

    @property
    def average_fields_met(self) -> Decimal:
        return average(sum(r.evaluation.fields_met for r in self.rows), len(self.rows))

    @property
    def average_points(self) -> Decimal:
        """The rows' points on average, for a set that scores (two decimals)."""
        return average_points(sum((r.evaluation.points for r in self.rows), Fraction(0)), len(self.rows))

    @property
    def field_counts(self) -> list[FieldCount]:
        """Per field of the set, how many of the rows meet it."""
        met = Counter(f.group.code for r in self.rows for f in r.evaluation.fields if f.status == Status.MET)
        return [FieldCount(g, met[g.code], len(self.rows)) for g in self.groups]


@dataclass(frozen=True)
class FieldCount:
    group: Group
    met: int
    communes: int


def overview_stamp(*, viewer, round_: Round) -> tuple:
    """What :func:`province_overview` of ``round_`` (any filter) depends on, cheaply (see
    :mod:`smartcommune.results.caching`): the round, the stamps of the viewer's visible
    assessments of it and of its year before, and the viewer's scope.  One query (and a
    signed-in viewer's roles).  Raises :class:`ResultsNotFound` when
    :func:`province_overview` would."""
    visible = permissions.visible_assessments(viewer)
    scope = caching.viewer_scope(viewer, visible)
    narrowing = {"round__province_id": round_.province_id, "round__criteria_set_code": round_.criteria_set_code,
                 "round__year__in": (round_.year, round_.year - 1)}
    stamps = caching.kept_stamp((scope, "overview", tuple(narrowing.values())),
                                lambda: visible.filter(**narrowing))
    if round_.pk not in stamps:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của %(province)s.") % {
            "year": round_.year, "province": round_.province.name})
    return round_.pk, tuple(sorted(stamps.items())), scope


def province_overview(*, viewer, province: Unit, year: int, district: Unit | None = None,
                      status: str | None = None, criteria_set_code: str | None = None) -> Overview:
    """The overview of ``province``'s round of ``year``, as ``viewer`` may see it.

    ``district`` and ``status`` narrow the rows; every aggregate (district counts, most
    missed, closest, comparison) is over the rows shown.  Raises :class:`ResultsNotFound`
    when there is no such round or the viewer may see none of its communes.  A bounded
    number of queries (about ten), whatever the number of communes.
    """
    round_ = find_round(province=province, year=year, criteria_set_code=criteria_set_code)
    criteria_set = round_.criteria_set
    visible = permissions.visible_assessments(viewer)
    assessments = list(
        visible.filter(round=round_)
        .select_related("unit", "unit__parent")
        .order_by("unit__code")  # GSO codes run district by district, in the statistics' order
    )
    if not assessments:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của %(province)s.") % {
            "year": year, "province": province.name})
    districts = sorted({d for a in assessments if (d := district_of(a.unit)) is not None}, key=lambda u: u.code)
    statuses = [s for s in Workflow.values if any(a.status == s for a in assessments)]
    if district is not None:
        assessments = [a for a in assessments if a.unit.parent_id == district.pk]
    if status:
        assessments = [a for a in assessments if a.status == status]
    for a in assessments:
        a.round = round_  # already loaded; spares a query wherever a.round is read

    evaluations = evaluations_of(
        [(a.pk, a.version, round_, a.unit.code) for a in assessments], superset=visible.filter(round=round_)
    )
    previous = _previous_fields_met(visible, round_, {a.unit_id for a in assessments})
    rows = [
        CommuneResult(
            unit=a.unit,
            district=district_of(a.unit),
            assessment=a,
            evaluation=evaluations[a.pk],
            status=a.status,
            published=permissions.is_published(a),
            previous_fields_met=previous.fields_met.get(a.unit_id),
            previous_points=previous.points.get(a.unit_id),
            previous_level=previous.level.get(a.unit_id),
        )
        for a in assessments
    ]
    return Overview(
        round=round_,
        criteria_set=criteria_set,
        province=province,
        year=year,
        synthetic=is_synthetic(round_),
        rows=rows,
        district_counts=_district_counts(rows),
        most_missed=_most_missed(criteria_set, rows),
        closest=_closest(criteria_set, rows),
        comparison=_comparison(year - 1, previous.available, rows, previous.smart, criteria_set),
        districts=districts,
        statuses=statuses,
        district=district,
        status=status or None,
    )


@dataclass(frozen=True)
class _Previous:
    available: bool
    fields_met: dict[int, int]
    smart: dict[int, bool]
    points: dict[int, Fraction]
    level: dict[int, Level | None]


def _previous_fields_met(visible: QuerySet[Assessment], round_: Round, unit_ids: set[int]) -> _Previous:
    """Fields met the year before by each unit (same unit row, same province and set), over
    what the viewer may see: one query for the round, one for its assessments, one for
    their values (none when their results are kept)."""
    previous_round = Round.objects.filter(
        province_id=round_.province_id, year=round_.year - 1, criteria_set_code=round_.criteria_set_code
    ).first()
    if previous_round is None or not unit_ids:
        return _Previous(False, {}, {}, {}, {})
    before = visible.filter(round=previous_round)
    rows = [r for r in before.values_list("pk", "version", "unit_id", "unit__code").order_by() if r[2] in unit_ids]
    evaluations = evaluations_of([(pk, version, previous_round, code) for pk, version, _unit, code in rows],
                                 superset=before)
    fields_met = {unit_id: evaluations[pk].fields_met for pk, _version, unit_id, _code in rows}
    smart = {unit_id: evaluations[pk].smart_commune for pk, _version, unit_id, _code in rows}
    points = {unit_id: evaluations[pk].points for pk, _version, unit_id, _code in rows}
    level = {unit_id: evaluations[pk].level for pk, _version, unit_id, _code in rows}
    return _Previous(True, fields_met, smart, points, level)


def _district_counts(rows: list[CommuneResult]) -> list[DistrictCount]:
    groups: dict[int | None, list[CommuneResult]] = defaultdict(list)
    units: dict[int | None, Unit | None] = {}
    for r in rows:
        key = r.district.pk if r.district else None
        groups[key].append(r)
        units[key] = r.district
    counts = [
        DistrictCount(
            district=units[key],
            communes=len(members),
            by_status=dict(Counter(r.status for r in members)),
            recognised=sum(1 for r in members if r.recognised),
            smart=sum(1 for r in members if r.evaluation.smart_commune),
            fields_met_total=sum(r.evaluation.fields_met for r in members),
            points_total=sum((r.evaluation.points for r in members), Fraction(0)),
        )
        for key, members in groups.items()
    ]
    counts.sort(key=lambda c: (c.district is None, c.district.code if c.district else ""))
    return counts


def _most_missed(criteria_set: CriteriaSet, rows: list[CommuneResult]) -> list[MissedCriterion]:
    """Criteria ordered by how many communes do not meet them (then the set's order);
    criteria no commune misses are left out."""
    not_met: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for r in rows:
        for c in r.evaluation.criteria():
            if c.status == Status.NOT_MET:
                not_met[c.criterion.code] += 1
            elif c.status == Status.MISSING:
                missing[c.criterion.code] += 1
    missed = [
        MissedCriterion(c.code, c.text, group, not_met[c.code], missing[c.code])
        for group in criteria_set.groups
        for c in group.criteria
        if not_met[c.code]
    ]
    missed.sort(key=lambda m: -m.count)  # stable: ties keep the set's order
    return missed


def _closest(criteria_set: CriteriaSet, rows: list[CommuneResult]) -> list[Closest]:
    """The communes not recognised whose outcome something could still change
    (``Evaluation.relevant``), closest first, in what the set counts:

    * a set that recognises by fields: 1 or 2 fields short (``CLOSEST_MAX_SHORT``), fewest
      fields short first, then fewest criteria lacking;
    * a set that recognises by points: at most a fifth of the bar short
      (``CLOSEST_POINTS_SHARE``: 10 points of 50), fewest points short first, then fewest
      criteria lacking.  A commune with the points but a precondition not met is 0 points
      short and comes first, lacking its precondition.
    """
    most = closest_points(criteria_set)
    closest = []
    for r in rows:
        e = r.evaluation
        if e.smart_commune or not e.relevant:
            continue
        if most is not None:
            if e.points_short <= most:
                closest.append(Closest(r, e.fields_short, lacking(e), e.points_short))
        elif 0 < e.fields_short <= CLOSEST_MAX_SHORT:
            closest.append(Closest(r, e.fields_short, lacking(e)))
    closest.sort(key=lambda c: (c.points_short or 0, c.fields_short, len(c.lacks), c.result.unit.name,
                                c.result.unit.code))
    return closest


def _comparison(previous_year: int, available: bool, rows: list[CommuneResult],
                smart_before: dict[int, bool], criteria_set: CriteriaSet) -> Comparison:
    """This year against the year before, in what the set counts: points for a set that
    scores (averaged over the communes with both years), fields met otherwise; and for a
    set with levels, how many reached each level."""
    scores = criteria_set.scores
    both = [r for r in rows if r.previous_fields_met is not None]
    pairs = [ComparisonRow(r, r.previous, r.current) for r in both]

    def levels(reached: list[Level | None]) -> dict[str, int]:
        counts = Counter(level.code for level in reached if level is not None)
        return {level.code: counts[level.code] for level in criteria_set.levels}

    return Comparison(
        previous_year=previous_year,
        available=available and bool(pairs),
        rows=pairs,
        fields_met_before=sum(r.previous_fields_met for r in both),
        fields_met_now=sum(r.evaluation.fields_met for r in both),
        smart_before=sum(1 for p in pairs if smart_before.get(p.result.unit.pk)),
        smart_now=sum(1 for p in pairs if p.result.evaluation.smart_commune),
        improved=sum(1 for p in pairs if p.change > 0),
        declined=sum(1 for p in pairs if p.change < 0),
        unchanged=sum(1 for p in pairs if p.change == 0),
        new=len(rows) - len(pairs),
        scores=scores,
        points_before=sum((r.previous_points for r in both), Fraction(0)) if scores else Fraction(0),
        points_now=sum((r.evaluation.points for r in both), Fraction(0)) if scores else Fraction(0),
        levels_before=levels([r.previous_level for r in both]),
        levels_now=levels([r.evaluation.level for r in both]),
    )

