"""The results of a province without a district level (Vĩnh Long after the 2025 reform):
no district grouping, filter or column on the overview, the map or the scorecard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smartcommune.rounds.models import Status
from tests.results.fixtures import save, set_status
from tests.rounds.fixtures import assessment_of, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def vinh_long(results_world):
    w = results_world.world
    round_ = open_round(w, year=2025, province=w.vl, secretariat=w.secretariat_vl)
    save(assessment_of(round_, w.x), w.officer_x, {})
    set_status(assessment_of(round_, w.x), Status.PUBLISHED, recognised=True)
    return w


def test_no_district_anywhere_in_vinh_longs_results(client, vinh_long):
    w = vinh_long
    overview = client.get(reverse("results:overview", args=["86", 2025])).content.decode()
    assert w.x.name in overview
    assert 'id="districts"' not in overview and 'name="district"' not in overview and "Huyện" not in overview
    map_page = client.get(reverse("results:map", args=["86", 2025])).content.decode()
    assert "Danh sách xã theo huyện" not in map_page and "Danh sách xã" in map_page
    scorecard = client.get(reverse("results:scorecard", args=[w.x.pk, 2025])).content.decode()
    assert "<dt>Huyện</dt>" not in scorecard


def test_bến_tre_keeps_its_districts(client, vinh_long):
    overview = client.get(reverse("results:overview", args=["83", 2024])).content.decode()
    assert 'id="districts"' in overview and 'name="district"' in overview


def test_a_round_without_districts_never_says_the_district_reviewed(client, results_world):
    """A file of a commune directly under its province that the workflow holds as "district
    reviewed" waits for the agencies: every count of statuses says "Chờ sở xác minh" for
    such a round (the round's page, "Việc của tôi", the results' filter and counts, the
    demo's summary); Bến Tre's rounds keep "Huyện đã thẩm định"."""
    from smartcommune.demo.actions import DemoReport, DemoRound
    from smartcommune.demo.management.commands.demo import render

    w = results_world.world
    round_ = open_round(w, year=2025, province=w.vl, secretariat=w.secretariat_vl)
    save(assessment_of(round_, w.x), w.officer_x, {})
    set_status(assessment_of(round_, w.x), Status.DISTRICT_REVIEWED)
    client.force_login(w.secretariat_vl)
    pages = {
        "round": client.get(reverse("rounds:round_overview", args=[round_.pk])),
        "home": client.get(reverse("home")),
        "results": client.get(reverse("results:overview", args=["86", 2025])),
    }
    for name, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, name
        assert "Huyện đã thẩm định" not in page, name
        assert "Chờ sở xác minh" in page, name

    statuses = {s.value: 0 for s in Status} | {Status.DISTRICT_REVIEWED.value: 3}
    report = DemoReport(created=False, logins=(), officers_without_login=0, key_matches=True, rounds=(
        DemoRound(2024, 1, statuses, 0, province="Tỉnh Bến Tre", criteria_set_code="ben-tre-2021-2025"),
        DemoRound(2026, 2, statuses, 0, province="Tỉnh Vĩnh Long", criteria_set_code="chuyen-doi-so-cap-xa-2026",
                  has_districts=False)))
    text = render(report, url="http://127.0.0.1:8000/")
    bến_tre, vĩnh_long = text.split("Tỉnh Vĩnh Long")
    assert "Huyện đã thẩm định 3" in bến_tre
    assert "Chờ sở xác minh 3" in vĩnh_long and "Huyện đã thẩm định" not in vĩnh_long
