"""/healthz: 200 with each check named when the database, the storage and the cache work;
503 naming the failing one when one does not.  No login, never cached."""

from __future__ import annotations

import os

import pytest

from tests.ops.faults import database_unreachable

pytestmark = pytest.mark.django_db(transaction=True)


def _broken_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    return str(blocker / "below")  # nothing can be created under a regular file


def test_healthy_answers_200_without_login_and_is_never_cached(client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"]
    assert list(tmp_path.rglob("*.txt")) == []  # the probe object is deleted


def test_storage_failure_answers_503(client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": _broken_dir(tmp_path)}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["checks"]["storage"].startswith("error")
    assert body["checks"]["database"] == "ok"


def test_cache_failure_answers_503(client, settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _broken_dir(tmp_path)}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL")
def test_database_failure_answers_503(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: OperationalError"


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405
