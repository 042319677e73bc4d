"""The Excel workbooks read back with openpyxl: layout a department expects, and every
figure equal to the engine's for the stored inputs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from smartcommune.criteria.engine import Status
from smartcommune.results.exports.xlsx import STATUS_FILLS
from smartcommune.rounds.models import CriterionValue
from tests.results.test_exports_world import engine_result, exports_world, mark_synthetic, world  # noqa: F401
from tests.rounds.fixtures import CRITERIA

pytestmark = pytest.mark.django_db

STATUS_TEXT = {Status.MET: "Đạt", Status.NOT_MET: "Chưa đạt", Status.NOT_APPLICABLE: "Không áp dụng",
               Status.MISSING: "Thiếu dữ liệu"}
FIELD_TEXT = {Status.MET: "Đạt", Status.NOT_MET: "Không đạt", Status.MISSING: "—"}


def workbook(client, user, name, *args, query=""):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(f"exports:{name}", args=args) + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def header_row(sheet, first="STT"):
    return next(r for r in range(1, 30) if sheet.cell(row=r, column=1).value == first)


def headers(sheet, row):
    return [sheet.cell(row=row, column=c).value for c in range(1, sheet.max_column + 1)]


def fill(cell):
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def colour(status):
    return STATUS_FILLS[status].fgColor.rgb


def texts(sheet, rows=8):
    return {sheet.cell(row=r, column=c).value for r in range(1, rows + 1) for c in range(1, sheet.max_column + 1)}


def test_province_summary_sheet(client, exports_world):
    w = exports_world
    book = workbook(client, w.secretariat, "province_xlsx", "83", 2024)
    assert book.sheetnames == ["Tổng hợp", "Giá trị tiêu chí", "Theo huyện", "Tiêu chí chưa đạt", "Xã gần đạt"]
    sheet = book["Tổng hợp"]
    top = texts(sheet)
    assert {"ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM 2024"} <= top
    assert any(isinstance(t, str) and t.startswith("Bến Tre, ngày ") for t in top)
    assert not any(isinstance(t, str) and "MÔ PHỎNG" in t for t in top)
    header = header_row(sheet)
    assert headers(sheet, header) == [
        "STT", "Mã ĐVHC", "Tên đơn vị", "Huyện", *[f"{g.code}. {g.name}" for g in CRITERIA.groups],
        "Số lĩnh vực đạt", "Kết quả đánh giá", "Trạng thái", "Quyết định công nhận", "Còn thiếu / chưa đạt"]
    assert sheet.freeze_panes == f"D{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)  # 9: A4
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text

    rows = {sheet.cell(row=r, column=2).value: r for r in range(header + 1, header + 4)}
    assert set(rows) == {w.a.code, w.b.code, w.c.code}
    for assessment in (w.pub_a, w.pub_b, w.draft_c):
        e = engine_result(assessment)
        r = rows[assessment.unit.code]
        for j, f in enumerate(e.fields):
            cell = sheet.cell(row=r, column=5 + j)
            assert (cell.value, fill(cell)) == (FIELD_TEXT[f.status], colour(f.status))
        assert sheet.cell(row=r, column=15).value == e.fields_met
        assert sheet.cell(row=r, column=16).value == ("Đạt xã thông minh" if e.smart_commune else "Chưa đạt")
    assert sheet.cell(row=rows[w.b.code], column=15).value == 6
    assert sheet.cell(row=rows[w.b.code], column=17).value == "Đã công bố"
    assert sheet.cell(row=rows[w.b.code], column=18).value == "15/QĐ-UBND ngày 01/03/2025"
    assert sheet.cell(row=rows[w.c.code], column=17).value == "Đã nộp"
    assert "1.2 (thiếu 37)" in sheet.cell(row=rows[w.b.code], column=19).value
    # The signatures under the table: the preparer, and the committee's signer.
    below = [sheet.cell(row=r, column=c).value for r in range(header + 5, sheet.max_row + 1)
             for c in range(1, sheet.max_column + 1)]
    assert {"NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"} <= set(below)


def test_province_values_sheet_equals_the_engine(client, exports_world):
    w = exports_world
    sheet = workbook(client, w.secretariat, "province_xlsx", "83", 2024)["Giá trị tiêu chí"]
    header = header_row(sheet)
    assert headers(sheet, header) == [
        "STT", "Mã ĐVHC", "Tên đơn vị", "Huyện", "Lĩnh vực", "Tiêu chí", "Nội dung tiêu chí", "Tử số", "Mẫu số",
        "Đạt/Không đạt (báo cáo)", "Tỷ lệ", "Ngưỡng", "Trạng thái", "Còn thiếu", "Diễn giải", "Nguồn số liệu",
        "Người xác minh", "Ngày xác minh"]
    assert sheet.freeze_panes == f"G{header + 1}"
    cells = {}
    for r in range(header + 1, sheet.max_row + 1):
        cells[(sheet.cell(row=r, column=2).value, sheet.cell(row=r, column=6).value)] = r
    assert len(cells) == 3 * len(CRITERIA.criteria)
    for assessment in (w.pub_a, w.pub_b, w.draft_c):
        reviewed = {v.criterion_code: v for v in CriterionValue.objects.filter(assessment=assessment)}
        for c in engine_result(assessment).criteria():
            r = cells[(assessment.unit.code, c.criterion.code)]
            row = {name: sheet.cell(row=r, column=i + 1) for i, name in enumerate(headers(sheet, header))}
            assert row["Tử số"].value == c.input.numerator
            assert row["Mẫu số"].value == c.input.denominator
            if c.hundredths is None:
                assert row["Tỷ lệ"].value is None
            else:
                assert row["Tỷ lệ"].value == pytest.approx(float(c.ratio) / 100, abs=1e-12)
                assert row["Tỷ lệ"].number_format == "0.00%"
            assert (row["Trạng thái"].value, fill(row["Trạng thái"])) == (STATUS_TEXT[c.status], colour(c.status))
            assert row["Còn thiếu"].value == c.gap
            value = reviewed[c.criterion.code]
            assert row["Nguồn số liệu"].value == value.source
            if value.review_status == "verified":
                assert row["Người xác minh"].value == value.reviewed_by.get_username()
                assert row["Ngày xác minh"].value == dt.datetime.combine(timezone.localdate(value.reviewed_at), dt.time())
                assert row["Ngày xác minh"].number_format == "dd/mm/yyyy"
            else:
                assert row["Người xác minh"].value is None and row["Ngày xác minh"].value is None
    b12 = {name: sheet.cell(row=cells[(w.b.code, "1.2")], column=i + 1).value
           for i, name in enumerate(headers(sheet, header))}
    assert (b12["Tử số"], b12["Mẫu số"], b12["Tỷ lệ"], b12["Ngưỡng"], b12["Còn thiếu"]) == (863, 1000, 0.863, "≥ 90%", 37)
    assert b12["Diễn giải"] == "còn thiếu 37 hộ gia đình có thiết bị thông minh"
    assert b12["Nguồn số liệu"] == "Điều tra hộ gia đình"
    b92 = sheet.cell(row=cells[(w.b.code, "9.2")], column=13)
    assert (b92.value, fill(b92)) == ("Không áp dụng", colour(Status.NOT_APPLICABLE))
    b101 = sheet.cell(row=cells[(w.b.code, "10.1")], column=13)
    assert (b101.value, fill(b101)) == ("Thiếu dữ liệu", colour(Status.MISSING))


def test_province_statistics_sheets(client, exports_world):
    w = exports_world
    book = workbook(client, w.secretariat, "province_xlsx", "83", 2024)
    districts = book["Theo huyện"]
    header = header_row(districts, "Huyện")
    rows = {districts.cell(row=r, column=1).value: [districts.cell(row=r, column=c).value for c in range(2, 5)]
            for r in range(header + 1, header + 4)}
    # communes, smart by the engine, recognised by decision
    assert rows == {"Thành phố Bến Tre": [2, 1, 1], "Huyện Châu Thành": [1, 0, 0], "Toàn tỉnh": [3, 1, 1]}
    missed = book["Tiêu chí chưa đạt"]
    header = header_row(missed, "Tiêu chí")
    counts = {missed.cell(row=r, column=1).value: missed.cell(row=r, column=4).value
              for r in range(header + 1, missed.max_row + 1)}
    expected = {}
    for a in (w.pub_a, w.pub_b, w.draft_c):
        for c in engine_result(a).criteria():
            if c.status == Status.NOT_MET:
                expected[c.criterion.code] = expected.get(c.criterion.code, 0) + 1
    assert counts == expected
    closest = book["Xã gần đạt"]
    header = header_row(closest, "Mã ĐVHC")
    assert closest.cell(row=header + 1, column=1).value == w.b.code
    assert closest.cell(row=header + 1, column=5).value == 1
    lacks = closest.cell(row=header + 1, column=7).value
    assert "1.2: còn thiếu 37 hộ gia đình có thiết bị thông minh" in lacks and "2.2: còn thiếu 1 " in lacks


def test_public_workbook_has_published_communes_only(client, exports_world):
    w = exports_world
    sheet = workbook(client, None, "province_xlsx", "83", 2024)["Giá trị tiêu chí"]
    codes = {sheet.cell(row=r, column=2).value for r in range(header_row(sheet) + 1, sheet.max_row + 1)}
    assert codes == {w.a.code, w.b.code}


def test_synthetic_round_is_marked_on_every_sheet(client, exports_world):
    w = exports_world
    mark_synthetic(w.round_2024)
    for name, args in (("province_xlsx", ("83", 2024)), ("scorecard_xlsx", (w.a.pk, 2024))):
        for sheet in workbook(client, w.secretariat, name, *args).worksheets:
            assert sheet["A1"].value == "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật", sheet.title


def test_scorecard_workbook(client, exports_world):
    w = exports_world
    book = workbook(client, None, "scorecard_xlsx", w.b.pk, 2024)
    assert book.sheetnames == ["Phiếu kết quả", "Xu hướng"]
    sheet = book["Phiếu kết quả"]
    top = texts(sheet, 12)
    assert {"ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE", "PHIẾU KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM 2024",
            "Phường Phú Tân (28759) — Thành phố Bến Tre", "6/10 (cần 7)", "Chưa đạt", "Đã công bố"} <= top
    header = header_row(sheet, "Lĩnh vực")
    names = headers(sheet, header)
    assert names == ["Lĩnh vực", "Tiêu chí", "Nội dung tiêu chí", "Chỉ tiêu", "Tử số", "Mẫu số",
                     "Đạt/Không đạt (báo cáo)", "Tỷ lệ", "Ngưỡng", "Trạng thái", "Còn thiếu", "Diễn giải",
                     "Minh chứng", "Nguồn số liệu", "Người xác minh", "Ngày xác minh"]
    assert sheet.freeze_panes == f"C{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"
    e = engine_result(w.pub_b)
    last = header + len(e.criteria())
    lines = {sheet.cell(row=r, column=2).value: {n: sheet.cell(row=r, column=i + 1) for i, n in enumerate(names)}
             for r in range(header + 1, last + 1)}
    below = {sheet.cell(row=r, column=c).value for r in range(last + 1, sheet.max_row + 1) for c in range(1, 17)}
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"} <= below  # the signatures under the table
    assert list(lines) == [c.criterion.code for c in e.criteria()]
    for c in e.criteria():
        line = lines[c.criterion.code]
        assert (line["Trạng thái"].value, fill(line["Trạng thái"])) == (STATUS_TEXT[c.status], colour(c.status))
        assert line["Còn thiếu"].value == c.gap
        assert line["Chỉ tiêu"].value == c.criterion.target
        if c.ratio is not None:
            assert line["Tỷ lệ"].value == pytest.approx(float(c.ratio) / 100, abs=1e-12)
            assert line["Tỷ lệ"].number_format == "0.00%"
        assert line["Người xác minh"].value  # everything was verified
        assert line["Ngày xác minh"].number_format == "dd/mm/yyyy"
    assert lines["1.2"]["Tỷ lệ"].value == 0.863 and lines["1.2"]["Còn thiếu"].value == 37
    assert lines["6.1"]["Đạt/Không đạt (báo cáo)"].value == "Không đạt"

    trend = book["Xu hướng"]
    header = header_row(trend, "Năm")
    years = {trend.cell(row=r, column=1).value: trend.cell(row=r, column=2).value for r in range(header + 1, header + 6)}
    assert years == {2021: None, 2022: None, 2023: None, 2024: 6, 2025: None}  # B's 2023 is not public


def test_scorecard_evidence_and_trend(client, exports_world):
    w = exports_world
    book = workbook(client, w.officer_a, "scorecard_xlsx", w.a.pk, 2024)
    sheet = book["Phiếu kết quả"]
    header = header_row(sheet, "Lĩnh vực")
    row = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "1.2")
    evidence = sheet.cell(row=row, column=13).value
    assert "45/BC-UBND" in evidence and "example.vn" in evidence
    trend = book["Xu hướng"]
    header = header_row(trend, "Năm")
    years = {trend.cell(row=r, column=1).value: trend.cell(row=r, column=2).value for r in range(header + 1, header + 6)}
    assert years == {2021: None, 2022: None, 2023: engine_result(w.pub_a_2023).fields_met, 2024: 10, 2025: None}
    assert years[2023] == 8
