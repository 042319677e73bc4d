"""Opening a round: who may, which communes it covers, what is refused."""

from datetime import date
from types import SimpleNamespace

import pytest

from smartcommune.accounts.models import Role
from smartcommune.rounds.actions import do_open_round
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import Assessment, CriterionValue
from smartcommune.units.actions import do_load_units
from smartcommune.units.models import Level, Unit
from tests.rounds.fixtures import CRITERIA, open_round, user

pytestmark = pytest.mark.django_db


def test_only_the_province_secretariat_or_a_superuser_opens(world):
    for who in (world.officer_a, world.district1, world.verifiers["SYT"], world.secretariat_vl):
        with pytest.raises(NotAllowed):
            open_round(world, secretariat=who)
    assert open_round(world, secretariat=world.admin).assessments.count() == 3


def test_refusals_list_every_problem(world):
    open_round(world)
    with pytest.raises(ValidationFailed) as refused:
        open_round(world)
    assert {p.field for p in refused.value.problems} == {"year"}
    with pytest.raises(ValidationFailed) as refused:
        open_round(world, year=2026, province=world.vl, secretariat=world.secretariat_vl)
    assert "2026" in refused.value.problems[0].vi
    # Bến Tre no longer existed on any day of 2026.
    with pytest.raises(ValidationFailed):
        open_round(world, year=2026)


def test_deadlines_must_be_in_order(world):
    with pytest.raises(ValidationFailed, match="deadlines"):
        do_open_round(actor=world.secretariat, criteria_set_code="ben-tre-2021-2025", year=2024, province=world.bt,
                      submission_deadline=date(2024, 3, 1), review_deadline=date(2024, 2, 1),
                      verification_deadline=date(2024, 4, 1))


def test_round_over_the_real_units_covers_every_commune_of_the_year():
    do_load_units()
    ben_tre = Unit.objects.get(level=Level.PROVINCE, code="83")
    vinh_long = Unit.objects.get(level=Level.PROVINCE, code="86")
    secretariat = user("sec", (Role.SECRETARIAT, ben_tre, ""), (Role.SECRETARIAT, vinh_long, ""))
    w = SimpleNamespace(secretariat=secretariat, bt=ben_tre)
    round_2025_old = open_round(w, year=2025)  # Bến Tre's communes as of 30 June 2025
    assert round_2025_old.assessments.count() == 148
    round_2025_new = open_round(w, year=2025, province=vinh_long)
    assert round_2025_new.assessments.count() == 124
    assert not round_2025_new.assessments.filter(unit__parent__level=Level.DISTRICT).exists()
    assert CriterionValue.objects.count() == (148 + 124) * len(CRITERIA.criteria)
    assert Assessment.objects.filter(status="draft").count() == 272


def test_a_round_names_a_shipped_set_by_code(world):
    from smartcommune.criteria.registry import SETS_DIR

    for code in ("khong-co", str(SETS_DIR / "ben-tre-2021-2025.toml")):
        with pytest.raises(ValidationFailed):
            do_open_round(actor=world.secretariat, criteria_set_code=code, year=2024, province=world.bt,
                          submission_deadline=date(2024, 3, 1), review_deadline=date(2024, 3, 1),
                          verification_deadline=date(2024, 3, 1))
