from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from smartcommune.core import checks


def _ids():
    return {m.id for m in run_checks()}


def test_configured_test_settings_pass_every_check():
    assert not [m for m in run_checks() if m.id.startswith("smartcommune.")]


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    # A verbose name or help text made translatable keeps its Vietnamese text as the
    # message id, which is what the migrations hold: no migration follows.
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail(f"the models differ from their migrations:\n{out.getvalue()}")


@override_settings(DEBUG=False, SECRET_KEY="")
def test_missing_secret_key_outside_development_is_an_error():
    assert "smartcommune.E001" in _ids()


@override_settings(DEBUG=True, ALLOWED_HOSTS=["xa.example.vn"])
def test_debug_with_public_hosts_warns():
    assert "smartcommune.W001" in _ids()


def test_unsupported_database_engine_is_an_error(monkeypatch):
    # Overriding DATABASES itself is unsafe mid-run; the check reads only this key.
    fake = SimpleNamespace(DATABASES={"default": {"ENGINE": "django.db.backends.mysql"}})
    monkeypatch.setattr(checks, "settings", fake)
    assert [m.id for m in checks.check_database_engine()] == ["smartcommune.E002"]
