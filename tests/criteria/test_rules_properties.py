"""Property tests of the issue-10 rules against the independent model in ``reference.py``:
comparators at the boundary, proportional points at exact fractions, per-step and per-option
points, mandatory + k, preconditions, levels, and ``outcome_certain`` (never true when a
fill-in of the missing cells, tried exhaustively on small sets, changes the outcome)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smartcommune.criteria.engine import CriterionInput, evaluate
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.model import points_text
from tests.criteria import reference
from tests.criteria.builders import criteria_set_dict, criterion, group

SOME = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
COMPARATORS = [">=", ">", "<=", "<", "="]


def ratio(threshold, comparator=">=", share=True, key=None, zero=None):
    c = {"kind": "ratio", "numerator": "Số đạt", "denominator": "Tổng số", "comparator": comparator,
         "threshold": threshold, "share": share}
    if key:
        c["key"] = key
    if zero:
        c["zero_denominator"] = zero
    return c


def count(threshold, comparator=">=", key=None):
    c = {"kind": "count", "label": "Số mô hình", "comparator": comparator, "threshold": threshold}
    if key:
        c["key"] = key
    return c


def choice(points_passes, key=None):
    c = {"kind": "choice", "label": "Trưởng ban", "options": [
        {"code": f"o{i}", "label": f"Phương án {i}", "points": p, "passes": ok} for i, (p, ok) in enumerate(points_passes)]}
    if key:
        c["key"] = key
    return c


def one(condition, scoring=None, **kwargs):
    table = criterion("1.1", condition)
    if scoring:
        table["scoring"] = scoring
    doc = criteria_set_dict(group("1", table), **kwargs)
    doc["format"] = 2
    doc["recognition_name"] = "xã thử nghiệm"
    return parse_criteria_set(doc)


def run(s, inputs):
    return evaluate(s, inputs, unit_code="10000", year=2024)


def crit(e, code="1.1"):
    return next(r for r in e.criteria() if r.criterion.code == code)


# -- comparators at the boundary -------------------------------------------------------------


@SOME
@given(op=st.sampled_from(COMPARATORS), threshold=st.integers(0, 300), k=st.integers(1, 50), delta=st.integers(-2, 2),
       share=st.booleans())
def test_ratio_comparators_at_and_around_the_exact_threshold(op, threshold, k, delta, share):
    assume(not share or threshold <= 100)
    assume(not (share and op == ">" and threshold == 100) and not (op == "<" and threshold == 0))
    t = Fraction(threshold, 100)
    d = t.denominator * k
    n = t.numerator * k + delta  # exactly at the threshold when delta is 0
    assume(n >= 0 and (not share or n <= d))
    s = one(ratio(threshold, op, share))
    result = crit(run(s, {"1.1": CriterionInput(n, d)}))
    expected = reference.compare(op, Fraction(n, d), t)
    assert result.status == ("met" if expected else "not_met")
    if delta == 0:
        assert result.status == ("met" if op in (">=", "<=", "=") else "not_met")


@SOME
@given(op=st.sampled_from(COMPARATORS), threshold=st.integers(0, 20), value=st.integers(0, 25))
def test_count_comparators(op, threshold, value):
    assume(not (op == "<" and threshold == 0))
    s = one(count(threshold, op))
    result = crit(run(s, {"1.1": CriterionInput(count=value)}))
    assert result.status == ("met" if reference.compare(op, value, threshold) else "not_met")
    if op in (">=", ">") and result.status == "not_met":
        needed = threshold if op == ">=" else threshold + 1
        assert result.gap == needed - value
    if op in ("<=", "<") and result.status == "not_met":
        allowed = threshold if op == "<=" else threshold - 1
        assert result.gap == value - allowed


@SOME
@given(threshold=st.integers(101, 400), n=st.integers(0, 10_000), d=st.integers(1, 10_000))
def test_a_ratio_that_is_not_a_share_may_exceed_its_denominator_and_100_percent(threshold, n, d):
    s = one(ratio(threshold, ">=", share=False))
    result = crit(run(s, {"1.1": CriterionInput(n, d)}))
    assert result.status == ("met" if n * 100 >= threshold * d else "not_met")
    if result.status == "not_met":  # the gap closes it exactly
        assert crit(run(s, {"1.1": CriterionInput(n + result.gap, d)})).status == "met"
        assert crit(run(s, {"1.1": CriterionInput(n + result.gap - 1, d)})).status == "not_met"


# -- points ----------------------------------------------------------------------------------


@SOME
@given(most=st.integers(1, 50), full_at=st.integers(1, 100), n=st.integers(0, 500), d=st.integers(1, 500))
def test_proportional_points_are_the_exact_fraction_capped(most, full_at, n, d):
    assume(n <= d)
    s = one(ratio(100), {"method": "proportional", "points": most, "full_at": full_at})
    e = run(s, {"1.1": CriterionInput(n, d)})
    expected = min(Fraction(most), Fraction(most) * Fraction(n * 100, d) / full_at)
    assert crit(e).points == expected
    assert crit(e).points_text == points_text(expected)
    assert e.points == expected and e.fields[0].points == expected


@SOME
@given(step=st.integers(1, 5), step_points=st.integers(0, 7), most=st.integers(0, 30), value=st.integers(0, 40))
def test_per_step_points(step, step_points, most, value):
    s = one(count(1), {"method": "per_step", "points": most, "step": step, "step_points": step_points})
    got = crit(run(s, {"1.1": CriterionInput(count=value)})).points
    assert got == min(most, (value // step) * step_points)


@SOME
@given(options=st.lists(st.tuples(st.integers(0, 20), st.booleans()), min_size=2, max_size=4), pick=st.integers(0, 3))
def test_per_option_points_and_pass(options, pick):
    assume(pick < len(options))
    s = one(choice(options), {"method": "option"})
    result = crit(run(s, {"1.1": CriterionInput(choice=f"o{pick}")}))
    assert result.points == options[pick][0]
    assert result.status == ("met" if options[pick][1] else "not_met")
    assert s.criterion("1.1").points_max == max(p for p, _ in options)


def test_points_text_rounds_half_up_to_two_places():
    assert points_text(Fraction(80, 3)) == "26.67"
    assert points_text(Fraction(1, 8)) == "0.13"
    assert points_text(Fraction(0)) == "0.00"
    assert points_text(Decimal("12.5")) == "12.50"


# -- generated sets against the reference ----------------------------------------------------

THRESHOLDS = st.sampled_from([0, 50, 90, 100, 110, "62.5"])


@st.composite
def conditions(draw, code):
    kind = draw(st.sampled_from(["ratio", "count", "boolean", "choice"]))
    if kind == "ratio":
        op = draw(st.sampled_from(COMPARATORS))
        t = draw(THRESHOLDS)
        share = draw(st.booleans()) and t != 110
        if (op == ">" and share and t == 100) or (op == "<" and t == 0):
            op = ">="
        return ratio(t, op, share), None
    if kind == "count":
        op = draw(st.sampled_from([">=", ">", "<=", "="]))
        return count(draw(st.integers(0, 3)), op), None
    if kind == "boolean":
        return {"kind": "boolean", "label": "Có"}, None
    opts = draw(st.lists(st.tuples(st.integers(0, 10), st.booleans()), min_size=2, max_size=3))
    return choice(opts), {"method": "option"}


@st.composite
def small_sets(draw):
    groups, scores = [], False
    n_groups = draw(st.integers(1, 3))
    for g in range(n_groups):
        items = []
        for i in range(draw(st.integers(1, 2))):
            code = f"{g + 1}.{i + 1}"
            condition, scoring = draw(conditions(code))
            table = criterion(code, condition)
            if scoring is None and draw(st.booleans()):
                kind = condition["kind"]
                method = draw(st.sampled_from(["fixed"] + (["proportional"] if kind == "ratio" and condition["comparator"] in (">=", ">") else [])
                                              + (["per_step"] if kind in ("count", "ratio") else [])))
                scoring = {"method": method, "points": draw(st.integers(1, 10))}
                if method == "per_step":
                    scoring |= {"step": draw(st.integers(1, 3)), "step_points": draw(st.integers(1, 4))}
            if scoring:
                table["scoring"] = scoring
                scores = True
            items.append(table)
        rule = draw(st.sampled_from(["all", "one", "points", "mandatory"]))
        table = group(str(g + 1), *items)
        if rule == "one":
            table["pass_rule"] = {"at_least": 1}
        elif rule == "points" and any("scoring" in c for c in items):
            table["pass_rule"] = {"points_at_least": draw(st.integers(0, 12))}
        elif rule == "mandatory" and len(items) == 2:
            table["pass_rule"] = {"mandatory": [items[0]["code"]], "at_least": draw(st.integers(0, 1))}
        groups.append(table)
    codes = [g["code"] for g in groups]
    set_rule = draw(st.sampled_from(["all", "k", "mandatory"] + (["points"] if scores else [])))
    if set_rule == "k":
        set_rule = {"at_least": draw(st.integers(1, n_groups))}
    elif set_rule == "mandatory":
        set_rule = {"mandatory": [codes[0]], "at_least": draw(st.integers(0, n_groups - 1))}
    elif set_rule == "points":
        set_rule = {"points_at_least": draw(st.integers(0, 15))}
    doc = criteria_set_dict(*groups, pass_rule=set_rule)
    doc["format"] = 2
    doc["recognition_name"] = "xã thử nghiệm"
    if draw(st.booleans()):
        doc["preconditions"] = [{"code": "TQ", "text": "Đã đạt chuẩn nông thôn mới"}]
    if draw(st.booleans()):
        if scores and draw(st.booleans()):
            bars = sorted(draw(st.sets(st.integers(1, 20), min_size=1, max_size=2)))
            doc["levels"] = [{"code": f"M{i + 1}", "name": f"Mức {i + 1}", "rule": {"points_at_least": b}}
                             for i, b in enumerate(bars)]
        else:
            bars = sorted(draw(st.sets(st.integers(1, n_groups), min_size=1, max_size=2)))
            doc["levels"] = [{"code": f"M{i + 1}", "name": f"Mức {i + 1}", "rule": {"at_least": b}}
                             for i, b in enumerate(bars)]
    return parse_criteria_set(doc)


RATIO_FILLS = [(0, 0), (0, 1), (1, 2), (1, 1), (11, 10)]


def row_values(slot, draw=None):
    """Every value a row may take (a small, boundary-rich domain), ``None`` included."""
    values = [CriterionInput()]
    if slot.ratio is not None:
        values += [CriterionInput(n, d) for n, d in RATIO_FILLS if not (slot.ratio.share and n > d)]
        values += [CriterionInput(1, None), CriterionInput(None, 2)]
    if slot.count is not None:
        values += [CriterionInput(count=k) for k in (0, 1, 2, 3, 4)]
    if slot.boolean is not None:
        values += [CriterionInput(met=True), CriterionInput(met=False)]
    if slot.choice is not None:
        values += [CriterionInput(choice=o.code) for o in slot.choice.options]
    return values


def fills(slot, given: CriterionInput):
    """Every way to fill the empty cells of ``given`` (given itself when nothing is empty)."""
    options = []
    for value in row_values(slot):
        if all(g is None or g == v for g, v in zip(given, value)) and value != given:
            merged = CriterionInput(*(g if g is not None else v for g, v in zip(given, value)))
            if all((getattr(merged, col) is None) == (getattr(value, col) is None and getattr(given, col) is None)
                   for col in ("numerator", "denominator", "met", "count", "choice")):
                options.append(merged)
    # A filled row fills each of the slot's cells; keep the complete ones only.
    complete = [o for o in options if _complete(slot, o)]
    return complete or [given]


def _complete(slot, value) -> bool:
    return ((slot.ratio is None or (value.numerator is not None and value.denominator is not None))
            and (slot.boolean is None or value.met is not None)
            and (slot.count is None or value.count is not None)
            and (slot.choice is None or value.choice is not None))


@st.composite
def inputs_for(draw, s):
    inputs = {}
    for slot in s.slots:
        value = draw(st.sampled_from(row_values(slot)))
        if value != CriterionInput():
            inputs[slot.code] = value
    return inputs


def check_against_reference(s, inputs, e):
    expected = reference.outcome(s, inputs)
    for r in e.criteria():
        assert (r.status, r.points) == expected["criteria"][r.criterion.code], (r.criterion.code, inputs)
    assert [(f.group.code, f.status, f.points) for f in e.fields] == expected["fields"]
    assert e.points == expected["points"]
    assert e.eligible == expected["eligible"]
    assert e.smart_commune == expected["recognised"]
    assert (e.level.code if e.level else None) == expected["level"]
    assert [r.status for r in e.preconditions] == expected["preconditions"]


@SOME
@given(data=st.data())
def test_generated_sets_follow_the_reference(data):
    s = data.draw(small_sets())
    inputs = data.draw(inputs_for(s))
    check_against_reference(s, inputs, run(s, inputs))


@FEW
@given(data=st.data())
def test_outcome_certain_is_never_true_when_a_fill_in_changes_the_outcome(data):
    s = data.draw(small_sets())
    inputs = data.draw(inputs_for(s))
    e = run(s, inputs)
    open_rows = [slot for slot in s.slots if not _complete(slot, inputs.get(slot.code, CriterionInput()))]
    assume(len(open_rows) <= 4)
    now = (e.smart_commune, e.level)
    changed = False
    for combo in itertools.product(*(fills(slot, inputs.get(slot.code, CriterionInput())) for slot in open_rows)):
        filled = dict(inputs)
        filled.update({slot.code: value for slot, value in zip(open_rows, combo)})
        other = run(s, filled)
        if (other.smart_commune, other.level) != now:
            changed = True
            break
    if e.outcome_certain:
        assert not changed, (inputs, now)
    if not open_rows:
        assert e.outcome_certain and e.complete


@FEW
@given(data=st.data())
def test_mandatory_plus_k_over_fields(data):
    n = data.draw(st.integers(2, 5))
    mandatory = data.draw(st.lists(st.integers(1, n), min_size=1, max_size=n, unique=True))
    k = data.draw(st.integers(0, n - len(mandatory)))
    met = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    groups = [group(str(i + 1), criterion(f"{i + 1}.1", {"kind": "boolean", "label": "Có"})) for i in range(n)]
    s = parse_criteria_set(criteria_set_dict(*groups, pass_rule={"mandatory": [str(m) for m in mandatory], "at_least": k}))
    e = run(s, {f"{i + 1}.1": CriterionInput(met=ok) for i, ok in enumerate(met)})
    others = sum(ok for i, ok in enumerate(met) if (i + 1) not in mandatory)
    expected = all(met[m - 1] for m in mandatory) and others >= k
    assert e.smart_commune == expected
    assert e.fields_short == sum(not met[m - 1] for m in mandatory) + max(0, k - others)
    assert e.outcome_certain  # everything reported


@FEW
@given(bars=st.lists(st.integers(1, 30), min_size=1, max_size=4, unique=True), value=st.integers(0, 40))
def test_levels_name_the_highest_reached_and_what_the_next_needs(bars, value):
    bars = sorted(bars)
    table = criterion("1.1", count(0))
    table["scoring"] = {"method": "per_step", "points": 40, "step": 1, "step_points": 1}
    doc = criteria_set_dict(group("1", table), pass_rule={"points_at_least": 0})
    doc["levels"] = [{"code": f"M{i}", "name": f"Mức {i}", "rule": {"points_at_least": b}} for i, b in enumerate(bars)]
    s = parse_criteria_set(doc)
    e = run(s, {"1.1": CriterionInput(count=value)})
    reached = [i for i, b in enumerate(bars) if value >= b]
    assert (e.level.code if e.level else None) == (f"M{reached[-1]}" if reached else None)
    following = (reached[-1] + 1) if reached else 0
    if following < len(bars):
        assert e.next_level.level.code == f"M{following}" and e.next_level.points == bars[following] - value
    else:
        assert e.next_level is None
