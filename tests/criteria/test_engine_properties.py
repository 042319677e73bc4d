"""Property tests: the engine against the contract, on the Bến Tre set and on generated sets.

The expected statuses, ratios and gaps are computed here, independently of the
engine, from the contract (DESIGN.md "Evaluation semantics" and the issue):

* condition: ``missing`` when its inputs are not reported; a zero denominator
  follows the condition's policy (default ``not_applicable``);
* criterion ("all"): not_met if any condition is; else missing if any is; else
  not_applicable if all are; else met. "At least k of n" generalises it;
* field: met when its criteria are met or not applicable (per its pass rule);
  else not_met if any is not_met; else missing;
* commune: smart when fields_met >= fields_required; complete when no
  criterion is missing;
* ratio = n×100/d rounded half-up to 2 places; gap = max(0, ceil(t×d/100) − n).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from smartcommune.criteria.engine import CriterionInput, evaluate
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.model import BooleanCondition, RatioCondition
from smartcommune.criteria.registry import get_criteria_set
from tests.criteria.builders import boolean, criteria_set_dict, criterion, group, ratio

BEN_TRE = get_criteria_set()
RATIO_CODES = [c.code for c in BEN_TRE.criteria if c.ratio is not None]
PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=80, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=50, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])

MET, NOT_MET, NA, MISSING = "met", "not_met", "not_applicable", "missing"


# -- the contract, written out independently of the engine -----------------


def status_of(value) -> str:
    """A status enum or string as its contract string."""
    return getattr(value, "value", value)


def expected_ratio_text(n: int, d: int) -> str:
    with localcontext() as ctx:
        ctx.prec = 80
        exact = Decimal(n * 100) / Decimal(d)
        return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_gap(threshold: Decimal, n: int, d: int) -> int:
    return max(0, math.ceil(Fraction(threshold) * d / 100) - n)


def holds(condition: RatioCondition, n: int, d: int) -> bool:
    value, target = Fraction(n * 100, d), Fraction(condition.threshold)
    return value >= target if condition.comparator.value == ">=" else value == target


def expected_condition(condition, given: CriterionInput) -> str:
    if isinstance(condition, RatioCondition):
        n, d = given.numerator, given.denominator
        if n is None or d is None:
            return MISSING
        if d == 0:
            return status_of(condition.zero_denominator)
        return MET if holds(condition, n, d) else NOT_MET
    assert isinstance(condition, BooleanCondition)
    if given.met is None:
        return MISSING
    return MET if given.met else NOT_MET


def combine(at_least: int | None, statuses: list[str]) -> str:
    if at_least is None:  # the contract's "all" rule, literally
        if NOT_MET in statuses:
            return NOT_MET
        if MISSING in statuses:
            return MISSING
        if all(s == NA for s in statuses):
            return NA
        return MET
    ok = sum(s in (MET, NA) for s in statuses)
    if ok >= at_least:
        return MET if MET in statuses else NA
    if ok + statuses.count(MISSING) >= at_least:
        return MISSING
    return NOT_MET


def expected_field(at_least: int | None, statuses: list[str]) -> str:
    required = len(statuses) if at_least is None else at_least
    ok = sum(s in (MET, NA) for s in statuses)
    if ok >= required:
        return MET
    if at_least is None:
        return NOT_MET if NOT_MET in statuses else MISSING
    return MISSING if ok + statuses.count(MISSING) >= required else NOT_MET


def check_against_contract(criteria_set, inputs: dict[str, CriterionInput], evaluation) -> None:
    assert evaluation.unit_code == "28756" and evaluation.year == 2024
    assert [f.group.code for f in evaluation.fields] == [g.code for g in criteria_set.groups]
    field_statuses, all_criteria = [], []
    for group_, field in zip(criteria_set.groups, evaluation.fields):
        assert [r.criterion.code for r in field.criteria] == [c.code for c in group_.criteria]
        statuses = []
        for crit, result in zip(group_.criteria, field.criteria):
            given = inputs.get(crit.code, CriterionInput())
            expected = combine(crit.pass_rule.at_least, [expected_condition(c, given) for c in crit.conditions])
            assert status_of(result.status) == expected, (crit.code, given)
            r = crit.ratio
            n, d = given.numerator, given.denominator
            computed = r is not None and n is not None and d is not None and d > 0
            if computed:
                assert str(result.ratio) == expected_ratio_text(n, d), (crit.code, n, d)
                assert result.gap == expected_gap(r.threshold, n, d), (crit.code, n, d)
            else:
                assert result.ratio is None and result.gap is None, (crit.code, given)
            if r is None:
                assert result.threshold is None
            else:
                assert Decimal(result.threshold) == r.threshold and "E" not in result.threshold
            statuses.append(expected)
        all_criteria += statuses
        field_status = expected_field(group_.pass_rule.at_least, statuses)
        assert status_of(field.status) == field_status, group_.code
        field_statuses.append(field_status)
    fields_met = field_statuses.count(MET)
    assert evaluation.fields_met == fields_met
    assert evaluation.fields_required == criteria_set.pass_rule.required(len(criteria_set.groups))
    assert evaluation.smart_commune == (fields_met >= evaluation.fields_required)
    assert evaluation.complete == (MISSING not in all_criteria)


# -- strategies --------------------------------------------------------------


def counts(max_denominator: int = 60):
    """(numerator, denominator) with 0 <= n <= d, sometimes one or both unreported."""
    pair = st.integers(0, max_denominator).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d)))
    big = st.integers(1, 10**9).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d)))
    return st.one_of(
        pair, pair, pair, big,
        st.just((None, None)),
        st.integers(0, 20).map(lambda n: (n, None)),
        st.integers(0, 20).map(lambda d: (None, d)),
    )


@st.composite
def inputs_for(draw, criteria_set) -> dict[str, CriterionInput]:
    inputs = {}
    for crit in criteria_set.criteria:
        if draw(st.integers(0, 9)) == 0:
            continue  # no row at all for this criterion
        n, d = draw(counts()) if crit.ratio is not None else (None, None)
        met = draw(st.sampled_from([None, True, True, False])) if crit.boolean is not None else None
        inputs[crit.code] = CriterionInput(numerator=n, denominator=d, met=met)
    return inputs


thresholds = st.one_of(
    st.sampled_from(["100", "90", "50", "0", "62.5", "33.33", "99.99", "0.01", 100, 90, 75, 1]),
    st.integers(0, 100),
    st.integers(0, 10_000).map(lambda h: str(Decimal(h).scaleb(-2))),
)


@st.composite
def ratio_conditions(draw, zero=st.sampled_from([None, "not_applicable", "met", "not_met"]),
                     comparator=st.sampled_from([">=", ">=", ">=", "="])):
    return ratio(threshold=draw(thresholds), comparator=draw(comparator), zero_denominator=draw(zero))


@st.composite
def generated_sets(draw, rules=True):
    groups = []
    code = 0
    for g in range(draw(st.integers(1, 4))):
        criteria = []
        for _ in range(draw(st.integers(1, 3))):
            code += 1
            kind = draw(st.sampled_from(["ratio", "boolean", "both"]))
            conditions = []
            if kind in ("ratio", "both"):
                conditions.append(draw(ratio_conditions()))
            if kind in ("boolean", "both"):
                conditions.append(boolean())
            rule = None
            if rules and len(conditions) == 2 and draw(st.booleans()):
                rule = {"at_least": draw(st.integers(1, 2))}
            criteria.append(criterion(f"{g + 1}.{code}", *conditions, pass_rule=rule))
        rule = None
        if rules and draw(st.booleans()):
            rule = {"at_least": draw(st.integers(1, len(criteria)))}
        groups.append(group(str(g + 1), *criteria, pass_rule=rule))
    set_rule = draw(st.one_of(st.just("all"), st.integers(1, len(groups)).map(lambda k: {"at_least": k})))
    return parse_criteria_set(criteria_set_dict(*groups, pass_rule=set_rule))


def run(criteria_set, inputs):
    return evaluate(criteria_set, inputs, unit_code="28756", year=2024)


def result_for(evaluation, code):
    return next(r for f in evaluation.fields for r in f.criteria if r.criterion.code == code)


def full_inputs(criteria_set, code, n, d):
    """``code`` reported as n/d (feedback met where it has a boolean), nothing else."""
    crit = criteria_set.criterion(code)
    return {code: CriterionInput(numerator=n, denominator=d, met=True if crit.boolean is not None else None)}


# -- properties --------------------------------------------------------------


@PROPERTY
@given(code=st.sampled_from(RATIO_CODES), k=st.integers(1, 5_000))
def test_ben_tre_exactly_at_threshold_is_met_and_one_below_is_not(code, k):
    threshold = Fraction(BEN_TRE.criterion(code).ratio.threshold) / 100
    d, n = threshold.denominator * k, threshold.numerator * k
    assert n * 100 == BEN_TRE.criterion(code).ratio.threshold * d
    at = result_for(run(BEN_TRE, full_inputs(BEN_TRE, code, n, d)), code)
    assert status_of(at.status) == MET
    assert at.gap == 0
    assume(n >= 1)
    below = result_for(run(BEN_TRE, full_inputs(BEN_TRE, code, n - 1, d)), code)
    assert status_of(below.status) == NOT_MET
    assert below.gap == 1


@PROPERTY
@given(threshold=thresholds, k=st.integers(1, 2_000))
def test_generated_threshold_exactly_met_and_one_below_not(threshold, k):
    s = parse_criteria_set(criteria_set_dict(group("1", criterion("1.1", ratio(threshold=threshold)))))
    fraction = Fraction(Decimal(str(threshold))) / 100
    d, n = fraction.denominator * k, fraction.numerator * k
    assume(d > 0)
    at = result_for(run(s, {"1.1": CriterionInput(n, d)}), "1.1")
    assert status_of(at.status) == MET and at.gap == 0
    assume(n >= 1)
    below = result_for(run(s, {"1.1": CriterionInput(n - 1, d)}), "1.1")
    assert status_of(below.status) == NOT_MET and below.gap == 1


@PROPERTY
@given(code=st.sampled_from(RATIO_CODES), nd=counts(10_000).filter(lambda p: None not in p and p[1] > 0))
def test_adding_the_gap_meets_the_ratio_and_one_less_does_not(code, nd):
    n, d = nd
    result = result_for(run(BEN_TRE, full_inputs(BEN_TRE, code, n, d)), code)
    gap = result.gap
    assert isinstance(gap, int) and gap >= 0
    if gap == 0:
        assert status_of(result.status) == MET
        return
    assert status_of(result.status) == NOT_MET
    assert n + gap <= d  # reachable: the threshold is at most 100 %
    closed = result_for(run(BEN_TRE, full_inputs(BEN_TRE, code, n + gap, d)), code)
    assert status_of(closed.status) == MET and closed.gap == 0
    short = result_for(run(BEN_TRE, full_inputs(BEN_TRE, code, n + gap - 1, d)), code)
    assert status_of(short.status) == NOT_MET and short.gap == 1


@PROPERTY
@given(threshold=thresholds, nd=counts(500).filter(lambda p: None not in p and p[1] > 0))
def test_gap_on_generated_thresholds(threshold, nd):
    n, d = nd
    s = parse_criteria_set(criteria_set_dict(group("1", criterion("1.1", ratio(threshold=threshold)))))
    result = result_for(run(s, {"1.1": CriterionInput(n, d)}), "1.1")
    assert result.gap == expected_gap(Decimal(str(threshold)), n, d)
    if result.gap:
        assert status_of(result_for(run(s, {"1.1": CriterionInput(n + result.gap, d)}), "1.1").status) == MET
        assert status_of(result_for(run(s, {"1.1": CriterionInput(n + result.gap - 1, d)}), "1.1").status) == NOT_MET


@FEW
@given(data=st.data())
def test_raising_a_numerator_never_turns_met_into_not_met(data):
    inputs = data.draw(inputs_for(BEN_TRE))
    candidates = [c for c, i in inputs.items() if i.numerator is not None and i.denominator is not None
                  and i.numerator < i.denominator]
    assume(candidates)
    code = data.draw(st.sampled_from(candidates))
    before = inputs[code]
    raised = dict(inputs)
    raised[code] = CriterionInput(data.draw(st.integers(before.numerator + 1, before.denominator)),
                                  before.denominator, before.met)
    e1, e2 = run(BEN_TRE, inputs), run(BEN_TRE, raised)
    r1, r2 = result_for(e1, code), result_for(e2, code)
    if status_of(r1.status) == MET:
        assert status_of(r2.status) == MET
    assert r2.gap <= r1.gap
    assert r2.ratio >= r1.ratio
    assert e2.fields_met >= e1.fields_met
    assert e2.smart_commune or not e1.smart_commune


@PROPERTY
@given(nd=counts(10**6).filter(lambda p: None not in p and p[1] > 0))
def test_ratio_string_is_exact_half_up_to_two_places(nd):
    n, d = nd
    result = result_for(run(BEN_TRE, {"1.2": CriterionInput(n, d)}), "1.2")
    text = str(result.ratio)
    assert text == expected_ratio_text(n, d)
    whole, _, places = text.partition(".")
    assert whole.isdigit() and len(places) == 2 and places.isdigit()


@SOME
@given(data=st.data())
def test_ben_tre_statuses_fields_and_commune_follow_the_contract(data):
    inputs = data.draw(inputs_for(BEN_TRE))
    check_against_contract(BEN_TRE, inputs, run(BEN_TRE, inputs))


@FEW
@given(data=st.data())
def test_ben_tre_field_and_commune_rules_over_every_field_outcome(data):
    """Drive each field to a chosen outcome so that all counts of met fields occur."""
    wanted = data.draw(st.lists(st.sampled_from([MET, NOT_MET, MISSING, NA]), min_size=10, max_size=10))
    inputs = {}
    for group_, outcome in zip(BEN_TRE.groups, wanted):
        for crit in group_.criteria:
            if outcome == MISSING and data.draw(st.booleans()):
                continue
            if crit.ratio is not None:
                d = data.draw(st.integers(1, 50))
                n = {MET: d, NOT_MET: 0, MISSING: None, NA: d}[outcome]
                d = 0 if outcome == NA else d
                n = 0 if outcome == NA else n
            else:
                n = d = None
            met = {MET: True, NOT_MET: False, MISSING: None, NA: True}[outcome] if crit.boolean else None
            inputs[crit.code] = CriterionInput(n, d, met)
    evaluation = run(BEN_TRE, inputs)
    check_against_contract(BEN_TRE, inputs, evaluation)
    met_fields = sum(o in (MET, NA) for o in wanted)
    assert evaluation.fields_met == met_fields
    assert evaluation.smart_commune == (met_fields >= 7)
    assert evaluation.complete == (MISSING not in wanted)


@SOME
@given(data=st.data())
def test_generated_sets_follow_the_contract(data):
    s = data.draw(generated_sets())
    inputs = data.draw(inputs_for(s))
    check_against_contract(s, inputs, run(s, inputs))


@SOME
@given(data=st.data())
def test_generated_sets_with_the_all_rule_follow_the_contract(data):
    s = data.draw(generated_sets(rules=False))
    inputs = data.draw(inputs_for(s))
    check_against_contract(s, inputs, run(s, inputs))


@PROPERTY
@given(policy=st.sampled_from([None, "not_applicable", "met", "not_met"]), threshold=thresholds,
       numerator_reported=st.booleans(), met=st.sampled_from([None, True, False]), with_boolean=st.booleans())
def test_zero_denominator_follows_the_policy(policy, threshold, numerator_reported, met, with_boolean):
    conditions = [ratio(threshold=threshold, zero_denominator=policy)] + ([boolean()] if with_boolean else [])
    s = parse_criteria_set(criteria_set_dict(group("1", criterion("1.1", *conditions))))
    given_ = CriterionInput(0 if numerator_reported else None, 0, met if with_boolean else None)
    result = result_for(run(s, {"1.1": given_}), "1.1")
    assert result.ratio is None and result.gap is None
    if not numerator_reported:
        ratio_status = MISSING
    else:
        ratio_status = policy or NA
    boolean_status = [] if not with_boolean else [MISSING if met is None else (MET if met else NOT_MET)]
    assert status_of(result.status) == combine(None, [ratio_status, *boolean_status])


@FEW
@given(code=st.sampled_from(RATIO_CODES), met=st.sampled_from([None, True, False]))
def test_ben_tre_zero_denominator_is_not_applicable(code, met):
    crit = BEN_TRE.criterion(code)
    given_ = CriterionInput(0, 0, met if crit.boolean is not None else None)
    evaluation = run(BEN_TRE, {code: given_})
    result = result_for(evaluation, code)
    assert result.ratio is None and result.gap is None and result.threshold is not None
    if crit.boolean is None:
        assert status_of(result.status) == NA
    else:
        assert status_of(result.status) == {None: MISSING, True: MET, False: NOT_MET}[met]
