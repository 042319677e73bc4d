"""The criteria-set loader: the shipped Bến Tre set, and every refusal of an invalid file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from smartcommune.criteria.loader import CriteriaFileError, load_criteria_set, parse_criteria_set
from smartcommune.criteria.model import Comparator, ZeroDenominator
from smartcommune.criteria.registry import SETS_DIR, UnknownCriteriaSet, bundled_sets, get_criteria_set
from tests.criteria.builders import boolean, copy_of, criteria_set_dict, criterion, group, ratio

BEN_TRE_CODES = [
    "1.1", "1.2", "1.3", "1.4", "1.5",
    "2.1", "2.2",
    "3.1", "3.2", "3.3", "3.4",
    "4",
    "5.1", "5.2",
    "6.1", "6.2",
    "7",
    "8.1", "8.2",
    "9.1", "9.2",
    "10.1", "10.2",
]
RATIO_ONLY = {"1.1", "1.2", "2.2", "4", "5.1", "5.2", "7", "8.1", "8.2", "9.1", "9.2"}
BOOLEAN_ONLY = {"1.3", "1.4", "1.5", "2.1", "3.4", "6.1", "6.2", "10.1", "10.2"}
BOTH = {"3.1", "3.2", "3.3"}
THRESHOLDS = {code: Decimal(100) for code in RATIO_ONLY | BOTH} | {"1.2": Decimal(90), "9.2": Decimal(50)}

# Lead agencies as the regulation (seed/README.md) names them.
LEADS = {
    **{code: ["Sở Thông tin và Truyền thông"] for code in
       ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "3.1", "3.4", "5.1", "5.2"]},
    "3.2": ["Sở Xây dựng"],
    "3.3": ["Sở Tài chính"],
    "4": ["Sở Nội vụ"],
    "6.1": ["Sở Y tế"],
    "6.2": ["Sở Y tế"],
    "7": ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Công Thương", "Sở Y tế"],
    "8.1": ["Sở Giáo dục và Đào tạo"],
    "8.2": ["Sở Giáo dục và Đào tạo"],
    "9.1": ["Sở Lao động, Thương binh và Xã hội"],
    "9.2": ["Sở Lao động, Thương binh và Xã hội"],
    "10.1": ["Công an tỉnh"],
    "10.2": ["Công an tỉnh"],
}


@pytest.fixture(scope="module")
def ben_tre():
    return get_criteria_set()


# -- the shipped set -------------------------------------------------------


def test_default_set_is_ben_tre(ben_tre):
    assert ben_tre.code == "ben-tre-2021-2025"
    assert get_criteria_set("ben-tre-2021-2025") is ben_tre
    assert "Bến Tre" in ben_tre.name
    assert (ben_tre.period_start, ben_tre.period_end) == (2021, 2025)
    assert ben_tre.code in [s.code for s in bundled_sets()]


def test_ben_tre_has_ten_fields_and_23_criteria_in_order(ben_tre):
    assert [g.code for g in ben_tre.groups] == [str(i) for i in range(1, 11)]
    assert [c.code for c in ben_tre.criteria] == BEN_TRE_CODES
    assert len(ben_tre.criteria) == 23
    assert [c.code for c in ben_tre.groups[3].criteria] == ["4"]
    assert [c.code for c in ben_tre.groups[6].criteria] == ["7"]
    for g in ben_tre.groups:
        assert g.pass_rule.at_least is None  # a field needs every criterion
        assert g.name.strip()


def test_ben_tre_needs_seven_fields(ben_tre):
    assert ben_tre.pass_rule.at_least == 7
    assert ben_tre.fields_required == 7


def test_ben_tre_conditions_and_thresholds(ben_tre):
    for c in ben_tre.criteria:
        kinds = sorted(type(x).__name__ for x in c.conditions)
        if c.code in RATIO_ONLY:
            assert kinds == ["RatioCondition"], c.code
        elif c.code in BOOLEAN_ONLY:
            assert kinds == ["BooleanCondition"], c.code
            assert c.ratio is None and c.target == "Đạt"
        else:
            assert c.code in BOTH
            assert kinds == ["BooleanCondition", "RatioCondition"], c.code
            assert c.pass_rule.at_least is None  # both must hold
        if c.ratio is not None:
            assert c.ratio.threshold == THRESHOLDS[c.code], c.code
            assert c.ratio.comparator is Comparator.AT_LEAST
            assert c.ratio.zero_denominator is ZeroDenominator.NOT_APPLICABLE
            assert c.ratio.numerator_label.strip() and c.ratio.denominator_label.strip()
    assert ben_tre.criterion("1.2").target == "≥90%"
    assert ben_tre.criterion("9.2").target == "≥50%"
    assert ben_tre.criterion("1.1").target == "100%"


def test_ben_tre_lead_agencies(ben_tre):
    for c in ben_tre.criteria:
        assert c.lead_agencies, c.code
        assert [ben_tre.agency(a).name for a in c.lead_agencies] == LEADS[c.code], c.code
        assert c.text.strip() and c.evidence.strip()
    assert [ben_tre.agency(a).name for a in ben_tre.criterion("6.2").lead_agencies] == ["Sở Y tế"]


def test_shipped_file_loads_directly_and_equals_the_registry_set(ben_tre):
    direct = load_criteria_set(SETS_DIR / "ben-tre-2021-2025.toml")
    assert direct == ben_tre


def test_unknown_set_code():
    with pytest.raises(UnknownCriteriaSet) as info:
        get_criteria_set("khong-co")
    assert "khong-co" in str(info.value)


def test_documented_example_loads(tmp_path):
    path = tmp_path / "vi-du.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    s = load_criteria_set(path)
    assert s.code == "vi-du-2026"
    assert s.fields_required == 1
    assert s.criterion("1.1").ratio.threshold == Decimal(90)
    assert s.criterion("1.1").ratio.threshold_text == "90"
    assert get_criteria_set(str(path)) == s


EXAMPLE = """\
format = 1
code = "vi-du-2026"
name = "Bộ tiêu chí ví dụ"
document = "Quyết định số 1/QĐ-UBND"
period = { start = 2026, end = 2030 }
pass_rule = { at_least = 1 }

[[agencies]]
code = "STTTT"
name = "Sở Thông tin và Truyền thông"

[[groups]]
code = "1"
name = "Hạ tầng thông tin"

[[groups.criteria]]
code = "1.1"
text = "Tỷ lệ hộ gia đình có thiết bị thông minh"
target = "≥90%"
lead_agencies = ["STTTT"]
evidence = "Báo cáo thống kê của UBND xã"

[[groups.criteria.conditions]]
kind = "ratio"
numerator = "Số hộ gia đình có thiết bị thông minh"
denominator = "Tổng số hộ gia đình"
comparator = ">="
threshold = "90"
"""


def test_valid_builder_document_loads():
    s = parse_criteria_set(criteria_set_dict(), source="thu-nghiem.toml")
    assert [c.code for c in s.criteria] == ["1.1"]


def test_integer_and_decimal_string_thresholds_are_exact():
    doc = criteria_set_dict(group("1", criterion("1.1", ratio(threshold=90)), criterion("1.2", ratio(threshold="62.5"))))
    s = parse_criteria_set(doc)
    assert s.criterion("1.1").ratio.threshold == Decimal(90)
    assert s.criterion("1.2").ratio.threshold == Decimal("62.5")
    assert s.criterion("1.2").ratio.threshold_text == "62.5"


# -- refusals ----------------------------------------------------------------


def refused(document: dict, source: str = "bo-tieu-chi.toml") -> CriteriaFileError:
    with pytest.raises(CriteriaFileError) as info:
        parse_criteria_set(document, source=source)
    error = info.value
    assert source in str(error)
    assert error.problems
    return error


def assert_names(error: CriteriaFileError, path: str, *words: str) -> None:
    """The message names ``path`` exactly, on a line that also has each of ``words``."""
    assert path in [p.path for p in error.problems], [p.path for p in error.problems]
    matching = [line for line in str(error).splitlines() if _names_path(line, path)]
    assert matching, (path, str(error))
    for word in words:
        assert any(word.lower() in line.lower() for line in matching), (word, matching)


def _names_path(line: str, path: str) -> bool:
    # "file: groups[0].criteria[0].code: ..." — the path is a whole token.
    return f": {path}:" in line or line.lstrip().startswith(f"{path}:")


def base() -> dict:
    return copy_of(criteria_set_dict(group("1", criterion("1.1", ratio()), criterion("1.2", boolean()))))


def first_criterion(doc: dict) -> dict:
    return doc["groups"][0]["criteria"][0]


def first_condition(doc: dict) -> dict:
    return first_criterion(doc)["conditions"][0]


def test_unknown_key():
    doc = base()
    first_condition(doc)["treshold"] = "90"
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].treshold", "unknown")


def test_unknown_top_level_key():
    doc = base()
    doc["nam"] = 2024
    assert_names(refused(doc), "nam", "unknown")


@pytest.mark.parametrize(
    ("path", "remove"),
    [
        ("name", lambda d: d.pop("name")),
        ("period", lambda d: d.pop("period")),
        ("groups[0].criteria[0].evidence", lambda d: first_criterion(d).pop("evidence")),
        ("groups[0].criteria[0].lead_agencies", lambda d: first_criterion(d).pop("lead_agencies")),
        ("groups[0].criteria[0].conditions[0].threshold", lambda d: first_condition(d).pop("threshold")),
        ("groups[0].criteria[0].conditions[0].comparator", lambda d: first_condition(d).pop("comparator")),
        ("groups[0].criteria[1].conditions[0].label", lambda d: d["groups"][0]["criteria"][1]["conditions"][0].pop("label")),
    ],
)
def test_missing_key(path, remove):
    doc = base()
    remove(doc)
    assert_names(refused(doc), path, "missing")


def test_float_threshold_is_refused():
    doc = base()
    first_condition(doc)["threshold"] = 90.0
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].threshold")


@pytest.mark.parametrize("threshold", ["100.01", 101, "-1", "chín mươi", "NaN"])
def test_threshold_out_of_range_or_not_a_number_is_refused(threshold):
    doc = base()
    first_condition(doc)["threshold"] = threshold
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].threshold")


def test_unknown_agency_reference():
    doc = base()
    first_criterion(doc)["lead_agencies"] = ["STTTT", "SXYZ"]
    assert_names(refused(doc), "groups[0].criteria[0].lead_agencies[1]", "SXYZ")


def test_unknown_coordinating_agency_reference():
    doc = base()
    first_criterion(doc)["coordinating_agencies"] = ["SXYZ"]
    assert_names(refused(doc), "groups[0].criteria[0].coordinating_agencies[0]", "SXYZ")


def test_empty_lead_agencies_is_refused():
    doc = base()
    first_criterion(doc)["lead_agencies"] = []
    assert_names(refused(doc), "groups[0].criteria[0].lead_agencies")


@pytest.mark.parametrize("entry", [["STTTT"], {"code": "STTTT"}])
def test_agency_reference_that_is_not_a_string_is_refused_not_a_crash(entry):
    # A TOML array may hold arrays or inline tables; the loader must name the
    # path, not fail with "TypeError: unhashable type".
    doc = base()
    first_criterion(doc)["lead_agencies"] = [entry]
    assert_names(refused(doc), "groups[0].criteria[0].lead_agencies[0]")


def test_duplicate_criterion_code():
    doc = base()
    doc["groups"].append(group("2", criterion("1.1", boolean())))
    assert_names(refused(doc), "groups[1].criteria[0].code", "1.1")


def test_duplicate_criterion_code_within_a_group():
    doc = base()
    doc["groups"][0]["criteria"][1]["code"] = "1.1"
    assert_names(refused(doc), "groups[0].criteria[1].code", "1.1")


def test_duplicate_group_code():
    doc = base()
    doc["groups"].append(group("1", criterion("2.1", boolean())))
    assert_names(refused(doc), "groups[1].code", "duplicate")


def test_duplicate_agency_code():
    doc = base()
    doc["agencies"].append({"code": "STTTT", "name": "Sở khác"})
    assert_names(refused(doc), "agencies[2].code", "duplicate")


def test_two_ratio_conditions_in_one_criterion():
    doc = base()
    first_criterion(doc)["conditions"].append(ratio(threshold="50"))
    assert_names(refused(doc), "groups[0].criteria[0].conditions", "ratio")


def test_two_boolean_conditions_in_one_criterion():
    doc = base()
    doc["groups"][0]["criteria"][1]["conditions"].append(boolean("Khác"))
    assert_names(refused(doc), "groups[0].criteria[1].conditions", "boolean")


@pytest.mark.parametrize(
    ("path", "place", "rule"),
    [
        ("pass_rule.at_least", "set", {"at_least": 2}),
        ("pass_rule.at_least", "set", {"at_least": 0}),
        ("groups[0].pass_rule.at_least", "group", {"at_least": 3}),
        ("groups[0].criteria[0].pass_rule.at_least", "criterion", {"at_least": 2}),
    ],
)
def test_pass_rule_at_least_outside_1_to_n(path, place, rule):
    doc = base()
    target = {"set": doc, "group": doc["groups"][0], "criterion": first_criterion(doc)}[place]
    target["pass_rule"] = rule
    assert_names(refused(doc), path)


@pytest.mark.parametrize("rule", ["most", {"at_least": 1, "of": 2}, ["all"], {"at_least": "1"}, {"at_least": True}])
def test_malformed_pass_rule(rule):
    doc = base()
    doc["pass_rule"] = rule
    error = refused(doc)
    assert any(p.path.startswith("pass_rule") for p in error.problems)


def test_missing_set_pass_rule():
    doc = base()
    del doc["pass_rule"]
    assert_names(refused(doc), "pass_rule", "missing")


def test_bad_condition_kind():
    doc = base()
    first_condition(doc)["kind"] = "percent"
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].kind", "percent")


def test_bad_comparator():
    doc = base()
    first_condition(doc)["comparator"] = "=>"
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].comparator")


def test_bad_zero_denominator():
    doc = base()
    first_condition(doc)["zero_denominator"] = "skip"
    assert_names(refused(doc), "groups[0].criteria[0].conditions[0].zero_denominator")


def test_period_start_after_end():
    doc = base()
    doc["period"] = {"start": 2026, "end": 2021}
    assert_names(refused(doc), "period")


@pytest.mark.parametrize("fmt", [3, 0, "1"])
def test_format_other_than_1_or_2(fmt):
    doc = base()
    doc["format"] = fmt
    assert_names(refused(doc), "format")


def test_format_true_is_not_the_integer_1():
    # `format = true` is a boolean, not the integer 1 (True == 1 in Python).
    doc = base()
    doc["format"] = True
    assert_names(refused(doc), "format")


def test_set_code_with_a_trailing_newline_is_refused():
    # The code is lower-case letters, digits and "-" only; a regex ending in
    # "$" lets a trailing "\n" through.
    doc = base()
    doc["code"] = "thu-nghiem\n"
    assert_names(refused(doc), "code")


@pytest.mark.parametrize("code", ["Ben-Tre", "bến-tre", "-ben-tre", "ben tre", ""])
def test_bad_set_code(code):
    doc = base()
    doc["code"] = code
    assert_names(refused(doc), "code")


def test_empty_groups_and_criteria_and_conditions():
    doc = base()
    doc["groups"].append({"code": "2", "name": "Trống", "criteria": []})
    doc["groups"].append(group("3", criterion("3.1")))
    doc["groups"][2]["criteria"][0]["conditions"] = []
    error = refused(doc)
    paths = [p.path for p in error.problems]
    assert "groups[1].criteria" in paths
    assert "groups[2].criteria[0].conditions" in paths


def test_wrong_types_are_named():
    doc = base()
    doc["name"] = 5
    first_criterion(doc)["lead_agencies"] = "STTTT"
    error = refused(doc)
    paths = [p.path for p in error.problems]
    assert "name" in paths
    assert "groups[0].criteria[0].lead_agencies" in paths


def test_several_problems_are_all_reported_together():
    doc = base()
    doc["format"] = 3
    doc["period"] = {"start": 2026, "end": 2021}
    first_condition(doc)["threshold"] = 90.5
    first_criterion(doc)["lead_agencies"] = ["SXYZ"]
    doc["groups"][0]["criteria"][1]["conditions"][0]["kind"] = "yes-no"
    doc["groups"].append(group("1", criterion("2.1")))
    error = refused(doc)
    paths = {p.path for p in error.problems}
    expected = {
        "format",
        "period",
        "groups[0].criteria[0].conditions[0].threshold",
        "groups[0].criteria[0].lead_agencies[0]",
        "groups[0].criteria[1].conditions[0].kind",
    }
    assert expected <= paths, paths
    for path in expected:
        assert any(_names_path(line, path) for line in str(error).splitlines()), path
    for p in error.problems:
        assert p.vi.strip() and p.en.strip()


# -- files -------------------------------------------------------------------


VALID_TOML = EXAMPLE


def test_file_error_names_the_file_and_path(tmp_path):
    path = tmp_path / "sai.toml"
    path.write_text(VALID_TOML.replace('threshold = "90"', "threshold = 90.0"), encoding="utf-8")
    with pytest.raises(CriteriaFileError) as info:
        load_criteria_set(path)
    message = str(info.value)
    assert str(path) in message
    assert "groups[0].criteria[0].conditions[0].threshold" in message


def test_file_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID_TOML.replace("Bộ tiêu chí ví dụ", "Bo tieu chi vi du \xe9").encode("latin-1", "replace"))
    with pytest.raises(CriteriaFileError) as info:
        load_criteria_set(path)
    assert str(path) in str(info.value)
    assert "UTF-8" in str(info.value)


def test_toml_syntax_error(tmp_path):
    path = tmp_path / "cu-phap.toml"
    path.write_text('format = 1\ncode = "x\n', encoding="utf-8")
    with pytest.raises(CriteriaFileError) as info:
        load_criteria_set(path)
    assert str(path) in str(info.value)
    assert "TOML" in str(info.value)


def test_file_not_found(tmp_path):
    path = tmp_path / "khong-co.toml"
    with pytest.raises(CriteriaFileError) as info:
        load_criteria_set(path)
    assert str(path) in str(info.value)
    assert "not found" in str(info.value)


def test_get_criteria_set_by_path_reports_file_errors(tmp_path):
    path = tmp_path / "hong.toml"
    path.write_text(VALID_TOML.replace('comparator = ">="', 'comparator = "≥"'), encoding="utf-8")
    with pytest.raises(CriteriaFileError) as info:
        get_criteria_set(str(path))
    assert str(path) in str(info.value)
    assert "groups[0].criteria[0].conditions[0].comparator" in str(info.value)


def test_shipped_sets_directory_only_holds_valid_sets():
    for path in sorted(Path(SETS_DIR).glob("*.toml")):
        assert load_criteria_set(path).code == path.stem
