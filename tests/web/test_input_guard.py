"""Odd input is a 400 or a clear message, never a 500 (issue 16.4): NUL characters in
addresses and forms, ids beyond 64 bits, malformed versions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.rounds.fixtures import assessment_of, verifier_for

HUGE = "18446744073709551616"  # 2**64


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", [
    "/results/83/2024/?district=%00",
    "/results/83/2024/map/?district=%00",
    "/results/83/2024/overview.json?status=%00",
    "/exports/83/2024/ket-qua.xlsx?district=%00",
    "/results/%00/2025/",
    "/api/v1/assessments?unit=%00",
    "/rounds/?q=a%00b",
])
def test_a_nul_in_the_address_is_a_400(client, world, path):
    assert client.get(path).status_code == 400


def test_the_api_answers_a_nul_in_its_error_shape(client, world):
    response = client.get("/api/v1/assessments", {"unit": "\x00"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request" and "NUL" in response.json()["error"]["message_vi"]


def test_a_nul_in_a_form_is_a_400_and_changes_nothing(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    client.force_login(world.officer_a)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]),
                           {"expected_version": a.version, "source-1.2": "Báo cáo\x00"})
    assert response.status_code == 400
    assert a.values.get(criterion_code="1.2").source == ""


def test_ids_beyond_64_bits_in_the_agency_queue(client, world, round_bt):
    client.force_login(verifier_for(world, "1.2"))
    response = client.get(reverse("rounds:agency_queue"), {"district": HUGE, "year": HUGE})
    assert response.status_code == 200
    for item in (f"{HUGE}:1.2:1", f"1:1.2:{HUGE}", "9" * 10_000 + ":1.2:1", "٣:1.2:1", "1:1.2"):
        response = client.post(reverse("rounds:verify_items"), {"item": item}, headers={"accept": "application/json"})
        assert response.status_code == 400, item
        assert "Mục không hợp lệ" in response.json()["error"]["vi"]


def test_a_version_beyond_64_bits_is_refused(client, world, round_bt):
    a = assessment_of(round_bt, world.a)
    client.force_login(world.officer_a)
    response = client.post(reverse("rounds:assessment_save", args=[a.pk]),
                           {"expected_version": HUGE, "numerator-1.2": "1"})
    assert response.status_code == 400
    response = client.post(reverse("rounds:transition", args=[a.pk, "submit"]), {"expected_version": HUGE})
    assert response.status_code in (302, 303)
    assert a.values.get(criterion_code="1.2").numerator is None
