"""The loader on the issue-10 keys: what loads, and every authoring mistake refused with a
message naming the path, the criterion's code and what is wrong (Vietnamese, English)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcommune.criteria.loader import CriteriaFileError, check_criteria_set, load_criteria_set, parse_criteria_set
from smartcommune.criteria.model import Comparator, ScoringMethod
from tests.criteria.builders import boolean, copy_of, criteria_set_dict, criterion, group, ratio


def doc(*criteria, **kwargs) -> dict:
    d = copy_of(criteria_set_dict(group("1", *(criteria or (criterion("1.1", ratio()),))), **kwargs))
    return d


def count(threshold=1, comparator=">="):
    return {"kind": "count", "label": "Số thôn thông minh", "comparator": comparator, "threshold": threshold}


def choice(*options):
    return {"kind": "choice", "label": "Trưởng ban", "options": list(options) or [
        {"code": "chu-tich", "label": "Chủ tịch", "points": 10, "passes": True},
        {"code": "khong", "label": "Không có", "points": 0, "passes": False}]}


def scored(code, condition, scoring):
    table = criterion(code, condition)
    table["scoring"] = scoring
    return table


def problems(document) -> list:
    with pytest.raises(CriteriaFileError) as info:
        parse_criteria_set(document, source="bo.toml")
    return info.value.problems


def refused_at(document, path: str, *words: str, code: str | None = "1.1"):
    found = [p for p in problems(document) if p.path == path]
    assert found, [str(p) for p in problems(document)]
    p = found[0]
    assert p.vi.strip() and p.en.strip()
    assert p.code == code
    text = str(p)
    for word in words:
        assert word.lower() in text.lower(), text
    if code is not None:
        assert f"tiêu chí {code}:" in text
    return p


# -- what loads --------------------------------------------------------------------------------


def test_new_shapes_load():
    d = doc(
        criterion("1.1", ratio(threshold="110", comparator=">=") | {"share": False}),
        criterion("1.2", count(2, "<=")),
        scored("1.3", choice(), {"method": "option"}),
        scored("1.4", count(1), {"method": "per_step", "points": 20, "step": 1, "step_points": 5}),
        scored("1.5", ratio(), {"method": "proportional", "points": "12.5", "full_at": 80}),
        criterion("1.6", ratio(), ratio(threshold="5", comparator="<") | {"key": "tre-han"}, boolean()),
        pass_rule={"mandatory": ["1"], "at_least": 0},
    )
    d["format"] = 2
    d["recognition_name"] = "xã thử nghiệm"
    d["groups"][0]["pass_rule"] = {"points_at_least": 20}
    d["preconditions"] = [{"code": "TQ", "text": "Đạt chuẩn nông thôn mới"}]
    d["levels"] = [{"code": "M1", "name": "Mức 1", "rule": {"points_at_least": 10}},
                   {"code": "M2", "name": "Mức 2", "rule": {"points_at_least": 30}}]
    s = parse_criteria_set(d)
    assert s.criterion("1.1").ratio.share is False and s.criterion("1.1").ratio.threshold == 110
    assert s.criterion("1.2").count.comparator is Comparator.AT_MOST
    assert s.criterion("1.3").scoring.method is ScoringMethod.OPTION and s.criterion("1.3").points_max == 10
    assert s.criterion("1.5").scoring.full_at == 80
    assert [slot.code for slot in s.criterion("1.6").slots] == ["1.6", "1.6:tre-han"]
    assert s.slot("1.6:tre-han").ratio.comparator is Comparator.LESS
    assert s.points_max == Decimal("42.5")
    assert s.is_precondition("TQ") and s.criterion("TQ").boolean.label == "Đạt chuẩn nông thôn mới"
    assert [lv.code for lv in s.levels] == ["M1", "M2"] and s.recognition_name == "xã thử nghiệm"


def test_format_1_ratios_are_shares_and_format_2_ratios_are_not_unless_they_say_so():
    d1 = doc(criterion("1.1", ratio(threshold="90")))
    assert parse_criteria_set(d1).criterion("1.1").ratio.share is True
    d2 = doc(criterion("1.1", ratio(threshold="120")))
    d2["format"] = 2
    d2["recognition_name"] = "xã thử nghiệm"
    assert parse_criteria_set(d2).criterion("1.1").ratio.share is False


def test_warnings_do_not_refuse_the_file():
    d = doc(criterion("1.1", count(0, ">=")))
    s, found = check_criteria_set(d)
    assert s is not None
    assert [p.warning for p in found] == [True] and found[0].code == "1.1"
    assert "cảnh báo (warning)" in str(found[0]) and "tiêu chí 1.1" in str(found[0])


# -- refusals ------------------------------------------------------------------------------------


def test_unknown_key_suggests_the_nearest():
    d = doc(criterion("1.1", ratio() | {"treshold": "90"}))
    refused_at(d, "groups[0].criteria[0].conditions[0].treshold", "threshold", "did you mean")


@pytest.mark.parametrize(("condition", "path_tail", "word"), [
    (ratio(threshold="110"), "threshold", "110"),                     # a share above 100 %
    (ratio(threshold="100", comparator=">"), "threshold", "share"),   # never holds
    (ratio(threshold="0", comparator="<"), "threshold", "below 0"),
    (ratio() | {"share": "yes"}, "share", "true or false"),
    (count(-1), "threshold", "0 or more"),
    (count("1"), "threshold", "integer"),
    (count(0, "<"), "threshold", "below 0"),
    (count(1, "≥"), "comparator", "one of"),
    ({"kind": "count", "comparator": ">=", "threshold": 1}, "label", "missing"),
    (ratio() | {"key": "Hai Muoi"}, "key", "lower-case"),
])
def test_condition_mistakes(condition, path_tail, word):
    refused_at(doc(criterion("1.1", condition)), f"groups[0].criteria[0].conditions[0].{path_tail}", word)


@pytest.mark.parametrize(("options", "path_tail", "word"), [
    ([], "options", "at least one"),
    ([{"code": "a", "label": "A", "points": 1}], "options[0].passes", "missing"),
    ([{"code": "a", "label": "A", "passes": True}, {"code": "a", "label": "B", "passes": False}], "options[1].code", "duplicate"),
    ([{"code": "A B", "label": "A", "passes": True}], "options[0].code", "lower-case"),
    ([{"code": "a", "label": "A", "points": 1.5, "passes": True}], "options[0].points", "decimal string"),
])
def test_choice_mistakes(options, path_tail, word):
    c = {"kind": "choice", "label": "Trưởng ban", "options": options}
    refused_at(doc(criterion("1.1", c)), f"groups[0].criteria[0].conditions[0].{path_tail}", word)


@pytest.mark.parametrize(("condition", "scoring", "path_tail", "word"), [
    (boolean(), {"method": "option"}, "method", "choice"),
    (boolean(), {"method": "proportional", "points": 10}, "method", "ratio"),
    (ratio(threshold="5", comparator="<="), {"method": "proportional", "points": 10}, "method", '">="'),
    (count(), {"method": "per_step", "points": 10, "step_points": 1}, "step", "missing"),
    (count(), {"method": "per_step", "points": 10, "step": 0, "step_points": 1}, "step", "greater than 0"),
    (ratio(), {"method": "proportional", "points": 10, "full_at": 0}, "full_at", "greater than 0"),
    (ratio(), {"method": "fixed", "points": 10, "step": 1}, "step", "not used"),
    (ratio(), {"method": "linear", "points": 10}, "method", "one of"),
    (ratio(), {"points": 10.0}, "points", "decimal string"),
    (choice(), {"method": "option", "points": 7}, "points", "highest option"),
])
def test_scoring_mistakes(condition, scoring, path_tail, word):
    refused_at(doc(scored("1.1", condition, scoring)), f"groups[0].criteria[0].scoring.{path_tail}", word)


@pytest.mark.parametrize(("condition", "scoring"), [
    (choice() | {"options": "chu-tich"}, {"method": "option"}),
    (ratio(comparator="=>"), {"method": "proportional", "points": 10}),
    ({k: v for k, v in count().items() if k != "comparator"}, {"method": "per_step", "points": 10, "step": 1,
                                                               "step_points": 1}),
])
def test_a_condition_not_read_is_the_one_problem_said_not_its_scoring(condition, scoring):
    """The scoring needs a kind of condition that the criterion has, written wrongly: its
    mistake is said, and not also that the method lacks such a condition."""
    said = problems(doc(scored("1.1", condition, scoring)))
    assert [p.path.split(".", 2)[2].split(".")[0] for p in said] == ["conditions[0]"], [str(p) for p in said]


def test_a_second_condition_of_a_kind_needs_a_key_and_keys_are_unique():
    refused_at(doc(criterion("1.1", ratio(), ratio(threshold="50"))), "groups[0].criteria[0].conditions", "key")
    two = doc(criterion("1.1", ratio(), ratio() | {"key": "b"}, ratio() | {"key": "b"}))
    refused_at(two, "groups[0].criteria[0].conditions[2].key", "duplicate")


@pytest.mark.parametrize(("rule", "path", "word"), [
    ({"points_at_least": 5}, "pass_rule.points_at_least", "scoring"),
    ({"mandatory": ["9"], "at_least": 0}, "pass_rule.mandatory[0]", "'9'"),
    ({"mandatory": ["1"]}, "pass_rule", "must be"),
    ({"mandatory": ["1", "1"], "at_least": 0}, "pass_rule.mandatory", "repeated"),
    ({"mandatory": "1", "at_least": 0}, "pass_rule.mandatory", "array"),
    ({"mandatory": ["1"], "at_least": 1}, "pass_rule.at_least", "from 0 to 0"),
    ({"points_at_least": 5, "at_least": 1}, "pass_rule", "must be"),
])
def test_set_pass_rule_mistakes(rule, path, word):
    refused_at(doc(pass_rule=rule), path, word, code=None)


def test_level_mistakes():
    d = doc(scored("1.1", ratio(), {"points": 10}), pass_rule={"points_at_least": 5})
    d["levels"] = [{"code": "M2", "name": "Mức 2", "rule": {"points_at_least": 8}},
                   {"code": "M1", "name": "Mức 1", "rule": {"points_at_least": 4}}]
    refused_at(d, "levels[1]", "lowest first", code=None)
    d["levels"] = [{"code": "M1", "name": "Mức 1", "rule": {"points_at_least": 4}},
                   {"code": "M2", "name": "Mức 2", "rule": {"at_least": 1}}]
    refused_at(d, "levels", "all go by points", code=None)
    d["levels"] = [{"code": "M1", "name": "Mức 1"}]
    refused_at(d, "levels[0].rule", "missing", code=None)


def test_format_2_needs_recognition_name_and_preconditions_share_the_code_space():
    d = doc()
    d["format"] = 2
    refused_at(d, "recognition_name", "missing", code=None)
    d = doc()
    d["preconditions"] = [{"code": "1.1", "text": "Trùng mã"}]
    refused_at(d, "groups[0].criteria[0].code", "duplicate", code=None)


def test_a_precondition_scores_no_points():
    d = doc()
    d["preconditions"] = [scored("TQ", boolean(), {"points": 5}) | {"lead_agencies": []}]
    refused_at(d, "preconditions[0].scoring", "no points", code="TQ")


def test_toml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "hong.toml"
    path.write_text('format = 1\ncode = "x"\nname = "y\n', encoding="utf-8")
    with pytest.raises(CriteriaFileError) as info:
        load_criteria_set(path)
    [problem] = info.value.problems
    assert problem.line == 3 and "dòng 3" in str(info.value)
