"""Writes through the API use the web's use-case functions: same checks, same audit
(with the token owner as the actor), same conflict detection (version or ETag)."""

from __future__ import annotations

from django.test import Client

from smartcommune.rounds.models import AuditEntry
from tests.api.conftest import ApiClient, error_code, token_for
from tests.rounds.fixtures import CRITERIA, fresh, verifier_for


def values_url(a) -> str:
    return f"/api/v1/assessments/{a.pk}/values"


def test_get_gives_the_version_and_etag_that_a_save_sends_back(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    client = ApiClient(token_for(world.officer_a))
    read = client.get(f"/api/v1/assessments/{a.pk}")
    assert read["ETag"] == '"1"' and read.json()["version"] == 1 and read.json()["etag"] == '"1"'
    assert all(v["editable"] for v in read.json()["values"])

    saved = client.patch(values_url(a), {"values": {"1.1": {"numerator": 7, "denominator": 9, "source": "Báo cáo"}}},
                         **{"If-Match": read["ETag"]})
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"2"' and saved.json()["version"] == 2
    value = fresh(a).values.get(criterion_code="1.1")
    assert (value.numerator, value.denominator, value.source, value.updated_by) == (7, 9, "Báo cáo", world.officer_a)
    # Every audit row of the write names the token's owner.
    entries = AuditEntry.objects.filter(assessment=a, version=2)
    assert {(e.field, e.actor_id) for e in entries} == {
        ("numerator", world.officer_a.pk), ("denominator", world.officer_a.pk), ("source", world.officer_a.pk)}

    # A field left out keeps its value; null clears it.
    client.patch(values_url(a), {"expected_version": 2, "values": {"1.1": {"source": None}}})
    value = fresh(a).values.get(criterion_code="1.1")
    assert (value.numerator, value.source) == (7, "")


def test_a_stale_version_is_a_409_with_what_changed_and_nothing_is_written(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    first, second = ApiClient(token_for(world.officer_a)), ApiClient(token_for(world.officer_a))
    assert first.patch(values_url(a), {"expected_version": 1, "values": {"1.1": {"numerator": 5}}}).status_code == 200
    for stale in ({"expected_version": 1, "values": {"1.1": {"numerator": 6}}},):
        conflict = second.patch(values_url(a), stale)
        assert conflict.status_code == 409
        assert error_code(conflict) == "edit_conflict"
        details = conflict.json()["error"]["details"]
        assert (details["expected_version"], details["current_version"]) == (1, 2)
        assert [(c["criterion_code"], c["field"], c["new_value"], c["actor"]) for c in details["changes"]] == [
            ("1.1", "numerator", 5, "officer_a")]
    conflict = second.patch(values_url(a), {"values": {"1.2": {"numerator": 6}}}, **{"If-Match": '"1"'})
    assert conflict.status_code == 409
    assert fresh(a).version == 2
    assert fresh(a).values.get(criterion_code="1.1").numerator == 5
    assert fresh(a).values.get(criterion_code="1.2").numerator is None


def test_the_version_is_required_and_must_be_consistent(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    client = ApiClient(token_for(world.officer_a))
    body = {"values": {"1.1": {"numerator": 1}}}
    missing = client.patch(values_url(a), body)
    assert missing.status_code == 428 and error_code(missing) == "version_required"
    bad = client.patch(values_url(a), body, **{"If-Match": "yesterday"})
    assert bad.status_code == 400 and error_code(bad) == "bad_if_match"
    mismatch = client.patch(values_url(a), {**body, "expected_version": 1}, **{"If-Match": '"2"'})
    assert mismatch.status_code == 400 and error_code(mismatch) == "version_mismatch"
    assert fresh(a).version == 1


def test_invalid_values_are_refused_whole(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    client = ApiClient(token_for(world.officer_a))
    ratio = next(c.code for c in CRITERIA.criteria if c.ratio is not None)
    refused = client.patch(values_url(a), {"expected_version": 1, "values": {
        ratio: {"numerator": 11, "denominator": 10}, "1.1": {"numerator": 1}, "99.9": {"met": True}}})
    assert refused.status_code == 422 and error_code(refused) == "validation_failed"
    assert [p["criterion"] for p in refused.json()["error"]["details"]] == ["99.9"]
    refused = client.patch(values_url(a), {"expected_version": 1, "values": {ratio: {"numerator": 11, "denominator": 10}}})
    assert refused.status_code == 422
    problem = refused.json()["error"]["details"][0]
    assert problem["criterion"] == ratio and problem["message_vi"] and problem["message_en"]
    for body in ({"expected_version": 1, "values": {"1.1": {"colour": "red"}}},
                 {"expected_version": 1, "values": {"1.1": {"numerator": -1}}},
                 {"expected_version": 1, "values": {"1.1": {"numerator": 2**40}}},
                 {"expected_version": 1, "values": {"1.1": {"source": "a\x00b"}}},
                 {"expected_version": 1}):
        response = client.patch(values_url(a), body)
        assert response.status_code == 422, body
        assert error_code(response) == "invalid_request"
    assert fresh(a).version == 1


def test_the_workflow_through_the_api(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    officer = ApiClient(token_for(world.officer_a))
    base = f"/api/v1/assessments/{a.pk}/transitions"
    submitted = officer.post(f"{base}/submit", {"expected_version": 1})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = officer.post(f"{base}/submit", {})
    assert again.status_code == 409 and error_code(again) == "illegal_transition"

    district = ApiClient(token_for(world.district1))
    assert district.get(f"/api/v1/assessments/{a.pk}").json()["transitions"] == ["district_forward", "district_return"]
    refused = district.post(f"{base}/district_return", {"items": {"1.1": ""}})
    assert refused.status_code == 422 and error_code(refused) == "validation_failed"
    returned = district.post(f"{base}/district_return", {"items": {"1.1": "Thiếu nguồn số liệu"}})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert AuditEntry.objects.filter(assessment=a, action="item_returned", actor=world.district1).exists()

    stale = officer.post(f"{base}/submit", {"expected_version": 1})
    assert stale.status_code == 409 and error_code(stale) == "edit_conflict"
    officer.patch(values_url(a), {"expected_version": fresh(a).version, "values": {"1.1": {"numerator": 1}}})
    assert officer.post(f"{base}/submit", {}).json()["status"] == "submitted"
    assert district.post(f"{base}/district_forward", {}).json()["status"] == "district_reviewed"

    verifier = ApiClient(token_for(verifier_for(world, "1.1")))
    verified = verifier.post(f"{base}/verify_item", {"criterion_code": "1.1", "comment": "Đúng"})
    assert verified.status_code == 200
    assert fresh(a).values.get(criterion_code="1.1").reviewed_by == verifier_for(world, "1.1")


def test_transition_parameters_are_checked(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    officer = ApiClient(token_for(world.officer_a))
    base = f"/api/v1/assessments/{a.pk}/transitions"
    unknown = officer.post(f"{base}/fly", {})
    assert unknown.status_code == 404 and error_code(unknown) == "not_found"
    extra = officer.post(f"{base}/submit", {"reason": "vì"})
    assert extra.status_code == 422 and error_code(extra) == "unexpected_parameter"
    assert extra.json()["error"]["details"] == {"unexpected": ["reason"], "accepted": []}
    assert fresh(a).status == "draft"


def test_texts_beyond_their_columns_are_refused_before_anything_runs(world, round_bt):
    a = round_bt.assessments.get(unit=world.a)
    client = ApiClient(token_for(world.secretariat))
    base = f"/api/v1/assessments/{a.pk}/transitions/record_decision"
    for body in ({"number": "1" * 51}, {"signer": "x" * 201}, {"number": "a\ud800"}, {"reason": "\x00"}):
        response = client.post(base, body)
        assert response.status_code == 422 and error_code(response) == "invalid_request", body


def test_token_requests_need_no_csrf_token(world, round_bt):
    # The API authenticates by token only (never by the session cookie), so CSRF does not apply.
    a = round_bt.assessments.get(unit=world.a)
    client = ApiClient(token_for(world.officer_a))
    client.client = Client(enforce_csrf_checks=True)
    client.client.force_login(world.officer_b)  # a session cookie grants nothing here
    response = client.patch(values_url(a), {"expected_version": 1, "values": {"1.1": {"numerator": 2}}})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(assessment=a, version=2).values_list("actor", flat=True).distinct().get() == \
        world.officer_a.pk
    anonymous = ApiClient()
    anonymous.client = client.client
    assert anonymous.patch(values_url(a), {"expected_version": 2, "values": {}}).status_code == 401
