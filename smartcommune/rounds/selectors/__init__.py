"""Reads about assessments: anomalies against last year, the audit history; the queues
(:mod:`.queues`), the rounds and their overview (:mod:`.rounds`), the filtered list
(:func:`filter_assessments`).  The evaluation of stored values is
:mod:`smartcommune.rounds.evaluation` (``inputs_of`` and ``evaluate_assessment`` are
re-exported here for their older callers).

These read whatever they are given; who may see an assessment is decided first by
:mod:`smartcommune.rounds.access`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from django.conf import settings
from django.db.models import QuerySet

from smartcommune.rounds import access
from smartcommune.rounds.evaluation import evaluate_assessment, inputs_of
from smartcommune.rounds.models import Assessment, AuditEntry, CriterionValue
from smartcommune.units.models import Level

__all__ = [
    "Anomaly", "anomalies", "changes_since", "evaluate_assessment", "filter_assessments", "history", "inputs_of",
    "previous_assessment",
]

DEFAULT_ANOMALY_POINTS = 20


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same unit's assessment of the year before, in a round of the same criteria set."""
    return (
        Assessment.objects.filter(
            unit_id=assessment.unit_id,
            round__year=assessment.round.year - 1,
            round__criteria_set_code=assessment.round.criteria_set_code,
        )
        .select_related("round")
        .first()
    )


class Anomaly(NamedTuple):
    """Why a value looks implausible, in each language: ``vi`` with Vietnamese number
    formats ("+30,4 điểm phần trăm (67,8 % → 98,2 %)"), ``en`` with English ones."""

    vi: str
    en: str


def _vi_number(number: float, sign: bool = False) -> str:
    return format(number, "+.1f" if sign else ".1f").replace(".", ",")


def anomalies(assessment: Assessment) -> dict[str, Anomaly]:
    """Ratios that look implausible next to last year's, by criterion code.

    Flags (never refuses) a ratio that moved by more than
    ``settings.SMARTCOMMUNE_ANOMALY_POINTS`` percentage points (default 20), or a
    denominator that fell to half or less.  Exact arithmetic; criteria without a
    ratio, or not reported in either year, are not compared.
    """
    previous = previous_assessment(assessment)
    if previous is None:
        return {}
    points = Fraction(getattr(settings, "SMARTCOMMUNE_ANOMALY_POINTS", DEFAULT_ANOMALY_POINTS))
    before = {v.criterion_code: v for v in previous.values.all()}
    year_before = previous.round.year
    found = {}
    for value in assessment.values.all():
        old = before.get(value.criterion_code)
        if old is None or None in (value.numerator, value.denominator, old.numerator, old.denominator):
            continue
        messages = []
        if old.denominator > 0 and value.denominator * 2 <= old.denominator:
            messages.append((
                f"mẫu số giảm từ {old.denominator} (năm {year_before}) còn {value.denominator}",
                f"denominator fell from {old.denominator} ({year_before}) to {value.denominator}",
            ))
        if old.denominator > 0 and value.denominator > 0:
            now, then = _percent(value), _percent(old)
            if abs(now - then) > points:
                moved, was, is_ = float(now - then), float(then), float(now)
                messages.append((
                    f"tỷ lệ thay đổi {_vi_number(moved, sign=True)} điểm phần trăm so với năm {year_before} "
                    f"({_vi_number(was)} % → {_vi_number(is_)} %)",
                    f"ratio moved {moved:+.1f} percentage points from {year_before} ({was:.1f} % → {is_:.1f} %)",
                ))
        if messages:
            found[value.criterion_code] = Anomaly("; ".join(vi for vi, _ in messages),
                                                  "; ".join(en for _, en in messages))
    return found


def _percent(value: CriterionValue) -> Fraction:
    return Fraction(value.numerator * 100, value.denominator)


def history(assessment: Assessment) -> QuerySet[AuditEntry]:
    """Every audit entry of the assessment, newest first."""
    return assessment.audit_entries.select_related("actor").order_by("-at", "-pk")


def changes_since(assessment: Assessment, version: int) -> QuerySet[AuditEntry]:
    """The audit entries written after ``version``, oldest first."""
    return assessment.audit_entries.filter(version__gt=version).select_related("actor").order_by("version", "pk")


def filter_assessments(user, *, year: int | None = None, unit_code: str | None = None,
                       district_code: str | None = None, province_code: str | None = None,
                       status: str | None = None, round_id: int | None = None) -> QuerySet[Assessment]:
    """The assessments ``user`` may see (:func:`~smartcommune.rounds.access.visible_assessments`),
    with their round, province, commune and district loaded, narrowed by every filter given
    (``None`` or empty: no filter): the round's year, the commune's code, the district's
    code (a district-level unit), the round's province code, the status, the round's id."""
    assessments = access.visible_assessments(user).select_related("round", "round__province", "unit", "unit__parent")
    if year is not None:
        assessments = assessments.filter(round__year=year)
    if unit_code:
        assessments = assessments.filter(unit__code=unit_code)
    if district_code:
        assessments = assessments.filter(unit__parent__code=district_code, unit__parent__level=Level.DISTRICT)
    if province_code:
        assessments = assessments.filter(round__province__code=province_code)
    if status:
        assessments = assessments.filter(status=status)
    if round_id is not None:
        assessments = assessments.filter(round_id=round_id)
    return assessments
