"""Reads about assessments: evaluation, anomalies against last year, the audit history.

These read whatever they are given; who may see an assessment is decided first by
:mod:`smartcommune.rounds.access`.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db.models import QuerySet

from smartcommune.criteria.engine import CriterionInput, Evaluation, evaluate
from smartcommune.rounds.models import Assessment, AuditEntry, CriterionValue

DEFAULT_ANOMALY_POINTS = 20


def inputs_of(assessment: Assessment) -> dict[str, CriterionInput]:
    """The engine's inputs from the assessment's values (empty fields: not reported)."""
    return {
        code: CriterionInput(numerator, denominator, met)
        for code, numerator, denominator, met in assessment.values.values_list(
            "criterion_code", "numerator", "denominator", "met"
        )
    }


def evaluate_assessment(assessment: Assessment) -> Evaluation:
    """The engine's result for the values as they stand."""
    return evaluate(
        assessment.round.criteria_set, inputs_of(assessment), unit_code=assessment.unit.code, year=assessment.round.year
    )


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


def anomalies(assessment: Assessment) -> dict[str, str]:
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
                messages.append((
                    f"tỷ lệ thay đổi {float(now - then):+.1f} điểm phần trăm so với năm {year_before} "
                    f"({float(then):.1f}% → {float(now):.1f}%)",
                    f"ratio moved {float(now - then):+.1f} percentage points from {year_before} "
                    f"({float(then):.1f}% → {float(now):.1f}%)",
                ))
        if messages:
            found[value.criterion_code] = (
                "; ".join(vi for vi, _ in messages) + " (" + "; ".join(en for _, en in messages) + ")"
            )
    return found


def _percent(value: CriterionValue) -> Fraction:
    return Fraction(value.numerator * 100, value.denominator)


def history(assessment: Assessment) -> QuerySet[AuditEntry]:
    """Every audit entry of the assessment, newest first."""
    return assessment.audit_entries.select_related("actor").order_by("-at", "-pk")


def changes_since(assessment: Assessment, version: int) -> QuerySet[AuditEntry]:
    """The audit entries written after ``version``, oldest first."""
    return assessment.audit_entries.filter(version__gt=version).select_related("actor").order_by("version", "pk")
