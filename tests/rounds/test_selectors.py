"""Evaluation of an assessment and anomalies against the year before."""

import pytest

from smartcommune.criteria.engine import Status as Result
from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.selectors import anomalies, evaluate_assessment
from tests.rounds.fixtures import assessment_of, fill, open_round

pytestmark = pytest.mark.django_db


def test_evaluate_assessment_uses_the_saved_values(world, round_bt):
    a = assessment_of(round_bt, world.a)
    empty = evaluate_assessment(a)
    assert (empty.unit_code, empty.year, empty.fields_met, empty.complete) == ("28756", 2024, 0, False)
    a = fill(a, world.officer_a, numerator=9, denominator=10)
    result = evaluate_assessment(a)
    assert result.complete and result.fields_required == 7
    by_code = {c.criterion.code: c for c in result.criteria()}
    assert by_code["1.2"].status == Result.MET          # 90 % ≥ 90 %
    assert (by_code["1.1"].status, by_code["1.1"].gap) == (Result.NOT_MET, 1)
    assert by_code["9.2"].status == Result.MET          # ≥ 50 %


def years(world):
    before = open_round(world, year=2023)
    now = open_round(world, year=2024)
    return assessment_of(before, world.a), assessment_of(now, world.a)


def save(world, a, values):
    return do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values=values)


def test_anomalies_flag_big_moves_and_shrinking_denominators(world):
    before, now = years(world)
    save(world, before, {
        "1.1": {"numerator": 10, "denominator": 10},   # 100 %
        "1.2": {"numerator": 50, "denominator": 100},  # 50 %
        "2.2": {"numerator": 20, "denominator": 20},
        "5.1": {"numerator": 8, "denominator": 10},
        "5.2": {"numerator": 1, "denominator": 0 + 1},
    })
    save(world, now, {
        "1.1": {"numerator": 7, "denominator": 10},    # −30 points
        "1.2": {"numerator": 70, "denominator": 100},  # +20 points exactly: not flagged
        "2.2": {"numerator": 10, "denominator": 10},   # denominator halved, ratio unchanged
        "5.1": {"numerator": 9, "denominator": 10},    # small move
        "1.3": {"met": True},
    })
    found = anomalies(now)
    assert set(found) == {"1.1", "2.2"}
    # One language and its number format each (issue 14).
    assert found["1.1"].vi == "tỷ lệ thay đổi -30,0 điểm phần trăm so với năm 2023 (100,0 % → 70,0 %)"
    assert found["1.1"].en == "ratio moved -30.0 percentage points from 2023 (100.0 % → 70.0 %)"
    assert "20" in found["2.2"].vi and "10" in found["2.2"].vi and "giảm" in found["2.2"].vi
    assert "fell" in found["2.2"].en and "giảm" not in found["2.2"].en


def test_anomaly_threshold_is_a_setting(world, settings):
    before, now = years(world)
    save(world, before, {"1.2": {"numerator": 50, "denominator": 100}})
    save(world, now, {"1.2": {"numerator": 60, "denominator": 100}})
    assert anomalies(now) == {}
    settings.SMARTCOMMUNE_ANOMALY_POINTS = 5
    assert set(anomalies(now)) == {"1.2"}


def test_no_previous_year_no_anomalies(world, round_bt):
    assert anomalies(fill(assessment_of(round_bt, world.a), world.officer_a)) == {}


def test_one_value_is_evaluated_alone_and_as_in_the_whole_assessment(world, round_bt, monkeypatch):
    """The agency queue's row evaluates one criterion, not the whole set, and gets the
    same result as the assessment's evaluation."""
    from smartcommune.criteria import engine
    from smartcommune.rounds import evaluation

    a = fill(assessment_of(round_bt, world.a), world.officer_a, numerator=9, denominator=10)
    whole = {c.criterion.code: c for c in evaluate_assessment(a).criteria()}

    def whole_set(*args, **kwargs):
        raise AssertionError("the whole set was evaluated for one criterion")

    monkeypatch.setattr(engine, "evaluate", whole_set)
    monkeypatch.setattr(engine, "evaluate_valid", whole_set)
    monkeypatch.setattr(evaluation, "evaluate", whole_set)
    values = list(a.values.select_related("assessment__round", "assessment__unit"))
    assert values
    for v in values:
        assert evaluation.evaluate_value(v) == whole[v.criterion_code]


def test_an_invalid_stored_value_is_refused_alone(world, round_bt):
    from smartcommune.criteria.engine import InvalidInput
    from smartcommune.rounds import evaluation
    from smartcommune.rounds.models import CriterionValue

    a = fill(assessment_of(round_bt, world.a), world.officer_a, numerator=9, denominator=10)
    CriterionValue.objects.filter(assessment=a, criterion_code="1.1").update(numerator=11)  # above the denominator
    value = a.values.select_related("assessment__round", "assessment__unit").get(criterion_code="1.1")
    with pytest.raises(InvalidInput):
        evaluation.evaluate_value(value)
