"""The demo's scenario: the years, the stage each assessment reaches each year
(:func:`plans`), the days its steps happen on (:func:`calendar`) and the clock the
actions are given (:class:`Clock`; see the module docstring of
:mod:`smartcommune.demo.actions`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from smartcommune.demo import synthetic

YEARS = (2021, 2022, 2023, 2024, 2025)
MARK = "(mô phỏng)"


# -- the plan: which stage each assessment reaches -----------------------------------------

EMPTY = "empty"
"""Not started: a draft without any value."""
DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED_DISTRICT = "returned_district"
DISTRICT_REVIEWED = "district_reviewed"
PARTLY_VERIFIED = "partly_verified"
"""District reviewed, some items verified by the agencies."""
RETURNED_AGENCY = "returned_agency"
AGENCY_VERIFIED = "agency_verified"
APPRAISED = "appraised"
DECIDED = "decided"
PUBLISHED = "published"
STAGES = (EMPTY, DRAFT, SUBMITTED, RETURNED_DISTRICT, DISTRICT_REVIEWED, PARTLY_VERIFIED, RETURNED_AGENCY,
          AGENCY_VERIFIED, APPRAISED, DECIDED, PUBLISHED)

# 2025: shares of the communes per stage, the rest published.  The officers with a
# login (one per district) are given, in order, these stages, so each sees a different
# situation; the first (e.g. 28756) a draft with data.
SHARES_2025 = ((EMPTY, 0.02), (DRAFT, 0.09), (SUBMITTED, 0.10), (RETURNED_DISTRICT, 0.06), (DISTRICT_REVIEWED, 0.06),
               (PARTLY_VERIFIED, 0.07), (RETURNED_AGENCY, 0.06), (AGENCY_VERIFIED, 0.09), (APPRAISED, 0.09),
               (DECIDED, 0.11))
OFFICER_STAGES_2025 = (DRAFT, RETURNED_AGENCY, RETURNED_DISTRICT, SUBMITTED, PARTLY_VERIFIED, AGENCY_VERIFIED,
                       APPRAISED, DECIDED, PUBLISHED)
SHARES_2024 = ((APPRAISED, 0.10), (DECIDED, 0.07))
# Past years: share of the assessments that were returned once (by the district or by an
# agency), answered and resubmitted on their way to publication.
HISTORY_RETURNS = (("district", 0.06), ("agency", 0.05))


@dataclass(frozen=True, slots=True)
class Plan:
    stage: str
    history: str = ""
    """``"district"``/``"agency"``: returned once from there and answered on the way."""


def plans(commune_codes: list[str], pinned: list[str], *, seed: int) -> dict[tuple[str, int], Plan]:
    """The stage every commune reaches each year; ``pinned``: the communes whose officers
    get a login, given :data:`OFFICER_STAGES_2025` in order (cycled)."""
    rng = random.Random(f"smartcommune-demo-plans:{seed}")
    result = {}
    for year in YEARS:
        if year == YEARS[-1]:
            free = [c for c in commune_codes if c not in pinned]
            stages = synthetic.assign_by_share(free, SHARES_2025, rng, PUBLISHED)
            for i, code in enumerate(pinned):
                stages[code] = OFFICER_STAGES_2025[i % len(OFFICER_STAGES_2025)]
        elif year == YEARS[-2]:
            stages = synthetic.assign_by_share(commune_codes, SHARES_2024, rng, PUBLISHED)
        else:
            stages = dict.fromkeys(commune_codes, PUBLISHED)
        history = synthetic.assign_by_share(commune_codes, HISTORY_RETURNS, rng, "") if year != YEARS[-1] else {}
        for code in commune_codes:
            stage = stages[code]
            past = history.get(code, "")
            if STAGES.index(stage) < STAGES.index(AGENCY_VERIFIED):
                past = ""
            result[code, year] = Plan(stage, past)
    return result


# -- the calendar and the clock --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Calendar:
    """One year's deadlines and the days its steps happen on."""

    year: int
    submission: date
    review: date
    verification: date
    opened: date
    fill_from: date
    fill_to: date
    late_to: date
    verify_from: date
    appraise_from: date
    decision: date
    publish: date

    @property
    def decision_number(self) -> str:
        return f"{100 + (self.year - 2020) * 37}/QĐ-UBND {MARK}"


def calendar(year: int) -> Calendar:
    """See the module docstring's table."""
    if year == 2025:
        return Calendar(
            year=year, submission=date(2026, 6, 30), review=date(2026, 9, 30), verification=date(2026, 12, 31),
            opened=date(2026, 3, 2), fill_from=date(2026, 3, 16), fill_to=date(2026, 6, 26), late_to=date(2026, 8, 28),
            verify_from=date(2026, 9, 7), appraise_from=date(2026, 11, 2), decision=date(2026, 11, 16),
            publish=date(2026, 11, 23),
        )
    return Calendar(
        year=year, submission=date(year, 11, 30), review=date(year, 12, 15), verification=date(year + 1, 1, 15),
        opened=date(year, 9, 5), fill_from=date(year, 10, 1), fill_to=date(year, 11, 27), late_to=date(year, 12, 10),
        verify_from=date(year, 12, 16), appraise_from=date(year + 1, 1, 19), decision=date(year + 1, 2, 10),
        publish=date(year + 1, 2, 20),
    )


class Clock:
    """The actions' ``now`` during the load: the moment last :meth:`set`, ticking 1 ms per
    read so steps set at the same moment stay in order; never past ``ceiling``."""

    def __init__(self, ceiling: datetime):
        self.ceiling = ceiling
        self.t = ceiling

    def set(self, moment: datetime) -> datetime:
        self.t = moment if moment < self.ceiling else max(self.t, self.ceiling)
        return self.t

    def now(self) -> datetime:
        self.t += timedelta(milliseconds=1)
        return self.t


def day_at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
