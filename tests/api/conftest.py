"""Fixtures of the API tests: the rounds' small world, tokens, a JSON client and a
published commune."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.test import Client

from smartcommune.api.actions import do_create_token
from tests.rounds.fixtures import (  # noqa: F401  (fixtures)
    fill,
    round_bt,
    step,
    verify_all,
    world,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    # Counters live in the shared cache (a table of the test database): no test inherits another's.
    cache.clear()
    yield
    cache.clear()


def token_for(user, **kwargs) -> str:
    return do_create_token(actor=user, name=f"test {user.username}", **kwargs)[1]


class ApiClient:
    """Django's test client speaking JSON, with an optional bearer token."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def _headers(self, headers: dict) -> dict:
        out = dict(headers)
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def get(self, path: str, data=None, **headers):
        return self.client.get(path, data, headers=self._headers(headers))

    def post(self, path: str, body=None, **headers):
        return self.client.post(path, json.dumps({} if body is None else body), content_type="application/json",
                                headers=self._headers(headers))

    def patch(self, path: str, body=None, **headers):
        return self.client.patch(path, json.dumps({} if body is None else body), content_type="application/json",
                                 headers=self._headers(headers))


@pytest.fixture
def api():
    """``api(user_or_None)`` → a client with a fresh token of that user (anonymous for None)."""
    return lambda user=None: ApiClient(token_for(user) if user is not None else None)


def publish(world, assessment, *, officer, district, recognised=True, **fill_kwargs):
    """Fill ``assessment`` and take it through every step to published."""
    fill(assessment, officer, **fill_kwargs)
    a = step(officer, assessment, "submit")
    if a.status == "submitted":
        a = step(district, a, "district_forward")
    a = verify_all(world, a)
    a = step(world.secretariat, a, "appraise")
    a = step(world.secretariat, a, "record_decision", recognised=recognised, number="12/QĐ-UBND",
             date=dt.date(2025, 1, 15), signer="Chủ tịch UBND tỉnh")
    return step(world.secretariat, a, "publish")


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message_vi", "message_en", "details"}, body
    assert body["error"]["message_vi"] and body["error"]["message_en"]
    return body["error"]["code"]
