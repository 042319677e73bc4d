"""Production settings (issue 16 item 10): a strict Content-Security-Policy on every page,
with no inline script, event handler or style left in the pages; HSTS, SSL redirect and
secure cookies behind TLS; a weak SECRET_KEY is an error; and ``smartcommune manage check
--deploy`` is clean in the documented production configuration."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import reverse

from tests.imports.subprocess_db import ROOT
from tests.results.fixtures import results_world  # noqa: F401  (fixture)
from tests.results.test_views import get, overview_url, scorecard_url

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_has_a_strict_policy_and_nothing_inline(client, results_world):
    w = results_world.world
    pages = [
        (None, reverse("home")), (None, reverse("login")), (None, overview_url()),
        (None, reverse("results:map", args=["83", 2024])), (None, scorecard_url(w.a)),
        (w.officer_a, reverse("home")),
        (w.secretariat, overview_url()), (w.secretariat, reverse("rounds:round_list")),
        (w.officer_c, reverse("rounds:assessment", args=[results_world.c.pk])),
        (w.officer_c, reverse("api:token_list")),
        (None, reverse("admin:login")),
    ]
    for viewer, url in pages:
        response = get(client, viewer, url)
        rules = policy(response)
        assert rules["default-src"] == ["'self'"], url
        assert rules["script-src"] == ["'self'"] and rules["style-src"] == ["'self'"], url
        assert rules["object-src"] == ["'none'"] and rules["frame-ancestors"] == ["'none'"], url
        page = response.content.decode()
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT):
            found = pattern.search(page)
            assert found is None, (url, found and page[found.start():found.start() + 120])


@pytest.mark.django_db
def test_the_api_docs_keep_their_scripts_local_and_only_add_data_images(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    rules = policy(response)
    assert rules["script-src"] == ["'self'"] and rules["img-src"] == ["'self'", "data:"]
    page = response.content.decode()
    assert INLINE_SCRIPT.search(page) is None and HANDLER.search(page) is None
    # The page and every other page differ: data: images are allowed on the docs only.
    assert policy(client.get(reverse("login")))["img-src"] == ["'self'"]


@override_settings(DEBUG=False, SECRET_KEY="kho-ngan")
def test_a_short_secret_key_is_an_error():
    assert "smartcommune.E003" in {m.id for m in run_checks()}


@override_settings(DEBUG=False, SECRET_KEY="a" * 60)
def test_a_key_of_one_repeated_character_is_an_error():
    assert "smartcommune.E003" in {m.id for m in run_checks()}


@override_settings(DEBUG=True, SECRET_KEY="kho-ngan")
def test_a_short_key_is_allowed_in_development():
    assert "smartcommune.E003" not in {m.id for m in run_checks()}


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "SMARTCOMMUNE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "xathongminh.example.gov.vn",
        "SECRET_KEY": "Zq4xT9-documented-production-key-of-more-than-fifty-random-characters",
        **env,
    }
    return subprocess.run([sys.executable, "-m", "smartcommune.cli", "manage", "check", "--deploy", "--fail-level",
                           "WARNING"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path):
    result = deploy_check(tmp_path, SMARTCOMMUNE_HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_without_https_or_with_a_weak_key_is_not_clean(tmp_path):
    plain = deploy_check(tmp_path)
    assert plain.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in plain.stderr + plain.stdout, check_id
    weak = deploy_check(tmp_path, SMARTCOMMUNE_HTTPS="1", SECRET_KEY="ngan-qua")
    assert weak.returncode != 0 and "smartcommune.E003" in weak.stderr + weak.stdout


@pytest.mark.slow
def test_behind_tls_plain_http_is_redirected_but_the_health_probe_is_not(tmp_path):
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'smartcommune.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT)"
    )
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SMARTCOMMUNE_VAR_DIR": str(tmp_path),
                   "SECRET_KEY": "x" * 10, "SMARTCOMMUNE_HTTPS": "1"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.split(" ", 4)[:4] == ["True", "31536000", "True", "True"], out.stderr
    assert "HTTP_X_FORWARDED_PROTO" in out.stdout and "healthz" in out.stdout


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz/?$"],
                   SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=31536000)
def test_the_proxy_header_marks_https(client):
    assert client.get(reverse("login")).status_code == 301
    over_tls = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert over_tls.status_code == 200 and "max-age=31536000" in over_tls.headers["Strict-Transport-Security"]


def settings_in_a_subprocess(tmp_path, expression: str, **env) -> str:
    script = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'smartcommune.settings'; django.setup();"
              f"from django.conf import settings as s; print({expression})")
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SMARTCOMMUNE_VAR_DIR": str(tmp_path),
                   "SECRET_KEY": "x" * 10, **env}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.slow
def test_redis_and_object_storage_are_configured_from_the_environment(tmp_path):
    caches = settings_in_a_subprocess(tmp_path, "[(c['BACKEND'], c.get('LOCATION'), c.get('KEY_PREFIX')) "
                                      "for c in s.CACHES.values()]", SMARTCOMMUNE_CACHE_URL="redis://127.0.0.1:6379/2")
    assert caches == str([("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/2", "default"),
                          ("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/2", "results")])
    storage = settings_in_a_subprocess(tmp_path, "s.STORAGES['default']", SMARTCOMMUNE_S3_BUCKET="minh-chung",
                                       SMARTCOMMUNE_S3_ENDPOINT_URL="https://s3.example.gov.vn")
    assert "'storages.backends.s3.S3Storage'" in storage and "'bucket_name': 'minh-chung'" in storage
    assert "'endpoint_url': 'https://s3.example.gov.vn'" in storage and "'default_acl': 'private'" in storage
    assert settings_in_a_subprocess(tmp_path, "s.STORAGES['default']['BACKEND']") == \
        "django.core.files.storage.FileSystemStorage"


def test_a_configured_backend_without_its_package_is_an_error(monkeypatch, settings):
    from smartcommune.core import checks

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    monkeypatch.setattr(checks, "_installed", lambda module: module != "storages")
    assert [e.id for e in checks.check_optional_packages()] == ["smartcommune.E004"]
    monkeypatch.setattr(checks, "_installed", lambda module: True)
    assert checks.check_optional_packages() == []


def test_the_demo_banner_has_nothing_inline():
    # The banner shows on every page of a database holding synthetic data (the demo), which the
    # page list above does not have: its styles must come from the style sheet too.
    from django.template.loader import render_to_string

    page = render_to_string("core/banner.html", {"synthetic_data": True})
    assert "Dữ liệu mô phỏng" in page
    for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT):
        assert pattern.search(page) is None, page
