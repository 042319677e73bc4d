"""The synthetic demo data: deterministic, valid, and spread as the demo needs.

No database: the generator and the engine are plain Python.
"""

from __future__ import annotations


import pytest

from smartcommune.criteria.engine import CriterionInput, Status, evaluate, input_problems
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.demo.synthetic import (
    CommuneProfile,
    Trajectory,
    count_kind,
    describe_spread,
    evaluate_generated,
    generate,
    profiles,
)

S = get_criteria_set()
UNITS = [str(28600 + 3 * i) for i in range(148)]
YEARS = list(range(2021, 2026))
FIRST, LAST = YEARS[0], YEARS[-1]


@pytest.fixture(scope="module")
def data():
    return generate(S, UNITS, YEARS)


@pytest.fixture(scope="module")
def evaluations(data):
    return evaluate_generated(S, data)


@pytest.fixture(scope="module")
def spread(evaluations):
    return describe_spread(evaluations)


def by_unit(evaluations, year):
    return {e.unit_code: e for e in evaluations if e.year == year}


# --- determinism ------------------------------------------------------------------


def test_same_seed_same_output(data):
    assert generate(S, UNITS, YEARS) == data
    assert generate(S, UNITS, YEARS, seed=2021) == data
    assert profiles(S, UNITS, YEARS) == profiles(S, UNITS, YEARS, seed=2021)


def test_different_seed_different_output(data):
    other = generate(S, UNITS, YEARS, seed=7)
    assert other.keys() == data.keys()
    assert other != data
    differing = sum(other[key] != data[key] for key in data)
    assert differing > len(data) // 2


def test_a_commune_does_not_depend_on_the_order_of_the_others():
    a = generate(S, UNITS, YEARS)
    b = generate(S, list(reversed(UNITS)), YEARS)
    # Trajectories are handed out over the shuffled list, so compare the values
    # of communes whose profile is the same in both runs.
    pa, pb = profiles(S, UNITS, YEARS), profiles(S, list(reversed(UNITS)), YEARS)
    same = [u for u in UNITS if pa[u] == pb[u]]
    assert len(same) >= 20
    for unit in same:
        for year in YEARS:
            assert a[(unit, year)] == b[(unit, year)]


# --- shape and validity -------------------------------------------------------------


def test_every_commune_year_has_every_criterion(data):
    codes = [c.code for c in S.criteria]
    assert set(data) == {(u, y) for u in UNITS for y in YEARS}
    for inputs in data.values():
        assert list(inputs) == codes
        assert all(isinstance(v, CriterionInput) for v in inputs.values())


def test_every_input_passes_the_engine_checks(data):
    for (unit, year), inputs in data.items():
        for code, given in inputs.items():
            assert input_problems(S.criterion(code), given) == [], (unit, year, code, given)


def test_counts_are_whole_numbers_and_numerators_never_exceed_denominators(data):
    for inputs in data.values():
        for code, (n, d, met, *_) in inputs.items():
            criterion = S.criterion(code)
            if criterion.ratio is None:
                assert n is None and d is None
            elif n is not None or d is not None:
                assert type(n) is int and type(d) is int
                assert 0 <= n <= d
            if criterion.boolean is None:
                assert met is None
            else:
                assert met is None or type(met) is bool


def test_denominators_are_recognised_from_the_labels():
    kinds = {c.code: count_kind(c) for c in S.criteria if c.ratio is not None}
    assert kinds == {
        "1.1": "public_places",
        "1.2": "households",
        "2.2": "civil_servants",
        "3.1": "information_items",
        "3.2": "information_items",
        "3.3": "information_items",
        "4": "survey_sample",
        "5.1": "administrative_services",
        "5.2": "administrative_services",
        "7": "food_establishments",
        "8.1": "classrooms",
        "8.2": "classrooms",
        "9.1": "workers_in_need",
        "9.2": "jobs_found",
    }


RANGES = {
    "1.1": (3, 15), "1.2": (1500, 6000), "2.2": (18, 30),
    "3.1": (20, 120), "3.2": (20, 120), "3.3": (20, 120), "4": (100, 400),
    "5.1": (80, 150), "5.2": (80, 150), "7": (50, 400),
    "8.1": (20, 80), "8.2": (20, 80), "9.1": (0, 60), "9.2": (0, 40),
}


def test_denominators_are_realistic(data):
    for code, (low, high) in RANGES.items():
        seen = [inputs[code].denominator for inputs in data.values() if inputs[code].denominator is not None]
        assert seen, code
        assert low <= min(seen) and max(seen) <= high, (code, min(seen), max(seen))
        # Communes differ in size: the values are spread over the range.
        assert max(seen) - min(seen) >= (high - low) // 2, code


def test_some_communes_have_nobody_to_count_for_labour(data, evaluations):
    zeros = [inputs["9.1"] for inputs in data.values() if inputs["9.1"].denominator == 0]
    assert zeros and all(z == CriterionInput(0, 0, None) for z in zeros)
    statuses = {c.status for e in evaluations for c in e.criteria() if c.criterion.code == "9.1"}
    assert Status.NOT_APPLICABLE in statuses
    # Only the criteria that may count nothing ever do.
    for inputs in data.values():
        for code, given in inputs.items():
            if given.denominator == 0:
                assert code in {"9.1", "9.2"}


# --- the spread -------------------------------------------------------------------


def test_the_last_year_has_a_quarter_or_so_recognised(spread):
    last = spread[LAST]
    assert last["communes"] == 148
    assert 0.15 * 148 <= last["recognised"] <= 0.40 * 148


def test_a_clear_group_is_one_field_short_and_a_few_two_short(spread):
    assert spread[LAST]["one_short"] >= 10
    assert spread[LAST]["two_short"] >= 3


def test_a_few_are_incomplete_in_the_last_year(spread, evaluations, data):
    assert spread[LAST]["incomplete"] >= 3
    incomplete = [e for e in evaluations if e.year == LAST and not e.complete]
    for e in incomplete:
        assert CriterionInput(None, None, None) in data[(e.unit_code, LAST)].values()


def test_a_few_regress_in_the_last_year(spread):
    assert 1 <= spread[LAST]["regressed"] <= 0.15 * 148


def test_most_communes_improve(evaluations, spread):
    first, last = by_unit(evaluations, FIRST), by_unit(evaluations, LAST)
    not_worse = sum(last[u].fields_met >= first[u].fields_met for u in UNITS)
    assert not_worse >= 0.70 * 148
    better = sum(last[u].fields_met > first[u].fields_met for u in UNITS)
    assert better >= 0.5 * 148
    assert spread[FIRST]["recognised"] < spread[LAST]["recognised"]
    # Year on year, fields met never go down for most communes.
    steady = 0
    for unit in UNITS:
        path = [by_unit(evaluations, y)[unit].fields_met for y in YEARS]
        steady += all(a <= b for a, b in zip(path, path[1:]))
    assert steady >= 0.8 * 148


def test_the_profile_decides_the_fields_met(evaluations):
    plan = profiles(S, UNITS, YEARS)
    for e in evaluations:
        profile = plan[e.unit_code]
        assert e.fields_met == profile.planned(e.year)
        met = {f.group.code for f in e.fields if f.status == Status.MET}
        assert met == profile.met_groups(e.year)


def test_profiles_are_typed_and_cover_every_trajectory():
    plan = profiles(S, UNITS, YEARS)
    assert list(plan) == UNITS
    assert all(isinstance(p, CommuneProfile) for p in plan.values())
    assert {p.trajectory for p in plan.values()} == set(Trajectory.ALL)
    for p in plan.values():
        assert p.years == tuple(YEARS)
        assert sorted(p.field_order) == sorted(g.code for g in S.groups)
        assert 0 <= min(p.fields_planned) and max(p.fields_planned) <= len(S.groups)
        if p.trajectory != Trajectory.REGRESSING:
            assert list(p.fields_planned) == sorted(p.fields_planned)
        else:
            assert p.fields_planned[-1] < p.fields_planned[-2]


def test_failing_ratios_climb_toward_their_threshold(data, evaluations):
    def mean_share(year):
        shares = [
            c.hundredths
            for e in evaluations if e.year == year
            for c in e.criteria() if c.status == Status.NOT_MET and c.hundredths is not None
        ]
        return sum(shares) / len(shares)

    assert mean_share(FIRST) < mean_share(LAST)


def test_booleans_are_mixed_and_grow_true(data):
    def true_share(year):
        answers = [
            given.met
            for (_, y), inputs in data.items() if y == year
            for given in inputs.values() if given.met is not None
        ]
        return sum(answers) / len(answers)

    first, last = true_share(FIRST), true_share(LAST)
    assert 0.2 < first < last < 1.0


def test_describe_spread_accepts_a_mapping_and_counts_per_year(evaluations):
    keyed = {(e.unit_code, e.year): e for e in evaluations}
    spread = describe_spread(keyed)
    assert spread == describe_spread(evaluations)
    assert list(spread) == YEARS
    for year, row in spread.items():
        assert row["communes"] == 148
        assert set(row) == {"communes", "recognised", "one_short", "two_short", "incomplete", "improved", "regressed"}
    assert spread[FIRST]["improved"] == spread[FIRST]["regressed"] == 0


@pytest.mark.parametrize("seed", [1, 42, 2025, 7])
def test_the_spread_holds_for_other_seeds(seed):
    spread = describe_spread(evaluate_generated(S, generate(S, UNITS, YEARS, seed=seed)))
    last = spread[LAST]
    assert 0.15 * 148 <= last["recognised"] <= 0.40 * 148
    assert last["one_short"] >= 10
    assert last["incomplete"] >= 3


def test_no_communes_or_no_years_give_nothing():
    assert generate(S, [], YEARS) == {}
    assert generate(S, UNITS, []) == {}
    assert describe_spread([]) == {}


def test_a_single_year_works():
    data = generate(S, UNITS[:40], [2024])
    assert {y for _, y in data} == {2024}
    assert describe_spread(evaluate_generated(S, data))[2024]["communes"] == 40


# --- another criteria set -----------------------------------------------------------


def ratio(threshold="100", comparator=">=", **extra) -> dict:
    return {"kind": "ratio", "numerator": "Số đạt", "denominator": "Tổng số", "comparator": comparator,
            "threshold": threshold, **extra}


def boolean(label="Có ứng dụng") -> dict:
    return {"kind": "boolean", "label": label}


def criterion(code: str, *conditions: dict, **extra) -> dict:
    return {"code": code, "text": f"Tiêu chí {code}", "target": "100%", "lead_agencies": ["STTTT"],
            "evidence": "Báo cáo của UBND xã", "conditions": list(conditions), **extra}


TINY = parse_criteria_set({
    "format": 1,
    "code": "thu-nghiem-demo",
    "name": "Bộ tiêu chí thử nghiệm",
    "document": "Quyết định số 1/QĐ-UBND",
    "period": {"start": 2026, "end": 2028},
    "pass_rule": {"at_least": 2},
    "agencies": [{"code": "STTTT", "name": "Sở Thông tin và Truyền thông"}],
    "groups": [
        {"code": "A", "name": "Hạ tầng", "criteria": [
            criterion("A1", ratio("62.5")),
            criterion("A2", boolean()),
        ]},
        {"code": "B", "name": "Dịch vụ", "pass_rule": {"at_least": 1}, "criteria": [
            criterion("B1", ratio("50", "=")),
            criterion("B2", ratio("80", zero_denominator="not_met"), boolean(), pass_rule={"at_least": 1}),
        ]},
        {"code": "C", "name": "Khác", "criteria": [
            criterion("C1", ratio("0")),  # always met: nothing can fail it
        ]},
    ],
})


def test_works_with_another_criteria_set():
    units = [f"X{i:03d}" for i in range(30)]
    years = [2026, 2027, 2028]
    data = generate(TINY, units, years, seed=5)
    assert data == generate(TINY, units, years, seed=5)
    assert {count_kind(c) for c in TINY.criteria if c.ratio is not None} == {"generic"}
    for (unit, year), inputs in data.items():
        assert list(inputs) == ["A1", "A2", "B1", "B2", "C1"]
        for code, given in inputs.items():
            assert input_problems(TINY.criterion(code), given) == [], (unit, year, code, given)
        evaluate(TINY, inputs, unit_code=unit, year=year)
    evaluations = evaluate_generated(TINY, data)
    plan = profiles(TINY, units, years, seed=5)
    for e in evaluations:
        assert e.fields_met == plan[e.unit_code].planned(e.year)
        assert next(f for f in e.fields if f.group.code == "C").status == Status.MET
    spread = describe_spread(evaluations)
    assert list(spread) == years
    assert 0 < spread[2028]["recognised"] < 30
    # The "=" criterion is met exactly at 50 %, and fails otherwise.
    statuses = {c.status for e in evaluations for c in e.criteria() if c.criterion.code == "B1"}
    assert statuses >= {Status.MET, Status.NOT_MET}
    for inputs in data.values():
        n, d, *_ = inputs["B1"]
        if d is not None:
            assert d > 0 and d % 2 == 0
