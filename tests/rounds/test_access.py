"""Who sees which assessments, and who may change what."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.rounds.access import (
    agencies_of,
    can_view_assessment,
    editable_criteria,
    led_criteria,
    verifiable_criteria,
    visible_assessments,
)
from tests.rounds.fixtures import CRITERIA, assessment_of, open_round, step, verify_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(world, round_bt):
    round_vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    return round_bt, round_vl


def units_seen(user):
    return {(a.unit.code, a.round.year) for a in visible_assessments(user).select_related("unit", "round")}


def publish(world, assessment):
    a = step(world.officer_a, assessment, "submit")
    a = verify_all(world, step(world.district1, a, "district_forward"))
    a = step(world.secretariat, step(world.secretariat, a, "appraise"), "record_decision",
             recognised=True, number="1/QĐ", date=date(2025, 1, 2), signer="C")
    return step(world.secretariat, a, "publish")


def test_officer_sees_only_their_commune(world, rounds):
    assert units_seen(world.officer_a) == {("28756", 2024)}
    b = assessment_of(rounds[0], world.b)
    assert not can_view_assessment(world.officer_a, b)
    assert can_view_assessment(world.officer_a, assessment_of(rounds[0], world.a))
    # Vĩnh Long's Phú Khương shares the GSO code but is another unit.
    assert not can_view_assessment(world.officer_a, assessment_of(rounds[1], world.x))


def test_district_reviewer_sees_the_communes_of_their_district(world, rounds):
    assert units_seen(world.district1) == {("28756", 2024), ("28759", 2024)}
    assert units_seen(world.district2) == {("28801", 2024)}


def test_agency_and_secretariat_see_their_province(world, rounds):
    assert units_seen(world.secretariat) == {("28756", 2024), ("28759", 2024), ("28801", 2024)}
    assert units_seen(world.secretariat_vl) == {("28756", 2025), ("29000", 2025)}
    assert len(units_seen(world.verifiers["SYT"])) == 5  # verifier in both provinces


def test_admin_sees_everything(world, rounds):
    assert len(units_seen(world.admin)) == 5
    RoleAssignment.objects.create(user=world.nobody, role=Role.ADMIN)
    assert len(units_seen(world.nobody)) == 5


def test_anonymous_and_roleless_see_only_published(world, rounds):
    anonymous = AnonymousUser()
    assert units_seen(anonymous) == set() and units_seen(world.nobody) == set()
    publish(world, assessment_of(rounds[0], world.a))
    assert units_seen(anonymous) == {("28756", 2024)}
    # ... and an officer of commune B now sees A's published result, but not A's next draft.
    assert units_seen(world.officer_b) == {("28756", 2024), ("28759", 2024)}


def test_editable_criteria(world, round_bt):
    a = assessment_of(round_bt, world.a)
    everything = {c.code for c in CRITERIA.criteria}
    assert editable_criteria(world.officer_a, a) == everything
    for other in (world.officer_b, world.district1, world.secretariat, world.admin, AnonymousUser()):
        assert editable_criteria(other, a) == set()
    a = step(world.officer_a, a, "submit")
    assert editable_criteria(world.officer_a, a) == set()
    a = step(world.district1, a, "district_return", items={"5.1": "x", "5.2": "y"})
    assert editable_criteria(world.officer_a, a) == {"5.1", "5.2"}


def test_agencies_and_led_criteria(world):
    syt = world.verifiers["SYT"]
    assert agencies_of(syt) == {"SYT"} and agencies_of(syt, province=world.bt) == {"SYT"}
    assert agencies_of(world.officer_a) == set() and agencies_of(AnonymousUser()) == set()
    assert led_criteria(CRITERIA, {"SYT"}) == {"6.1", "6.2", "7"}
    assert led_criteria(CRITERIA, {"SCT"}) == {"7"}
    assert led_criteria(CRITERIA, set()) == set()


def test_verifiable_criteria(world, round_bt):
    syt = world.verifiers["SYT"]
    a = assessment_of(round_bt, world.a)
    assert verifiable_criteria(syt, a) == set()  # not at the agencies' step
    a = step(world.district1, step(world.officer_a, a, "submit"), "district_forward")
    assert verifiable_criteria(syt, a) == {"6.1", "6.2", "7"}
    a = step(syt, a, "verify_item", criterion_code="7")
    assert verifiable_criteria(syt, a) == {"6.1", "6.2"}
    assert verifiable_criteria(world.officer_a, a) == set()
