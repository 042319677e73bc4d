""""My work": what the home page shows a signed-in user, per role they hold.

:func:`home_summary` returns only sections for roles the user holds (``None`` otherwise)
and reads only assessments :func:`~smartcommune.rounds.access.visible_assessments`
would show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from smartcommune.accounts.models import Role
from smartcommune.rounds import access
from smartcommune.rounds.workflow import answered_since_return
from smartcommune.rounds.models import FROZEN, Assessment, CriterionValue, ReturnStage, ReviewStatus, Round, Status


@dataclass(frozen=True)
class OfficerWork:
    assessments: list[Assessment]
    """The user's communes' assessments still in the workflow (not decided yet)."""
    returned_items: list[CriterionValue]
    """Items returned to the commune and not answered or corrected yet."""
    decided: list[Assessment]
    """The user's communes' decided or published assessments, newest year first."""


@dataclass(frozen=True)
class DistrictWork:
    awaiting_review: list[Assessment]
    """Their communes' assessments submitted and waiting for the district."""


@dataclass(frozen=True)
class AgencyWork:
    items: list[CriterionValue]
    """Items led by the user's agencies, awaiting verification (pending or answered)."""

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class RoundProgress:
    round: Round
    by_status: dict[str, int]
    """Assessments per status (every status present, 0 when none)."""


@dataclass(frozen=True)
class HomeSummary:
    officer: OfficerWork | None = None
    district: DistrictWork | None = None
    agency: AgencyWork | None = None
    secretariat: list[RoundProgress] = field(default_factory=list)


def home_summary(user) -> HomeSummary:
    """What is waiting for ``user``, one section per role held."""
    if not user.is_authenticated:
        return HomeSummary()
    units = access.units_by_role(user)
    related = ("round", "round__province", "unit")
    summary = {}
    if units[Role.COMMUNE_OFFICER]:
        summary["officer"] = OfficerWork(
            assessments=list(
                Assessment.objects.filter(unit_id__in=units[Role.COMMUNE_OFFICER])
                .exclude(status__in=FROZEN)
                .select_related(*related)
            ),
            # An item answered or corrected since it was returned is no longer to do: it
            # waits for the file to be submitted again (the assessment's row says so).
            returned_items=[
                v for v in CriterionValue.objects.filter(
                    assessment__unit_id__in=units[Role.COMMUNE_OFFICER],
                    assessment__status=Status.RETURNED,
                    review_status=ReviewStatus.RETURNED,
                ).select_related(*(f"assessment__{r}" for r in related))
                if not answered_since_return(v)
            ],
            decided=list(
                Assessment.objects.filter(unit_id__in=units[Role.COMMUNE_OFFICER], status__in=FROZEN)
                .select_related(*related)
                .order_by("-round__year", "unit__name")
            ),
        )
    if units[Role.DISTRICT_REVIEWER]:
        summary["district"] = DistrictWork(
            awaiting_review=list(
                Assessment.objects.filter(
                    unit__parent_id__in=units[Role.DISTRICT_REVIEWER], status=Status.SUBMITTED
                ).select_related(*related)
            )
        )
    if units[Role.AGENCY_VERIFIER]:
        summary["agency"] = AgencyWork(items=_agency_items(user, units[Role.AGENCY_VERIFIER]))
    if units[Role.SECRETARIAT]:
        summary["secretariat"] = [
            _progress(r)
            for r in Round.objects.filter(province_id__in=units[Role.SECRETARIAT]).select_related("province")
        ]
    return HomeSummary(**summary)


def _agency_items(user, provinces: list[int]) -> list[CriterionValue]:
    # Which criteria an agency leads depends on each round's criteria set.
    scope = Q(pk__in=[])
    for round_ in Round.objects.filter(province_id__in=provinces).select_related("province"):
        agencies = access.agencies_of(user, province=round_.province)
        codes = access.led_criteria(round_.criteria_set, agencies)
        if codes:
            scope |= Q(assessment__round=round_, criterion_code__in=codes)
    at_agency_step = Q(assessment__status=Status.DISTRICT_REVIEWED) | Q(
        assessment__status=Status.RETURNED, assessment__returned_stage=ReturnStage.AGENCY
    )
    return list(
        CriterionValue.objects.filter(scope, at_agency_step, review_status__in=(ReviewStatus.PENDING, ReviewStatus.ANSWERED))
        .select_related("assessment__round", "assessment__unit")
        .order_by("assessment__round_id", "assessment__unit__code", "pk")
    )


def _progress(round_: Round) -> RoundProgress:
    # order_by(): the default ordering would join units and split the groups.
    rows = round_.assessments.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return RoundProgress(round=round_, by_status={s.value: counts.get(s.value, 0) for s in Status})
