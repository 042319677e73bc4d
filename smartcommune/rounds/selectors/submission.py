"""What a commune is about to send, and what it sent: the check page before submitting,
the receipt after, and the task list at the top of the assessment page.

Reads only; who may see or submit is decided by :mod:`smartcommune.rounds.access` and the
``submit`` transition's guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from smartcommune.criteria import engine
from smartcommune.criteria.model import Criterion
from smartcommune.rounds.evaluation import evaluate_assessment
from smartcommune.rounds.models import Assessment, CriterionValue, Evidence, ReturnStage, ReviewStatus, criterion_slug
from smartcommune.rounds.workflow import answered_since_return

DISTRICT, AGENCIES = "district", "agencies"


@dataclass(frozen=True)
class Item:
    code: str
    slug: str
    text: str


@dataclass(frozen=True)
class NextStep:
    who: str
    """``district`` or ``agencies``."""
    district_name: str
    deadline: dt.date


@dataclass(frozen=True)
class SubmissionCheck:
    evaluation: engine.Evaluation
    total: int
    reported: int
    missing: list[Item]
    """Criteria with nothing reported (the result is then incomplete)."""
    without_evidence: list[Item]
    returned: list[Item]
    """Returned items not answered or corrected yet (submitting is refused while any)."""
    answered: list[Item]
    """Returned items answered or corrected since: they go back with the file."""
    evidence_count: int
    next_step: NextStep
    deadline: dt.date
    late: bool
    """Submitting today is after the commune's deadline (accepted, marked late)."""

    @property
    def ready(self) -> bool:
        return not self.returned


def _item(criterion: Criterion) -> Item:
    return Item(criterion.code, criterion_slug(criterion.code), criterion.text)


def next_step(assessment: Assessment) -> NextStep:
    """Who acts after the commune submits, and by when: the district where there is one
    (not again after an agency returned the file), else the agencies."""
    round_ = assessment.round
    district = assessment.unit.district
    if district is not None and assessment.returned_stage != ReturnStage.AGENCY:
        return NextStep(DISTRICT, district.name, round_.review_deadline)
    return NextStep(AGENCIES, "", round_.verification_deadline)


def submission_check(assessment: Assessment, today: dt.date, *, evaluation: engine.Evaluation | None = None,
                     values: Iterable[CriterionValue] | None = None,
                     evidence: Iterable[Evidence] | None = None) -> SubmissionCheck:
    """The check before submitting.  A page that has already loaded the evaluation, the
    value rows or the active evidence items passes them (fewer queries)."""
    criteria_set = assessment.round.criteria_set
    if evaluation is None:
        evaluation = evaluate_assessment(assessment)
    if values is None:
        values = assessment.values.all()
    if evidence is None:
        evidence = assessment.evidence.filter(removed_at__isnull=True).only("criterion_code")
    evidence = list(evidence)
    with_evidence = {e.criterion_code for e in evidence}
    # Preconditions are criteria the commune reports too.
    criteria = criteria_set.input_criteria
    results = {r.criterion.code: r for r in (*evaluation.preconditions, *evaluation.criteria())}
    by_code: dict[str, CriterionValue] = {v.criterion_code: v for v in values}
    returned, answered = [], []
    for criterion in criteria:
        value = by_code.get(criterion.code)
        if value is not None and value.review_status == ReviewStatus.RETURNED:
            (answered if answered_since_return(value) else returned).append(_item(criterion))
    missing = [_item(c) for c in criteria if results[c.code].status == engine.Status.MISSING]
    return SubmissionCheck(
        evaluation=evaluation,
        total=len(criteria),
        reported=len(criteria) - len(missing),
        missing=missing,
        without_evidence=[_item(c) for c in criteria if c.code not in with_evidence],
        returned=returned,
        answered=answered,
        evidence_count=len(evidence),
        next_step=next_step(assessment),
        deadline=assessment.round.submission_deadline,
        late=today > assessment.round.submission_deadline,
    )


def receipt_reference(assessment: Assessment) -> str:
    """The reference of the last submission: year, commune code, the assessment's id and
    the time it was submitted (UTC), e.g. ``2024-28756-17-20241210T083012``.  Empty when
    the commune has not submitted."""
    if assessment.submitted_at is None:
        return ""
    at = assessment.submitted_at.astimezone(dt.UTC)
    return f"{assessment.round.year}-{assessment.unit.code}-{assessment.pk}-{at:%Y%m%dT%H%M%S}"
