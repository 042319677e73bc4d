"""Reads of the results: the province overview, the national summary and a commune's
scorecard.  Reads only; every argument is keyword-only.

Who sees what is decided by :mod:`smartcommune.rounds.access` alone
(:func:`~smartcommune.rounds.access.visible_assessments`): the secretariat, the
agencies and administrators see every commune of their province's round, a district
reviewer the communes of their district, a commune officer their own commune plus the
published results of the others, and the public (``AnonymousUser``) only published
results.  Whatever the viewer may not see is absent, as if it did not exist: a page with
nothing visible raises :class:`ResultsNotFound`, an ``Http404``, so views answer 404 (not
403) and disclose nothing.

Every result is the engine's (:func:`smartcommune.criteria.engine.evaluate`) on the stored
values, the same call as :func:`smartcommune.rounds.selectors.evaluate_assessment`, made in
bulk by :func:`smartcommune.results.evaluations.evaluations_of` (which keeps results per
assessment version).  The number of queries does not grow with the number of communes: the
assessments with their units and districts in one query, all their values in one, the
previous year's assessments and values in one each.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from smartcommune.rounds import access as permissions
from smartcommune.results import caching
from smartcommune.criteria.engine import CriterionInput, CriterionResult, Evaluation, Status
from smartcommune.criteria.model import CriteriaSet, Criterion, Group
from smartcommune.demo.models import SyntheticRound
from smartcommune.results.evaluations import evaluate_stored, evaluations_of
from smartcommune.rounds.models import Assessment, Evidence, ReviewStatus, Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Level, Unit

# How far a commune may be from recognition to count as "closest" (fields short).
CLOSEST_MAX_SHORT = 2
# Statuses at which the decision is recorded: ``decision_recognised`` is the outcome.
DECIDED = (Workflow.RECOGNISED, Workflow.NOT_RECOGNISED, Workflow.PUBLISHED)


def average(total: int, count: int) -> Decimal:
    """``total / count`` to one decimal place (half-even), 0 when there is nothing to count."""
    return (Decimal(total) / count).quantize(Decimal("0.1")) if count else Decimal(0)


class ResultsNotFound(Http404):
    """No round for that province and year, or nothing of it the viewer may see.

    An ``Http404``: a view that lets it propagate answers 404, as for anything the viewer
    may not see.
    """


# -- gap text -----------------------------------------------------------------------------


def _counted_noun(numerator_label: str) -> str:
    """"Số hộ gia đình có thiết bị thông minh" → "hộ gia đình có thiết bị thông minh"."""
    label = numerator_label.strip()
    for prefix in ("Số lượng ", "Số "):
        if label.startswith(prefix):
            return label[len(prefix):]
    return label[:1].lower() + label[1:]


def gap_text(result: CriterionResult) -> str:
    """What a criterion lacks, in words: ``"còn thiếu 37 hộ gia đình có thiết bị thông minh"``
    for a ratio short of its threshold (built from the criterion's numerator label), the
    pass/fail condition for an unmet "Đạt", "thiếu dữ liệu" when not reported; empty when
    met or not applicable."""
    if result.status in (Status.MET, Status.NOT_APPLICABLE):
        return ""
    criterion = result.criterion
    parts = []
    ratio = criterion.ratio
    if ratio is not None:
        if result.gap:
            what = _counted_noun(ratio.numerator_label)
            parts.append(_("còn thiếu %(n)s %(what)s") % {"n": result.gap, "what": what})
        elif result.input.numerator is None or result.input.denominator is None:
            parts.append(_("thiếu số liệu: %(what)s") % {"what": ratio.numerator_label.lower()})
    boolean = criterion.boolean
    if boolean is not None:
        if result.input.met is None:
            parts.append(_("chưa báo cáo: %(what)s") % {"what": boolean.label})
        elif result.input.met is False:
            parts.append(_("chưa đạt: %(what)s") % {"what": boolean.label})
    return "; ".join(parts) or _("chưa đạt chỉ tiêu %(target)s") % {"target": criterion.target}


@dataclass(frozen=True)
class Lack:
    """One criterion a commune does not achieve, and by how much."""

    criterion: Criterion
    field: Group
    status: str
    gap: int | None
    text: str


def lacking(evaluation: Evaluation) -> list[Lack]:
    """Every criterion not met or missing, in the set's order."""
    return [
        Lack(c.criterion, f.group, c.status, c.gap, gap_text(c))
        for f in evaluation.fields
        for c in f.criteria
        if c.status in (Status.NOT_MET, Status.MISSING)
    ]


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

    @property
    def recognised(self) -> bool:
        """Recognised by a recorded decision (not the engine's suggestion)."""
        return self.status in DECIDED and bool(self.assessment.decision_recognised)

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

    @property
    def average_fields_met(self) -> Decimal:
        return average(self.fields_met_total, self.communes)


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
    """A commune one or two fields short of recognition, and what it lacks."""

    result: CommuneResult
    fields_short: int
    lacks: list[Lack]

    @property
    def unmet_fields(self) -> list[Group]:
        return [f.group for f in self.result.evaluation.fields if f.status != Status.MET]


@dataclass(frozen=True)
class ComparisonRow:
    result: CommuneResult
    before: int
    now: int

    @property
    def change(self) -> int:
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


def district_of(unit: Unit) -> Unit | None:
    """The commune's district, or None where there is no district level."""
    parent = unit.parent
    return parent if parent is not None and parent.level == Level.DISTRICT else None


def find_province(*, code: str, year: int) -> Unit:
    """The province with GSO ``code`` that has a round in ``year``.  Codes are reused across
    reforms (a unit is its level, code and validity start), so the year picks the row.
    Raises :class:`ResultsNotFound`."""
    province = (
        Unit.objects.filter(level=Level.PROVINCE, code=code, rounds__year=year).order_by("-valid_from").first()
    )
    if province is None:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của tỉnh mã %(code)s.") % {
            "year": year, "code": code})
    return province


def find_round(*, province: Unit, year: int, criteria_set_code: str | None = None) -> Round:
    """The province's round of ``year`` (of ``criteria_set_code`` when given; else the first
    by set code).  Raises :class:`ResultsNotFound`."""
    rounds = Round.objects.filter(province=province, year=year)
    if criteria_set_code:
        rounds = rounds.filter(criteria_set_code=criteria_set_code)
    round_ = rounds.select_related("province").order_by("criteria_set_code").first()
    if round_ is None:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của %(province)s.") % {
            "year": year, "province": province.name})
    return round_


def is_synthetic(round_: Round) -> bool:
    return SyntheticRound.objects.filter(round_id=round_.pk).exists()


def overview_stamp(*, viewer, round_: Round) -> tuple:
    """What :func:`province_overview` of ``round_`` (any filter) depends on, cheaply (see
    :mod:`smartcommune.results.caching`): the round, the stamps of the viewer's visible
    assessments of it and of its year before, and the viewer's scope.  One query (and a
    signed-in viewer's roles).  Raises :class:`ResultsNotFound` when
    :func:`province_overview` would."""
    visible = permissions.visible_assessments(viewer)
    stamps = caching.rounds_stamp(visible.filter(
        round__province_id=round_.province_id, round__criteria_set_code=round_.criteria_set_code,
        round__year__in=(round_.year, round_.year - 1)))
    if round_.pk not in stamps:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của %(province)s.") % {
            "year": round_.year, "province": round_.province.name})
    return round_.pk, tuple(sorted(stamps.items())), caching.viewer_scope(viewer, visible)


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
        closest=_closest(rows),
        comparison=_comparison(year - 1, previous.available, rows, previous.smart),
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


def _previous_fields_met(visible: QuerySet[Assessment], round_: Round, unit_ids: set[int]) -> _Previous:
    """Fields met the year before by each unit (same unit row, same province and set), over
    what the viewer may see: one query for the round, one for its assessments, one for
    their values (none when their results are kept)."""
    previous_round = Round.objects.filter(
        province_id=round_.province_id, year=round_.year - 1, criteria_set_code=round_.criteria_set_code
    ).first()
    if previous_round is None or not unit_ids:
        return _Previous(False, {}, {})
    before = visible.filter(round=previous_round)
    rows = [r for r in before.values_list("pk", "version", "unit_id", "unit__code").order_by() if r[2] in unit_ids]
    evaluations = evaluations_of([(pk, version, previous_round, code) for pk, version, _unit, code in rows],
                                 superset=before)
    fields_met = {unit_id: evaluations[pk].fields_met for pk, _version, unit_id, _code in rows}
    smart = {unit_id: evaluations[pk].smart_commune for pk, _version, unit_id, _code in rows}
    return _Previous(True, fields_met, smart)


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


def _closest(rows: list[CommuneResult]) -> list[Closest]:
    """Communes 1 or 2 fields short, fewest fields short first, then fewest failing criteria."""
    closest = [
        Closest(r, r.evaluation.fields_short, lacking(r.evaluation))
        for r in rows
        if 0 < r.evaluation.fields_short <= CLOSEST_MAX_SHORT
    ]
    closest.sort(key=lambda c: (c.fields_short, len(c.lacks), c.result.unit.name, c.result.unit.code))
    return closest


def _comparison(previous_year: int, available: bool, rows: list[CommuneResult],
                smart_before: dict[int, bool]) -> Comparison:
    pairs = [
        ComparisonRow(r, r.previous_fields_met, r.evaluation.fields_met)
        for r in rows
        if r.previous_fields_met is not None
    ]
    return Comparison(
        previous_year=previous_year,
        available=available and bool(pairs),
        rows=pairs,
        fields_met_before=sum(p.before for p in pairs),
        fields_met_now=sum(p.now for p in pairs),
        smart_before=sum(1 for p in pairs if smart_before.get(p.result.unit.pk)),
        smart_now=sum(1 for p in pairs if p.result.evaluation.smart_commune),
        improved=sum(1 for p in pairs if p.change > 0),
        declined=sum(1 for p in pairs if p.change < 0),
        unchanged=sum(1 for p in pairs if p.change == 0),
        new=len(rows) - len(pairs),
    )


# -- results index and national summary ---------------------------------------------------


@dataclass(frozen=True)
class PublishedYear:
    province: Unit
    year: int
    communes: int
    published: int


def years_with_results(*, viewer) -> list[PublishedYear]:
    """Provinces and years with at least one result ``viewer`` may see (published ones for
    the public), newest first; one query."""
    rows = (
        permissions.visible_assessments(viewer)
        .values("round__province_id", "round__year")
        .annotate(n=Count("pk"), published=Count("pk", filter=Q(status=Workflow.PUBLISHED)))
        .order_by("-round__year", "round__province_id")
    )
    rows = list(rows)
    provinces = Unit.objects.in_bulk({r["round__province_id"] for r in rows})
    return [
        PublishedYear(provinces[r["round__province_id"]], r["round__year"], r["n"], r["published"])
        for r in rows
    ]


@dataclass(frozen=True)
class ProvinceSummary:
    round: Round
    province: Unit
    communes: int
    published: int
    recognised: int
    smart: int
    fields_met_total: int
    synthetic: bool

    @property
    def average_fields_met(self) -> Decimal:
        return average(self.fields_met_total, self.communes)


@dataclass(frozen=True)
class NationalSummary:
    year: int
    provinces: list[ProvinceSummary]

    @property
    def communes(self) -> int:
        return sum(p.communes for p in self.provinces)

    @property
    def published(self) -> int:
        return sum(p.published for p in self.provinces)

    @property
    def recognised(self) -> int:
        return sum(p.recognised for p in self.provinces)

    @property
    def synthetic(self) -> bool:
        return any(p.synthetic for p in self.provinces)


def national_stamp(*, viewer, year: int) -> tuple:
    """What :func:`national_summary` depends on, cheaply (see
    :mod:`smartcommune.results.caching`): the stamps of the viewer's visible assessments of
    every round of ``year``, and the viewer's scope.  Two queries (and the signed-in
    viewer's roles).  Raises :class:`ResultsNotFound` when :func:`national_summary` would."""
    visible = permissions.visible_assessments(viewer)
    rounds = dict(Round.objects.filter(year=year).values_list("pk", "opened_at"))
    stamps = caching.rounds_stamp(visible, rounds)
    if not stamps:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s.") % {"year": year})
    return tuple(sorted(stamps.items())), caching.viewer_scope(viewer, visible)


def national_summary(*, viewer, year: int) -> NationalSummary:
    """One row per province with a round in ``year`` and results ``viewer`` may see:
    communes, published, recognised and the engine's smart communes and fields met.  Four
    queries (the assessments, their rounds, the synthetic marks, the values of those whose
    results are not kept).  Raises :class:`ResultsNotFound` when there is none."""
    visible = permissions.visible_assessments(viewer).filter(round__year=year)
    rows = list(visible.values_list("pk", "version", "round_id", "unit__code", "status", "decision_recognised")
                .order_by())
    if not rows:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s.") % {"year": year})
    rounds = {r.pk: r for r in Round.objects.filter(pk__in={row[2] for row in rows}).select_related("province")}
    synthetic = set(SyntheticRound.objects.filter(round_id__in=list(rounds)).values_list("round_id", flat=True))
    evaluations = evaluations_of([(row[0], row[1], rounds[row[2]], row[3]) for row in rows],
                                 superset=visible)
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    for pk, _version, round_id, _code, status, recognised in rows:
        t = totals[round_id]
        t["communes"] += 1
        t["published"] += status == Workflow.PUBLISHED
        t["recognised"] += status in DECIDED and bool(recognised)
        t["smart"] += evaluations[pk].smart_commune
        t["fields_met"] += evaluations[pk].fields_met
    provinces = [
        ProvinceSummary(
            round=round_,
            province=round_.province,
            communes=totals[round_id]["communes"],
            published=totals[round_id]["published"],
            recognised=totals[round_id]["recognised"],
            smart=totals[round_id]["smart"],
            fields_met_total=totals[round_id]["fields_met"],
            synthetic=round_id in synthetic,
        )
        for round_id, round_ in rounds.items()
    ]
    provinces.sort(key=lambda p: (p.province.name, p.round.criteria_set_code))
    return NationalSummary(year, provinces)


# -- the commune scorecard ----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceItem:
    """What a scorecard shows of an evidence item: metadata only.  ``openable`` says
    whether the viewer may open the item itself (see
    :func:`~smartcommune.rounds.access.may_open_evidence`); ``url`` is given only then."""

    id: int
    kind: str
    kind_label: str
    title: str
    document_number: str
    document_date: object
    size: int | None
    note: str
    url: str
    openable: bool


@dataclass(frozen=True)
class ScorecardLine:
    criterion: Criterion
    field: Group
    field_status: str
    numerator: int | None
    denominator: int | None
    met: bool | None
    target: str
    status: str
    ratio: Decimal | None
    gap: int | None
    gap_text: str
    evidence: list[EvidenceItem]
    source: str
    verified_by: str
    """Display name of the agency verifier, when the item is verified; else empty."""
    verified_at: datetime | None
    review_status: str


@dataclass(frozen=True)
class TrendPoint:
    year: int
    fields_met: int
    fields_required: int
    smart: bool
    status: str
    published: bool
    assessment_id: int


@dataclass(frozen=True)
class Scorecard:
    unit: Unit
    district: Unit | None
    assessment: Assessment
    round: Round
    evaluation: Evaluation
    synthetic: bool
    lines: list[ScorecardLine]
    trend: list[TrendPoint]
    evidence_openable: bool

    @property
    def published(self) -> bool:
        return permissions.is_published(self.assessment)


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _evidence_title(e: Evidence) -> str:
    if e.original_name:
        return e.original_name
    if e.document_number:
        return e.document_number
    if e.url:
        return urlsplit(e.url).netloc or _("Đường dẫn")
    return e.get_kind_display()


def commune_scorecard(*, viewer, unit: Unit, year: int, criteria_set_code: str | None = None) -> Scorecard:
    """``unit``'s scorecard for ``year``, as ``viewer`` may see it.

    Raises :class:`ResultsNotFound` (an ``Http404``) when the unit has no assessment that
    year or the viewer may not see it.  The trend covers every year of the criteria set's
    period in which the viewer may see a result of the *same unit row* (units are
    identified by level, code and validity start), in a round of the same set.  Evidence is
    metadata only, with its web address for viewers who may open it.
    """
    visible = permissions.visible_assessments(viewer)
    assessments = visible.filter(unit=unit, round__year=year)
    if criteria_set_code:
        assessments = assessments.filter(round__criteria_set_code=criteria_set_code)
    assessment = (
        assessments.select_related("round", "round__province", "unit", "unit__parent")
        .order_by("round__criteria_set_code").first()
    )
    if assessment is None:
        raise ResultsNotFound(_("Không có kết quả năm %(year)s của %(unit)s mà bạn được xem.") % {
            "year": year, "unit": unit.name})
    round_ = assessment.round
    criteria_set = round_.criteria_set
    values = {v.criterion_code: v for v in assessment.values.select_related("reviewed_by")}
    inputs = {code: CriterionInput(v.numerator, v.denominator, v.met) for code, v in values.items()}
    evaluation = evaluate_stored(criteria_set, inputs, unit_code=assessment.unit.code, year=year)
    openable = permissions.may_open_evidence(viewer, assessment)
    evidence: dict[str, list[EvidenceItem]] = defaultdict(list)
    for e in assessment.evidence.filter(removed_at__isnull=True).order_by("criterion_code", "pk"):
        evidence[e.criterion_code].append(EvidenceItem(
            id=e.pk, kind=e.kind, kind_label=e.get_kind_display(), title=_evidence_title(e),
            document_number=e.document_number, document_date=e.document_date, size=e.size, note=e.note,
            url=e.url if openable else "", openable=openable,
        ))
    lines = []
    for f in evaluation.fields:
        for c in f.criteria:
            v = values.get(c.criterion.code)
            verified = v is not None and v.review_status == ReviewStatus.VERIFIED
            lines.append(ScorecardLine(
                criterion=c.criterion, field=f.group, field_status=f.status,
                numerator=c.input.numerator, denominator=c.input.denominator, met=c.input.met,
                target=c.criterion.target, status=c.status, ratio=c.ratio, gap=c.gap, gap_text=gap_text(c),
                evidence=evidence.get(c.criterion.code, []),
                source=v.source if v is not None else "",
                verified_by=display_name(v.reviewed_by) if verified else "",
                verified_at=v.reviewed_at if verified else None,
                review_status=v.review_status if v is not None else "",
            ))
    return Scorecard(
        unit=assessment.unit,
        district=district_of(assessment.unit),
        assessment=assessment,
        round=round_,
        evaluation=evaluation,
        synthetic=is_synthetic(round_),
        lines=lines,
        trend=_trend(visible, assessment, criteria_set),
        evidence_openable=openable,
    )


def _trend(visible: QuerySet[Assessment], assessment: Assessment, criteria_set: CriteriaSet) -> list[TrendPoint]:
    """The unit's results over the set's period that the viewer may see; two queries."""
    others = list(
        visible.filter(
            unit_id=assessment.unit_id,
            round__criteria_set_code=assessment.round.criteria_set_code,
            round__year__gte=criteria_set.period_start,
            round__year__lte=criteria_set.period_end,
        ).select_related("round").order_by("round__year")
    )
    evaluations = evaluations_of([(a.pk, a.version, a.round, assessment.unit.code) for a in others])
    points = []
    for a in others:
        evaluation = evaluations[a.pk]
        points.append(TrendPoint(
            year=a.round.year, fields_met=evaluation.fields_met, fields_required=evaluation.fields_required,
            smart=evaluation.smart_commune, status=a.status, published=permissions.is_published(a),
            assessment_id=a.pk,
        ))
    return points
