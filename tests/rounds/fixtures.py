"""A small province world for the round's tests, built directly (fast), and helpers.

Bến Tre (old, with districts D1, D2 and communes A, B under D1, C under D2) and Vĩnh Long
(after the 2025 reform, communes X, Y directly under the province), with one user per
role.  Shared by tests/accounts and tests/rounds through their conftest files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.rounds.actions import do_open_round, do_save_values, do_transition
from smartcommune.rounds.models import Assessment, Round
from smartcommune.units.models import Level, Unit

SET_CODE = "ben-tre-2021-2025"
CRITERIA = get_criteria_set(SET_CODE)
AGENCIES = sorted({a for c in CRITERIA.criteria for a in c.lead_agencies})


def unit(code, name, level, parent=None, valid_from=date(2021, 1, 1), valid_to=date(2025, 6, 30)):
    return Unit.objects.create(
        code=code, name=name, short_name=name, level=level, kind="Xã", parent=parent,
        valid_from=valid_from, valid_to=valid_to,
    )


def user(username, *roles, email=True):
    """A user holding ``roles``: tuples ``(role, unit, agency)``."""
    u = get_user_model().objects.create_user(username, email=f"{username}@example.vn" if email else "")
    for role, unit_, agency in roles:
        RoleAssignment.objects.create(user=u, role=role, unit=unit_, agency=agency)
    return u


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.bt = unit("83", "Tỉnh Bến Tre", Level.PROVINCE)
    w.d1 = unit("829", "Thành phố Bến Tre", Level.DISTRICT, w.bt)
    w.d2 = unit("831", "Huyện Châu Thành", Level.DISTRICT, w.bt)
    w.a = unit("28756", "Phường Phú Khương", Level.COMMUNE, w.d1)
    w.b = unit("28759", "Phường Phú Tân", Level.COMMUNE, w.d1)
    w.c = unit("28801", "Xã Tân Thạch", Level.COMMUNE, w.d2)
    # A commune abolished before the year's end is not part of that year's round.
    w.gone = unit("28999", "Xã đã giải thể", Level.COMMUNE, w.d2, valid_to=date(2023, 12, 31))
    w.vl = unit("86", "Tỉnh Vĩnh Long", Level.PROVINCE, valid_from=date(2025, 7, 1), valid_to=None)
    w.x = unit("28756", "Phường Phú Khương", Level.COMMUNE, w.vl, valid_from=date(2025, 7, 1), valid_to=None)
    w.y = unit("29000", "Xã Mới", Level.COMMUNE, w.vl, valid_from=date(2025, 7, 1), valid_to=None)

    w.officer_a = user("officer_a", (Role.COMMUNE_OFFICER, w.a, ""))
    w.officer_b = user("officer_b", (Role.COMMUNE_OFFICER, w.b, ""))
    w.officer_x = user("officer_x", (Role.COMMUNE_OFFICER, w.x, ""))
    w.district1 = user("district1", (Role.DISTRICT_REVIEWER, w.d1, ""))
    w.district2 = user("district2", (Role.DISTRICT_REVIEWER, w.d2, ""))
    w.secretariat = user("secretariat", (Role.SECRETARIAT, w.bt, ""))
    w.secretariat_vl = user("secretariat_vl", (Role.SECRETARIAT, w.vl, ""))
    # One verifier per lead agency, in both provinces.
    w.verifiers = {
        code: user(f"verifier_{code.lower()}", (Role.AGENCY_VERIFIER, w.bt, code), (Role.AGENCY_VERIFIER, w.vl, code))
        for code in AGENCIES
    }
    w.admin = get_user_model().objects.create_superuser("root", "root@example.vn", None)
    w.nobody = get_user_model().objects.create_user("nobody")
    return w


FAR_DEADLINE = date(2099, 1, 31)


def open_round(world, *, year=2024, province=None, secretariat=None, deadline=FAR_DEADLINE):
    """Open a round.  By default its deadlines are far away, so nothing in a test is late
    whatever today's date: the round is opened with deadlines the value rules accept, then
    moved there directly (no product path accepts a deadline decades after the round)."""
    far = deadline == FAR_DEADLINE
    opened_with = date(year + 1, 1, 31) if far else deadline
    round_ = do_open_round(
        actor=secretariat or world.secretariat,
        criteria_set_code=SET_CODE,
        year=year,
        province=province or world.bt,
        submission_deadline=opened_with,
        review_deadline=opened_with,
        verification_deadline=opened_with,
    )
    if far:
        Round.objects.filter(pk=round_.pk).update(
            submission_deadline=deadline, review_deadline=deadline, verification_deadline=deadline)
        round_.refresh_from_db()
    return round_


@pytest.fixture
def round_bt(world):
    return open_round(world)


def assessment_of(round_, commune) -> Assessment:
    return Assessment.objects.get(round=round_, unit=commune)


def fresh(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def full_values(numerator=10, denominator=10, met=True) -> dict:
    """A value for every criterion of the set: ratios ``numerator/denominator``, booleans ``met``."""
    values = {}
    for c in CRITERIA.criteria:
        v = {"source": "Báo cáo UBND xã"}
        if c.ratio is not None:
            v |= {"numerator": numerator, "denominator": denominator}
        if c.boolean is not None:
            v["met"] = met
        values[c.code] = v
    return values


def fill(assessment, officer, **kwargs) -> Assessment:
    return do_save_values(actor=officer, assessment=assessment, expected_version=fresh(assessment).version,
                          values=full_values(**kwargs))


def step(actor, assessment, name, **params) -> Assessment:
    return do_transition(actor=actor, assessment=assessment, transition_name=name, **params)


def verifier_for(world, code):
    return world.verifiers[CRITERIA.criterion(code).lead_agencies[0]]


def verify_all(world, assessment, *, skip=()) -> Assessment:
    for c in CRITERIA.criteria:
        if c.code not in skip:
            assessment = step(verifier_for(world, c.code), assessment, "verify_item", criterion_code=c.code)
    return assessment


# A set with every kind of cell (tests/rounds/sets): a precondition "TQ", a choice "1.1"
# scored by option, a count "1.2", and a criterion "2.1" whose second ratio has a row of
# its own, "2.1:b".
KEYED_SET_DIR = Path(__file__).parent / "sets"
KEYED_SET_CODE = "thu-nghiem-dong-rieng-2026"


def open_keyed_round(world, settings):
    """A 2026 round of the keyed test set in Vĩnh Long (communes X and Y, no district)."""
    settings.SMARTCOMMUNE_CRITERIA_DIR = str(KEYED_SET_DIR)
    return do_open_round(actor=world.secretariat_vl, criteria_set_code=KEYED_SET_CODE, year=2026,
                         province=world.vl, submission_deadline=date(2026, 3, 1),
                         review_deadline=date(2026, 4, 1), verification_deadline=date(2026, 5, 1))


@pytest.fixture
def keyed_round(world, settings):
    return open_keyed_round(world, settings)
