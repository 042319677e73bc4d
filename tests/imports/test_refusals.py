"""Every file the import must refuse whole, with nothing changed (issue 5, point 3)."""

import io
import re
import zipfile

import pytest
from openpyxl.utils import get_column_letter

from smartcommune.accounts.models import RoleAssignment
from smartcommune.imports import layout, workbook
from smartcommune.imports.actions import do_import
from smartcommune.imports.exceptions import ImportConflict, ImportRefused
from smartcommune.imports.preview import build_preview
from smartcommune.imports.sources import read_upload
from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.exceptions import NotAllowed
from smartcommune.rounds.models import Assessment, ReviewStatus, Status
from tests.imports.helpers import (
    data_sheet_part, edit, encrypt_entry, fill_cells, rewrite_part, row_of, snapshot, template,
)
from tests.rounds.fixtures import assessment_of, fill, fresh, open_round

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def refused(data, name, actor, round_, *, contains=()):
    """Import ``data`` all the way to the commit; it must be refused and change nothing."""
    before = snapshot()
    with pytest.raises(ImportRefused) as info:
        plan = read_upload(data, name, criteria_set_code=round_.criteria_set_code)
        preview = build_preview(plan, actor, round_=round_)
        do_import(actor=actor, changes=preview.changes(), versions=preview.versions, file_name=name)
    assert snapshot() == before
    text = "\n".join(p.describe() for p in info.value.problems)
    for fragment in contains:
        assert fragment in text, text
    return info.value.problems


@pytest.fixture
def a(round_bt, world):
    return assessment_of(round_bt, world.a)


@pytest.fixture
def blank(round_bt, a):
    return template(round_bt, [a])


def test_not_xlsx_or_csv(world, round_bt):
    refused(PDF, "bao-cao.pdf", world.officer_a, round_bt, contains=["chỉ nhận tệp .xlsx", "only .xlsx"])
    refused(b"hello", "ghi-chu.txt", world.officer_a, round_bt, contains=[".txt"])
    refused(b"", "rong.csv", world.officer_a, round_bt, contains=["tệp rỗng"])


def test_renamed_files(world, round_bt, blank):
    refused(PDF, "mau.xlsx", world.officer_a, round_bt, contains=["nội dung là PDF", "content is PDF"])
    refused(blank, "mau.csv", world.officer_a, round_bt, contains=["tên tệp là .csv nhưng nội dung là zip/xlsx"])
    refused(b"unit_code,year\n", "mau.xlsx", world.officer_a, round_bt, contains=["không phải bảng tính Excel"])
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    refused(docx.getvalue(), "hop-dong.xlsx", world.officer_a, round_bt, contains=["không phải bảng tính Excel (.xlsx)"])


def test_corrupt_zip(world, round_bt, blank):
    refused(blank[: len(blank) // 2], "hong.xlsx", world.officer_a, round_bt, contains=["tệp xlsx hỏng"])
    # A byte flipped inside a compressed part: the CRC check refuses it.
    info = zipfile.ZipFile(io.BytesIO(blank)).getinfo(data_sheet_part(blank))
    broken = bytearray(blank)
    broken[info.header_offset + 30 + len(info.filename) + 50] ^= 0xFF
    refused(bytes(broken), "hong2.xlsx", world.officer_a, round_bt, contains=["hỏng"])


def _zip(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, raw in entries:
            z.writestr(name, raw)
    return out.getvalue()


def test_zip_bombs_are_refused_before_inflating(world, round_bt, monkeypatch):
    inflated = []
    monkeypatch.setattr(workbook, "_xml", lambda *args: inflated.append(args) or b"")
    base = [("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")]
    # High compression ratio (5 MB of zeros compress ~1000×).
    refused(_zip(base + [("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))]), "bom.xlsx",
            world.officer_a, round_bt, contains=["bom zip"])
    # Too large once inflated, entry by entry and in total.
    refused(_zip(base + [("xl/worksheets/sheet1.xml", b"\0" * (workbook.MAX_ENTRY_BYTES + 1))]), "bom2.xlsx",
            world.officer_a, round_bt, contains=["quá giới hạn"])
    # Too many entries.
    refused(_zip(base + [(f"xl/x{i}.xml", "<x/>") for i in range(workbook.MAX_ENTRIES)]), "nhieu.xlsx",
            world.officer_a, round_bt, contains=["thành phần, quá giới hạn"])
    assert inflated == []


def test_total_size_limit_of_the_archive(world, round_bt, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_TOTAL_BYTES", 1000)
    big = _zip([("[Content_Types].xml", "x" * 600), ("xl/workbook.xml", "y" * 600)])
    refused(big, "to.xlsx", world.officer_a, round_bt, contains=["nghi “bom zip”"])


def test_file_too_large(world, round_bt, blank, settings):
    settings.SMARTCOMMUNE_IMPORT_MAX_BYTES = 1000
    refused(blank, "lon.xlsx", world.officer_a, round_bt, contains=["quá giới hạn"])


def test_workbook_with_far_too_many_rows(world, round_bt, blank, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 40)
    refused(fill_cells(blank, {f"B{r}": "x" for r in range(100, 150)}), "dai.xlsx", world.officer_a, round_bt,
            contains=["hơn 40 dòng, quá lớn"])


def test_dtd_and_entities_are_refused(world, round_bt, blank):
    part = data_sheet_part(blank)
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    bad = rewrite_part(blank, part, lambda raw: laughs + raw if not raw.startswith(b"<?xml")
                       else raw.replace(b"?>", b"?>" + laughs, 1))
    refused(bad, "xxe.xlsx", world.officer_a, round_bt, contains=["DTD"])


def _with_dtd(raw: bytes, encoding: str, dtd: str) -> bytes:
    """``raw`` (UTF-8 SpreadsheetML) with ``dtd`` after its declaration, re-encoded."""
    text = raw.decode("utf-8")
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    label = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}[encoding]
    # A byte-order mark tells expat the byte order; no "<!DOCTYPE" bytes are left to find.
    bom = "" if encoding == "utf-8" else "\ufeff"
    return (bom + f'<?xml version="1.0" encoding="{label}"?>' + dtd + body).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_dtd_refused_after_decoding(world, round_bt, blank, encoding):
    """An internal DTD whose entity would land in a data source, in any encoding (issue 16, 5)."""
    part = data_sheet_part(blank)
    r = row_of(0, "1.2")
    filled = fill_cells(blank, {f"L{r}": "NGUON"})
    dtd = '<!DOCTYPE worksheet [<!ENTITY x "mo rong">]>'
    bad = rewrite_part(filled, part, lambda raw: _with_dtd(raw, encoding, dtd).replace(
        "NGUON".encode(encoding), "&x;".encode(encoding)))
    if encoding != "utf-8":
        assert b"<!DOCTYPE" not in bad and b"<!ENTITY" not in zipfile.ZipFile(io.BytesIO(bad)).read(part)
    refused(bad, "utf16.xlsx", world.officer_a, round_bt, contains=["DTD/thực thể XML", "declares an XML DTD"])


def test_utf16_sheet_without_dtd_is_read(world, round_bt, blank, a):
    """Refusing DTDs does not refuse a sheet merely because it is UTF-16."""
    part = data_sheet_part(blank)
    r = row_of(0, "1.2")
    filled = fill_cells(blank, {f"H{r}": 7, f"J{r}": 10})
    data = rewrite_part(filled, part, lambda raw: _with_dtd(raw, "utf-16-le", ""))
    assert imported_1_2(data, world, round_bt, a) == (7, 10)


def imported_1_2(data, world, round_, a):
    """Import ``data`` as commune A's officer; criterion 1.2's numerator and denominator after."""
    plan = read_upload(data, "x.xlsx")
    preview = build_preview(plan, world.officer_a, round_=round_)
    do_import(actor=world.officer_a, changes=preview.changes(), versions=preview.versions, file_name="x.xlsx")
    value = a.values.get(criterion_code="1.2")
    return value.numerator, value.denominator


def test_billion_laughs_refused(world, round_bt, blank):
    part = data_sheet_part(blank)
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    dtd = f"<!DOCTYPE worksheet [{entities}]>"
    bad = rewrite_part(blank, part, lambda raw: _with_dtd(raw, "utf-16-be", dtd).replace(
        "</sheetData>".encode("utf-16-be"), "<row r='9999'><c r='A9999' t='inlineStr'><is><t>&l9;</t></is></c></row>"
        "</sheetData>".encode("utf-16-be")))
    refused(bad, "cuoi.xlsx", world.officer_a, round_bt, contains=["DTD/thực thể XML"])


def test_encrypted_entry_refused(world, round_bt, blank):
    bad = encrypt_entry(blank, data_sheet_part(blank))
    with pytest.raises(RuntimeError):
        zipfile.ZipFile(io.BytesIO(bad)).read(data_sheet_part(blank))
    refused(bad, "mat-khau.xlsx", world.officer_a, round_bt, contains=["mã hóa bằng mật khẩu", "password-encrypted"])


def test_formula_without_cached_value(world, round_bt, blank):
    r = row_of(0, "1.2")
    refused(fill_cells(blank, {f"H{r}": "=2+3", f"J{r}": 10}), "cong-thuc.xlsx", world.officer_a, round_bt,
            contains=[f"dòng {r}, cột H: ô có công thức nhưng tệp không lưu giá trị đã tính"])


def test_formula_with_cached_value_uses_it(world, round_bt, blank, a):
    r = row_of(0, "1.2")
    data = fill_cells(blank, {f"H{r}": "=2+3", f"J{r}": 10})
    # openpyxl writes the empty cached value as <v /> or, with lxml installed, <v></v>.
    data = rewrite_part(data, data_sheet_part(data),
                        lambda raw: re.sub(rb"<f>2\+3</f><v ?/>|<f>2\+3</f><v></v>", b"<f>2+3</f><v>5</v>", raw))
    assert imported_1_2(data, world, round_bt, a) == (5, 10)


def test_merged_cells_in_the_input_area(world, round_bt, blank):
    r = row_of(0, "1.2")
    data = edit(blank, lambda wb: wb[layout.DATA_SHEET].merge_cells(f"H{r}:J{r}"))
    refused(data, "gop.xlsx", world.officer_a, round_bt, contains=[f"ô bị gộp (H{r}:J{r})"])


def test_missing_and_extra_sheets(world, round_bt, blank):
    refused(edit(blank, lambda wb: wb.remove(wb[layout.INSTRUCTIONS_SHEET])), "thieu.xlsx", world.officer_a,
            round_bt, contains=["thiếu trang “Hướng dẫn”"])
    refused(edit(blank, lambda wb: wb.create_sheet("Ghi chú")), "thua.xlsx", world.officer_a, round_bt,
            contains=["trang “Ghi chú” không có trong mẫu"])
    refused(edit(blank, lambda wb: wb.remove(wb[layout.KEY_SHEET])), "khong-khoa.xlsx", world.officer_a, round_bt,
            contains=["không có trang khoá ẩn"])


def test_missing_and_extra_columns(world, round_bt, blank):
    refused(edit(blank, lambda wb: wb[layout.DATA_SHEET].delete_cols(8)), "thieu-cot.xlsx", world.officer_a,
            round_bt, contains=["cột H: tiêu đề cột phải là “Tử số”"])
    extra = get_column_letter(len(layout.columns_of("1")) + 1)
    refused(fill_cells(blank, {f"{extra}{layout.HEADER_ROW}": "Ghi chú", f"{extra}{row_of(0, '1.1')}": "x"}),
            "thua-cot.xlsx", world.officer_a, round_bt, contains=[f"cột {extra}: ô có dữ liệu nằm ngoài các cột"])


def test_rows_deleted_or_sorted(world, round_bt, blank):
    refused(edit(blank, lambda wb: wb[layout.DATA_SHEET].delete_rows(row_of(0, "1.2"))), "xoa-dong.xlsx",
            world.officer_a, round_bt, contains=["dòng bị xoá, chèn hay sắp xếp lại"])


def test_tampered_key_and_old_template_version(world, round_bt, blank):
    refused(edit(blank, lambda wb: wb[layout.KEY_SHEET].cell(row=1, column=2, value="khac")), "khoa.xlsx",
            world.officer_a, round_bt, contains=["trang khoá ẩn bị sửa"])
    refused(edit(blank, lambda wb: wb[layout.KEY_SHEET].cell(row=2, column=2, value="0")), "cu.xlsx",
            world.officer_a, round_bt, contains=["mẫu phiên bản '0'"])


def test_template_of_another_year_or_set(world, round_bt):
    round_2023 = open_round(world, year=2023)
    old = template(round_2023, [assessment_of(round_2023, world.a)])
    refused(fill_cells(old, {f"H{row_of(0, '1.2')}": 1}), "2023.xlsx", world.officer_a, round_bt,
            contains=["năm 2023", "không phải của đợt này"])
    other_set = edit(template(round_bt, [assessment_of(round_bt, world.a)]),
                     lambda wb: wb[layout.KEY_SHEET].cell(row=3, column=2, value="tinh-khac-2021-2025"))
    refused(other_set, "bo-khac.xlsx", world.officer_a, round_bt, contains=["tinh-khac-2021-2025"])


def test_invalid_cells_are_all_listed(world, round_bt, blank):
    r1, r2, r3 = row_of(0, "1.1"), row_of(0, "1.2"), row_of(0, "1.3")
    problems = refused(fill_cells(blank, {
        f"H{r1}": 12, f"J{r1}": 10,          # numerator above denominator
        f"H{r2}": "mười", f"J{r2}": -1,      # not a number; negative
        f"L{r3}": "có lẽ",                   # not a pass/fail value
    }), "loi.xlsx", world.officer_a, round_bt)
    where = {(p.row, p.column) for p in problems}
    assert {(r1, "H"), (r2, "H"), (r2, "J"), (r3, "L")} <= where
    assert all(p.sheet == layout.DATA_SHEET for p in problems)
    assert any("tử số 12 lớn hơn mẫu số 10" in p.vi for p in problems)


def test_bad_csv_lists_lines_and_columns(world, round_bt):
    csv = "unit_code,year,criterion,numerator,denominator,met\n28756,2024,1.2,11,10,\n28756,2024,9.9,1,1,\n"
    problems = refused(csv.encode(), "loi.csv", world.officer_a, round_bt)
    assert {(p.row, p.column) for p in problems} >= {(2, "numerator"), (3, "criterion")}


def test_a_commune_the_user_may_not_edit(world, round_bt):
    both = template(round_bt, [assessment_of(round_bt, world.a), assessment_of(round_bt, world.b)])
    data = fill_cells(both, {f"H{row_of(0, '1.2')}": 1, f"J{row_of(0, '1.2')}": 2,
                             f"H{row_of(1, '1.2')}": 1, f"J{row_of(1, '1.2')}": 2})
    # Officer of A: commune B is not even visible.
    refused(data, "ab.xlsx", world.officer_a, round_bt, contains=["không có hồ sơ của đơn vị 28759"])
    # The district reviewer sees both but edits neither.
    refused(data, "ab.xlsx", world.district1, round_bt, contains=["Chỉ cán bộ của Phường Phú Khương"])
    refused(data, "ab.xlsx", world.secretariat, round_bt, contains=["Chỉ cán bộ của Phường Phú Tân"])


def test_frozen_assessment(world, round_bt, a, blank):
    fill(a, world.officer_a)
    Assessment.objects.filter(pk=a.pk).update(status=Status.RECOGNISED)
    refused(fill_cells(blank, {f"H{row_of(0, '1.2')}": 3}), "chot.xlsx", world.officer_a, round_bt,
            contains=["hồ sơ đã chốt"])


def test_returned_assessment_only_returned_items(world, round_bt, a, blank):
    fill(a, world.officer_a)
    Assessment.objects.filter(pk=a.pk).update(status=Status.RETURNED)
    a.values.filter(criterion_code="1.1").update(review_status=ReviewStatus.RETURNED)
    refused(fill_cells(blank, {f"H{row_of(0, '1.1')}": 9, f"H{row_of(0, '1.2')}": 9}), "tra.xlsx",
            world.officer_a, round_bt, contains=["không được sửa các tiêu chí 1.2 lúc này"])
    # Only the returned item: accepted.
    plan = read_upload(fill_cells(blank, {f"H{row_of(0, '1.1')}": 9}), "tra.xlsx")
    preview = build_preview(plan, world.officer_a, round_=round_bt)
    do_import(actor=world.officer_a, changes=preview.changes(), versions=preview.versions, file_name="tra.xlsx")
    assert a.values.get(criterion_code="1.1").numerator == 9


def test_concurrent_edit_since_the_preview(world, round_bt, a, blank):
    plan = read_upload(fill_cells(blank, {f"H{row_of(0, '1.2')}": 4, f"J{row_of(0, '1.2')}": 8}), "x.xlsx")
    preview = build_preview(plan, world.officer_a, round_=round_bt)
    do_save_values(actor=world.officer_a, assessment=a, expected_version=fresh(a).version,
                   values={"1.3": {"met": True}})
    before = snapshot()
    with pytest.raises(ImportConflict) as info:
        do_import(actor=world.officer_a, changes=preview.changes(), versions=preview.versions, file_name="x.xlsx")
    assert snapshot() == before
    assert "Phường Phú Khương (28756): phiên bản 1 → 2" in info.value.vi
    assert [(e.criterion_code, e.field) for e in info.value.changes] == [("1.3", "met")]


def test_permission_lost_after_the_preview(world, round_bt, a, blank):
    plan = read_upload(fill_cells(blank, {f"H{row_of(0, '1.2')}": 4}), "x.xlsx")
    preview = build_preview(plan, world.officer_a, round_=round_bt)
    # A role withdrawn between the preview and the confirmation changes no version: the
    # commit checks the edit rule again.
    RoleAssignment.objects.filter(user=world.officer_a).delete()
    before = snapshot()
    with pytest.raises(NotAllowed):
        do_import(actor=world.officer_a, changes=preview.changes(), versions=preview.versions, file_name="x.xlsx")
    assert snapshot() == before
