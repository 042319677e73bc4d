"""What each role's home page lists."""

import pytest
from django.contrib.auth.models import AnonymousUser

from smartcommune.rounds.my_work import HomeSummary, home_summary
from tests.rounds.fixtures import assessment_of, step

pytestmark = pytest.mark.django_db


def test_home_summary_per_role(world, round_bt):
    a = step(world.officer_a, assessment_of(round_bt, world.a), "submit")
    assert home_summary(AnonymousUser()) == HomeSummary()
    assert home_summary(world.nobody) == HomeSummary()

    district = home_summary(world.district1)
    assert [x.unit for x in district.district.awaiting_review] == [world.a]
    assert district.officer is None and district.agency is None
    assert home_summary(world.district2).district.awaiting_review == []

    secretariat = home_summary(world.secretariat).secretariat
    assert len(secretariat) == 1 and secretariat[0].by_status["draft"] == 2 and secretariat[0].by_status["submitted"] == 1
    assert sum(secretariat[0].by_status.values()) == 3

    syt = world.verifiers["SYT"]
    assert home_summary(syt).agency.count == 0
    a = step(world.district1, a, "district_forward")
    work = home_summary(syt).agency
    assert work.count == 3 and {v.criterion_code for v in work.items} == {"6.1", "6.2", "7"}

    a = step(syt, a, "return_item", criterion_code="6.1", comment="Thiếu")
    officer = home_summary(world.officer_a).officer
    assert [x.unit for x in officer.assessments] == [world.a]
    assert [v.criterion_code for v in officer.returned_items] == ["6.1"]
    assert home_summary(syt).agency.count == 2  # the returned item waits for the commune
    assert home_summary(world.officer_b).officer.returned_items == []
