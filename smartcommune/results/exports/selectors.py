"""Reads the exports need beside :mod:`smartcommune.results.selectors`.

These read whatever they are given: who may see which assessment has been decided
before (by the results selectors, through :mod:`smartcommune.rounds.access`),
and the open data reads published assessments only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from smartcommune.rounds.models import CriterionValue, ReviewStatus, Round
from smartcommune.units.models import Level, Unit


def district_by_code(province: Unit, code: str) -> Unit | None:
    """The district of ``province`` with GSO ``code``."""
    return Unit.objects.filter(level=Level.DISTRICT, parent=province, code=code).first()


def round_ids(province: Unit, year: int) -> list[int]:
    """The ids of ``province``'s rounds of ``year`` (one per criteria set)."""
    return list(Round.objects.filter(province=province, year=year).values_list("pk", flat=True))


@dataclass(frozen=True, slots=True)
class ValueDetail:
    """Where a reported value comes from and who verified it."""

    source: str
    verified_by: str
    verified_at: dt.date | None


def value_details(assessment_ids: Iterable[int]) -> dict[tuple[int, str], ValueDetail]:
    """``{(assessment id, criterion code): ValueDetail}`` in one query.

    "Verified" only counts for an item in the verified state: a returned item's
    reviewer returned it, they did not vouch for it.
    """
    details = {}
    rows = CriterionValue.objects.filter(assessment_id__in=list(assessment_ids)).values_list(
        "assessment_id", "criterion_code", "source", "review_status", "reviewed_at",
        "reviewed_by__first_name", "reviewed_by__last_name", "reviewed_by__username",
    )
    for assessment_id, code, source, review_status, reviewed_at, first, last, username in rows:
        verified = review_status == ReviewStatus.VERIFIED
        # As the scorecard names people (User.get_full_name, else the user name).
        name = f"{first} {last}".strip() or (username or "")
        details[(assessment_id, code)] = ValueDetail(
            source=source,
            verified_by=name if verified else "",
            verified_at=timezone.localdate(reviewed_at) if verified and reviewed_at else None,
        )
    return details
