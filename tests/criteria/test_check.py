"""`criteria check`: every authoring mistake named by its line and criterion, in the author's terms."""

from __future__ import annotations

import pytest

from smartcommune.criteria.check import MAX_BYTES, check_bytes, check_text
from smartcommune.criteria.locate import Locator
from smartcommune.criteria.registry import SETS_DIR

BEN_TRE = (SETS_DIR / "ben-tre-2021-2025.toml").read_text(encoding="utf-8")
LINES = BEN_TRE.splitlines()


def line_of(needle: str, start: int = 0) -> int:
    """The 1-based line of the first line containing ``needle`` at or after line ``start``."""
    return next(i + 1 for i, line in enumerate(LINES) if i + 1 >= start and needle in line)


def only_error(text: str):
    report = check_text(text, source="x.toml")
    assert not report.ok
    assert len(report.errors) == 1, [f.describe() for f in report.errors]
    return report.errors[0]


def test_the_shipped_set_is_clean():
    report = check_text(BEN_TRE, expected_code="ben-tre-2021-2025")
    assert report.ok and report.findings == []
    assert report.criteria_set.code == "ben-tre-2021-2025"


def test_threshold_out_of_range_names_line_and_criterion():
    text = BEN_TRE.replace('threshold = "90"', 'threshold = "190"', 1)
    error = only_error(text)
    assert error.line == line_of('threshold = "90"')
    assert error.place_vi == f"dòng {error.line}, tiêu chí 1.2, điều kiện 1, khóa threshold"
    assert "190" in error.vi
    assert error.describe().startswith(f"lỗi: dòng {error.line}, tiêu chí 1.2")


def test_misspelt_key_gets_did_you_mean_and_the_missing_key_its_table():
    start = line_of('code = "4"')
    text = "\n".join(line.replace("evidence =", "evidnce =") if i + 1 > start and "evidence =" in line and i + 1 < start + 12 else line
                     for i, line in enumerate(LINES))
    report = check_text(text)
    by_key = {f.path.rsplit(".", 1)[-1]: f for f in report.errors}
    assert set(by_key) == {"evidnce", "evidence"}
    assert "có phải ý bạn là 'evidence'?" in by_key["evidnce"].vi
    assert by_key["evidnce"].where_vi == "tiêu chí 4, khóa evidnce"
    assert LINES[by_key["evidnce"].line - 1].startswith("evidence =")
    assert LINES[by_key["evidence"].line - 1] == "[[groups.criteria]]"  # the criterion's header


def test_unknown_key_far_from_any_gets_no_guess():
    error = only_error(BEN_TRE.replace('format = 1', 'format = 1\nzzzqqq = 3', 1))
    assert error.line == line_of("format = 1") + 1
    assert "có phải" not in error.vi and "khóa không được hỗ trợ" in error.vi


def test_undeclared_agency():
    error = only_error(BEN_TRE.replace('lead_agencies = ["SXD"]', 'lead_agencies = ["SXX"]'))
    assert error.line == line_of('lead_agencies = ["SXD"]')
    assert error.where_vi.startswith("tiêu chí 3.2")
    assert "SXX" in error.vi


def test_duplicate_criterion_code():
    text = BEN_TRE.replace('code = "1.2"', 'code = "1.1"', 1)
    error = only_error(text)
    assert error.line == line_of('code = "1.2"')
    assert "trùng" in error.vi


def test_bad_comparator_and_kind():
    report = check_text(BEN_TRE.replace('comparator = ">="', 'comparator = "=>"', 1).replace('kind = "boolean"', 'kind = "bool"', 1))
    messages = {f.where_vi.split(", khóa ")[-1]: f for f in report.errors}
    assert set(messages) == {"comparator", "kind"}
    assert LINES[messages["kind"].line - 1] == 'kind = "boolean"'


def test_float_threshold_refused_with_its_line():
    error = only_error(BEN_TRE.replace('threshold = "50"', "threshold = 50.0", 1))
    assert error.line == line_of('threshold = "50"')
    assert "tiêu chí 9.2" in error.where_vi


def test_inline_pass_rule_problem_is_on_its_line():
    error = only_error(BEN_TRE.replace("pass_rule = { at_least = 7 }", "pass_rule = { at_least = 11 }"))
    assert error.line == line_of("pass_rule = { at_least")
    assert "khóa pass_rule.at_least" in error.where_vi


def test_period_inverted():
    error = only_error(BEN_TRE.replace("period = { start = 2021, end = 2025 }", "period = { start = 2026, end = 2025 }"))
    assert error.line == line_of("period = {")


def test_toml_syntax_error_prints_its_line():
    text = BEN_TRE.replace('name = "Sở Y tế"', 'name = "Sở Y tế', 1)
    error = only_error(text)
    assert error.line == line_of('name = "Sở Y tế"')
    assert error.vi.startswith("không đọc được TOML")
    assert "(at line" not in error.vi


@pytest.mark.parametrize("data, needle", [
    (b"\xff\xfe code", "UTF-8"),
    (b"x" * (MAX_BYTES + 1), "quá lớn"),
])
def test_unreadable_bytes(data, needle):
    report = check_bytes(data)
    assert not report.ok and needle in report.errors[0].vi


def test_missing_groups_is_a_root_problem():
    report = check_text("format = 1\ncode = \"a\"\n")
    assert not report.ok
    assert any(f.path == "groups" and f.line is None for f in report.errors)


def test_agency_without_code_is_named_by_position():
    report = check_text(BEN_TRE.replace('code = "VPUBND"\n', "", 1))
    (error,) = [f for f in report.errors if f.path == "agencies[1].code"]
    assert error.where_vi == "cơ quan thứ 2, khóa code"
    assert LINES[error.line - 1] == "[[agencies]]"


# -- warnings -------------------------------------------------------------------------


def warnings(text: str, **kw) -> list[str]:
    report = check_text(text, **kw)
    assert report.ok, [f.describe() for f in report.errors]
    return [f.vi for f in report.warnings]


def test_at_least_equal_to_count_warns():
    found = warnings(BEN_TRE.replace("pass_rule = { at_least = 7 }", "pass_rule = { at_least = 10 }"))
    assert found == ['pass_rule = { at_least = 10 } bằng đúng số lĩnh vực (10): viết "all" cho rõ']


def test_file_name_different_from_code_warns():
    assert any("khác tên tệp" in w for w in warnings(BEN_TRE, expected_code="ben-tre-v2"))


def test_unused_agency_warns_at_its_table():
    text = BEN_TRE.replace('[[agencies]]\ncode = "STTTT"', '[[agencies]]\ncode = "KHONG"\nname = "Không ai"\n\n[[agencies]]\ncode = "STTTT"', 1)
    report = check_text(text)
    (warning,) = report.warnings
    assert "KHONG" in warning.vi and warning.where_vi == "cơ quan KHONG"
    assert warning.severity == "warning" and warning.describe().startswith("cảnh báo: dòng")


def test_criterion_outside_its_field_numbering_and_zero_threshold_warn():
    text = BEN_TRE.replace('code = "9.2"', 'code = "8.9"', 1).replace('threshold = "50"', 'threshold = "0"', 1)
    found = warnings(text)
    assert any("'8.9' không thuộc lĩnh vực '9'" in w for w in found)
    assert any("luôn đạt" in w for w in found)


def test_same_text_twice_warns():
    text_11 = LINES[line_of('code = "1.1"')]
    text_12 = LINES[line_of('code = "1.2"')]
    assert text_11.startswith("text =") and text_12.startswith("text =")
    found = warnings(BEN_TRE.replace(text_12, text_11, 1))
    assert found == ["nội dung trùng với tiêu chí 1.1"]


# -- the locator ------------------------------------------------------------------------


def test_locator_places_inline_arrays_and_tables_and_skips_multiline_strings():
    text = '\n'.join([
        'a = [',
        '  { kind = "ratio", threshold = 5 },',
        '  { kind = "b",',
        '    x = """multi',
        '[[not.a.header]]',
        '""", y = [1,',
        ' 2] },',
        ']',
        '[[groups]]',
        'code = 1',
        '[groups.extra]',
        'deep.key = 2',
        '[[groups]]',
        '"quoted key" = 3',
    ])
    locator = Locator(text)
    assert locator.line_of("a[0].threshold") == 2
    assert locator.line_of("a[1].x") == 4
    assert locator.line_of("a[1].y[1]") == 7
    assert locator.line_of("groups[0].code") == 10
    assert locator.line_of("groups[0].extra.deep.key") == 12
    assert locator.line_of("groups[1].quoted key") == 14
    assert locator.line_of("groups[1].missing") == 13
    assert locator.line_of(("not",)) is None


# -- warnings on points and levels (sets in points) -------------------------------------------

DTI = (SETS_DIR / "chuyen-doi-so-cap-xa-2026.toml").read_text(encoding="utf-8")


def test_the_example_sets_are_clean():
    for path in sorted(SETS_DIR.glob("*.toml")):
        report = check_text(path.read_text(encoding="utf-8"), expected_code=path.stem)
        assert report.ok and report.warnings == [], [f.describe() for f in report.findings]


def test_bars_no_commune_can_reach_warn():
    text = (DTI.replace("pass_rule = { points_at_least = 50 }", "pass_rule = { points_at_least = 150 }", 1)
            .replace("rule = { points_at_least = 80 }", "rule = { points_at_least = 120 }", 1))
    report = check_text(text)
    assert report.ok
    lines = DTI.splitlines()
    found = {(f.line, f.vi.split(":")[0].split(" (")[0]) for f in report.warnings}
    assert (lines.index("pass_rule = { points_at_least = 50 }") + 1,
            "cần 150 điểm nhưng bộ tiêu chí chỉ có tối đa 100 điểm") in found
    assert any("Mức Tốt cần 120 điểm" in f.vi for f in report.warnings)
    (level,) = [f for f in report.warnings if f.path == "levels[2]"]
    assert level.where_vi == "mức TOT" and lines[level.line - 1] == "[[levels]]"
