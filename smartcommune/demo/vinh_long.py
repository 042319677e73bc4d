"""The scenario of the demo's 2026 round for the merged Tỉnh Vĩnh Long: the product's next real use.

From 1 July 2025 Bến Tre and Trà Vinh are part of Vĩnh Long, and there is no district
level: every commune hangs directly under the province.  The demo's load
(:func:`smartcommune.demo.actions.do_load_demo`) opens one round of the year :data:`YEAR` for the new province (every
commune in force on 31 December, as the units data give them) under the 2026 set
:data:`SET_CODE` (points and levels), with people of its own (user names ``vl-…``, so
they never collide with Bến Tre's: commune codes are reused across the reform), and
takes every commune through the workflow with the same drive as the Bến Tre rounds: the commune submits straight to the
agencies (no district step), the agencies verify from their queues, the secretariat
appraises, decides and publishes, each commune to a stage of :func:`plans`.

Values come from :func:`generate`: a seeded "digital maturity" per commune gives every
condition of the set (a choice, a count, a ratio, a "Đạt") a plausible, clearly fake
answer; the engine computes the points and the level.  The old communes' 2021–2025
results stay with the old unit rows and are reached through the lineage
(:mod:`smartcommune.results.selectors.lineage`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from smartcommune.accounts.models import Role
from smartcommune.criteria.engine import NOT_REPORTED, CriterionInput
from smartcommune.criteria.model import CriteriaSet, Slot
from smartcommune.demo.people import Person, agency_username, lead_agencies
from smartcommune.demo.scenario import (
    AGENCY_VERIFIED, APPRAISED, DECIDED, DRAFT, EMPTY, PARTLY_VERIFIED, PUBLISHED, RETURNED_AGENCY, SUBMITTED,
    Calendar, Plan,
)
from smartcommune.demo.synthetic import assign_by_share
from smartcommune.units.models import Level, Unit, UnitSuccession
from smartcommune.units.source import REFORM_DAY

PROVINCE_CODE = "86"
"""Tỉnh Vĩnh Long, from 1 July 2025 (Bến Tre, Trà Vinh and the old Vĩnh Long)."""
SET_CODE = "chuyen-doi-so-cap-xa-2026"
YEAR = 2026
PREFIX = "vl-"
SECRETARIAT = f"{PREFIX}thuky"

CALENDAR = Calendar(
    year=YEAR, submission=date(2026, 9, 30), review=date(2026, 9, 30), verification=date(2026, 10, 31),
    opened=date(2026, 8, 3), fill_from=date(2026, 8, 10), fill_to=date(2026, 9, 25), late_to=date(2026, 10, 9),
    verify_from=date(2026, 10, 1), appraise_from=date(2026, 11, 2), decision=date(2026, 11, 20),
    publish=date(2026, 11, 25),
)
"""No district review: its deadline is the submission's (the rules want them in order)."""

# Shares of the communes per stage, the rest published; the officers with a login are
# given these stages in order, so each sees a different situation (the first: published).
SHARES = ((EMPTY, 0.03), (DRAFT, 0.08), (SUBMITTED, 0.10), (PARTLY_VERIFIED, 0.08), (RETURNED_AGENCY, 0.06),
          (AGENCY_VERIFIED, 0.10), (APPRAISED, 0.10), (DECIDED, 0.10))
OFFICER_STAGES = (PUBLISHED, DRAFT, RETURNED_AGENCY, SUBMITTED, AGENCY_VERIFIED, DECIDED)


def province() -> Unit:
    return Unit.objects.get(level=Level.PROVINCE, code=PROVINCE_CODE, valid_from=REFORM_DAY)


def communes(province_: Unit) -> list[Unit]:
    """The communes of the round: in force on 31 December of :data:`YEAR`, directly under the province."""
    return list(Unit.objects.in_force(date(YEAR, 12, 31)).filter(parent=province_, level=Level.COMMUNE)
                .select_related("parent").order_by("code"))


def showcase(communes_: Sequence[Unit]) -> list[Unit]:
    """The communes whose officers get a login: the first, by code, of those that succeed
    an old commune loaded with the units (Bến Tre's), one per :data:`OFFICER_STAGES`."""
    succeeding = set(UnitSuccession.objects.filter(successor__in=communes_).values_list("successor_id", flat=True))
    return [c for c in communes_ if c.pk in succeeding][:len(OFFICER_STAGES)]


def people(criteria_set: CriteriaSet, province_: Unit, communes_: Sequence[Unit]) -> list[Person]:
    """The province's secretariat, one verifier per lead agency and an officer per commune
    (a login only for :func:`showcase`'s), in printing order."""
    result = [Person(SECRETARIAT, Role.SECRETARIAT, province_, scope=province_.name)]
    for code in lead_agencies(criteria_set):
        led = [c.code for c in criteria_set.criteria if code in c.lead_agencies]
        result.append(Person(
            PREFIX + agency_username(criteria_set, code), Role.AGENCY_VERIFIER, province_, agency=code,
            scope=f"{criteria_set.agency(code).name} ({code}), {province_.name} — tiêu chí {', '.join(led)}",
        ))
    with_login = {c.pk for c in showcase(communes_)}
    for commune in sorted(communes_, key=lambda u: (u.pk not in with_login, u.code)):
        result.append(Person(f"{PREFIX}xa-{commune.code}", Role.COMMUNE_OFFICER, commune,
                             login=commune.pk in with_login, scope=f"{commune.name} ({commune.code}), {province_.name}"))
    return result


def plans(commune_codes: Sequence[str], pinned: Sequence[str], *, seed: int) -> dict[str, Plan]:
    """The stage every commune reaches: :data:`SHARES`, and :data:`OFFICER_STAGES` for ``pinned``."""
    rng = random.Random(f"smartcommune-demo-plans-vinh-long:{seed}")
    stages = assign_by_share([c for c in commune_codes if c not in pinned], SHARES, rng, PUBLISHED)
    for i, code in enumerate(pinned):
        stages[code] = OFFICER_STAGES[i % len(OFFICER_STAGES)]
    return {code: Plan(stages[code]) for code in commune_codes}


# -- values ------------------------------------------------------------------------------------


def generate(criteria_set: CriteriaSet, unit_codes: Sequence[str], *, seed: int) -> dict[str, dict[str, CriterionInput]]:
    """Synthetic answers of every commune to every row of ``criteria_set``:
    ``{unit_code: {row code: input}}``.  Pure and deterministic (same set, codes, seed: same
    values).  Each commune has a maturity in [0.1, 0.9], and each answer a level ``m`` drawn
    around it (a commune is better at some things than others): a choice is its best option
    with probability ``m`` (else one of the others), a count about ``m × 1.3 ×`` its
    threshold, a ratio's share ``0.55 + 0.6 m`` of its threshold (for a ``≤`` threshold,
    ``2.2 − 2 m`` of it), a "Đạt" true with probability ``m``.  Some weak communes leave one
    row unreported.  With the 2026 set about a third of the communes stay under the 50
    points of recognition and the rest spread over the three levels."""
    result = {}
    for code in unit_codes:
        rng = random.Random(f"smartcommune-demo-vinh-long:{seed}:{criteria_set.code}:{code}")
        maturity = 0.1 + 0.8 * rng.random()
        rows = {slot.code: _answer(slot, maturity, rng) for slot in criteria_set.slots}
        if maturity < 0.4 and rng.random() < 0.5:
            rows[rng.choice(sorted(rows))] = NOT_REPORTED
        result[code] = rows
    return result


def _answer(slot: Slot, maturity: float, rng: random.Random) -> CriterionInput:
    m = min(1.0, max(0.0, rng.gauss(maturity, 0.15)))  # a commune is not equally good at everything
    numerator = denominator = met = count = choice = None
    if slot.choice is not None:
        options = sorted(slot.choice.options, key=lambda o: o.points, reverse=True)
        choice = options[0].code if rng.random() < m else rng.choice(options[1:] or options).code
    if slot.count is not None:
        wanted = max(slot.count.threshold, 1) * 1.3 * m + rng.gauss(0, 0.5)
        count = max(0, round(wanted))
    if slot.ratio is not None:
        threshold = float(slot.ratio.threshold) / 100
        denominator = rng.randrange(40, 600)
        if not slot.ratio.comparator.upward:
            share = max(0.0, threshold * (2.2 - 2 * m) + rng.gauss(0, 0.01))
        else:
            share = max(0.0, threshold * (0.55 + 0.6 * m) + rng.gauss(0, 0.03))
        if slot.ratio.share:
            share = min(1.0, share)
        numerator = round(denominator * share)
    if slot.boolean is not None:
        met = rng.random() < m
    return CriterionInput(numerator, denominator, met, count, choice)
