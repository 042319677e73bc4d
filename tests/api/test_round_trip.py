"""The API's evaluation results for a published round equal ``smartcommune evaluate``
run on the open-data CSV export of that round."""

from __future__ import annotations

import json

import pytest

from smartcommune.accounts.models import Role
from smartcommune.cli import main
from smartcommune.demo.models import SyntheticRound
from smartcommune.results.exports.open_data import published_assessments, write_open_data_csv
from tests.api.conftest import ApiClient, publish, token_for
from tests.rounds.fixtures import user


@pytest.fixture
def published_round(world, round_bt):
    officer_c = user("officer_c", (Role.COMMUNE_OFFICER, world.c, ""))
    # Three different outcomes: all met, ratios short, booleans not met.
    publish(world, round_bt.assessments.get(unit=world.a), officer=world.officer_a, district=world.district1)
    publish(world, round_bt.assessments.get(unit=world.b), officer=world.officer_b, district=world.district1,
            numerator=7, denominator=10, recognised=False)
    publish(world, round_bt.assessments.get(unit=world.c), officer=officer_c, district=world.district2,
            met=False, recognised=False)
    return round_bt


def test_api_results_equal_the_cli_on_the_open_data_csv(published_round, tmp_path, world):
    csv_path, json_path = tmp_path / "open-data.csv", tmp_path / "evaluated.json"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        write_open_data_csv(published_assessments(year=2024), out)
    assert main(["evaluate", str(csv_path), "--format", "json", "--output", str(json_path)]) == 0
    expected = json.loads(json_path.read_text(encoding="utf-8"))
    assert len(expected) == 3 and len({e["fields_met"] for e in expected}) > 1

    anonymous = ApiClient()
    open_data = anonymous.get("/api/v1/open-data/83/2024", {"limit": 500}).json()
    assert open_data["results"] == expected
    assert open_data["synthetic"] is False and open_data["data_notice"] is None
    # The same for /results, anonymous or with a token, and per assessment.
    assert anonymous.get("/api/v1/results", {"round": published_round.pk}).json()["results"] == expected
    secretariat = ApiClient(token_for(world.secretariat))
    assert secretariat.get("/api/v1/results", {"year": 2024, "status": "published"}).json()["results"] == expected
    for evaluation in expected:
        a = published_round.assessments.get(unit__code=evaluation["unit_code"])
        assert anonymous.get(f"/api/v1/assessments/{a.pk}/evaluation").json() == evaluation


def test_pages_split_the_same_results(published_round):
    client = ApiClient()
    everything = client.get("/api/v1/open-data/83/2024").json()["results"]
    first = client.get("/api/v1/open-data/83/2024", {"limit": 2}).json()
    assert first["count"] == 3 and first["previous"] is None and "offset=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None and second["previous"] is not None
    assert first["results"] + second["results"] == everything


def test_synthetic_rounds_say_so(published_round):
    SyntheticRound.objects.create(round=published_round, seed=1, key_check="x")
    client = ApiClient()
    assert client.get("/api/v1/open-data/83/2024").json()["data_notice"] == "Dữ liệu mô phỏng"
    assert client.get("/api/v1/open-data").json()["results"][0]["synthetic"] is True
    assert client.get(f"/api/v1/rounds/{published_round.pk}").json()["data_notice"] == "Dữ liệu mô phỏng"
    assert {a["data_notice"] for a in client.get("/api/v1/assessments").json()["results"]} == {"Dữ liệu mô phỏng"}
