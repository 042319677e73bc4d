"""The demo's 2026 round of the merged Vĩnh Long (smartcommune/demo/vinh_long.py): every
commune of the new province, directly under it, under the 2026 points-and-levels set,
taken through the workflow without a district step."""

from __future__ import annotations

from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import override_settings

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.criteria.engine import evaluate
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.demo import vinh_long
from smartcommune.demo.actions import DemoRefused, load_vinh_long_round
from smartcommune.demo.models import SyntheticRound
from smartcommune.demo.scenario import MARK
from smartcommune.rounds.models import Assessment, AuditEntry, Round, Status
from smartcommune.rounds.selectors import evaluate_assessment
from smartcommune.units.actions import do_load_units
from smartcommune.units.models import Level, Unit, UnitSuccession

User = get_user_model()
SET = get_criteria_set(vinh_long.SET_CODE)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            do_load_units()
            created = load_vinh_long_round(seed=2021)
            connection.check_constraints()
            round_ = SyntheticRound.objects.get(round__province=vinh_long.province()).round
            yield SimpleNamespace(created=created, round=round_)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_commune_of_the_new_province_directly_under_it(loaded, db):
    province = vinh_long.province()
    round_ = loaded.round
    assert loaded.created
    assert (round_.year, round_.criteria_set_code, round_.province) == (2026, "chuyen-doi-so-cap-xa-2026", province)
    communes = Unit.objects.in_force(date(2026, 12, 31)).filter(parent=province, level=Level.COMMUNE)
    # The units data (vietnamadminunits) give the merged Vĩnh Long 124 communes and wards.
    assert communes.count() == 124
    assert set(round_.assessments.values_list("unit_id", flat=True)) == set(communes.values_list("pk", flat=True))
    assert not round_.has_districts
    assert not Unit.objects.filter(parent=province, level=Level.DISTRICT).exists()


def test_stages_without_a_district_step(loaded, db):
    statuses = Counter(loaded.round.assessments.values_list("status", flat=True))
    assert statuses[Status.SUBMITTED] == 0  # no district: a submitted file goes straight to the agencies
    for status in (Status.DRAFT, Status.DISTRICT_REVIEWED, Status.RETURNED, Status.AGENCY_VERIFIED,
                   Status.APPRAISED, Status.PUBLISHED):
        assert statuses[status] > 0, status
    assert statuses[Status.RECOGNISED] + statuses[Status.NOT_RECOGNISED] > 0
    assert statuses[Status.PUBLISHED] >= 30
    published = loaded.round.assessments.filter(status=Status.PUBLISHED).first()
    trail = list(AuditEntry.objects.filter(assessment=published, field="status").order_by("version")
                 .values_list("new_value", flat=True))
    assert trail[:3] == ["draft", "district_reviewed", "agency_verified"]  # no "submitted": no district
    assert trail[3] == "appraised" and trail[4] in ("recognised", "not_recognised") and trail[-1] == "published"
    # Every step dated in the round's calendar, none after the load.
    assert published.submitted_at.date() <= date(2026, 10, 9)
    assert published.published_at.date() == vinh_long.CALENDAR.publish


def test_decisions_follow_the_engine_with_points_and_levels(loaded, db):
    decided = list(loaded.round.assessments.filter(decision_recognised__isnull=False)
                   .select_related("round", "unit", "unit__parent"))
    assert len(decided) >= 40
    levels = Counter()
    for a in decided:
        result = evaluate_assessment(a)
        assert a.decision_recognised == result.smart_commune
        levels[result.level.code if result.level else None] += 1
    # A spread: not recognised, and more than one level among the recognised.
    assert levels[None] > 0
    assert len([code for code in levels if code]) >= 2
    assert all(MARK in a.decision_number for a in decided)


def test_its_people(loaded, db):
    province = vinh_long.province()
    secretariat = RoleAssignment.objects.get(user__username="vl-thuky")
    assert (secretariat.role, secretariat.unit) == (Role.SECRETARIAT, province)
    agencies = dict(RoleAssignment.objects.filter(role=Role.AGENCY_VERIFIER, unit=province)
                    .values_list("user__username", "agency"))
    assert agencies == {"vl-so-khcn": "SKHCN", "vl-vpubnd": "VPUBND", "vl-cat": "CAT"}
    officers = RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__parent=province)
    assert officers.count() == 124
    assert all(o.user.username == f"vl-xa-{o.unit.code}" for o in officers.select_related("user", "unit"))
    with_login = [u for u in User.objects.filter(username__startswith="vl-xa-") if u.has_usable_password()]
    assert len(with_login) == len(vinh_long.OFFICER_STAGES)
    # Those communes succeed old communes, whose 2021–2025 results the scorecard links to.
    units = [RoleAssignment.objects.get(user=u).unit for u in with_login]
    assert all(UnitSuccession.objects.filter(successor=u).exists() for u in units)
    assert all(MARK in name for name in User.objects.filter(username__startswith="vl-")
               .values_list("first_name", flat=True))


def test_the_first_showcase_commune_is_published(loaded, db):
    first = vinh_long.showcase(vinh_long.communes(vinh_long.province()))[0]
    assert Assessment.objects.get(round=loaded.round, unit=first).status == Status.PUBLISHED


def test_idempotent(loaded, db):
    before = (User.objects.count(), Assessment.objects.count(), AuditEntry.objects.count())
    assert load_vinh_long_round(seed=2021) is False
    assert (User.objects.count(), Assessment.objects.count(), AuditEntry.objects.count()) == before


def test_refuses_to_mix_with_a_real_round(loaded, db):
    # Without its synthetic mark the round reads as a real one (this test's transaction is rolled back).
    SyntheticRound.objects.filter(round=loaded.round).delete()
    before = (User.objects.count(), Round.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DemoRefused, match=r"đợt đánh giá thật của Tỉnh Vĩnh Long \(2026\)"):
        load_vinh_long_round(seed=2021)
    assert (User.objects.count(), Round.objects.count(), AuditEntry.objects.count()) == before


def test_refuses_users_with_its_demo_names(loaded, db):
    SyntheticRound.objects.filter(round=loaded.round).delete()
    Round.objects.filter(pk=loaded.round.pk).update(year=2027)  # not "a real 2026 round" any more
    with pytest.raises(DemoRefused, match="vl-cat"):
        load_vinh_long_round(seed=2021)
    assert Round.objects.filter(province=vinh_long.province()).count() == 1


def test_generated_values_are_valid_and_deterministic():
    codes = [str(28000 + i) for i in range(60)]
    first = vinh_long.generate(SET, codes, seed=7)
    assert first == vinh_long.generate(SET, codes, seed=7)
    assert first != vinh_long.generate(SET, codes, seed=8)
    slots = [s.code for s in SET.slots]
    choices = Counter()
    for rows in first.values():
        assert list(rows) == slots
        for code, given in rows.items():
            slot = SET.slot(code)
            if given.choice is not None:
                assert slot.choice.option(given.choice) is not None
                choices[given.choice] += 1
            if given.count is not None:
                assert slot.count is not None and given.count >= 0
            if given.numerator is not None:
                assert slot.ratio is not None and 0 <= given.numerator <= given.denominator
    assert len(choices) == len(SET.criterion("1.1").choice.options)  # every answer occurs


def test_generated_values_spread_over_the_levels():
    codes = [str(28000 + i) for i in range(124)]
    outcome = Counter()
    for code, rows in vinh_long.generate(SET, codes, seed=2021).items():
        result = evaluate(SET, rows, unit_code=code, year=2026)
        outcome[result.level.code if result.smart_commune else None] += 1
    assert 0.2 < outcome[None] / 124 < 0.5
    assert all(outcome[level.code] >= 124 * 0.1 for level in SET.levels), outcome
