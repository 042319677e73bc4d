"""Reads of the import pages: which rounds and assessments a user may take templates of.

Scoping goes through :func:`~smartcommune.rounds.access.visible_assessments`:
a template shows (and pre-fills) only assessments the user may see.
"""

from __future__ import annotations

from django.db.models import QuerySet

from smartcommune.rounds import access as permissions
from smartcommune.criteria.engine import CriterionInput
from smartcommune.demo.models import SyntheticRound
from smartcommune.exchange.long_csv import UnitYear
from smartcommune.rounds.evaluation import slot_inputs
from smartcommune.rounds.models import Assessment, CriterionValue, Round, Status


def template_assessments(user, round_: Round) -> list[Assessment]:
    """The assessments of ``round_`` ``user``'s roles reach, by unit code: a commune
    officer's template holds their commune, not every published result they may read."""
    return list(
        permissions.assessments_in_scope(user).filter(round=round_)
        .select_related("unit", "round", "round__province").order_by("unit__code")
    )


def template_values(assessments: list[Assessment]) -> dict[tuple[int, str], CriterionValue]:
    """The current values of ``assessments`` by (assessment id, criterion code), for a
    pre-filled entry template (one query)."""
    return {
        (v.assessment_id, v.criterion_code): v
        for v in CriterionValue.objects.filter(assessment_id__in=[a.pk for a in assessments])
    }


def import_rounds(user) -> QuerySet[Round]:
    """Rounds in which ``user``'s roles reach an unpublished assessment (where an import
    could change something), newest first."""
    ids = (
        permissions.visible_assessments(user).exclude(status=Status.PUBLISHED)
        .values_list("round_id", flat=True).distinct()
    )
    return Round.objects.filter(pk__in=ids).select_related("province").order_by("-year", "province__name")


def is_synthetic(round_: Round) -> bool:
    return SyntheticRound.objects.filter(round=round_).exists()


def unit_years_of(assessments: list[Assessment]) -> list[UnitYear]:
    """The stored values of ``assessments`` as the long CSV's commune-years (one query)."""
    by_pk = {a.pk: UnitYear(a.unit.code, a.round.year) for a in assessments}
    for pk, code, *given, keyed in CriterionValue.objects.filter(assessment_id__in=list(by_pk)).values_list(
        "assessment_id", "criterion_code", "numerator", "denominator", "met", "count", "choice", "keyed"
    ):
        by_pk[pk].inputs[code] = CriterionInput(*given)
        by_pk[pk].inputs.update(slot_inputs(code, keyed))
    return [by_pk[a.pk] for a in assessments]
