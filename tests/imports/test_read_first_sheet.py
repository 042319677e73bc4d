"""``workbook.read_first_sheet``: the first visible sheet of any .xlsx, with the template
reader's hardening, for the other apps' tables (the disclosure register)."""

import io

import pytest
from openpyxl import Workbook

from smartcommune.imports import workbook
from smartcommune.imports.exceptions import ImportRefused


def _xlsx(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reads_the_first_visible_sheet_with_formulas_flagged():
    def build(book):
        hidden = book.active
        hidden.title = "An"
        hidden["A1"] = "không đọc"
        hidden.sheet_state = "hidden"
        shown = book.create_sheet("Dữ liệu")
        shown["A1"], shown["B1"], shown["A2"], shown["B2"] = "ma_xa", "nam", "28756", "=2024"
        book.create_sheet("Sau")["A1"] = "không đọc"

    sheet, cells = workbook.read_first_sheet(_xlsx(build), "so.xlsx", max_column=5)
    assert sheet == "Dữ liệu"
    assert {r: {c: cell.value for c, cell in row.items()} for r, row in cells.items()} == {
        1: {"A": "ma_xa", "B": "nam"}, 2: {"A": "28756", "B": None}}
    assert cells[2]["B"].formula and not cells[2]["A"].formula


def test_a_value_right_of_the_columns_refuses_the_file():
    def build(book):
        book.active["A1"], book.active["D3"] = "ma_xa", "thừa"

    with pytest.raises(ImportRefused) as refused:
        workbook.read_first_sheet(_xlsx(build), "so.xlsx", max_column=3)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (3, "D") and "ngoài các cột" in problem.vi


def test_not_a_workbook_is_refused():
    with pytest.raises(ImportRefused):
        workbook.read_first_sheet(b"PK\x03\x04 not a zip", "so.xlsx", max_column=3)
