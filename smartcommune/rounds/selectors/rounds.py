"""Rounds as their pages read them: which rounds a user sees, which step of an assessment
is overdue, and a round's overview (counts by step and status, one page of communes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from smartcommune.accounts.models import Role
from smartcommune.criteria.engine import InvalidInput
from smartcommune.rounds import access
from smartcommune.rounds.evaluation import evaluate_inputs, inputs_from
from smartcommune.rounds.models import (
    AppraisalResult, AppraisalSession, Assessment, CriterionValue, Decision, DecisionLine, Round, Status,
)
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


# The result filter of the round overview: the engine's result of the stored values.
RECOGNISABLE, SHORT, INCOMPLETE = "recognisable", "short", "incomplete"
RESULTS = (RECOGNISABLE, SHORT, INCOMPLETE)


def result_key(result) -> str:
    """:data:`RECOGNISABLE` (enough fields met), :data:`SHORT` (complete, too few) or
    :data:`INCOMPLETE` (data missing, or a stored value the engine refuses: ``None``)."""
    if result is None:
        return INCOMPLETE
    if result.smart_commune:
        return RECOGNISABLE
    return SHORT if result.complete else INCOMPLETE


@dataclass(frozen=True)
class RoundOverview:
    total: int
    """Every assessment of the round."""
    by_status: Counter
    """Assessments by status value (in the chosen district and result, any status)."""
    by_result: Counter
    """Assessments by :func:`result_key` (in the chosen district and status, any result)."""
    by_district: Counter
    """Assessments by district id (of the chosen status and result, any district)."""
    overdue: Counter
    """Assessments by overdue step (:data:`SUBMISSION`, :data:`REVIEW`, :data:`VERIFICATION`)."""
    items_overdue: int
    """Items still awaiting an agency in assessments overdue at the verification step."""
    districts: list[Unit]
    """The districts of the round's communes, by name (the district filter's choices)."""
    shown: list[tuple[Assessment, str]]
    """The assessments matching every filter, each with its overdue step, ordered by
    district, commune name and code; each has ``awaiting`` (its items awaiting an agency)
    and ``result`` (its evaluation, ``None`` when a stored value is invalid)."""


def round_overview(round_: Round, *, district: str, today: dt.date, status: str = "",
                   result: str = "") -> RoundOverview:
    """The counts of ``round_`` and the communes matching the filters: ``district`` (a
    district id as text), ``status`` (a :class:`Status` value), ``result`` (one of
    :data:`RESULTS`); an empty filter, or one that names nothing, keeps every commune.
    The overdue counts cover every commune; the status counts are those of the chosen
    district and result, the result counts those of the chosen district and status (so
    each count is what its link shows; likewise the district counts)."""
    status = status if status in Status.values else ""
    result = result if result in RESULTS else ""
    assessments = list(
        round_.assessments.select_related("unit", "unit__parent")
        .annotate(awaiting=Count("values", filter=Q(values__review_status__in=AWAITING)))
        .prefetch_related(Prefetch("values", queryset=CriterionValue.objects.order_by("pk")))
        .order_by("unit__parent__name", "unit__name", "unit__code")
    )
    districts = sorted({a.unit.parent for a in assessments if a.unit.parent and a.unit.parent.level == Level.DISTRICT},
                       key=lambda u: u.name)
    overdue = Counter()
    by_status, by_result, by_district = Counter(), Counter(), Counter()
    items_overdue = 0
    shown = []
    for a in assessments:
        a.round = round_  # already loaded; spare a query per row
        try:
            a.result = evaluate_inputs(a, inputs_from(a.values.all()))
        except InvalidInput:
            a.result = None
        a.result_key = result_key(a.result)
        step = overdue_step(a, today, items_pending=bool(a.awaiting))
        if step:
            overdue[step] += 1
            if step == VERIFICATION:
                items_overdue += a.awaiting
        if (not status or a.status == status) and (not result or a.result_key == result):
            by_district[a.unit.parent_id] += 1
        if district and str(a.unit.parent_id) != district:
            continue
        if not result or a.result_key == result:
            by_status[a.status] += 1
        if not status or a.status == status:
            by_result[a.result_key] += 1
        if (status and a.status != status) or (result and a.result_key != result):
            continue
        shown.append((a, step))
    return RoundOverview(total=len(assessments), by_status=by_status, by_result=by_result, by_district=by_district,
                         overdue=overdue, items_overdue=items_overdue, districts=districts, shown=shown)


def overview_rows(shown: list[tuple[Assessment, str]]) -> list[dict]:
    """One row per assessment of a page of :attr:`RoundOverview.shown`: the assessment,
    its overdue step, its result (``None`` when a stored value is invalid) and its items
    awaiting an agency (``None`` when it is not at the agencies' step)."""
    return [{"assessment": a, "overdue": step, "result": a.result,
             "pending": a.awaiting if a.awaiting_agency else None} for a, step in shown]


# -- appraisal sessions and decisions ---------------------------------------------------------


def visible_decisions(user) -> QuerySet[Decision]:
    """Decisions of the rounds ``user`` sees (:func:`visible_rounds`)."""
    return Decision.objects.filter(round__in=visible_rounds(user)).select_related("round", "round__province")


def visible_sessions(user) -> QuerySet[AppraisalSession]:
    """Appraisal sessions of the rounds ``user`` sees (:func:`visible_rounds`)."""
    return AppraisalSession.objects.filter(round__in=visible_rounds(user)).select_related("round", "round__province")


def decisions(round_: Round) -> list[Decision]:
    """The round's decisions by date, each with ``recognised`` and ``not_recognised`` (its
    lines of each kind) and ``amending`` (its lines amending an earlier line)."""
    return list(round_.decisions.annotate(
        recognised=Count("lines", filter=Q(lines__recognised=True)),
        not_recognised=Count("lines", filter=Q(lines__recognised=False)),
        amending=Count("lines", filter=Q(lines__amends__isnull=False)),
    ).order_by("date", "pk"))


def appraisal_sessions(round_: Round) -> list[AppraisalSession]:
    """The round's appraisal sessions by date, each with ``communes`` and ``proposed``."""
    return list(round_.appraisal_sessions.annotate(
        communes=Count("results"), proposed_count=Count("results", filter=Q(results__proposed=True)),
    ).order_by("date", "pk"))


def decision_lines(decision: Decision) -> list[DecisionLine]:
    """The decision's annex, by district and commune: each line with the line it amends
    (``amends``) and the lines of later decisions amending it (``later``)."""
    lines = list(decision.lines.select_related("assessment__unit__parent", "amends__decision")
                 .prefetch_related(Prefetch("amendments", queryset=DecisionLine.objects.select_related("decision")))
                 .order_by("assessment__unit__parent__name", "assessment__unit__name", "assessment__unit__code"))
    for line in lines:
        line.later = list(line.amendments.all())
    return lines


def appraisal_results(session: AppraisalSession) -> list[AppraisalResult]:
    """The session's results by district and commune."""
    return list(session.results.select_related("assessment__unit__parent")
                .order_by("assessment__unit__parent__name", "assessment__unit__name", "assessment__unit__code"))


def assessment_decision_lines(user, assessment: Assessment) -> list[DecisionLine]:
    """The lines about a decided or published ``assessment`` in its round's decisions,
    oldest first, for a ``user`` who sees the round (:func:`visible_rounds`); none for
    anyone else, nor (no query) before the assessment is decided."""
    if not assessment.frozen or not visible_rounds(user).filter(pk=assessment.round_id).exists():
        return []
    return list(assessment.decision_lines.select_related("decision", "amends").order_by("pk"))
