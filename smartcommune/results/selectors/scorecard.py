"""A commune's scorecard: every criterion (value, target, ratio, status, gap, evidence,
source, verification) and the trend over the criteria set's period.  See
:mod:`smartcommune.results.selectors` for who sees what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcommune.rounds import access as permissions
from smartcommune.results import caching
from smartcommune.core import wording
from smartcommune.criteria.engine import Evaluation
from smartcommune.criteria.model import CriteriaSet, Criterion, Group, Level
from smartcommune.rounds.evaluation import evaluate_stored, evaluations_of, inputs_from
from smartcommune.results.selectors.common import ResultsNotFound, district_of, is_synthetic
from smartcommune.rounds.models import Assessment, Evidence, ReviewStatus, Round
from smartcommune.units.models import Unit


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
    points: Fraction | None = None
    """Points scored (None when the criterion does not score)."""
    field_points: Fraction | None = None
    """The field's points (None when the set does not score)."""


@dataclass(frozen=True)
class TrendPoint:
    year: int
    fields_met: int
    fields_required: int
    smart: bool
    status: str
    published: bool
    assessment_id: int
    points: Fraction = Fraction(0)
    """The year's points (0 for a set that does not score)."""
    level: Level | None = None
    """The level reached that year (None: none, or a set without levels)."""


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


def scorecard_stamp(*, viewer, unit_id: int, linked: tuple[int, ...] = ()) -> tuple:
    """What :func:`commune_scorecard` of the unit ``unit_id`` (any year) depends on, cheaply
    (see :mod:`smartcommune.results.caching`): the stamps of the viewer's visible
    assessments of the unit in every round (the trend shows them all), with those of the
    communes ``linked`` to it across a reform (its lineage's results,
    :func:`~smartcommune.results.selectors.lineage.linked_units`), and the viewer's scope.
    One query (and a signed-in viewer's roles), the unit itself not read: no stamp when
    it is not a commune, or has nothing the viewer may see."""
    visible = permissions.visible_assessments(viewer)
    scope = caching.viewer_scope(viewer, visible)
    units = (unit_id, *linked)
    stamps = caching.kept_stamp((scope, "scorecard", units), lambda: visible.filter(unit_id__in=units))
    return tuple(sorted(stamps.items())), scope


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
    inputs = inputs_from(values.values())
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
                target=c.criterion.target, status=c.status, ratio=c.ratio, gap=c.gap, gap_text=wording.gap_text(c),
                evidence=evidence.get(c.criterion.code, []),
                source=v.source if v is not None else "",
                verified_by=display_name(v.reviewed_by) if verified else "",
                verified_at=v.reviewed_at if verified else None,
                review_status=v.review_status if v is not None else "",
                points=c.points, field_points=f.points if evaluation.criteria_set.scores else None,
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
            assessment_id=a.pk, points=evaluation.points, level=evaluation.level,
        ))
    return points
