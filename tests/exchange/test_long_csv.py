"""Reading the long CSV (DESIGN.md "Exchange format"): accepted spellings and every refusal."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcommune.criteria.registry import get_criteria_set
from smartcommune.exchange.long_csv import LongCsvError, read_long_csv
from smartcommune.exchange.values import MAX_COUNT

S = get_criteria_set()
HEADER = "unit_code,year,criterion,numerator,denominator,met"


def read(text: str | bytes, name: str = "xa.csv"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return read_long_csv(raw, S, name=name)


def refused(text: str | bytes, name: str = "xa.csv") -> LongCsvError:
    with pytest.raises(LongCsvError) as info:
        read(text, name)
    error = info.value
    assert error.problems
    for p in error.problems:
        assert p.vi.strip() and p.en.strip() and p.vi != p.en
    return error


def where(error: LongCsvError) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in error.problems]


def triple(given) -> tuple:
    if hasattr(given, "numerator"):
        return (given.numerator, given.denominator, given.met)
    n, d, m = given[:3]
    return (n, d, m)


def inputs(units) -> dict[tuple[str, int], dict[str, tuple]]:
    return {(u.unit_code, u.year): {code: triple(v) for code, v in u.inputs.items()} for u in units}


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


# -- accepted input ------------------------------------------------------------


def test_design_example():
    units = read(csv_text("28756,2024,1.1,12,12,", "28756,2024,1.3,,,true", "28756,2024,3.1,40,40,true"))
    assert inputs(units) == {("28756", 2024): {
        "1.1": (12, 12, None), "1.3": (None, None, True), "3.1": (40, 40, True)}}
    assert isinstance(units[0].year, int) and isinstance(units[0].unit_code, str)


def test_sorted_by_unit_code_then_year():
    units = read(csv_text(
        "28759,2024,1.1,1,1,",
        "28756,2025,1.1,1,1,",
        "28756,2023,1.1,1,1,",
        "28756,2024,1.1,1,1,",
        "28759,2022,1.1,1,1,",
    ))
    assert [(u.unit_code, u.year) for u in units] == [
        ("28756", 2023), ("28756", 2024), ("28756", 2025), ("28759", 2022), ("28759", 2024)]


def test_byte_order_mark_is_accepted():
    units = read(b"\xef\xbb\xbf" + csv_text("28756,2024,1.1,12,12,").encode())
    assert inputs(units) == {("28756", 2024): {"1.1": (12, 12, None)}}


def test_crlf_line_endings():
    units = read(csv_text("28756,2024,1.1,12,12,", "28756,2024,1.3,,,x").replace("\n", "\r\n"))
    assert inputs(units) == {("28756", 2024): {"1.1": (12, 12, None), "1.3": (None, None, True)}}


def test_blank_lines_are_skipped():
    units = read(HEADER + "\n\n28756,2024,1.1,12,12,\n\n\n28756,2024,1.3,,,x\n\n")
    assert inputs(units) == {("28756", 2024): {"1.1": (12, 12, None), "1.3": (None, None, True)}}


def test_extra_columns_are_ignored_wherever_they_are():
    text = (
        "ten_xa,unit_code,year,ghi_chu,criterion,numerator,denominator,met,nguoi_nhap\n"
        '"Xã Phú Hưng, TP Bến Tre",28756,2024,"ghi chú, có dấu phẩy",1.2,9,10,,Nguyễn Văn A\n'
        "Xã Phú Hưng,28756,2024,,6.2,,,Đạt,\n"
    )
    assert inputs(read(text)) == {("28756", 2024): {"1.2": (9, 10, None), "6.2": (None, None, True)}}


def test_column_order_is_free():
    text = "met,denominator,numerator,criterion,year,unit_code\n,10,9,1.2,2024,28756\nkhông đạt,,,1.3,2024,28756\n"
    assert inputs(read(text)) == {("28756", 2024): {"1.2": (9, 10, None), "1.3": (None, None, False)}}


TRUE_SPELLINGS = ["true", "TRUE", "True", "yes", "YES", "Yes", "1", "x", "X", "đạt", "Đạt", "ĐẠT", "đẠt", " x ", " Đạt "]
FALSE_SPELLINGS = ["false", "FALSE", "False", "no", "NO", "No", "0", "không đạt", "Không đạt", "Không Đạt", "KHÔNG ĐẠT", " no "]


@pytest.mark.parametrize("spelling", TRUE_SPELLINGS)
def test_true_spellings(spelling):
    units = read(csv_text(f"28756,2024,6.1,,,{spelling}", f"28756,2024,3.1,4,4,{spelling}"))
    assert inputs(units)[("28756", 2024)] == {"6.1": (None, None, True), "3.1": (4, 4, True)}


@pytest.mark.parametrize("spelling", FALSE_SPELLINGS)
def test_false_spellings(spelling):
    units = read(csv_text(f"28756,2024,6.1,,,{spelling}", f"28756,2024,3.1,4,4,{spelling}"))
    assert inputs(units)[("28756", 2024)] == {"6.1": (None, None, False), "3.1": (4, 4, False)}


@pytest.mark.parametrize("cell", ["", " ", '""'])
def test_empty_met_is_not_reported(cell):
    units = read(csv_text(f"28756,2024,6.1,,,{cell}", f"28756,2024,3.1,4,4,{cell}"))
    assert inputs(units)[("28756", 2024)] == {"6.1": (None, None, None), "3.1": (4, 4, None)}


def test_empty_counts_are_not_reported():
    units = read(csv_text("28756,2024,1.1,,,", "28756,2024,1.2,5,,", "28756,2024,2.2,,7,"))
    assert inputs(units)[("28756", 2024)] == {
        "1.1": (None, None, None), "1.2": (5, None, None), "2.2": (None, 7, None)}


def test_zero_counts():
    assert inputs(read(csv_text("28756,2024,1.1,0,0,")))[("28756", 2024)] == {"1.1": (0, 0, None)}


def test_large_counts_are_exact_up_to_max_count():
    big = MAX_COUNT
    units = read(csv_text(f"28756,2024,1.2,{big - 1},{big},"))
    assert inputs(units)[("28756", 2024)]["1.2"] == (big - 1, big, None)


@pytest.mark.parametrize("value", [str(MAX_COUNT + 1), "9" * 5000, "1" + "0" * 30])
def test_counts_above_max_count_are_refused(value):
    """Issue 16.1: a count above the database's integer (or thousands of digits, which
    int() would refuse with a ValueError) is a listed problem, not a crash."""
    error = refused(csv_text(f"28756,2024,1.2,{value},10,"))
    assert where(error) == [(2, "numerator")]
    assert "quá lớn" in error.problems[0].vi


# -- refusals ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "1.5", "12a", "1e3", "１２", "mười", "٣", "+3", "1e1000000"])
def test_bad_numerator(value):
    error = refused(csv_text("28756,2024,1.1,1,1,", f"28756,2024,1.2,{value},10,"))
    assert where(error) == [(3, "numerator")]
    assert error.problems[0].column_number == 4


@pytest.mark.parametrize("value", ["-5", "2.0", "abc"])
def test_bad_denominator(value):
    error = refused(csv_text(f"28756,2024,1.2,1,{value},"))
    assert where(error) == [(2, "denominator")]
    assert error.problems[0].column_number == 5


def test_numerator_above_denominator():
    error = refused(csv_text("28756,2024,1.2,11,10,"))
    assert len(error.problems) == 1
    assert error.problems[0].line == 2 and error.problems[0].column in ("numerator", "denominator")
    text = str(error)
    assert "11" in text and "10" in text
    # DESIGN.md: the message names the unit, year, criterion and value.
    assert "28756" in text and "2024" in text and "1.2" in text


def test_unknown_criterion():
    error = refused(csv_text("28756,2024,11.1,1,1,"))
    assert where(error) == [(2, "criterion")]
    assert "11.1" in str(error)


def test_duplicated_unit_year_criterion():
    error = refused(csv_text("28756,2024,1.1,1,1,", "28756,2024,1.2,9,10,", "28756,2024,1.1,2,2,"))
    assert where(error) == [(4, "criterion")]
    assert "2" in error.problems[0].vi and "2" in error.problems[0].en  # points at the first line
    assert re.search(r"\b2\b", error.problems[0].en)


def test_same_criterion_for_another_year_or_unit_is_not_a_duplicate():
    units = read(csv_text("28756,2024,1.1,1,1,", "28756,2025,1.1,1,1,", "28759,2024,1.1,1,1,"))
    assert len(units) == 3


@pytest.mark.parametrize("drop", ["unit_code", "year", "criterion", "numerator", "denominator", "met"])
def test_missing_required_column(drop):
    columns = HEADER.split(",")
    keep = [i for i, c in enumerate(columns) if c != drop]
    row = "28756,2024,1.1,1,1,".split(",")
    text = ",".join(columns[i] for i in keep) + "\n" + ",".join(row[i] for i in keep) + "\n"
    error = refused(text)
    assert error.problems[0].line in (0, 1)
    assert drop in str(error)


def test_several_missing_columns_are_named():
    error = refused("unit_code,year,criterion\n28756,2024,1.1\n")
    for column in ("numerator", "denominator", "met"):
        assert column in str(error)


@pytest.mark.parametrize("value", ["maybe", "có", "y", "n", "2", "đạt một phần", "true false"])
def test_unreadable_boolean(value):
    error = refused(csv_text(f"28756,2024,6.1,,,{value}"))
    assert where(error) == [(2, "met")]
    assert error.problems[0].column_number == 6


@pytest.mark.parametrize("value", ["20x4", "24", "02024", "2024.0", "", "năm 2024", "2019", "2026"])
def test_bad_year(value):
    error = refused(csv_text(f"28756,{value},1.1,1,1,"))
    assert where(error) == [(2, "year")]
    assert error.problems[0].column_number == 2


@pytest.mark.parametrize("value", ["", "xa-1", "28 756"])
def test_bad_unit_code(value):
    error = refused(csv_text(f"{value},2024,1.1,1,1,"))
    assert where(error) == [(2, "unit_code")]


def test_counts_on_a_boolean_only_criterion():
    error = refused(csv_text("28756,2024,1.3,1,1,x"))
    assert {p.column for p in error.problems} <= {"numerator", "denominator"}
    assert error.problems and all(p.line == 2 for p in error.problems)
    assert "1.3" in str(error)


def test_met_on_a_ratio_only_criterion():
    error = refused(csv_text("28756,2024,1.1,1,1,x"))
    assert where(error) == [(2, "met")]
    assert "1.1" in str(error)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n", b"\n\n  \n"])
def test_empty_file(content):
    error = refused(content)
    assert len(error.problems) == 1
    assert error.problems[0].line in (0, 1)


def test_not_utf8():
    raw = (HEADER + "\n28756,2024,6.1,,,đạt\n").encode("utf-8") + unicodedata.normalize("NFD", "28756,2024,6.2,,,Đạt\n").encode("cp1258")
    error = refused(raw)
    assert error.problems[0].line == 3
    assert "UTF-8" in error.problems[0].vi and "UTF-8" in error.problems[0].en


@pytest.mark.parametrize("line, bad", [
    (1, b"unit_code,year,criterion,numerator,denominator,m\xe9t\n28756,2024,6.1,,,x\n"),
    (2, b"unit_code,year,criterion,numerator,denominator,met\n2875\xd0,2024,6.1,,,x\n"),
    (2, b"unit_code,year,criterion,numerator,denominator,met\n28756,202\xd0,6.1,,,x\n"),
    (3, b"unit_code,year,criterion,numerator,denominator,met\n28756,2024,6.1,,,x\n28756,2024,6.2,,,\xd0\xe1t\n"),
    # Whole characters, but a lone half of one at the end of a line: bytes a plain file's
    # line break splits must still decode as the whole file's text would.
    (2, "unit_code,year,criterion,numerator,denominator,met\n28756,2024,6.1,,,Đạ".encode()[:-1] + b"\n"),
], ids=["header", "unit code", "year", "met", "cut character"])
def test_a_byte_not_utf8_anywhere_in_a_plain_file_is_refused(line, bad):
    """The quick reader reads a file's bytes, not its text; a file it would otherwise take
    (no quotes, the usual columns) is still refused as not UTF-8, at the line of the byte."""
    error = refused(bad)
    assert len(error.problems) == 1
    assert error.problems[0].line == line
    assert "UTF-8" in error.problems[0].vi and "UTF-8" in error.problems[0].en


def test_short_and_long_rows():
    error = refused(csv_text("28756,2024,1.1,1,1", "28756,2024,1.2,9,10,", "28756,2024,1.3,,,x,thêm"))
    assert [p.line for p in error.problems] == [2, 4]


def test_every_problem_is_listed_with_line_and_column():
    text = csv_text(
        "28756,2024,1.1,12,12,",       # 2 fine
        "28756,2024,1.2,-3,10,",       # 3 numerator
        "28756,2024,9.9,1,1,",         # 4 criterion
        "28756,2030,1.3,,,x",          # 5 year
        "28756,2024,6.1,,,có lẽ",      # 6 met
        "28756,2024,2.2,21,20,",       # 7 numerator above denominator
        "28756,2024,1.1,1,1,",         # 8 duplicate of line 2
        "28756,2024,1.4,,,x",          # 9 fine
    )
    error = refused(text)
    found = where(error)
    for expected in [(3, "numerator"), (4, "criterion"), (5, "year"), (6, "met"), (8, "criterion")]:
        assert expected in found, found
    assert any(line == 7 and column in ("numerator", "denominator") for line, column in found)
    assert not any(line in (2, 9) for line, _ in found)
    message = str(error)
    for line in (3, 4, 5, 6, 7, 8):
        assert re.search(rf"xa\.csv:{line}\b", message), message


def test_one_row_can_have_several_problems():
    error = refused(csv_text("28756,2024,9.9,-1,abc,maybe"))
    columns = {p.column for p in error.problems}
    assert {"criterion", "numerator", "denominator", "met"} <= columns
    assert all(p.line == 2 for p in error.problems)


def test_describe_names_file_line_column_in_both_languages():
    error = refused(csv_text("28756,2024,1.2,-3,10,"), name="bao-cao.csv")
    text = error.problems[0].describe("bao-cao.csv")
    assert "bao-cao.csv" in text and "2" in text and "numerator" in text
    assert error.problems[0].vi in text and error.problems[0].en in text


def test_line_numbers_count_lines_in_the_file_after_a_multiline_cell():
    # A quoted note may span lines; problems are reported at their line in the file.
    text = (
        "unit_code,year,criterion,numerator,denominator,met,ghi_chu\n"
        '28756,2024,1.1,1,1,,"dòng một\ndòng hai"\n'
        "28756,2024,1.2,11,10,,\n"
    )
    error = refused(text)
    assert [p.line for p in error.problems] == [4]


def test_path_source_is_read_and_named(tmp_path):
    path = tmp_path / "nhap.csv"
    path.write_text(csv_text("28756,2024,1.2,-3,10,"), encoding="utf-8")
    with pytest.raises(LongCsvError) as info:
        read_long_csv(path, S)
    assert str(path) in str(info.value)
    path.write_text(csv_text("28756,2024,1.2,9,10,"), encoding="utf-8")
    assert inputs(read_long_csv(path, S)) == {("28756", 2024): {"1.2": (9, 10, None)}}


# -- the fast and the careful paths accept the same rows ----------------------

SPELL_TRUE = ["true", "TRUE", "yes", "Yes", "1", "x", "X", "đạt", "Đạt", "ĐẠT", "dat", "Dat"]
SPELL_FALSE = ["false", "No", "0", "không đạt", "Không Đạt", "KHÔNG ĐẠT", "khong dat", "Khong Dat"]
pad = st.sampled_from(["", "", "", " ", "  "])


@st.composite
def rows(draw):
    expected, lines, seen = {}, [], set()
    for _ in range(draw(st.integers(1, 12))):
        unit = draw(st.sampled_from(["28756", "28759", "29014"]))
        year = draw(st.integers(2021, 2025))
        crit = draw(st.sampled_from(S.criteria))
        if (unit, year, crit.code) in seen:
            continue
        seen.add((unit, year, crit.code))
        n = d = met = None
        n_cell = d_cell = met_cell = ""
        if crit.ratio is not None and draw(st.booleans()):
            d = draw(st.integers(0, 10**6))
            n = draw(st.integers(0, d))
            n_cell, d_cell = draw(pad) + str(n) + draw(pad), draw(pad) + str(d) + draw(pad)
        if crit.boolean is not None:
            met = draw(st.sampled_from([None, True, False]))
            if met is not None:
                met_cell = draw(pad) + draw(st.sampled_from(SPELL_TRUE if met else SPELL_FALSE)) + draw(pad)
        cells = [draw(pad) + unit + draw(pad), draw(pad) + str(year) + draw(pad), draw(pad) + crit.code + draw(pad),
                 n_cell, d_cell, met_cell]
        lines.append(",".join(cells))
        expected.setdefault((unit, year), {})[crit.code] = (n, d, met)
    return lines, expected


@settings(max_examples=80, deadline=None, database=None)
@given(data=rows())
def test_any_valid_file_is_read_exactly(data):
    lines, expected = data
    assert inputs(read(csv_text(*lines))) == expected


# -- spreadsheet realities -------------------------------------------------------


def test_a_problem_in_a_multiline_row_is_reported_at_the_line_where_the_row_starts():
    # The row begins on line 2 and its quoted note runs on to line 3.
    text = (
        "unit_code,year,criterion,numerator,denominator,met,ghi_chu\n"
        '28756,2024,1.2,11,10,,"dòng một\ndòng hai"\n'
        "28756,2024,1.1,1,1,,\n"
    )
    error = refused(text)
    assert [p.line for p in error.problems] == [2]


@pytest.mark.parametrize(("spelling", "value"), [("Đạt", True), ("đạt", True), ("Không đạt", False), ("KHÔNG ĐẠT", False)],
                         ids=["Dat", "dat", "Khong-dat", "KHONG-DAT"])
def test_decomposed_unicode_spellings_are_accepted(spelling, value):
    # Vietnamese keyboards ("Unicode tổ hợp") and macOS write decomposed (NFD)
    # text; "Đạt" is the same word however its accents are encoded, and the
    # refusal message would otherwise tell the user to write what they wrote.
    cell = unicodedata.normalize("NFD", spelling)
    assert cell != spelling
    units = read(csv_text(f"28756,2024,6.1,,,{cell}"))
    assert inputs(units)[("28756", 2024)] == {"6.1": (None, None, value)}


def test_rows_of_empty_cells_are_blank_lines():
    # Spreadsheets export empty-but-formatted rows as ",,,,,"; they are blank lines.
    units = read(csv_text("28756,2024,1.1,1,1,", ",,,,,", "28756,2024,1.3,,,x", ",,,,,"))
    assert inputs(units) == {("28756", 2024): {"1.1": (1, 1, None), "1.3": (None, None, True)}}


# -- the plain path (a national file) and the careful path agree ------------------------


@settings(max_examples=60, deadline=None, database=None)
@given(data=rows(), crlf=st.booleans())
def test_a_file_reads_the_same_plain_or_quoted(data, crlf):
    """Quoting every cell sends a file through the csv module cell by cell; without
    quotes the same rows take the split-at-commas path: same inputs, same order."""
    lines, expected = data
    end = "\r\n" if crlf else "\n"
    plain = end.join([HEADER, *lines]) + end
    quoted = end.join(",".join(f'"{cell}"' for cell in line.split(",")) for line in [HEADER, *lines]) + end
    read_plain, read_quoted = read(plain), read(quoted)
    assert inputs(read_plain) == inputs(read_quoted) == expected
    assert [(u.unit_code, u.year) for u in read_plain] == [(u.unit_code, u.year) for u in read_quoted]


def test_a_problem_after_many_plain_rows_is_still_named_with_its_line():
    good = [f"{28000 + i},2024,1.1,{i},{i + 1}," for i in range(200)]
    error = refused(csv_text(*good, "28756,2024,1.2,7,5,", *good[:3]))
    assert where(error) == [(202, "numerator"), (203, "criterion"), (204, "criterion"), (205, "criterion")]
