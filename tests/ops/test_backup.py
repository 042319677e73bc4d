"""smartcommune backup / restore: a database with rounds, assessments, values, audit and
evidence files is backed up, wiped, restored, and every table (rows and content) and every
file compared; a damaged or incomplete archive is refused before anything is touched; a
database holding data is not overwritten without --force.  Runs on the database the suite
runs on (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from smartcommune.cli import main
from smartcommune.rounds.actions import do_add_evidence
from tests.ops.compare import assert_same, snapshot, wipe
from tests.rounds.fixtures import assessment_of, fill, fresh, open_round, step, world  # noqa: F401
from tests.rounds.test_uploads import tiny_pdf, tiny_png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(world):
    """Two rounds, filled and submitted assessments, links, documents and two files."""
    round_ = open_round(world)
    open_round(world, year=2023)
    a = fill(assessment_of(round_, world.a), world.officer_a, numerator=9)
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="file",
                    file=ContentFile(tiny_pdf(), name="bao-cao.pdf"), expected_version=fresh(a).version)
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="file",
                    file=ContentFile(tiny_png(), name="anh.png"), expected_version=fresh(a).version)
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.1", kind="link",
                    url="https://example.vn/bao-cao", expected_version=fresh(a).version)
    step(world.officer_a, fresh(a), "submit")
    fill(assessment_of(round_, world.b), world.officer_b, numerator=3)
    return world


def test_backup_wipe_restore_gives_back_every_table_and_file(data, tmp_path, capsys):
    before = snapshot()
    assert len(before[1]) == 2 and before[0]["rounds_evidence"] and before[0]["rounds_auditentry"]
    archive = tmp_path / "backup.tar"
    assert main(["backup", "--output", str(archive)]) == 0

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["app_version"] and manifest["created"]
    assert manifest["tables"]["rounds_evidence"] == len(before[0]["rounds_evidence"])
    assert {f["name"] for f in manifest["files"]} == set(before[1])

    wipe()
    assert snapshot()[0]["rounds_assessment"] == [] and snapshot()[1] == {}
    assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
    after = snapshot()
    assert_same(before, after)


def test_a_database_holding_data_is_not_overwritten_without_force(data, tmp_path, capsys):
    archive = tmp_path / "backup.tar"
    assert main(["backup", "-o", str(archive)]) == 0
    before = snapshot()
    assert main(["restore", str(archive)]) == 1
    assert "--force" in capsys.readouterr().err
    assert snapshot() == before
    # With --force the same archive replaces everything, extra files included.
    default_storage.save("evidence/extra.pdf", ContentFile(b"%PDF-1.4 extra"))
    assert main(["restore", "--force", str(archive)]) == 0
    assert snapshot() == before


def _rewrite(archive, target, *, drop=None, corrupt=None):
    """A copy of ``archive`` without member ``drop`` or with one byte of ``corrupt`` changed."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            if member.name == drop:
                continue
            data = source.extractfile(member).read()
            if member.name == corrupt:
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("damage", ["database", "file", "missing file", "truncated", "no manifest"])
def test_a_damaged_archive_is_refused_before_anything_is_touched(data, tmp_path, capsys, damage):
    archive, damaged = tmp_path / "backup.tar", tmp_path / "damaged.tar"
    assert main(["backup", "-o", str(archive)]) == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    database = next(n for n in names if n.startswith("database."))
    file_member = next(n for n in names if n.startswith("files/") and n.endswith(".pdf"))
    if damage == "database":
        _rewrite(archive, damaged, corrupt=database)
    elif damage == "file":
        _rewrite(archive, damaged, corrupt=file_member)
    elif damage == "missing file":
        _rewrite(archive, damaged, drop=file_member)
    elif damage == "truncated":
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        _rewrite(archive, damaged, drop="manifest.json")
    wipe()
    empty = snapshot()
    assert main(["restore", "--force", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert "hỏng" in err and "damaged" in err
    assert snapshot() == empty
