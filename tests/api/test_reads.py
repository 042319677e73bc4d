"""What the read endpoints return: filters, pagination, lineage, evidence metadata,
criteria sets."""

from __future__ import annotations

import datetime as dt

from smartcommune.rounds.actions import do_add_evidence
from smartcommune.units.models import UnitSuccession
from tests.api.conftest import ApiClient, token_for
from tests.rounds.fixtures import step


def codes(response) -> list[str]:
    return [a["unit"]["code"] for a in response.json()["results"]]


def test_assessment_filters(world, round_bt):
    client = ApiClient(token_for(world.secretariat))
    assert codes(client.get("/api/v1/assessments")) == ["28756", "28759", "28801"]
    assert codes(client.get("/api/v1/assessments", {"district": world.d1.code})) == ["28756", "28759"]
    assert codes(client.get("/api/v1/assessments", {"unit": world.c.code})) == ["28801"]
    assert codes(client.get("/api/v1/assessments", {"year": 2023})) == []
    assert codes(client.get("/api/v1/assessments", {"province": "83", "year": 2024})) == ["28756", "28759", "28801"]
    step(world.officer_a, round_bt.assessments.get(unit=world.a), "submit")
    assert codes(client.get("/api/v1/assessments", {"status": "submitted"})) == ["28756"]
    assert codes(client.get("/api/v1/assessments", {"status": "draft"})) == ["28759", "28801"]


def test_pagination_links(world, round_bt):
    client = ApiClient(token_for(world.secretariat))
    first = client.get("/api/v1/assessments", {"limit": 2, "district": world.d1.code}).json()
    assert (first["count"], first["limit"], first["offset"], len(first["results"])) == (2, 2, 0, 2)
    assert first["next"] is None
    first = client.get("/api/v1/assessments", {"limit": 2}).json()
    assert first["count"] == 3 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert [a["unit"]["code"] for a in first["results"] + second["results"]] == ["28756", "28759", "28801"]
    assert second["next"] is None and "offset=0" in second["previous"]


def test_unit_lineage_across_the_reform(world):
    UnitSuccession.objects.create(predecessor=world.a, successor=world.x, effective=dt.date(2025, 7, 1))
    UnitSuccession.objects.create(predecessor=world.b, successor=world.x, effective=dt.date(2025, 7, 1))
    client = ApiClient()
    new = client.get(f"/api/v1/units/{world.x.pk}").json()
    assert sorted(p["unit"]["code"] for p in new["predecessors"]) == ["28756", "28759"]
    assert new["successors"] == [] and new["parent"]["code"] == "86"
    old = client.get(f"/api/v1/units/{world.a.pk}").json()
    assert [(s["unit"]["id"], s["effective"], s["is_default"]) for s in old["successors"]] == [
        (world.x.pk, "2025-07-01", True)]
    # The code 28756 names two units, one before and one after the reform.
    same_code = client.get("/api/v1/units", {"code": "28756"}).json()["results"]
    assert [u["valid_from"] for u in same_code] == ["2021-01-01", "2025-07-01"]
    in_force = client.get("/api/v1/units", {"code": "28756", "in_force_on": "2025-12-31"}).json()["results"]
    assert [u["id"] for u in in_force] == [world.x.pk]


def test_assessment_detail_values_and_evidence_metadata(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.1", kind="link",
                    url="https://example.vn/bao-cao", note="Báo cáo")
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="document",
                    document_number="12/BC-UBND", document_date=dt.date(2024, 3, 1))
    detail = ApiClient(token_for(world.district1)).get(f"/api/v1/assessments/{a.pk}").json()
    assert detail["unit"]["code"] == "28756" and detail["district"]["code"] == world.d1.code
    assert len(detail["values"]) == 23 and not any(v["editable"] for v in detail["values"])
    assert [(e["kind"], e["link"], e["document_number"], e["download_url"]) for e in detail["evidence"]] == [
        ("link", "https://example.vn/bao-cao", "", None), ("document", None, "12/BC-UBND", None)]
    assert detail["transitions"] == []
    history = ApiClient(token_for(world.district1)).get(detail["history_url"]).json()
    assert [e["action"] for e in history["results"]][:2] == ["evidence_added", "evidence_added"]
    assert history["results"][0]["actor"] == "officer_a"


def test_criteria_set_detail(world):
    detail = ApiClient().get("/api/v1/criteria-sets/ben-tre-2021-2025").json()
    assert detail["fields_total"] == len(detail["groups"]) == 10 and detail["criteria_total"] == 23
    kinds = {c["kind"] for g in detail["groups"] for cr in g["criteria"] for c in cr["conditions"]}
    assert kinds == {"ratio", "boolean"}
    # A rule in the words of the pages, at each level: the set's fields, a field's criteria,
    # a criterion's conditions (3.1 has a ratio and a pass/fail condition).
    assert detail["pass_rule"] == {"at_least": 7, "description_vi": "đạt ít nhất 7/10 lĩnh vực"}
    field_1 = detail["groups"][0]
    assert field_1["pass_rule"]["description_vi"] == f"đạt cả {len(field_1['criteria'])} tiêu chí"
    by_code = {c["code"]: c for g in detail["groups"] for c in g["criteria"]}
    assert by_code["3.1"]["pass_rule"]["description_vi"] == "đạt cả 2 điều kiện"
    points = ApiClient().get("/api/v1/criteria-sets/chuyen-doi-so-cap-xa-2026").json()
    assert points["pass_rule"] == {"at_least": None, "description_vi": "có tổng điểm từ 50,00 trở lên"}
    # A path is not a criteria set code: only shipped sets are served.
    assert ApiClient().get("/api/v1/criteria-sets/..%2Fsecret.toml").status_code in (404, 422)
