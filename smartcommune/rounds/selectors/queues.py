"""The district and agency queues: what waits for a reviewer, as the queue pages show it.

These read for the user they are given; that the user holds the role is the caller's
check (the views answer 403 first, from :mod:`smartcommune.rounds.access`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from smartcommune.criteria.engine import STATUS_LABELS_VI, InvalidInput
from smartcommune.rounds import access
from smartcommune.rounds.evaluation import evaluate_value
from smartcommune.rounds.models import Assessment, CriterionValue, Evidence, ReturnStage, Round, Status
from smartcommune.rounds.workflow import AWAITING
from smartcommune.units.models import Level, Unit



@dataclass(frozen=True)
class Reporting:
    """How many of a district's communes have submitted in one round (a reporting rate,
    as in DHIS2), and those that have not, with their deadline."""

    round: Round
    total: int
    not_submitted: list[tuple[Assessment, bool]]
    """Drafts, and files the district returned, by commune name; with "overdue"."""

    @property
    def submitted(self) -> int:
        return self.total - len(self.not_submitted)

    @property
    def percent(self) -> int:
        return self.submitted * 100 // self.total if self.total else 0


def _reporting(assessments: QuerySet[Assessment], today: dt.date) -> list[Reporting]:
    """The reporting rate of each round (newest first) among ``assessments``: one query."""
    rounds: dict[int, dict] = {}
    for a in assessments.order_by("-round__year", "round_id", "unit__name"):
        entry = rounds.setdefault(a.round_id, {"round": a.round, "total": 0, "not_submitted": []})
        entry["total"] += 1
        if a.status == Status.DRAFT or (a.status == Status.RETURNED and a.returned_stage == ReturnStage.DISTRICT):
            entry["not_submitted"].append((a, today > a.round.submission_deadline))
    return [Reporting(**entry) for entry in rounds.values()]


@dataclass(frozen=True)
class DistrictQueue:
    awaiting: list[tuple[Assessment, bool]]
    """Submitted assessments, each with whether the review deadline has passed; earliest deadline first."""
    returned: list[Assessment]
    reporting: list[Reporting]
    """Per round: how many communes have submitted, and which have not (with deadlines)."""
    """Assessments the district returned to the commune, newest round first."""
    overdue: int
    districts: QuerySet[Unit]
    years: list[int]
    """Every year the user's districts have an assessment in, newest first (the year filter's choices)."""


def district_queue(*, district_ids: list[int], year: int | None, today: dt.date) -> DistrictQueue:
    """The queue of the districts ``district_ids`` (the ids the user reviews), in ``year``
    when it is given."""
    base = Assessment.objects.filter(unit__parent_id__in=district_ids).select_related(
        "round", "round__province", "unit", "unit__parent"
    )
    if year:
        base = base.filter(round__year=year)
    awaiting = list(base.filter(status=Status.SUBMITTED).order_by("round__review_deadline", "submitted_at", "unit__name"))
    returned = list(
        base.filter(status=Status.RETURNED, returned_stage=ReturnStage.DISTRICT).order_by("-round__year", "unit__name")
    )
    years = sorted(
        set(Assessment.objects.filter(unit__parent_id__in=district_ids).values_list("round__year", flat=True)),
        reverse=True,
    )
    flagged = [(a, today > a.round.review_deadline) for a in awaiting]
    return DistrictQueue(
        awaiting=flagged,
        returned=returned,
        reporting=_reporting(base, today),
        overdue=sum(1 for _, late in flagged if late),
        districts=Unit.objects.filter(pk__in=district_ids).order_by("name"),
        years=years,
    )


@dataclass(frozen=True)
class AgencyQueue:
    values: QuerySet[CriterionValue] | list[CriterionValue]
    """The items awaiting the user's agencies, filtered and ordered for paging (earliest
    deadline first by default); a list when filtered by the computed result."""
    overdue: int
    """How many of them are past their round's verification deadline."""
    criteria: list[str]
    """The codes of the criteria the user's agencies lead (the criterion filter's choices)."""
    agencies: list[str]
    years: list[int]
    """The years of every round of the agencies' provinces, newest first."""
    districts: QuerySet[Unit]
    """The districts of those provinces (the district filter's choices)."""


QUEUE_ORDERS = {
    "deadline": ("assessment__round__verification_deadline", "assessment__unit__code", "criterion_code", "pk"),
    "commune": ("assessment__unit__name", "assessment__round__year", "criterion_code", "pk"),
    "criterion": ("criterion_code", "assessment__unit__name", "pk"),
}


@dataclass(frozen=True)
class QueueFilters:
    """The agency queue's filters; empty values filter nothing."""

    criterion: str = ""
    review_status: str = ""
    """``pending`` or ``answered``."""
    result: str = ""
    """The computed result: ``met`` or ``not_met`` (not met, missing or invalid)."""
    no_evidence: bool = False
    order: str = "deadline"


def agency_queue(*, assignments: list[tuple[int, str]], year: int | None, district_id: int | None,
                 today: dt.date, filters: QueueFilters = QueueFilters()) -> AgencyQueue:
    """The items waiting for the agencies of ``assignments`` (``(province id, agency code)``
    pairs, as :func:`~smartcommune.rounds.access.agency_assignments` gives them): items of
    the criteria those agencies lead, pending or answered, in assessments at the agencies'
    step; narrowed to ``year`` and to the communes of ``district_id`` when given.  The
    values are a queryset to page; :func:`agency_rows` describes one page of them."""
    agencies: dict[int, set[str]] = defaultdict(set)
    for province_id, agency in assignments:
        agencies[province_id].add(agency)
    all_rounds = list(Round.objects.filter(province_id__in=list(agencies)).select_related("province"))
    scope = Q(pk__in=[])
    for r in all_rounds:
        if year is not None and r.year != year:
            continue
        codes = access.led_criteria(r.criteria_set, agencies[r.province_id])
        if codes:
            scope |= Q(assessment__round=r, criterion_code__in=sorted(codes))
    at_agency_step = Q(assessment__status=Status.DISTRICT_REVIEWED) | Q(
        assessment__status=Status.RETURNED, assessment__returned_stage=ReturnStage.AGENCY
    )
    values = CriterionValue.objects.filter(scope, at_agency_step, review_status__in=AWAITING)
    if district_id:
        values = values.filter(assessment__unit__parent_id=district_id)
    if filters.criterion:
        values = values.filter(criterion_code=filters.criterion)
    if filters.review_status in AWAITING:
        values = values.filter(review_status=filters.review_status)
    if filters.no_evidence:
        values = values.exclude(Exists(Evidence.objects.filter(
            assessment_id=OuterRef("assessment_id"), criterion_code=OuterRef("criterion_code"),
            removed_at__isnull=True)))
    values = values.select_related("assessment__round", "assessment__unit", "assessment__unit__parent").order_by(
        *QUEUE_ORDERS.get(filters.order, QUEUE_ORDERS["deadline"])
    )
    if filters.result in ("met", "not_met"):
        # The result is computed, not stored: the rows are evaluated here (the engine is
        # fast; a queue holds at most a round's items of one agency).
        values = [v for v in values if (_result_status(v) == "met") == (filters.result == "met")]
        overdue = sum(1 for v in values if v.assessment.round.verification_deadline < today)
    else:
        overdue = values.filter(assessment__round__verification_deadline__lt=today).count()
    return AgencyQueue(
        values=values,
        overdue=overdue,
        agencies=sorted({a for s in agencies.values() for a in s}),
        years=sorted({r.year for r in all_rounds}, reverse=True),
        districts=Unit.objects.filter(level=Level.DISTRICT, parent_id__in=list(agencies)).order_by("name"),
        criteria=sorted({c for r in all_rounds for c in access.led_criteria(r.criteria_set, agencies[r.province_id])},
                        key=lambda code: [int(p) if p.isdigit() else p for p in code.split(".")]),
    )


def _result_status(value: CriterionValue) -> str:
    try:
        return evaluate_value(value).status
    except InvalidInput:
        return ""


def agency_rows(values: list[CriterionValue], *, today: dt.date) -> list[dict]:
    """One row per value of a queue page: the value, its assessment and criterion, the
    criterion's result (``None`` when the stored value is invalid) and its label, the
    number of evidence files kept for it, and whether the verification deadline has
    passed.  One query for the evidence items (shown in place)."""
    evidence: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(
        assessment_id__in={v.assessment_id for v in values}, removed_at__isnull=True
    ).order_by("pk"):
        evidence[item.assessment_id, item.criterion_code].append(item)
    rows = []
    for v in values:
        a = v.assessment
        try:
            result = evaluate_value(v)
        except InvalidInput:
            result = None
        rows.append({
            "value": v,
            "assessment": a,
            "criterion": a.round.criteria_set.criterion(v.criterion_code),
            "result": result,
            "status_label": STATUS_LABELS_VI.get(result.status, "") if result else "",
            "evidence": len(evidence.get((a.id, v.criterion_code), [])),
            "evidence_items": evidence.get((a.id, v.criterion_code), []),
            "overdue": today > a.round.verification_deadline,
        })
    return rows
