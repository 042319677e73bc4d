"""Preview contents, the commit and its audit rows, CSV imports, round trips."""

import io
import re

import pytest

from smartcommune.exchange.long_csv import read_long_csv, write_long_csv
from smartcommune.imports import selectors
from smartcommune.imports.actions import do_import
from smartcommune.imports.preview import build_preview, describe
from smartcommune.imports.sources import read_upload
from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.models import AuditAction, AuditEntry, CriterionValue
from tests.imports.helpers import CODES, fill_cells, row_of, snapshot, template
from tests.rounds.fixtures import CRITERIA, assessment_of, fill, fresh


def _import(data, name, actor, round_=None):
    preview = build_preview(read_upload(data, name), actor, round_=round_)
    result = do_import(actor=actor, changes=preview.changes(), versions=preview.versions, file_name=name)
    return preview, result


def test_preview_shows_old_new_statuses_and_outcome(world, round_bt):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a, numerator=10, denominator=10, met=True)
    before = snapshot()
    data = fill_cells(template(round_bt, [a], prefill=True), {
        f"H{row_of(0, '1.2')}": 1, f"J{row_of(0, '1.2')}": 10,  # 100 % → 10 %: field 1 not met
        f"M{row_of(0, '1.2')}": "Sổ theo dõi",
    })
    preview = build_preview(read_upload(data, "x.xlsx"), world.officer_a, round_=round_bt)
    assert snapshot() == before  # a preview writes nothing
    [commune] = preview.communes
    [change] = commune.changes
    assert change.code == "1.2" and change.fields == ["numerator", "source"]
    assert (change.old["numerator"], change.new["numerator"]) == (10, 1)
    assert (change.old["source"], change.new["source"]) == ("Báo cáo UBND xã", "Sổ theo dõi")
    assert (change.old_status, change.new_status) == ("met", "not_met")
    assert commune.field_changes == [("1", CRITERIA.groups[0].name, "met", "not_met")]
    assert (commune.before.fields_met, commune.after.fields_met) == (10, 9)
    assert preview.versions == {a.pk: fresh(a).version}
    text = describe(preview)
    assert "1.2: numerator 10 → 1; source Báo cáo UBND xã → Sổ theo dõi [Đạt → Chưa đạt]" in text
    assert "lĩnh vực đạt 10 → 9" in text
    stored = preview.as_json()["communes"][0]
    assert stored["criteria"][0]["status"] == ["met", "not_met"] and stored["fields_met"] == [10, 9]


def test_commit_writes_values_and_one_audit_row_per_changed_value(world, round_bt):
    a = assessment_of(round_bt, world.a)
    version = fresh(a).version
    r = row_of(0, "3.1")
    data = fill_cells(template(round_bt, [a]), {f"H{r}": 40, f"J{r}": 40, f"L{r}": "Đạt", f"M{r}": "Cổng TTĐT"})
    preview, result = _import(data, "xa.xlsx", world.officer_a, round_bt)
    assert (result.assessments, result.values) == (1, 4)
    a = fresh(a)
    assert a.version == version + 1
    value = a.values.get(criterion_code="3.1")
    assert (value.numerator, value.denominator, value.met, value.source) == (40, 40, True, "Cổng TTĐT")
    assert value.updated_by == world.officer_a and value.updated_at is not None
    entries = AuditEntry.objects.filter(assessment=a, action=AuditAction.VALUE_CHANGED).order_by("pk")
    assert [(e.criterion_code, e.field, e.old_value, e.new_value, e.version, e.actor) for e in entries] == [
        ("3.1", "numerator", None, 40, a.version, world.officer_a),
        ("3.1", "denominator", None, 40, a.version, world.officer_a),
        ("3.1", "met", None, True, a.version, world.officer_a),
        ("3.1", "source", "", "Cổng TTĐT", a.version, world.officer_a),
    ]
    assert all(e.reason == "Nhập từ tệp “xa.xlsx”" for e in entries)
    # The same shape as a save from the form.
    do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"3.1": {"numerator": 39}})
    saved = AuditEntry.objects.filter(assessment=a).order_by("-pk").first()
    assert (saved.action, saved.criterion_code, saved.field, saved.old_value, saved.new_value) == (
        AuditAction.VALUE_CHANGED, "3.1", "numerator", 40, 39)


def test_blank_template_keeps_empty_cells_prefilled_clears_them(world, round_bt):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a)
    r = row_of(0, "1.2")
    _import(fill_cells(template(round_bt, [a]), {f"H{r}": 3}), "blank.xlsx", world.officer_a, round_bt)
    value = a.values.get(criterion_code="1.2")
    assert (value.numerator, value.denominator, value.source) == (3, 10, "Báo cáo UBND xã")
    _import(fill_cells(template(round_bt, [fresh(a)], prefill=True), {f"H{r}": None, f"J{r}": None, f"M{r}": None}),
            "pre.xlsx", world.officer_a, round_bt)
    value = a.values.get(criterion_code="1.2")
    assert (value.numerator, value.denominator, value.source) == (None, None, "")


def test_csv_import_and_ambiguous_codes(world, round_bt):
    csv = "unit_code,year,criterion,numerator,denominator,met\n28756,2024,1.2,5,8,\n28756,2024,1.3,,,Đạt\n"
    preview, result = _import(csv.encode(), "xa.csv", world.officer_a)
    assert result.values == 3
    a = assessment_of(round_bt, world.a)
    assert a.values.get(criterion_code="1.2").numerator == 5 and a.values.get(criterion_code="1.3").met is True
    assert a.values.get(criterion_code="1.2").source == ""  # the CSV has no source column


def test_whole_province_in_one_file(world, round_bt):
    assessments = [assessment_of(round_bt, u) for u in (world.a, world.b, world.c)]
    officer = world.officer_a
    from smartcommune.accounts.models import Role, RoleAssignment

    for u in (world.b, world.c):
        RoleAssignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=u)
    cells = {}
    for i in range(3):
        for c in CRITERIA.criteria:
            r = row_of(i, c.code)
            if c.ratio:
                cells[f"H{r}"], cells[f"J{r}"] = i + 1, 10
            if c.boolean:
                cells[f"L{r}"] = "Đạt"
    preview, result = _import(fill_cells(template(round_bt, assessments), cells), "tinh.xlsx", officer, round_bt)
    assert result.assessments == 3 and len(preview.communes) == 3
    for i, a in enumerate(assessments):
        assert fresh(a).version == 2
        assert set(a.values.exclude(numerator=None).values_list("numerator", flat=True)) == {i + 1}


def test_export_then_import_changes_nothing(world, round_bt):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a, numerator=7, denominator=9, met=False)
    do_save_values(actor=world.officer_a, assessment=a, expected_version=fresh(a).version,
                   values={"1.2": {"numerator": None, "denominator": 0}, "1.3": {"met": None}})
    assessments = selectors.template_assessments(world.secretariat, round_bt)
    before = snapshot()
    # The pre-filled template of the whole round, by the secretariat (who edits nothing: no change, no refusal).
    preview = build_preview(read_upload(template(round_bt, assessments, prefill=True), "tinh.xlsx"),
                            world.secretariat, round_=round_bt)
    assert preview.communes == []
    # The long CSV.
    out = io.StringIO()
    write_long_csv(selectors.unit_years_of(assessments), round_bt.criteria_set, out)
    preview = build_preview(read_upload(out.getvalue().encode(), "tinh.csv"), world.secretariat, round_=round_bt)
    assert preview.communes == []
    # An officer's own commune, exported and imported back by the officer.
    mine = selectors.template_assessments(world.officer_a, round_bt)
    assert [m.unit for m in mine] == [world.a]
    out = io.StringIO()
    write_long_csv(selectors.unit_years_of(mine), round_bt.criteria_set, out)
    assert build_preview(read_upload(out.getvalue().encode(), "xa.csv"), world.officer_a).communes == []
    assert build_preview(read_upload(template(round_bt, mine, prefill=True), "xa.xlsx"), world.officer_a).communes == []
    assert snapshot() == before


def test_import_then_export_reproduces_the_file(world, round_bt):
    lines = ["unit_code,year,criterion,numerator,denominator,met"]
    for c in CRITERIA.criteria:
        n, d = (3, 4) if c.ratio else ("", "")
        m = "true" if c.boolean and c.code != "6.2" else ("false" if c.boolean else "")
        lines.append(f"28756,2024,{c.code},{n},{d},{m}")
    text = "\n".join(lines) + "\n"
    _import(text.encode(), "vao.csv", world.officer_a, round_bt)
    a = assessment_of(round_bt, world.a)
    out = io.StringIO()
    write_long_csv(selectors.unit_years_of([a]), round_bt.criteria_set, out)
    assert out.getvalue() == text
    # And the pre-filled template carries the same figures.
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template(round_bt, [a], prefill=True)))["Số liệu"]
    for c in CRITERIA.criteria:
        r = row_of(0, c.code)
        if c.ratio:
            assert (sheet[f"H{r}"].value, sheet[f"J{r}"].value) == (3, 4)
    [u] = read_long_csv(text.encode(), CRITERIA)
    assert u.inputs == {code: v for code, v in selectors.unit_years_of([a])[0].inputs.items()}
    assert len(CODES) == CriterionValue.objects.filter(assessment=a).count()


@pytest.mark.parametrize("prefill", [False, True])
def test_template_round_trip_is_idempotent(world, round_bt, prefill):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a)
    data = template(round_bt, [a], prefill=prefill)
    before = snapshot()
    preview = build_preview(read_upload(data, "x.xlsx"), world.officer_a, round_=round_bt)
    assert preview.communes == [] and snapshot() == before


def test_reused_codes_after_the_reform(world):
    from smartcommune.imports.exceptions import ImportRefused
    from tests.rounds.fixtures import open_round

    bt = open_round(world, year=2025)
    vl = open_round(world, year=2025, province=world.vl, secretariat=world.secretariat_vl)
    csv = b"unit_code,year,criterion,numerator,denominator,met\n28756,2025,1.2,5,8,\n"
    with pytest.raises(ImportRefused) as info:
        build_preview(read_upload(csv, "x.csv"), world.admin)
    assert "có ở nhiều đợt/tỉnh" in info.value.problems[0].vi
    # Within a round there is one commune with that code.
    _import(csv, "x.csv", world.officer_x, vl)
    assert assessment_of(vl, world.x).values.get(criterion_code="1.2").numerator == 5
    assert assessment_of(bt, world.a).values.get(criterion_code="1.2").numerator is None
    # A template names the unit by code and validity start: no ambiguity.
    data = fill_cells(template(bt, [assessment_of(bt, world.a)]), {f"H{row_of(0, '1.2')}": 2, f"J{row_of(0, '1.2')}": 3})
    _import(data, "bt.xlsx", world.officer_a)
    assert assessment_of(bt, world.a).values.get(criterion_code="1.2").numerator == 2
    assert assessment_of(vl, world.x).values.get(criterion_code="1.2").numerator == 5


def test_commit_queries_do_not_grow_with_the_assessments(world, round_bt):
    """The import writes through the Recorder (one per assessment, flushed together):
    the same number of statements for one commune as for three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from smartcommune.accounts.models import Role, RoleAssignment

    officer = world.officer_a
    for u in (world.b, world.c):
        RoleAssignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=u)
    assessments = [assessment_of(round_bt, u) for u in (world.a, world.b, world.c)]

    def changes(of, n):
        return [(a.pk, c.code, {"numerator": n, "denominator": 10}) for a in of for c in CRITERIA.criteria if c.ratio]

    with CaptureQueriesContext(connection) as one:
        do_import(actor=officer, changes=changes(assessments[:1], 1), versions={assessments[0].pk: 1},
                  file_name="mot.csv")
    versions = {a.pk: fresh(a).version for a in assessments}
    with CaptureQueriesContext(connection) as three:
        result = do_import(actor=officer, changes=changes(assessments, 2), versions=versions, file_name="ba.csv")
    ratios = sum(1 for c in CRITERIA.criteria if c.ratio)
    # Commune a: numerators 1 → 2; b and c: numerators and denominators from nothing.
    assert result.assessments == 3 and result.audit_entries == 5 * ratios
    # (SQLite logs a prepared statement run per row as "N times: …")
    statements = [re.sub(r"^\d+ times: ", "", q["sql"]).lstrip().upper() for q in three.captured_queries]
    writes = [sql for sql in statements if sql.startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 3  # the values, the assessments' versions, the audit entries
    assert len(three) == len(one)
