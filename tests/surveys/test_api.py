"""The survey API: plans and aggregated results with the web's scoping, the officer
channel's submission, the API's error shape."""

from __future__ import annotations

import pytest

from smartcommune.rounds.models import Assessment, Status
from smartcommune.surveys.models import Answer
from tests.api.conftest import ApiClient, token_for
from tests.surveys.fixtures import answer, survey  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_cache")


def test_plans_and_results_follow_the_roles(world, survey):
    answer(survey, level=4, hamlet_id=survey.hamlets.first().pk)
    answer(survey, level=1)
    anonymous = ApiClient()
    assert anonymous.get("/api/v1/surveys").json()["count"] == 0
    assert anonymous.get(f"/api/v1/surveys/{survey.pk}/results").json()["error"]["code"] == "not_found"
    for outsider in (world.officer_b, world.secretariat_vl):
        client = ApiClient(token_for(outsider))
        assert client.get(f"/api/v1/surveys/{survey.pk}").status_code == 404
    for insider in (world.officer_a, world.district1, world.secretariat):
        client = ApiClient(token_for(insider))
        listed = client.get("/api/v1/surveys").json()
        assert [s["id"] for s in listed["results"]] == [survey.pk]
        assert listed["results"][0]["plan"]["planned"] == 91
        results = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
        assert results["valid"] == 2 and [lv["count"] for lv in results["overall"]["levels"]] == [1, 0, 0, 1]
        assert results["overall"]["index"]["count"] == 1
        assert results["hamlets"][0]["valid"] == 1
        assert "identity" not in str(results) and "answers" not in results
    Assessment.objects.filter(pk=survey.assessment_id).update(status=Status.PUBLISHED,
                                                              published_at="2025-03-01T00:00:00Z")
    assert anonymous.get(f"/api/v1/surveys/{survey.pk}/results").json()["valid"] == 2


def test_the_officer_channel_records_a_paper_answer(world, survey):
    client = ApiClient(token_for(world.officer_a))
    response = client.post(f"/api/v1/surveys/{survey.pk}/answers", {"channel": "paper", "level": 3,
                                                                    "topics": {"quy_hoach": "ro_rang"}})
    assert response.status_code == 201, response.content
    a = Answer.objects.get(pk=response.json()["id"])
    assert (a.channel, a.level, a.entered_by, a.topics) == ("paper", 3, world.officer_a, {"quy_hoach": "ro_rang"})


@pytest.mark.parametrize("body, status, code", [
    ({"channel": "web", "level": 3}, 422, "invalid_request"),
    ({"channel": "paper", "level": 0}, 422, "invalid_request"),
    ({"channel": "paper", "level": 7}, 422, "validation_failed"),
    ({"channel": "paper", "level": 3, "hamlet_id": 999999}, 422, "validation_failed"),
    ({"channel": "paper", "level": 3, "identity": "12"}, 422, "validation_failed"),
])
def test_bad_answers_are_refused_in_the_apis_error_shape(world, survey, body, status, code):
    response = ApiClient(token_for(world.officer_a)).post(f"/api/v1/surveys/{survey.pk}/answers", body)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert not Answer.objects.exists()


def test_submission_needs_a_token_and_a_role_that_runs_the_survey(world, survey):
    assert ApiClient().post(f"/api/v1/surveys/{survey.pk}/answers",
                            {"channel": "paper", "level": 3}).status_code == 401
    district = ApiClient(token_for(world.district1))
    response = district.post(f"/api/v1/surveys/{survey.pk}/answers", {"channel": "paper", "level": 3})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_allowed"
    outsider = ApiClient(token_for(world.officer_b))
    assert outsider.post(f"/api/v1/surveys/{survey.pk}/answers", {"channel": "paper", "level": 3}).status_code == 404
    assert not Answer.objects.exists()
