"""Values filled by a process kept in the product (``do_feed_values``): who may feed,
in which states, the audit, and hand edits refused on every channel while fed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcommune.imports.actions import do_import
from smartcommune.imports.exceptions import ImportRefused
from smartcommune.imports.preview import build_preview
from smartcommune.imports.sources import read_upload
from smartcommune.rounds.actions import do_add_evidence, do_feed_values, do_release_feed, do_save_values
from smartcommune.rounds.exceptions import NotAllowed, ValidationFailed
from smartcommune.rounds.models import AuditAction, AuditEntry
from tests.imports.helpers import fill_cells, row_of, template
from tests.rounds.fixtures import assessment_of, fresh, step
from tests.rounds.test_uploads import tiny_png

pytestmark = pytest.mark.django_db

SOURCE = "Khảo sát trong hệ thống"


def feed(world, a, actor=None, feeder="survey", **values):
    return do_feed_values(actor=actor or world.secretariat, assessment=a, criterion_code="4", feeder=feeder,
                          source=SOURCE, **values)


def test_feeding_writes_values_source_and_one_audit_row_each(world, round_bt):
    a = assessment_of(round_bt, world.a)
    version = fresh(a).version
    a = feed(world, a, numerator=380, denominator=400)
    assert a.version == version + 1
    value = a.values.get(criterion_code="4")
    assert (value.numerator, value.denominator, value.source, value.fed_by) == (380, 400, SOURCE, "survey")
    entries = AuditEntry.objects.filter(assessment=a, version=a.version)
    assert sorted((e.action, e.field, e.new_value, e.actor_id) for e in entries) == [
        (AuditAction.VALUE_FED, "denominator", 400, world.secretariat.pk),
        (AuditAction.VALUE_FED, "fed_by", "survey", world.secretariat.pk),
        (AuditAction.VALUE_FED, "numerator", 380, world.secretariat.pk),
        (AuditAction.VALUE_FED, "source", SOURCE, world.secretariat.pk),
    ]
    # Feeding the same numbers again writes nothing.
    assert feed(world, a, numerator=380, denominator=400).version == a.version


def test_hand_edits_of_a_fed_criterion_are_refused_on_the_web_path_and_the_import(world, round_bt):
    a = feed(world, assessment_of(round_bt, world.a), numerator=380, denominator=400)
    with pytest.raises(NotAllowed, match="điền tự động"):
        do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"4": {"numerator": 400}})
    # Other criteria stay editable.
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"1.1": {"numerator": 1, "denominator": 2}})
    data = fill_cells(template(round_bt, [a]), {f"H{row_of(0, '4')}": 400, f"J{row_of(0, '4')}": 400})
    with pytest.raises(ImportRefused) as refused:
        build_preview(read_upload(data, "x.xlsx"), world.officer_a, round_=round_bt)
    assert [p.vi for p in refused.value.problems] == [
        f"Phường Phú Khương (28756), năm 2024: Tiêu chí 4 được điền tự động (“{SOURCE}”); không sửa tay được khi "
        "nguồn này còn cung cấp số liệu"]
    with pytest.raises(NotAllowed):
        do_import(actor=world.officer_a, changes=[(a.pk, "4", {"numerator": 400})],
                  versions={a.pk: fresh(a).version}, file_name="x.xlsx")
    assert fresh(a).values.get(criterion_code="4").numerator == 380
    # Released: the values stay and the officer may edit them again.
    a = do_release_feed(actor=world.secretariat, assessment=a, criterion_code="4", feeder="survey")
    value = a.values.get(criterion_code="4")
    assert (value.numerator, value.fed_by) == (380, "")
    a = do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version,
                       values={"4": {"numerator": 400}})
    assert a.values.get(criterion_code="4").numerator == 400


def test_who_may_feed_and_when(world, round_bt):
    a = assessment_of(round_bt, world.a)
    for outsider in (world.officer_b, world.district1, world.verifiers["SNV"], world.nobody, world.secretariat_vl):
        with pytest.raises(NotAllowed):
            feed(world, a, actor=outsider, numerator=1, denominator=2)
    assert feed(world, a, actor=world.officer_a, numerator=1, denominator=2).values.get(
        criterion_code="4").fed_by == "survey"
    # Another process may not take over a fed criterion.
    with pytest.raises(NotAllowed):
        feed(world, a, feeder="other", numerator=1, denominator=2)
    # Submitted: nothing takes values.
    b = step(world.officer_b, assessment_of(round_bt, world.b), "submit")
    with pytest.raises(NotAllowed, match="không nhận số liệu"):
        feed(world, b, numerator=1, denominator=2)


def test_fed_values_pass_the_same_rules_as_hand_edits(world, round_bt):
    a = assessment_of(round_bt, world.a)
    with pytest.raises(ValidationFailed):
        feed(world, a, numerator=-1, denominator=2)
    with pytest.raises(ValidationFailed):
        feed(world, a, numerator=3_000_000_000, denominator=2)
    assert fresh(a).values.get(criterion_code="4").fed_by == ""


def test_the_feeding_process_attaches_its_report_as_evidence(world, round_bt):
    a = assessment_of(round_bt, world.a)
    report = SimpleUploadedFile("bao-cao.png", tiny_png(), content_type="image/png")
    with pytest.raises(NotAllowed):  # the secretariat may not edit the commune's evidence by hand
        do_add_evidence(actor=world.secretariat, assessment=a, criterion_code="4", kind="file", file=report)
    report.seek(0)
    evidence = do_add_evidence(actor=world.secretariat, assessment=a, criterion_code="4", kind="file",
                               file=report, feeder="survey", note="Báo cáo khảo sát")
    assert evidence.uploaded_by == world.secretariat and evidence.criterion_code == "4"


def test_the_entry_form_shows_fed_values_read_only(client, world, round_bt):
    a = feed(world, assessment_of(round_bt, world.a), numerator=380, denominator=400)
    client.force_login(world.officer_a)
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert 'name="numerator-4"' not in page and 'name="numerator-1.1"' in page
    assert f"Điền tự động từ “{SOURCE}”" in page
