"""Bulk evaluation: exactly the engine's results, kept per assessment version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcommune.criteria.engine import CriterionInput, InvalidInput, evaluate
from smartcommune.exchange.results import evaluation_dict
from smartcommune.rounds import evaluation as evaluations
from smartcommune.rounds.evaluation import evaluate_stored, evaluations_of, inputs_by_assessment
from smartcommune.rounds.models import Assessment
from smartcommune.rounds.selectors import evaluate_assessment, inputs_of
from tests.results.fixtures import save
from tests.rounds.fixtures import CRITERIA

pytestmark = pytest.mark.django_db


def test_evaluate_stored_is_the_engine_including_its_refusals():
    inputs = {"1.2": CriterionInput(863, 1000, None), "1.3": CriterionInput(None, None, True)}
    for _ in range(2):  # the second time from the memo of valid inputs
        assert evaluation_dict(evaluate_stored(CRITERIA, inputs, unit_code="1", year=2024)) == evaluation_dict(
            evaluate(CRITERIA, inputs, unit_code="1", year=2024))
    with pytest.raises(InvalidInput, match="tử số 11 lớn hơn mẫu số 10"):
        evaluate_stored(CRITERIA, {"1.2": CriterionInput(11, 10, None)}, unit_code="1", year=2024)
    with pytest.raises(KeyError):
        evaluate_stored(CRITERIA, {"99.9": CriterionInput(1, 1, None)}, unit_code="1", year=2024)


def test_bulk_inputs_and_results_equal_the_one_by_one_reads(results_world):
    assessments = list(Assessment.objects.select_related("round", "unit"))
    assert inputs_by_assessment([a.pk for a in assessments]) == {a.pk: inputs_of(a) for a in assessments}
    assert inputs_by_assessment(Assessment.objects.all()) == {a.pk: inputs_of(a) for a in assessments}
    found = evaluations_of([(a.pk, a.version, a.round, a.unit.code) for a in assessments])
    assert {pk: evaluation_dict(e) for pk, e in found.items()} == {
        a.pk: evaluation_dict(evaluate_assessment(a)) for a in assessments}


def test_results_are_kept_per_version(results_world):
    r = results_world
    a = Assessment.objects.select_related("round", "unit").get(pk=r.c.pk)
    assert evaluations_of([(a.pk, a.version, a.round, a.unit.code)])[a.pk].fields_met == 5
    with CaptureQueriesContext(connection) as queries:
        assert evaluations_of([(a.pk, a.version, a.round, a.unit.code)])[a.pk].fields_met == 5
    assert len(queries) == 0  # kept
    a = save(a, r.world.officer_c, {})  # every value met now: a new version
    with CaptureQueriesContext(connection) as queries:
        assert evaluations_of([(a.pk, a.version, a.round, a.unit.code)])[a.pk].fields_met == 10
    assert len(queries) == 1


def test_many_missing_results_load_through_the_superset(results_world, monkeypatch):
    monkeypatch.setattr(evaluations, "IDS_IN_QUERY", 1)
    evaluations.forget()
    assessments = list(Assessment.objects.select_related("round", "unit"))
    with CaptureQueriesContext(connection) as queries:
        found = evaluations_of([(a.pk, a.version, a.round, a.unit.code) for a in assessments],
                               superset=Assessment.objects.all())
    assert len(found) == len(assessments) and len(queries) == 1 and " IN (SELECT " in queries[0]["sql"].upper()


def test_at_most_cache_size_results_are_kept(results_world, monkeypatch):
    monkeypatch.setattr(evaluations, "CACHE_SIZE", 2)
    evaluations.forget()
    assessments = list(Assessment.objects.select_related("round", "unit"))
    evaluations_of([(a.pk, a.version, a.round, a.unit.code) for a in assessments])
    assert len(evaluations._results) == 2
