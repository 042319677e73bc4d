"""The entry template: sheets, wording, validation, protection, the hidden key, pre-filling."""

import io

from openpyxl import load_workbook

from smartcommune.imports import layout
from smartcommune.imports.selectors import template_values
from smartcommune.imports.template import build_template
from tests.imports.helpers import CODES, row_of
from tests.rounds.fixtures import CRITERIA, assessment_of, fill


def _open(data):
    return load_workbook(io.BytesIO(data))


def test_blank_template_of_one_commune(world, round_bt):
    a = assessment_of(round_bt, world.a)
    wb = _open(build_template(round_bt, [a]))
    assert wb.sheetnames == list(layout.SHEETS)
    assert wb[layout.KEY_SHEET].sheet_state == "veryHidden"
    info = wb[layout.INSTRUCTIONS_SHEET]
    assert "HƯỚNG DẪN" in info["A1"].value
    data = wb[layout.DATA_SHEET]
    # Bến Tre's rows hold ratios and pass/fail conditions only: the version 1 shape, unchanged.
    assert [c.value for c in data[layout.HEADER_ROW]] == [h for _, h in layout.columns_of("1")]
    assert data.max_row == layout.FIRST_DATA_ROW - 1 + len(CODES)
    # The regulation's wording and labels, from the set.
    c12 = CRITERIA.criterion("1.2")
    r = row_of(0, "1.2")
    assert data[f"A{r}"].value == "28756" and data[f"D{r}"].value == "1.2"
    assert data[f"E{r}"].value == c12.text
    assert data[f"G{r}"].value == c12.ratio.numerator_label
    assert data[f"I{r}"].value == c12.ratio.denominator_label
    assert data[f"H{r}"].value is None  # blank
    # Protection: labels locked, inputs unlocked.
    assert data.protection.sheet
    assert data[f"E{r}"].protection.locked
    assert not data[f"H{r}"].protection.locked and not data[f"J{r}"].protection.locked
    assert not data[f"M{r}"].protection.locked
    boolean_only = next(c.code for c in CRITERIA.criteria if c.ratio is None)
    assert data[f"H{row_of(0, boolean_only)}"].protection.locked
    assert not data[f"L{row_of(0, boolean_only)}"].protection.locked
    # Data validation: whole numbers >= 0 on the counts, the Đạt list on pass/fail.
    kinds = {(dv.type, str(dv.sqref)) for dv in data.data_validations.dataValidation}
    last = layout.FIRST_DATA_ROW + len(CODES) - 1
    assert ("whole", f"H{layout.FIRST_DATA_ROW}:H{last} J{layout.FIRST_DATA_ROW}:J{last}") in kinds
    lists = [dv for dv in data.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"Đạt,Không đạt"'
    whole = next(dv for dv in data.data_validations.dataValidation if dv.type == "whole")
    assert whole.formula1 == "0"
    # The key: set, year, province, version, units with id and validity start.
    key = wb[layout.KEY_SHEET]
    fields = {key.cell(row=i, column=1).value: key.cell(row=i, column=2).value
              for i in range(1, len(layout.KEY_FIELDS) + 1)}
    assert fields["criteria_set"] == CRITERIA.code and fields["year"] == 2024 and fields["province_code"] == "83"
    assert fields["template_version"] == "1" and fields["prefilled"] == 0
    assert fields["units"] == 1 and fields["criteria"] == ",".join(CODES)
    first = [c.value for c in key[layout.KEY_TABLE_ROW + 1]]
    assert first == [layout.FIRST_DATA_ROW, "28756", world.a.pk, "2021-01-01"]


def test_prefilled_template_of_a_province(world, round_bt):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a, numerator=7, denominator=9, met=False)
    assessments = list(round_bt.assessments.select_related("unit").order_by("unit__code"))
    wb = _open(build_template(round_bt, assessments, values=template_values(assessments)))
    data = wb[layout.DATA_SHEET]
    assert data.max_row == layout.FIRST_DATA_ROW - 1 + 3 * len(CODES)
    r = row_of(0, "1.2")
    assert (data[f"H{r}"].value, data[f"J{r}"].value, data[f"M{r}"].value) == (7, 9, "Báo cáo UBND xã")
    boolean_only = next(c.code for c in CRITERIA.criteria if c.ratio is None)
    assert data[f"L{row_of(0, boolean_only)}"].value == "Không đạt"
    assert data[f"H{row_of(1, '1.2')}"].value is None  # commune b has nothing yet
    assert {data[f"A{row_of(i, '1.1')}"].value for i in range(3)} == {"28756", "28759", "28801"}


def test_synthetic_round_says_so(world, round_bt):
    wb = _open(build_template(round_bt, [assessment_of(round_bt, world.a)], synthetic=True))
    assert "MÔ PHỎNG" in wb[layout.DATA_SHEET]["A1"].value
    assert any("MÔ PHỎNG" in (c.value or "") for c in wb[layout.INSTRUCTIONS_SHEET]["A"])


def test_the_builder_reads_no_database_and_uses_the_workbook_toolkit(world, round_bt, django_assert_num_queries):
    a = assessment_of(round_bt, world.a)
    fill(a, world.officer_a, numerator=7, denominator=9, met=False)
    assessments = list(round_bt.assessments.select_related("unit", "round__province").order_by("unit__code"))
    round_ = assessments[0].round
    values = template_values(assessments)
    with django_assert_num_queries(0):
        data = build_template(round_, assessments, values=values)
    wb = _open(data)
    sheet = wb[layout.DATA_SHEET]
    assert wb["Số liệu"]["H" + str(row_of(0, "1.2"))].value == 7
    # The toolkit's opening and finish, as in the exports: header styled, panes frozen under
    # it, the header repeated on every printed A4 page.
    header = sheet[f"A{layout.HEADER_ROW}"]
    assert header.font.bold and header.fill.start_color.rgb == "FFDDEBF7" and header.border.left.style == "thin"
    assert sheet.freeze_panes == f"E{layout.FIRST_DATA_ROW}"
    assert sheet.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
