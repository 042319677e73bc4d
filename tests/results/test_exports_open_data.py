"""Open data: only published results, the CSV reads back to the stored inputs, and
``smartcommune evaluate`` on the CSV prints exactly the JSON export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smartcommune.cli import main as cli
from smartcommune.exchange.long_csv import read_long_csv
from smartcommune.exchange.results import evaluation_dict
from smartcommune.results.exports.open_data import (
    open_data_evaluations,
    open_data_unit_years,
    published_assessments,
    write_open_data_csv,
    write_open_data_json,
)
from smartcommune.rounds.selectors import inputs_of
from tests.results.test_exports_world import engine_result, exports_world, mark_synthetic, world  # noqa: F401
from tests.rounds.fixtures import CRITERIA

pytestmark = pytest.mark.django_db


def csv_text(assessments) -> str:
    out = io.StringIO()
    write_open_data_csv(assessments, out)
    return out.getvalue()


def test_only_published_assessments(exports_world):
    w = exports_world
    assert set(published_assessments()) == {w.pub_a, w.pub_b, w.pub_a_2023}
    assert set(published_assessments(province=w.bt, year=2024)) == {w.pub_a, w.pub_b}
    assert list(published_assessments(province=w.vl)) == []
    # Handed an unpublished assessment, the writers leave it out.
    everything = [w.pub_a, w.pub_b, w.draft_c]
    assert [u.unit_code for u in open_data_unit_years(everything)] == [w.a.code, w.b.code]
    assert w.c.code not in csv_text(everything)


def test_csv_reads_back_to_the_stored_inputs(exports_world):
    w = exports_world
    text = csv_text(published_assessments(province=w.bt))
    units = read_long_csv(text.encode(), CRITERIA)
    assert [(u.unit_code, u.year) for u in units] == [(w.a.code, 2023), (w.a.code, 2024), (w.b.code, 2024)]
    stored = {(a.unit.code, a.round.year): inputs_of(a) for a in (w.pub_a, w.pub_b, w.pub_a_2023)}
    for u in units:
        # Criteria left empty in the CSV are "not reported" either way.
        assert {k: v for k, v in u.inputs.items() if any(x is not None for x in v)} == \
            {k: v for k, v in stored[(u.unit_code, u.year)].items() if any(x is not None for x in v)}
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:6] == ["unit_code", "year", "criterion", "numerator", "denominator", "met"]
    assert {r["unit_name"] for r in rows} == {"Phường Phú Khương", "Phường Phú Tân"}
    assert {r["synthetic"] for r in rows} == {"false"}
    assert len(rows) == 3 * len(CRITERIA.criteria)
    row = next(r for r in rows if r["unit_code"] == w.b.code and r["criterion"] == "1.2")
    assert (row["numerator"], row["denominator"], row["met"]) == ("863", "1000", "")


def test_json_equals_the_engine_and_the_evaluate_command(exports_world, tmp_path):
    w = exports_world
    assessments = published_assessments(province=w.bt)
    out = io.StringIO()
    write_open_data_json(assessments, out)
    exported = json.loads(out.getvalue())
    assert exported == [evaluation_dict(engine_result(a)) for a in (w.pub_a_2023, w.pub_a, w.pub_b)]
    assert [e["fields_met"] for e in exported] == [8, 10, 6]
    b = exported[2]
    gaps = {c["code"]: c["gap"] for f in b["fields"] for c in f["criteria"]}
    assert gaps["1.2"] == 37 and gaps["2.2"] == 1

    path = tmp_path / "mo-du-lieu.csv"
    path.write_text(csv_text(assessments), encoding="utf-8")
    printed = tmp_path / "ket-qua.json"
    assert cli(["evaluate", str(path), "--format", "json", "--output", str(printed)]) == 0
    assert printed.read_text(encoding="utf-8") == out.getvalue()


def test_evaluations_are_the_engines(exports_world):
    w = exports_world
    assert open_data_evaluations([w.pub_b]) == [engine_result(w.pub_b)]


def test_synthetic_rounds_say_so_in_the_csv(exports_world):
    w = exports_world
    mark_synthetic(w.round_2024)
    rows = list(csv.DictReader(io.StringIO(csv_text(published_assessments(province=w.bt)))))
    assert {(r["year"], r["synthetic"]) for r in rows} == {("2023", "false"), ("2024", "true")}


def test_no_published_data_gives_a_header_only_csv_and_an_empty_list(world):
    assert csv_text(published_assessments(province=world.bt)).splitlines() == [
        "unit_code,year,criterion,numerator,denominator,met,unit_name,criteria_set,synthetic"]
    out = io.StringIO()
    write_open_data_json(published_assessments(province=world.bt), out)
    assert json.loads(out.getvalue()) == []


def test_bounded_queries(exports_world, django_assert_max_num_queries):
    w = exports_world
    with django_assert_max_num_queries(3):
        csv_text(published_assessments(province=w.bt))
    with django_assert_max_num_queries(2):
        open_data_evaluations(published_assessments(province=w.bt))
