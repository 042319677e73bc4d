"""Issue 16.11: the demo is backed up, wiped, restored, and every table (rows and content)
and every uploaded file compared.  Builds the whole demo in committed transactions (pg_dump
reads committed data only), so it belongs with the demo-building tests."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from smartcommune.cli import main
from tests.ops.compare import assert_same, snapshot, wipe

pytestmark = pytest.mark.slow  # builds the whole demo

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_the_demo_survives_backup_wipe_and_restore(tmp_path, capsys):
    with override_settings(MEDIA_ROOT=tmp_path / "media", PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo")
        before = snapshot()
        assert before[0]["rounds_assessment"] and before[0]["rounds_auditentry"] and before[1]
        archive = tmp_path / "demo.tar"
        assert main(["backup", "--output", str(archive)]) == 0
        wipe()
        assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
        after = snapshot()
    assert_same(before, after)
