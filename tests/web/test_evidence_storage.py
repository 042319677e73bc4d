"""Evidence files go through Django's storage (``STORAGES["default"]``), and a failed
upload leaves nothing behind: no file, no row, no audit entry (issue 16, 13 and 14)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from smartcommune.rounds.actions import do_add_evidence
from smartcommune.rounds.audit import Recorder
from smartcommune.rounds.exceptions import UploadRejected
from smartcommune.rounds.models import Evidence
from tests.web.test_assessment import PDF, a, field_error, fresh, login, state, upload, url  # noqa: F401

BIG_PDF = PDF + b"%" + b"x" * 200_000 + b"\n"


def files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def full_disk(settings, tmp_path):
    root = tmp_path / "full-disk"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "tests.web.storages.FullDiskStorage", "OPTIONS": {"location": str(root)}}}
    return root


def test_full_disk_leaves_nothing_and_says_so(client, world, a, full_disk):
    login(client, world.officer_a)
    before = state(a)
    response = upload(client, a, name="bien-ban.pdf", content=BIG_PDF)
    assert response.status_code == 400  # the page again, the refusal beside the file field; not a 500
    text = field_error(response, "ev-file-1-2")
    assert "bien-ban.pdf" in text and "không lưu được tệp vào kho lưu trữ" in text
    assert state(a) == before
    assert files_under(full_disk) == []


def test_full_disk_through_the_action(world, a, full_disk):
    with pytest.raises(UploadRejected) as info:
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="file",
                        file=SimpleUploadedFile("a.pdf", BIG_PDF))
    assert "disk full" in info.value.en
    assert not Evidence.objects.exists() and files_under(full_disk) == []


def test_database_failure_after_the_file_is_written_removes_it(world, a, settings, monkeypatch):
    def broken(self):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Recorder, "flush", broken)
    before = state(a)
    with pytest.raises(DatabaseError):
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.2", kind="file",
                        file=SimpleUploadedFile("a.pdf", PDF))
    assert state(a) == before and not Evidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_files_live_only_in_the_configured_storage(client, world, a, settings):
    """An in-memory storage stands for an object store: the upload, the download and
    the page work without any file on this server's disk."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    login(client, world.officer_a)
    assert upload(client, a, name="bien-ban.pdf", content=PDF).status_code == 303
    evidence = Evidence.objects.get()
    download = client.get(url("evidence_download", evidence.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert files_under(settings.MEDIA_ROOT) == []
    assert client.get(url("assessment", fresh(a).pk)).status_code == 200


def test_a_failing_object_store_is_a_clear_refusal(client, world, a, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "tests.web.storages.FailingStoreStorage", "OPTIONS": {"location": str(tmp_path / "store")}}}
    login(client, world.officer_a)
    before = state(a)
    response = upload(client, a, name="bien-ban.pdf", content=PDF)
    assert response.status_code == 400
    assert "không lưu được tệp vào kho lưu trữ" in field_error(response, "ev-file-1-2")
    assert state(a) == before
