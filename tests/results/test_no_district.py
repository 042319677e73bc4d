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
