"""Role scoping on every endpoint: the API answers each caller as the web does.

The scene: Bến Tre's 2024 round with communes A and B (district 1) in draft and C
(district 2) published, and Vĩnh Long's 2025 round in draft.  Objects a caller may not
see answer 404; actions their roles do not allow on what they see answer 403; a call
that needs a token and has none answers 401.
"""

from __future__ import annotations

import pytest

from smartcommune.accounts.models import Role
from tests.api.conftest import ApiClient, error_code, publish, token_for
from tests.rounds.fixtures import AGENCIES, open_round, user

ALL = {"a", "b", "c"}
# Which communes' assessments each caller sees in Bến Tre's round.
SEES = {
    "anonymous": {"c"},
    "officer_a": {"a", "c"},
    "officer_b": {"b", "c"},
    "district1": ALL,
    "district2": {"c"},
    "verifier": ALL,
    "secretariat": ALL,
    "secretariat_vl": {"c"},
    "admin": ALL,
    "nobody": {"c"},
}
SEES_VL_ROUND = {"verifier", "secretariat_vl", "admin"}


@pytest.fixture
def scene(world, round_bt):
    officer_c = user("officer_c", (Role.COMMUNE_OFFICER, world.c, ""))
    publish(world, round_bt.assessments.get(unit=world.c), officer=officer_c, district=world.district2)
    world.round_vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    world.round_bt = round_bt
    world.assessments = {name: round_bt.assessments.get(unit=getattr(world, name)) for name in ALL}
    world.codes = {getattr(world, name).code: name for name in ALL}
    return world


def caller(world, who: str) -> ApiClient:
    if who == "anonymous":
        return ApiClient()
    person = world.verifiers[AGENCIES[0]] if who == "verifier" else getattr(world, who)
    return ApiClient(token_for(person))


ROLES = pytest.mark.parametrize("who", sorted(SEES))


@ROLES
def test_public_reference_data_answers_everyone(scene, who):
    client = caller(scene, who)
    from smartcommune.criteria.registry import bundled_sets

    assert client.get("/api/v1/criteria-sets").json()["count"] == len(bundled_sets())
    assert client.get("/api/v1/criteria-sets/ben-tre-2021-2025").status_code == 200
    assert client.get("/api/v1/units", {"level": "xa"}).json()["count"] == 6
    assert client.get(f"/api/v1/units/{scene.a.pk}").status_code == 200


@ROLES
def test_rounds(scene, who):
    client = caller(scene, who)
    listed = {r["id"] for r in client.get("/api/v1/rounds").json()["results"]}
    expected = {scene.round_bt.pk} | ({scene.round_vl.pk} if who in SEES_VL_ROUND else set())
    assert listed == expected
    detail = client.get(f"/api/v1/rounds/{scene.round_bt.pk}")
    assert detail.status_code == 200
    counts = detail.json()["status_counts"]
    assert sum(counts.values()) == len(SEES[who])
    assert client.get(f"/api/v1/rounds/{scene.round_vl.pk}").status_code == (200 if who in SEES_VL_ROUND else 404)


@ROLES
def test_assessment_list_and_results(scene, who):
    client = caller(scene, who)
    listed = client.get("/api/v1/assessments", {"round": scene.round_bt.pk}).json()["results"]
    assert {scene.codes[a["unit"]["code"]] for a in listed} == SEES[who]
    results = client.get("/api/v1/results", {"round": scene.round_bt.pk}).json()["results"]
    assert {scene.codes[r["unit_code"]] for r in results} == SEES[who]


@ROLES
@pytest.mark.parametrize("commune", sorted(ALL))
def test_assessment_reads(scene, who, commune):
    client = caller(scene, who)
    a = scene.assessments[commune]
    expected = 200 if commune in SEES[who] else 404
    for path in (f"/api/v1/assessments/{a.pk}", f"/api/v1/assessments/{a.pk}/evaluation"):
        response = client.get(path)
        assert response.status_code == expected, path
        if expected == 404:
            assert error_code(response) == "not_found"
    history = client.get(f"/api/v1/assessments/{a.pk}/history")
    assert history.status_code == (401 if who == "anonymous" else expected)


def _write_status(who: str) -> int:
    """What a write on commune A's draft answers: only its officer may."""
    if who == "anonymous":
        return 401
    if "a" not in SEES[who]:
        return 404
    return 200 if who == "officer_a" else 403


@ROLES
def test_saving_values(scene, who):
    a = scene.assessments["a"]
    response = caller(scene, who).patch(f"/api/v1/assessments/{a.pk}/values",
                                        {"expected_version": a.version, "values": {"1.1": {"numerator": 3}}})
    assert response.status_code == _write_status(who), response.content
    a.refresh_from_db()
    assert a.values.get(criterion_code="1.1").numerator == (3 if who == "officer_a" else None)


@ROLES
def test_transitions(scene, who):
    a = scene.assessments["a"]
    response = caller(scene, who).post(f"/api/v1/assessments/{a.pk}/transitions/submit", {})
    assert response.status_code == _write_status(who), response.content
    if response.status_code == 403:
        assert error_code(response) == "not_allowed"
    a.refresh_from_db()
    assert a.status == ("submitted" if who == "officer_a" else "draft")


@ROLES
def test_open_data_is_published_data_only(scene, who):
    client = caller(scene, who)
    datasets = client.get("/api/v1/open-data").json()["results"]
    assert [(d["province_code"], d["year"], d["communes"]) for d in datasets] == [("83", 2024, 1)]
    results = client.get("/api/v1/open-data/83/2024").json()["results"]
    assert [r["unit_code"] for r in results] == [scene.c.code]
    assert client.get("/api/v1/open-data/86/2025").status_code == 404
