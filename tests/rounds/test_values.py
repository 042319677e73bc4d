"""Saving values and evidence: audit of every change, edit conflicts, validation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.rounds.actions import do_add_evidence, do_remove_evidence, do_save_values, do_transition
from smartcommune.rounds.exceptions import AuditImmutable, EditConflict, NotAllowed, ValidationFailed
from smartcommune.rounds.models import AuditEntry, CriterionValue, Evidence
from smartcommune.rounds.selectors import changes_since, history
from tests.rounds.fixtures import CRITERIA, assessment_of, fresh, step
from tests.rounds.test_uploads import tiny_png

pytestmark = pytest.mark.django_db


def save(world, a, values, version=None, actor=None):
    return do_save_values(actor=actor or world.officer_a, assessment=a,
                          expected_version=a.version if version is None else version, values=values)


def snapshot(a):
    return list(CriterionValue.objects.filter(assessment=a).order_by("pk").values_list(
        "criterion_code", "numerator", "denominator", "met", "source", "updated_at"))


def test_open_round_creates_a_value_row_per_criterion_for_every_commune_in_force(world, round_bt):
    assessments = round_bt.assessments.all()
    assert {a.unit for a in assessments} == {world.a, world.b, world.c}  # not the abolished one, not Vĩnh Long
    assert {a.status for a in assessments} == {"draft"}
    for a in assessments:
        assert sorted(a.values.values_list("criterion_code", flat=True)) == sorted(c.code for c in CRITERIA.criteria)
        assert not a.values.exclude(numerator=None, denominator=None, met=None).exists()
        assert list(a.audit_entries.values_list("action", "version")) == [("created", 1)]


def test_every_changed_field_yields_exactly_one_entry(world, round_bt):
    a = assessment_of(round_bt, world.a)
    a = save(world, a, {"1.1": {"numerator": 3, "denominator": 4, "source": "Khảo sát"}, "1.3": {"met": True}})
    assert a.version == 2
    entries = AuditEntry.objects.filter(assessment=a, version=2).order_by("pk")
    assert sorted((e.action, e.criterion_code, e.field, e.old_value, e.new_value, e.actor_id) for e in entries) == [
        ("value_changed", "1.1", "denominator", None, 4, world.officer_a.pk),
        ("value_changed", "1.1", "numerator", None, 3, world.officer_a.pk),
        ("value_changed", "1.1", "source", "", "Khảo sát", world.officer_a.pk),
        ("value_changed", "1.3", "met", None, True, world.officer_a.pk),
    ]
    # Changing one field of the same row: one entry, old and new.
    a = save(world, a, {"1.1": {"numerator": 4, "denominator": 4, "source": "Khảo sát"}})
    entry = AuditEntry.objects.get(assessment=a, version=3)
    assert (entry.field, entry.old_value, entry.new_value) == ("numerator", 3, 4)
    value = a.values.get(criterion_code="1.1")
    assert (value.updated_by, value.updated_at) == (world.officer_a, entry.at)
    # Saving the same values again writes nothing and keeps the version.
    same = save(world, a, {"1.1": {"numerator": 4}})
    assert same.version == 3 and AuditEntry.objects.filter(assessment=a).count() == 1 + 4 + 1
    assert [e.version for e in history(a)] == [3, 2, 2, 2, 2, 1]


def test_status_changes_are_audited(world, round_bt):
    a = step(world.officer_a, assessment_of(round_bt, world.a), "submit")
    entry = AuditEntry.objects.get(assessment=a, field="status", version=a.version)
    assert (entry.action, entry.old_value, entry.new_value, entry.actor) == ("status_changed", "draft", "submitted", world.officer_a)


def test_stale_version_is_refused_listing_what_changed_meanwhile(world, round_bt):
    a = assessment_of(round_bt, world.a)
    first = save(world, a, {"1.2": {"numerator": 80, "denominator": 100}})
    before = snapshot(a)
    with pytest.raises(EditConflict) as conflict:
        save(world, a, {"1.2": {"numerator": 95}}, version=1, actor=world.officer_a)
    assert snapshot(a) == before
    assert fresh(a).version == first.version == 2
    assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
    assert sorted((e.criterion_code, e.field, e.new_value) for e in conflict.value.changes) == [
        ("1.2", "denominator", 100), ("1.2", "numerator", 80)]
    assert list(changes_since(a, 1)) == conflict.value.changes
    assert "phiên bản 1 → 2" in str(conflict.value)


def test_transition_with_a_stale_version_is_refused(world, round_bt):
    a = assessment_of(round_bt, world.a)
    save(world, a, {"1.3": {"met": True}})
    with pytest.raises(EditConflict):
        do_transition(actor=world.officer_a, assessment=a, transition_name="submit", expected_version=1)
    assert fresh(a).status == "draft"


def test_validation_failure_lists_every_problem_and_changes_nothing(world, round_bt):
    a = assessment_of(round_bt, world.a)
    a = save(world, a, {"1.1": {"numerator": 1, "denominator": 2}})
    before = snapshot(a)
    with pytest.raises(ValidationFailed) as refused:
        save(world, a, {
            "1.1": {"numerator": 5},            # above the denominator 2
            "1.2": {"numerator": -1, "denominator": 3},
            "1.3": {"numerator": 1},            # a pass/fail criterion has no ratio
            "2.2": {"denominator": "ba"},
        })
    problems = refused.value.problems
    assert {(p.criterion, p.field) for p in problems} == {
        ("1.1", "numerator"), ("1.2", "numerator"), ("1.3", "numerator"), ("2.2", "denominator")}
    first = next(p for p in problems if p.criterion == "1.1")
    assert "Phường Phú Khương (28756)" in first.vi and "2024" in first.vi and "= 5" in first.vi
    assert snapshot(a) == before and fresh(a).version == a.version


def test_unknown_criterion_and_other_communes_are_refused(world, round_bt):
    a = assessment_of(round_bt, world.a)
    with pytest.raises(ValidationFailed):
        save(world, a, {"42": {"met": True}})
    with pytest.raises(NotAllowed):
        save(world, a, {"1.3": {"met": True}}, actor=world.officer_b)
    with pytest.raises(NotAllowed):
        save(world, a, {"1.3": {"met": True}}, actor=world.secretariat)
    assert fresh(a).version == 1


def test_values_cannot_change_after_submission(world, round_bt):
    a = step(world.officer_a, assessment_of(round_bt, world.a), "submit")
    with pytest.raises(NotAllowed, match="Đã nộp"):
        save(world, a, {"1.3": {"met": True}})


def test_audit_entries_cannot_be_updated_or_deleted(world, round_bt):
    a = save(world, assessment_of(round_bt, world.a), {"1.3": {"met": True}})
    entry = AuditEntry.objects.filter(assessment=a).last()
    entry.new_value = False
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(assessment=a).update(reason="sửa lén")
    with pytest.raises(AuditImmutable, match="append-only"):
        AuditEntry.objects.filter(assessment=a).delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.bulk_update([entry], ["new_value"])
    assert AuditEntry.objects.get(pk=entry.pk).new_value is True


# -- evidence ------------------------------------------------------------------------------


def test_evidence_file_is_stored_under_a_random_name_and_audited(world, round_bt, settings):
    a = assessment_of(round_bt, world.a)
    upload = SimpleUploadedFile("Ảnh trạm y tế.PNG", tiny_png(), content_type="application/octet-stream")
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.1", kind="file", file=upload,
                               note="Wifi trạm y tế")
    prefix = f"evidence/{round_bt.pk}/{a.pk}/"
    assert evidence.file.name.startswith(prefix) and evidence.file.name.endswith(".png")
    assert len(evidence.file.name) == len(prefix) + 32 + 4  # uuid4 hex + extension
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == tiny_png()
    assert (evidence.original_name, evidence.content_type, evidence.size) == ("Ảnh trạm y tế.PNG", "image/png", len(tiny_png()))
    entry = AuditEntry.objects.get(assessment=a, action="evidence_added")
    assert (entry.criterion_code, entry.new_value["original_name"], entry.version) == ("1.1", "Ảnh trạm y tế.PNG", 2)


def test_evidence_link_and_document(world, round_bt):
    a = assessment_of(round_bt, world.a)
    link = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link",
                           url="https://phukhuong.bentre.gov.vn")
    doc = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="2.1", kind="document",
                          document_number="15/NQ-HĐND")
    assert link.url and doc.document_number == "15/NQ-HĐND" and fresh(a).version == 3
    with pytest.raises(ValidationFailed):
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link", url="javascript:alert(1)")
    with pytest.raises(ValidationFailed):
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="2.1", kind="document", document_number=" ")
    with pytest.raises(NotAllowed):
        do_add_evidence(actor=world.officer_b, assessment=a, criterion_code="2.1", kind="document", document_number="1")


def test_rejected_upload_stores_nothing(world, round_bt, settings):
    a = assessment_of(round_bt, world.a)
    with pytest.raises(ValidationFailed):
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.1", kind="file",
                        file=SimpleUploadedFile("x.pdf", tiny_png()))
    with pytest.raises(NotAllowed):
        do_add_evidence(actor=world.officer_b, assessment=a, criterion_code="1.1", kind="file",
                        file=SimpleUploadedFile("x.png", tiny_png()))
    assert not Evidence.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_evidence_removal_is_soft_and_audited(world, round_bt):
    a = assessment_of(round_bt, world.a)
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link",
                               url="https://example.vn")
    evidence = do_remove_evidence(actor=world.officer_a, evidence=evidence, reason="Nhầm đường dẫn")
    assert evidence.removed_at and evidence.removed_by == world.officer_a
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    entry = AuditEntry.objects.get(assessment=a, action="evidence_removed")
    assert (entry.old_value["url"], entry.reason) == ("https://example.vn", "Nhầm đường dẫn")
    with pytest.raises(ValidationFailed):
        do_remove_evidence(actor=world.officer_a, evidence=evidence)


def test_evidence_is_frozen_with_the_values(world, round_bt):
    a = assessment_of(round_bt, world.a)
    evidence = do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link",
                               url="https://example.vn")
    step(world.officer_a, a, "submit")
    with pytest.raises(NotAllowed):
        do_remove_evidence(actor=world.officer_a, evidence=evidence)
    with pytest.raises(NotAllowed):
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link", url="https://x.vn")


def test_evidence_after_a_return_counts_as_an_answer(world, round_bt):
    a = step(world.officer_a, assessment_of(round_bt, world.a), "submit")
    a = step(world.district1, a, "district_return", items={"1.3": "Thiếu minh chứng"})
    with pytest.raises(NotAllowed):  # only the returned item
        do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.4", kind="link", url="https://x.vn")
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code="1.3", kind="link", url="https://x.vn")
    assert step(world.officer_a, a, "submit").status == "submitted"


def test_a_failed_write_leaves_no_orphan_file(world, round_bt, settings, monkeypatch):
    from smartcommune.rounds.audit import Recorder

    def fail(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Recorder, "flush", fail)
    with pytest.raises(RuntimeError):
        do_add_evidence(actor=world.officer_a, assessment=assessment_of(round_bt, world.a), criterion_code="1.1",
                        kind="file", file=SimpleUploadedFile("a.png", tiny_png()))
    assert not Evidence.objects.exists()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
