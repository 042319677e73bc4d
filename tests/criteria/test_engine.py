"""Example tests for the evaluation engine, against the contract (DESIGN.md, the issue)."""

from __future__ import annotations

from decimal import localcontext

import pytest

from smartcommune.criteria.engine import CriterionInput, InvalidInput, evaluate
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.registry import get_criteria_set
from tests.criteria.builders import boolean, criteria_set_dict, criterion, group, ratio

S = get_criteria_set()

FIELD_CODES = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def status(x) -> str:
    return getattr(x, "value", x)


def run(inputs: dict, criteria_set=S, unit_code="28756", year=2024):
    return evaluate(
        criteria_set,
        {code: CriterionInput(*value) for code, value in inputs.items()},
        unit_code=unit_code,
        year=year,
    )


def crit(evaluation, code):
    return next(r for f in evaluation.fields for r in f.criteria if r.criterion.code == code)


def field(evaluation, code):
    return next(f for f in evaluation.fields if f.group.code == code)


def all_met(criteria_set=S) -> dict:
    """Every criterion fully reported and met."""
    inputs = {}
    for c in criteria_set.criteria:
        counts = (10, 10) if c.ratio is not None else (None, None)
        inputs[c.code] = (*counts, True if c.boolean is not None else None)
    return inputs


def failing(code: str) -> tuple:
    c = S.criterion(code)
    return (0, 10, None) if c.ratio is not None and c.boolean is None else ((10, 10, False) if c.ratio else (None, None, False))


def with_fields(met: set[str], *, otherwise: str = "not_met") -> dict:
    """Inputs with exactly the fields in ``met`` met; the others not met (or missing)."""
    inputs = all_met()
    for g in S.groups:
        if g.code in met:
            continue
        first = g.criteria[0].code
        if otherwise == "missing":
            del inputs[first]
        else:
            inputs[first] = failing(first)
    return inputs


# -- ratios, thresholds and gaps ---------------------------------------------


def test_nine_of_ten_is_exactly_ninety_percent_and_meets_ninety():
    r = crit(run({"1.2": (9, 10, None)}), "1.2")
    assert status(r.status) == "met"
    assert str(r.ratio) == "90.00"
    assert r.threshold == "90"
    assert r.gap == 0


def test_just_below_ninety_percent_is_not_met():
    r = crit(run({"1.2": (899, 1000, None)}), "1.2")
    assert status(r.status) == "not_met"
    assert str(r.ratio) == "89.90"
    assert r.gap == 1


def test_gap_for_863_of_1000_households_at_ninety_percent_is_37():
    r = crit(run({"1.2": (863, 1000, None)}), "1.2")
    assert status(r.status) == "not_met"
    assert str(r.ratio) == "86.30"
    assert r.gap == 37


@pytest.mark.parametrize(
    ("code", "n", "d", "ratio_text", "gap"),
    [
        ("1.1", 2, 3, "66.67", 1),
        ("1.1", 1, 6, "16.67", 5),
        ("1.1", 1, 8, "12.50", 7),
        ("1.1", 1, 800, "0.13", 799),  # 0.125 rounds half up, not to even
        ("1.1", 3, 800, "0.38", 797),  # 0.375
        ("1.1", 0, 5, "0.00", 5),
        ("1.1", 7, 7, "100.00", 0),
        ("1.2", 0, 7, "0.00", 7),  # ceil(6.3) = 7
        ("1.2", 6, 7, "85.71", 1),
        ("9.2", 1, 3, "33.33", 1),  # ceil(1.5) = 2
        ("9.2", 0, 1, "0.00", 1),  # ceil(0.5) = 1
        ("9.2", 1, 2, "50.00", 0),
        ("9.2", 2, 3, "66.67", 0),
    ],
)
def test_ratio_and_gap_examples(code, n, d, ratio_text, gap):
    r = crit(run({code: (n, d, None)}), code)
    assert str(r.ratio) == ratio_text
    assert r.gap == gap
    assert status(r.status) == ("met" if gap == 0 else "not_met")


def test_threshold_strings_are_as_the_regulation_prints_them():
    e = run({})
    assert crit(e, "1.1").threshold == "100"
    assert crit(e, "1.2").threshold == "90"
    assert crit(e, "9.2").threshold == "50"
    assert crit(e, "3.1").threshold == "100"
    for code in ("1.3", "1.4", "1.5", "2.1", "3.4", "6.1", "6.2", "10.1", "10.2"):
        assert crit(e, code).threshold is None, code


def test_ratio_text_does_not_depend_on_the_ambient_decimal_context():
    # Exact arithmetic: the caller's decimal precision must not change "90.00".
    with localcontext() as ctx:
        ctx.prec = 3
        r = crit(run({"1.2": (9, 10, None)}), "1.2")
        text = str(r.ratio)
    assert text == "90.00"


# -- statuses of a criterion ------------------------------------------------


def test_3_1_ratio_met_but_no_feedback_mechanism_is_not_met():
    r = crit(run({"3.1": (40, 40, False)}), "3.1")
    assert status(r.status) == "not_met"
    assert str(r.ratio) == "100.00"
    assert r.gap == 0


def test_3_1_ratio_met_but_feedback_not_reported_is_missing():
    e = run({"3.1": (40, 40, None)})
    r = crit(e, "3.1")
    assert status(r.status) == "missing"
    assert str(r.ratio) == "100.00"
    assert r.gap == 0
    assert e.complete is False


def test_3_1_counts_missing_and_feedback_false_is_not_met():
    assert status(crit(run({"3.1": (None, None, False)}), "3.1").status) == "not_met"


def test_3_1_both_conditions_met_is_met():
    assert status(crit(run({"3.1": (40, 40, True)}), "3.1").status) == "met"


def test_3_1_zero_items_to_publish_and_feedback_true_is_met():
    r = crit(run({"3.1": (0, 0, True)}), "3.1")
    assert status(r.status) == "met"
    assert r.ratio is None and r.gap is None
    assert r.threshold == "100"


def test_zero_denominator_is_not_applicable_with_no_ratio_and_no_gap():
    r = crit(run({"1.1": (0, 0, None)}), "1.1")
    assert status(r.status) == "not_applicable"
    assert r.ratio is None and r.gap is None
    assert r.threshold == "100"


def test_field_whose_criteria_are_all_not_applicable_is_met():
    e = run({"5.1": (0, 0, None), "5.2": (0, 0, None)})
    f = field(e, "5")
    assert [status(r.status) for r in f.criteria] == ["not_applicable", "not_applicable"]
    assert status(f.status) == "met"
    assert e.fields_met == 1


def test_field_with_met_and_not_applicable_criteria_is_met():
    f = field(run({"9.1": (0, 0, None), "9.2": (1, 2, None)}), "9")
    assert status(f.status) == "met"


@pytest.mark.parametrize("inputs", [{}, {"1.1": (None, None, None)}, {"1.1": (5, None, None)}, {"1.1": (None, 5, None)}])
def test_unreported_counts_are_missing(inputs):
    r = crit(run(inputs), "1.1")
    assert status(r.status) == "missing"
    assert r.ratio is None and r.gap is None
    assert r.threshold == "100"


def test_boolean_only_criterion_has_no_ratio_threshold_or_gap():
    e = run({"1.3": (None, None, True), "1.4": (None, None, False)})
    for code, expected in (("1.3", "met"), ("1.4", "not_met"), ("1.5", "missing")):
        r = crit(e, code)
        assert status(r.status) == expected
        assert (r.ratio, r.threshold, r.gap) == (None, None, None)


# -- fields and the commune -------------------------------------------------


def test_field_not_met_wins_over_missing():
    f = field(run({"1.1": (0, 10, None)}), "1")
    assert status(f.status) == "not_met"


def test_field_with_missing_but_nothing_not_met_is_missing():
    inputs = all_met()
    del inputs["1.4"]
    f = field(run(inputs), "1")
    assert status(f.status) == "missing"


def test_everything_met():
    e = run(all_met())
    assert [f.group.code for f in e.fields] == FIELD_CODES
    assert all(status(f.status) == "met" for f in e.fields)
    assert (e.fields_met, e.fields_required, e.smart_commune, e.complete) == (10, 7, True, True)


def test_nothing_reported():
    e = run({})
    assert all(status(r.status) == "missing" for f in e.fields for r in f.criteria)
    assert all(status(f.status) == "missing" for f in e.fields)
    assert (e.fields_met, e.smart_commune, e.complete) == (0, False, False)


def test_exactly_seven_fields_met_is_a_smart_commune():
    e = run(with_fields({"1", "2", "4", "5", "7", "8", "10"}))
    assert [status(f.status) for f in e.fields] == [
        "met", "met", "not_met", "met", "met", "not_met", "met", "met", "not_met", "met"]
    assert e.fields_met == 7
    assert e.smart_commune is True
    assert e.complete is True


def test_six_fields_met_is_not_a_smart_commune():
    e = run(with_fields({"1", "2", "4", "5", "7", "8"}))
    assert e.fields_met == 6
    assert e.smart_commune is False
    assert e.complete is True


def test_incomplete_but_smart_is_still_smart():
    e = run(with_fields({"1", "2", "3", "4", "5", "6", "7"}, otherwise="missing"))
    assert e.fields_met == 7
    assert e.complete is False
    assert e.smart_commune is True
    assert [status(f.status) for f in e.fields][7:] == ["missing", "missing", "missing"]


def test_unit_code_year_and_order_are_kept():
    e = run({}, unit_code="28759", year=2023)
    assert (e.unit_code, e.year) == ("28759", 2023)
    assert [r.criterion.code for f in e.fields for r in f.criteria] == [c.code for c in S.criteria]


# -- invalid inputs ------------------------------------------------------------


def problems_of(inputs: dict) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as info:
        run(inputs)
    return [(p.criterion, p.column) for p in info.value.problems]


def test_negative_numerator_is_refused():
    assert problems_of({"1.2": (-1, 10, None)}) == [("1.2", "numerator")]


def test_negative_denominator_is_refused():
    assert ("1.2", "denominator") in problems_of({"1.2": (0, -1, None)})


def test_numerator_above_denominator_is_refused():
    found = problems_of({"1.2": (11, 10, None)})
    assert len(found) == 1
    assert found[0][0] == "1.2" and found[0][1] in ("numerator", "denominator")


def test_counts_on_a_boolean_only_criterion_are_refused():
    assert sorted(problems_of({"1.3": (1, 2, True)})) == [("1.3", "denominator"), ("1.3", "numerator")]


def test_met_on_a_ratio_only_criterion_is_refused():
    assert problems_of({"1.1": (1, 1, True)}) == [("1.1", "met")]
    assert problems_of({"1.1": (1, 1, False)}) == [("1.1", "met")]


def test_every_invalid_input_is_reported_and_the_message_names_them():
    with pytest.raises(InvalidInput) as info:
        run({"1.2": (-1, 10, None), "2.2": (5, 4, None), "6.2": (1, None, True), "7": (1, 1, True)})
    found = {(p.criterion, p.column) for p in info.value.problems}
    assert {("1.2", "numerator"), ("6.2", "numerator"), ("7", "met")} <= found
    assert ("2.2", "numerator") in found or ("2.2", "denominator") in found
    message = str(info.value)
    for code in ("1.2", "2.2", "6.2", "7"):
        assert code in message
    assert "-1" in message


def test_invalid_input_message_names_the_unit_and_year():
    # DESIGN.md: "Invalid counts are rejected with a message naming the unit,
    # year, criterion and value."
    with pytest.raises(InvalidInput) as info:
        run({"1.2": (-1, 10, None)}, unit_code="28756", year=2024)
    message = str(info.value)
    assert "28756" in message and "2024" in message
    assert "1.2" in message and "-1" in message


def test_unknown_criterion_is_not_silently_ignored():
    with pytest.raises((KeyError, InvalidInput)):
        run({"11.1": (1, 1, None)})


# -- generated sets: other thresholds, comparators, policies and rules --------


def one_criterion_set(*conditions, criterion_rule=None, **group_kwargs):
    return parse_criteria_set(criteria_set_dict(group("1", criterion("1.1", *conditions, pass_rule=criterion_rule), **group_kwargs)))


def test_decimal_threshold_62_5_is_compared_exactly():
    s = one_criterion_set(ratio(threshold="62.5"))
    met = crit(run({"1.1": (5, 8, None)}, s), "1.1")
    assert (status(met.status), str(met.ratio), met.threshold, met.gap) == ("met", "62.50", "62.5", 0)
    short = crit(run({"1.1": (4, 8, None)}, s), "1.1")
    assert (status(short.status), str(short.ratio), short.gap) == ("not_met", "50.00", 1)


def test_equal_comparator():
    s = one_criterion_set(ratio(threshold="50", comparator="="))
    assert status(crit(run({"1.1": (1, 2, None)}, s), "1.1").status) == "met"
    over = crit(run({"1.1": (2, 2, None)}, s), "1.1")
    assert status(over.status) == "not_met"
    assert over.gap == 0  # max(0, ceil(50 × 2 / 100) − 2)


@pytest.mark.parametrize(("policy", "expected"), [("met", "met"), ("not_met", "not_met"), ("not_applicable", "not_applicable")])
def test_zero_denominator_policy_of_a_set(policy, expected):
    s = one_criterion_set(ratio(zero_denominator=policy))
    e = run({"1.1": (0, 0, None)}, s)
    r = crit(e, "1.1")
    assert status(r.status) == expected
    assert r.ratio is None and r.gap is None
    assert status(field(e, "1").status) == ("not_met" if expected == "not_met" else "met")


def test_criterion_at_least_one_of_two_conditions():
    s = one_criterion_set(ratio(), boolean(), criterion_rule={"at_least": 1})
    assert status(crit(run({"1.1": (0, 10, True)}, s), "1.1").status) == "met"
    assert status(crit(run({"1.1": (10, 10, False)}, s), "1.1").status) == "met"
    assert status(crit(run({"1.1": (0, 10, False)}, s), "1.1").status) == "not_met"
    assert status(crit(run({"1.1": (0, 10, None)}, s), "1.1").status) == "missing"


def test_group_at_least_one_of_two_criteria_and_set_at_least_one_field():
    s = parse_criteria_set(criteria_set_dict(
        group("A", criterion("a1", ratio()), criterion("a2", boolean()), pass_rule={"at_least": 1}),
        group("B", criterion("b1", boolean())),
        pass_rule={"at_least": 1},
    ))
    e = run({"a1": (1, 2, None), "a2": (None, None, True), "b1": (None, None, False)}, s)
    assert [status(f.status) for f in e.fields] == ["met", "not_met"]
    assert (e.fields_met, e.fields_required, e.smart_commune) == (1, 1, True)
    e = run({"a1": (1, 2, None), "b1": (None, None, True)}, s)
    assert status(field(e, "A").status) == "missing"
    assert (e.fields_met, e.smart_commune, e.complete) == (1, True, False)


def test_set_pass_rule_all_requires_every_field():
    s = parse_criteria_set(criteria_set_dict(
        group("A", criterion("a1", boolean())), group("B", criterion("b1", boolean())), pass_rule="all"))
    e = run({"a1": (None, None, True), "b1": (None, None, False)}, s)
    assert (e.fields_met, e.fields_required, e.smart_commune) == (1, 2, False)
