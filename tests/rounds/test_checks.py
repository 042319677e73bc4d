import pytest
from django.core.checks import run_checks


def _ids():
    return {m.id for m in run_checks()}


def test_default_upload_limit_passes():
    assert "smartcommune.E010" not in _ids()


@pytest.mark.parametrize("value", [0, -1, "20MB", 1.5, True, None])
def test_upload_limit_must_be_a_positive_int(settings, value):
    settings.SMARTCOMMUNE_UPLOAD_MAX_BYTES = value
    assert "smartcommune.E010" in _ids()
