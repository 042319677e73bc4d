"""Register import from CSV or Excel: all rows or none, every problem named by line and
column, no formula, only the importer's own communes."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook

from smartcommune.disclosure import actions
from smartcommune.disclosure.models import Broadcast, Item, Posting
from smartcommune.disclosure.register_import import read_register
from smartcommune.imports.exceptions import ImportRefused


def workbook_bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = "ma_xa,nam,loai,tieu_de,so_van_ban,ngay_van_ban,dang_trang_xa,ngay_phat_loa,ap_khu_pho,noi_dung_loa,ngay_niem_yet,ngay_go"
GOOD = [
    "28756,2024,dich-vu-cong,Thủ tục khai sinh,12/QĐ-UBND,05/01/2024,x,10/01/2024,Ấp 1,Đọc thông báo,11/01/2024,",
    "28756,2024,ngan-sach,Dự toán 2024,,,,,,,,",
]


def _csv(*lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_a_good_file_is_imported_whole(world):
    rows = read_register(_csv(*GOOD), "so.csv")
    assert actions.do_import_register(actor=world.officer_a, rows=rows, file_name="so.csv") == 2
    first = Item.objects.get(title="Thủ tục khai sinh")
    assert first.published_at is not None and first.document_date == date(2024, 1, 5)
    assert Broadcast.objects.get(item=first).hamlets == "Ấp 1"
    assert Posting.objects.get(item=first).posted_on == date(2024, 1, 11)
    assert Item.objects.get(title="Dự toán 2024").published_at is None


def test_every_problem_is_listed_and_nothing_is_saved(world):
    bad = [
        GOOD[0],
        "28756,20x4,khac,,,,,,,,,",
        "28756,2024,quy-hoach,QH,,31/02/2024,có lẽ,01/03/2024,,,,05/03/2024",
    ]
    with pytest.raises(ImportRefused) as err:
        read_register(_csv(*bad), "so.csv")
    where = {(p.row, p.column) for p in err.value.problems}
    assert {(3, "nam"), (3, "loai"), (4, "ngay_van_ban"), (4, "dang_trang_xa"), (4, "ap_khu_pho"),
            (4, "ngay_go")} <= where
    assert not Item.objects.exists()


def test_a_commune_one_does_not_manage_refuses_the_file(world):
    rows = read_register(_csv(GOOD[0], "28759,2024,quy-hoach,QH xã khác,,,,,,,,"), "so.csv")
    with pytest.raises(ImportRefused) as err:
        actions.do_import_register(actor=world.officer_a, rows=rows, file_name="so.csv")
    assert err.value.problems[0].row == 3
    assert not Item.objects.exists()


def test_excel_is_read_and_a_formula_refused(world):
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEADER.split(","))
    sheet.append(["28756", 2024, "quy-hoach", "Quy hoạch chi tiết"])
    rows = read_register(workbook_bytes(wb), "so.xlsx")
    assert [(r.unit_code, r.year, r.title) for r in rows] == [("28756", 2024, "Quy hoạch chi tiết")]
    sheet.append(["28756", 2024, "quy-hoach", "=HYPERLINK(\"http://x\")"])
    with pytest.raises(ImportRefused) as err:
        read_register(workbook_bytes(wb), "so.xlsx")
    assert err.value.problems[0].row == 3


def test_the_upload_page_reports_problems(client, world):
    client.force_login(world.officer_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("disclosure:import", args=[world.a.pk]),
                           {"file": SimpleUploadedFile("so.csv", _csv("28756,2024,khac,X,,,,,,,,"))})
    assert response.status_code == 400 and "loai" in response.content.decode()
    response = client.post(reverse("disclosure:import", args=[world.a.pk]),
                           {"file": SimpleUploadedFile("so.csv", _csv(*GOOD))})
    assert response.status_code == 302 and Item.objects.count() == 2


def test_the_template_reads_back_after_filling(client, world):
    from openpyxl import load_workbook

    client.force_login(world.officer_a)
    response = client.get(reverse("disclosure:import_template", args=[world.a.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet.append(["28756", 2024, "ngan-sach", "Quyết toán 2023", None, None, "x"])
    rows = read_register(workbook_bytes(workbook), "mau.xlsx")
    assert [(r.kind, r.title, r.publish) for r in rows] == [("ngan-sach", "Quyết toán 2023", True)]
