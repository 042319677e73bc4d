"""Rounds as their pages read them: which rounds a user sees, which step of an assessment
is overdue, and a round's overview (counts by step and status, one page of communes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from smartcommune.accounts.models import Role
from smartcommune.criteria.engine import InvalidInput
from smartcommune.rounds import access
from smartcommune.rounds.evaluation import evaluate_inputs, inputs_from
from smartcommune.rounds.models import Assessment, CriterionValue, Round, Status
from smartcommune.rounds.workflow import AWAITING
from smartcommune.units.models import Level, Unit


# The steps of the round, and which deadline each is held to.
SUBMISSION, REVIEW, VERIFICATION = "submission", "review", "verification"


def overdue_step(assessment: Assessment, today: dt.date, *, items_pending: bool | None = None) -> str:
    """The step of ``assessment`` whose deadline has passed, or ``""``.

    ``submission``: still draft or returned after the submission deadline; ``review``:
    still submitted after the district's deadline; ``verification``: at the agencies' step
    after their deadline (``items_pending`` False says every item is already verified).
    """
    round_ = assessment.round
    if assessment.status in (Status.DRAFT, Status.RETURNED) and not assessment.awaiting_agency:
        return SUBMISSION if today > round_.submission_deadline else ""
    if assessment.status == Status.SUBMITTED:
        return REVIEW if today > round_.review_deadline else ""
    if assessment.awaiting_agency and items_pending is not False:
        return VERIFICATION if today > round_.verification_deadline else ""
    return ""


def visible_rounds(user) -> QuerySet[Round]:
    """Rounds ``user`` may see: all for admins; their provinces' for secretariat and
    agency verifiers."""
    if access.is_admin(user):
        return Round.objects.all()
    units = access.units_by_role(user)
    return Round.objects.filter(province_id__in=units[Role.SECRETARIAT] + units[Role.AGENCY_VERIFIER])


def round_list(user) -> QuerySet[Round]:
    """The rounds ``user`` may see, with their number of assessments (``total``) and of
    published ones (``published``), newest year first."""
    return visible_rounds(user).select_related("province").annotate(
        total=Count("assessments"),
        published=Count("assessments", filter=Q(assessments__status=Status.PUBLISHED)),
    ).order_by("-year", "province__name", "criteria_set_code")


@dataclass(frozen=True)
class RoundOverview:
    total: int
    """Every assessment of the round."""
    by_status: Counter
    """Assessments by status value."""
    overdue: Counter
    """Assessments by overdue step (:data:`SUBMISSION`, :data:`REVIEW`, :data:`VERIFICATION`)."""
    items_overdue: int
    """Items still awaiting an agency in assessments overdue at the verification step."""
    districts: list[Unit]
    """The districts of the round's communes, by name (the district filter's choices)."""
    shown: list[tuple[Assessment, str]]
    """The assessments of the chosen district (all when none), each with its overdue
    step, ordered by district, commune name and code; each has ``awaiting`` (its items
    awaiting an agency)."""


def round_overview(round_: Round, *, district: str, today: dt.date) -> RoundOverview:
    """The counts of ``round_`` (over every commune) and the communes of ``district``
    (a district id as text; empty: every commune)."""
    assessments = list(
        round_.assessments.select_related("unit", "unit__parent")
        .annotate(awaiting=Count("values", filter=Q(values__review_status__in=AWAITING)))
        .order_by("unit__parent__name", "unit__name", "unit__code")
    )
    districts = sorted({a.unit.parent for a in assessments if a.unit.parent and a.unit.parent.level == Level.DISTRICT},
                       key=lambda u: u.name)
    overdue = Counter()
    items_overdue = 0
    shown = []
    for a in assessments:
        a.round = round_  # already loaded; spare a query per row
        step = overdue_step(a, today, items_pending=bool(a.awaiting))
        if step:
            overdue[step] += 1
            if step == VERIFICATION:
                items_overdue += a.awaiting
        if district and str(a.unit.parent_id) != district:
            continue
        shown.append((a, step))
    return RoundOverview(total=len(assessments), by_status=Counter(a.status for a in assessments),
                         overdue=overdue, items_overdue=items_overdue, districts=districts, shown=shown)


def overview_rows(shown: list[tuple[Assessment, str]]) -> list[dict]:
    """One row per assessment of a page of :attr:`RoundOverview.shown`: the assessment,
    its overdue step, its result (``None`` when a stored value is invalid) and its items
    awaiting an agency (``None`` when it is not at the agencies' step).  One query for
    the values."""
    prefetch_related_objects([a for a, _ in shown], Prefetch("values", queryset=CriterionValue.objects.order_by("pk")))
    rows = []
    for a, step in shown:
        try:
            result = evaluate_inputs(a, inputs_from(a.values.all()))
        except InvalidInput:
            result = None
        rows.append({"assessment": a, "overdue": step, "result": result,
                     "pending": a.awaiting if a.awaiting_agency else None})
    return rows
