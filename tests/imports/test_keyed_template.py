"""The entry template of a set with preconditions, counts, choices and keyed rows (version
2): a row per precondition and keyed condition, the count and choice cells (the choice a
list of the set's options), read back all or nothing; the long CSV carries them too."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from smartcommune.exchange.long_csv import write_long_csv
from smartcommune.imports import layout, selectors
from smartcommune.imports.actions import do_import
from smartcommune.imports.exceptions import ImportRefused
from smartcommune.imports.preview import build_preview
from smartcommune.imports.sources import read_upload
from smartcommune.rounds.actions import do_open_round
from smartcommune.rounds.evaluation import inputs_of
from smartcommune.rounds.models import CriterionValue
from tests.imports.helpers import fill_cells, snapshot, template
from tests.rounds.fixtures import assessment_of, fresh, open_keyed_round, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db]


def example_round(world, settings, code):
    if code == "keyed":
        return open_keyed_round(world, settings)
    year = 2025 if code.startswith("ntm") else 2026
    return do_open_round(actor=world.secretariat_vl, criteria_set_code=code, year=year, province=world.vl,
                         submission_deadline=date(year, 9, 1), review_deadline=date(year, 10, 1),
                         verification_deadline=date(year, 11, 1))


def cells_for(slot, row: int) -> dict[str, object]:
    """A valid value in every input cell of ``slot``'s row."""
    cells = {f"{layout.SOURCE_COL}{row}": f"Báo cáo {slot.code}"}
    if slot.ratio is not None:
        cells |= {f"{layout.NUMERATOR_COL}{row}": 3, f"{layout.DENOMINATOR_COL}{row}": 4}
    if slot.boolean is not None:
        cells[f"{layout.MET_COL}{row}"] = layout.MET_TRUE
    if slot.count is not None:
        cells[f"{layout.COUNT_COL}{row}"] = 2
    if slot.choice is not None:
        cells[f"{layout.CHOICE_COL}{row}"] = slot.choice.options[-1].code
    return cells


@pytest.mark.parametrize("code", ["keyed", "chuyen-doi-so-cap-xa-2026", "ntm-kieu-mau-2021-2025"])
def test_the_template_round_trips_every_row(world, settings, code):
    round_ = example_round(world, settings, code)
    criteria_set = round_.criteria_set
    a = assessment_of(round_, world.x)
    blank = template(round_, [a])
    wb = load_workbook(io.BytesIO(blank))
    data, key = wb[layout.DATA_SHEET], wb[layout.KEY_SHEET]
    assert [c.value for c in data[layout.HEADER_ROW]] == [h for _, h in layout.COLUMNS]
    assert key["B2"].value == "2"
    slots = criteria_set.slots
    assert [data[f"D{layout.FIRST_DATA_ROW + i}"].value for i in range(len(slots))] == [s.code for s in slots]
    for i, slot in enumerate(slots):
        if slot.criterion in criteria_set.preconditions:
            assert data[f"C{layout.FIRST_DATA_ROW + i}"].value == "ĐKTQ"
    # Each choice's cells take a list of its options.
    lists = {str(dv.sqref): dv.formula1 for dv in data.data_validations.dataValidation if dv.type == "list"}
    for i, slot in enumerate(slots):
        if slot.choice is not None:
            ref = f"{layout.CHOICE_COL}{layout.FIRST_DATA_ROW + i}"
            assert lists[ref] == '"' + ",".join(o.code for o in slot.choice.options) + '"'
    cells = {}
    for i, slot in enumerate(slots):
        cells |= cells_for(slot, layout.FIRST_DATA_ROW + i)
    filled = fill_cells(blank, cells)
    preview = build_preview(read_upload(filled, "x.xlsx"), world.officer_x, round_=round_)
    do_import(actor=world.officer_x, changes=preview.changes(), versions=preview.versions, file_name="x.xlsx")
    inputs = inputs_of(fresh(a))
    for slot in slots:
        given = inputs[slot.code]
        assert given.numerator == (3 if slot.ratio else None) and given.count == (2 if slot.count else None)
        assert given.choice == (slot.choice.options[-1].code if slot.choice else None)
        assert given.met == (True if slot.boolean else None)
    if code == "keyed":
        assert CriterionValue.objects.get(assessment=a, criterion_code="2.1").keyed["b"]["source"] == "Báo cáo 2.1:b"
    # The pre-filled template and the long CSV of what is stored change nothing.
    before = snapshot()
    again = build_preview(read_upload(template(round_, [fresh(a)], prefill=True), "lai.xlsx"), world.officer_x,
                          round_=round_)
    assert again.communes == []
    out = io.StringIO()
    write_long_csv(selectors.unit_years_of([fresh(a)]), criteria_set, out)
    assert "2.1:b" in out.getvalue() or code != "keyed"
    csv_preview = build_preview(read_upload(out.getvalue().encode(), "x.csv", criteria_set_code=criteria_set.code),
                                world.officer_x, round_=round_)
    assert csv_preview.communes == []
    assert snapshot() == before


@pytest.mark.parametrize("column, code, value, says", [
    ("O", "1.2", -1, "cột O"),
    ("O", "1.2", 2.5, "cột O"),
    ("Q", "1.1", "khong-co", "không phải phương án của tiêu chí 1.1"),
    ("H", "2.1:b", 9, "tử số 9 lớn hơn mẫu số 4"),
])
def test_bad_cells_are_named_by_sheet_row_and_column_and_nothing_is_saved(world, settings, column, code, value, says):
    round_ = open_keyed_round(world, settings)
    a = assessment_of(round_, world.x)
    # The rows of one commune: TQ, 1.1, 1.2, 2.1, 2.1:b (cells below name them by criterion).
    rows = {code: layout.FIRST_DATA_ROW + i for i, code in enumerate(s.code for s in round_.criteria_set.slots)}
    cell = f"{column}{rows[code]}"
    filled = fill_cells(template(round_, [a]), {cell: value, f"J{rows['2.1:b']}": 4, f"L{rows['TQ']}": "Đạt"})
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        preview = build_preview(read_upload(filled, "sai.xlsx"), world.officer_x, round_=round_)
        do_import(actor=world.officer_x, changes=preview.changes(), versions=preview.versions, file_name="sai.xlsx")
    text = "\n".join(p.describe() for p in refused.value.problems)
    assert says in text and "Số liệu" in text, text
    assert snapshot() == before
