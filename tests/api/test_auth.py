"""Who the API thinks is calling: tokens (missing, malformed, wrong, revoked, expired),
rate limits, errors in one JSON shape, the docs page."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from smartcommune.api.actions import do_revoke_token
from smartcommune.api.models import ApiToken
from tests.api.conftest import ApiClient, error_code, token_for

ASSESSMENTS = "/api/v1/assessments"


def test_a_valid_token_acts_as_its_owner_and_records_its_use(world, round_bt):
    token = token_for(world.officer_a)
    response = ApiClient(token).get(ASSESSMENTS)
    assert response.status_code == 200
    assert [a["unit"]["code"] for a in response.json()["results"]] == [world.a.code]
    assert ApiToken.objects.get().last_used_at is not None


def test_without_a_token_writes_and_history_answer_401(world, round_bt):
    client = ApiClient()
    a = round_bt.assessments.get(unit=world.a)
    for response in (client.get(f"{ASSESSMENTS}/{a.pk}/history"),
                     client.patch(f"{ASSESSMENTS}/{a.pk}/values", {"expected_version": 1, "values": {}}),
                     client.post(f"{ASSESSMENTS}/{a.pk}/transitions/submit", {})):
        assert response.status_code == 401
        assert error_code(response) == "authentication_required"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_bad_tokens_answer_401_even_where_anonymous_is_allowed(world, round_bt):
    good = token_for(world.officer_a)
    revoked = token_for(world.officer_a)
    do_revoke_token(actor=world.officer_a, token=ApiToken.objects.get(prefix=revoked.split("_")[1]))
    expired = token_for(world.officer_a)
    ApiToken.objects.filter(prefix=expired.split("_")[1]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    cases = {
        "Token " + good: "invalid_authorization",
        "Bearer": "invalid_authorization",
        "Bearer garbage": "invalid_token",
        "Bearer " + good[:-1] + ("A" if good[-1] != "A" else "B"): "invalid_token",
        "Bearer sc_00000000_" + good.split("_", 2)[2]: "invalid_token",
        "Bearer " + revoked: "token_revoked",
        "Bearer " + expired: "token_expired",
    }
    for header, code in cases.items():
        response = Client().get(ASSESSMENTS, headers={"Authorization": header})
        assert response.status_code == 401, header
        assert error_code(response) == code, header


def test_a_deactivated_users_token_stops_working(world, round_bt):
    token = token_for(world.officer_a)
    world.officer_a.is_active = False
    world.officer_a.save()
    response = ApiClient(token).get(ASSESSMENTS)
    assert response.status_code == 401 and error_code(response) == "user_inactive"


def test_per_token_rate_limit(world, settings):
    settings.SMARTCOMMUNE_API_TOKEN_RATE = 3
    client, other = ApiClient(token_for(world.officer_a)), ApiClient(token_for(world.officer_a))
    assert [client.get("/api/v1/units").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/units")
    assert limited.status_code == 429 and error_code(limited) == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"]["details"]["retry_after"] == int(limited["Retry-After"])
    # Another token has its own budget.
    assert other.get("/api/v1/units").status_code == 200


def test_per_ip_rate_limit_for_anonymous_calls(world, settings):
    settings.SMARTCOMMUNE_API_ANONYMOUS_RATE = 2
    client = ApiClient()
    assert [client.get("/api/v1/criteria-sets").status_code for _ in range(2)] == [200, 200]
    limited = client.get("/api/v1/criteria-sets")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    # Another address is counted apart.
    assert Client(REMOTE_ADDR="10.0.0.2").get("/api/v1/criteria-sets").status_code == 200
    # A token is counted per token, not per address.
    assert ApiClient(token_for(world.nobody)).get("/api/v1/criteria-sets").status_code == 200


def test_errors_have_one_json_shape(world, round_bt):
    client = ApiClient(token_for(world.officer_a))
    a = round_bt.assessments.get(unit=world.a)
    cases = [
        (client.get("/api/v1/nowhere"), 404, "not_found"),
        (client.get("/api/v1/assessments/999999"), 404, "not_found"),
        (client.get("/api/v1/assessments/abc"), 422, "invalid_request"),
        (client.get(ASSESSMENTS, {"year": "soon"}), 422, "invalid_request"),
        (client.get(ASSESSMENTS, {"status": "lost"}), 422, "invalid_request"),
        (client.get(ASSESSMENTS, {"limit": "0"}), 422, "invalid_request"),
        (client.client.delete(ASSESSMENTS, headers={"Authorization": f"Bearer {client.token}"}), 405,
         "method_not_allowed"),
        (client.client.patch(f"{ASSESSMENTS}/{a.pk}/values", "{not json", content_type="application/json",
                             headers={"Authorization": f"Bearer {client.token}"}), 400, "bad_request"),
        # A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): the client's mistake.
        (client.client.patch(f"{ASSESSMENTS}/{a.pk}/values", '{"comment": "%s"}' % ("x" * 3_000_000),
                             content_type="application/json",
                             headers={"Authorization": f"Bearer {client.token}"}), 413, "payload_too_large"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/json")
        assert error_code(response) == code


def test_openapi_document_and_docs_page(world):
    client = Client()
    document = client.get("/api/openapi.json")
    assert document.status_code == 200
    spec = document.json()
    assert spec["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    # Reads also answer without a token; writes and the history need one.
    assert spec["paths"]["/api/v1/assessments"]["get"]["security"] == [{"TokenAuth": []}, {}]
    assert spec["paths"]["/api/v1/assessments/{assessment_id}/values"]["patch"]["security"] == [{"TokenAuth": []}]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/openapi.json" in html and '"validatorUrl": null' in html
    # Everything the page loads comes from this site (no CDN, no validator badge).
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url


def test_the_openapi_document_describes_the_shapes_itself(world):
    # Issue 14: outside users do not have DESIGN.md; the document says what each field means.
    text = Client().get("/api/openapi.json").content.decode()
    assert "DESIGN.md" not in text
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    evaluation = schemas["EvaluationOut"]
    assert "smartcommune evaluate" in evaluation["description"]
    assert all(evaluation["properties"][name].get("description") for name in (
        "unit_code", "fields_met", "fields_required", "smart_commune", "complete"))
    criterion = schemas["CriterionResultOut"]["properties"]
    assert "not_applicable" in criterion["status"]["description"] and "ceil" in criterion["gap"]["description"]


def test_guessing_tokens_counts_against_the_address(world, settings):
    settings.SMARTCOMMUNE_API_ANONYMOUS_RATE = 2
    guesses = [Client().get("/api/v1/units", headers={"Authorization": f"Bearer sc_0000000{i}_x"}).status_code
               for i in range(3)]
    assert guesses == [401, 401, 429]
