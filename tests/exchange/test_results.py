"""Writing results: the JSON of DESIGN.md, the per-criterion CSV and the table for people."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcommune.criteria.engine import CriterionInput, evaluate
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.exchange.results import CSV_COLUMNS, evaluation_dict, write_csv, write_json, write_table
from tests.criteria.builders import boolean, criteria_set_dict, criterion, group, ratio

S = get_criteria_set()
TOP_KEYS = {"unit_code", "year", "fields_met", "fields_required", "smart_commune", "complete", "fields",
            # issue 10: added, today's keys unchanged
            "points", "points_max", "level", "next_level", "eligible", "preconditions", "outcome_certain"}
FIELD_KEYS = {"code", "status", "criteria", "points", "points_max"}
CRITERION_KEYS = {"code", "status", "ratio", "threshold", "gap", "points"}


def ev(inputs: dict, unit_code="28756", year=2024, criteria_set=S):
    return evaluate(criteria_set, {k: CriterionInput(*v) for k, v in inputs.items()}, unit_code=unit_code, year=year)


def json_of(evaluations) -> list:
    out = io.StringIO()
    write_json(evaluations, out)
    return json.loads(out.getvalue())


def csv_of(evaluations) -> list[dict]:
    out = io.StringIO()
    write_csv(evaluations, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def table_of(evaluations) -> str:
    out = io.StringIO()
    write_table(evaluations, out)
    return out.getvalue()


def find(obj: dict, code: str) -> dict:
    return next(c for f in obj["fields"] for c in f["criteria"] if c["code"] == code)


SAMPLE = {
    "1.1": (12, 12, None),
    "1.2": (863, 1000, None),
    "1.3": (None, None, True),
    "3.1": (40, 40, False),
    "5.1": (0, 0, None),
    "9.2": (1, 3, None),
}


# -- JSON ------------------------------------------------------------------------


def test_json_is_a_list_with_exactly_the_design_keys():
    [obj] = json_of([ev(SAMPLE)])
    assert set(obj) == TOP_KEYS
    assert [f["code"] for f in obj["fields"]] == [str(i) for i in range(1, 11)]
    for f in obj["fields"]:
        assert set(f) == FIELD_KEYS
        for c in f["criteria"]:
            assert set(c) == CRITERION_KEYS
    assert [c["code"] for f in obj["fields"] for c in f["criteria"]] == [c.code for c in S.criteria]


def test_json_values_and_types():
    [obj] = json_of([ev(SAMPLE)])
    assert obj["unit_code"] == "28756" and obj["year"] == 2024
    assert (obj["fields_met"], obj["fields_required"], obj["smart_commune"], obj["complete"]) == (0, 7, False, False)
    assert find(obj, "1.1") == {"code": "1.1", "status": "met", "ratio": "100.00", "threshold": "100", "gap": 0, "points": None}
    assert find(obj, "1.2") == {"code": "1.2", "status": "not_met", "ratio": "86.30", "threshold": "90", "gap": 37, "points": None}
    assert find(obj, "1.3") == {"code": "1.3", "status": "met", "ratio": None, "threshold": None, "gap": None, "points": None}
    assert find(obj, "1.4") == {"code": "1.4", "status": "missing", "ratio": None, "threshold": None, "gap": None, "points": None}
    assert find(obj, "2.2") == {"code": "2.2", "status": "missing", "ratio": None, "threshold": "100", "gap": None, "points": None}
    assert find(obj, "3.1") == {"code": "3.1", "status": "not_met", "ratio": "100.00", "threshold": "100", "gap": 0, "points": None}
    assert find(obj, "5.1") == {"code": "5.1", "status": "not_applicable", "ratio": None, "threshold": "100", "gap": None, "points": None}
    assert find(obj, "9.2") == {"code": "9.2", "status": "not_met", "ratio": "33.33", "threshold": "50", "gap": 1, "points": None}
    assert [f["status"] for f in obj["fields"]] == [
        "not_met", "missing", "not_met", "missing", "missing", "missing", "missing", "missing", "not_met", "missing"]


def test_json_smart_and_complete_are_booleans():
    everything = {c.code: ((10, 10) if c.ratio else (None, None)) + ((True,) if c.boolean else (None,)) for c in S.criteria}
    [obj] = json_of([ev(everything)])
    assert obj["smart_commune"] is True and obj["complete"] is True
    assert obj["fields_met"] == 10
    assert all(f["status"] == "met" for f in obj["fields"])


def test_json_of_several_commune_years_keeps_their_order_and_equals_evaluation_dict():
    evaluations = [ev(SAMPLE, "28756", 2023), ev({}, "28756", 2024), ev(SAMPLE, "28759", 2024)]
    objs = json_of(evaluations)
    assert [(o["unit_code"], o["year"]) for o in objs] == [("28756", 2023), ("28756", 2024), ("28759", 2024)]
    assert objs == [json.loads(json.dumps(evaluation_dict(e))) for e in evaluations]


def test_json_of_nothing_is_an_empty_list():
    assert json_of([]) == []


def test_json_accepts_a_generator():
    assert len(json_of(ev(SAMPLE, str(u), 2024) for u in (28756, 28759))) == 2


def test_json_escapes_text_and_keeps_vietnamese():
    s = parse_criteria_set(criteria_set_dict(
        group('Lĩnh vực "1"', criterion("1.1", ratio(threshold="62.5")), criterion("1.2", boolean())),
        group("2\\b", criterion("2.1", boolean())),
    ))
    e = ev({"1.1": (5, 8, None), "1.2": (None, None, True)}, unit_code='28"756\\', criteria_set=s)
    out = io.StringIO()
    write_json([e], out)
    [obj] = json.loads(out.getvalue())
    assert obj["unit_code"] == '28"756\\'
    assert [f["code"] for f in obj["fields"]] == ['Lĩnh vực "1"', "2\\b"]
    assert obj["fields"][0]["criteria"][0] == {"code": "1.1", "status": "met", "ratio": "62.50", "threshold": "62.5", "gap": 0, "points": None}
    assert obj == json.loads(json.dumps(evaluation_dict(e)))


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data())
def test_written_json_equals_evaluation_dict(data):
    inputs = {}
    for c in S.criteria:
        if data.draw(st.booleans()):
            n = d = None
            if c.ratio is not None:
                d = data.draw(st.integers(0, 10**7))
                n = data.draw(st.integers(0, d))
            met = data.draw(st.sampled_from([None, True, False])) if c.boolean is not None else None
            inputs[c.code] = (n, d, met)
    e = ev(inputs)
    [obj] = json_of([e])
    assert obj == json.loads(json.dumps(evaluation_dict(e)))
    for c in (c for f in obj["fields"] for c in f["criteria"]):
        assert c["ratio"] is None or (isinstance(c["ratio"], str) and len(c["ratio"].split(".")[1]) == 2)
        assert c["gap"] is None or (isinstance(c["gap"], int) and c["gap"] >= 0)


# -- CSV -------------------------------------------------------------------------


def test_csv_has_one_row_per_criterion_with_the_commune_totals():
    rows = csv_of([ev(SAMPLE, "28756", 2024), ev({}, "28759", 2024)])
    assert len(rows) == 2 * 23
    for column in ("unit_code", "year", "criterion", "status", "ratio", "threshold", "gap",
                   "fields_met", "fields_required", "smart_commune", "complete"):
        assert column in rows[0], column
    assert [r["criterion"] for r in rows[:23]] == [c.code for c in S.criteria]
    r12 = next(r for r in rows if r["unit_code"] == "28756" and r["criterion"] == "1.2")
    assert (r12["year"], r12["status"], r12["ratio"], r12["threshold"], r12["gap"]) == ("2024", "not_met", "86.30", "90", "37")
    r13 = next(r for r in rows if r["unit_code"] == "28756" and r["criterion"] == "1.3")
    assert (r13["status"], r13["ratio"], r13["threshold"], r13["gap"]) == ("met", "", "", "")
    assert {r["fields_required"] for r in rows} == {"7"}
    assert {r["smart_commune"] for r in rows} <= {"false", "False", "0"}


def test_csv_agrees_with_json():
    e = ev(SAMPLE)
    [obj] = json_of([e])
    rows = {r["criterion"]: r for r in csv_of([e])}
    for c in (c for f in obj["fields"] for c in f["criteria"]):
        row = rows[c["code"]]
        assert row["status"] == c["status"]
        assert row["ratio"] == (c["ratio"] or "")
        assert row["threshold"] == (c["threshold"] or "")
        assert row["gap"] == ("" if c["gap"] is None else str(c["gap"]))


# -- table -----------------------------------------------------------------------


def test_table_names_each_commune_and_the_gap():
    text = table_of([ev(SAMPLE, "28756", 2024), ev({}, "28759", 2025)])
    lines = text.splitlines()
    line = next(line for line in lines if "28756" in line)
    assert "2024" in line
    assert "1.2" in line and "37" in line  # 37 more households needed for 1.2
    assert "9.2" in line
    assert any("28759" in line and "2025" in line for line in lines)


def test_table_says_which_commune_is_smart():
    everything = {c.code: ((10, 10) if c.ratio else (None, None)) + ((True,) if c.boolean else (None,)) for c in S.criteria}
    smart = next(line for line in table_of([ev(everything, "28756")]).splitlines() if "28756" in line)
    short = next(line for line in table_of([ev(SAMPLE, "28756")]).splitlines() if "28756" in line)
    assert "10" in smart.split("2024", 1)[1]  # ten fields met
    assert "1.2" not in smart and "37" not in smart  # nothing to make up
    assert "1.2" in short


def _csv_rows_of(e) -> list[list[str]]:
    """The CSV rows of one commune-year, built from ``evaluation_dict`` (the JSON shape)
    rather than from the writer's pieces."""
    obj = evaluation_dict(e)
    text = {True: "true", False: "false"}
    totals = [str(obj["fields_met"]), str(obj["fields_required"]), text[obj["smart_commune"]], text[obj["complete"]]]
    tail = [obj["points"], obj["points_max"], obj["level"] or "", text[obj["eligible"]], text[obj["outcome_certain"]]]
    parts = [("", "", "", "", obj["preconditions"])] if obj["preconditions"] else []
    parts += [(f["code"], f["status"], f["points"], f["points_max"], f["criteria"]) for f in obj["fields"]]
    rows = []
    for field, field_status, field_points, field_max, criteria in parts:
        for c in criteria:
            rows.append([obj["unit_code"], str(obj["year"]), field, field_status, c["code"], c["status"], c["ratio"] or "",
                         c["threshold"] or "", "" if c["gap"] is None else str(c["gap"]), *totals, c["points"] or "",
                         field_points, field_max, *tail])
    return rows


def assert_csv_module_writes(evaluations) -> None:
    """``write_csv`` gives exactly what ``csv.writer`` writes for :func:`_csv_rows_of`."""
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in evaluations:
        writer.writerows(_csv_rows_of(e))
    out = io.StringIO()
    write_csv(evaluations, out)
    assert out.getvalue() == expected.getvalue()


@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data())
def test_written_csv_is_what_the_csv_module_writes(data):
    """The writer joins cached pieces; the bytes are those of ``csv.writer``, quoting
    included (a unit code with a comma, a quote or a line break)."""
    evaluations = []
    for unit_code in data.draw(st.lists(st.sampled_from(["28756", "2,8", 'x"y', "a\nb", "a\rb", ""]), max_size=3)):
        inputs = {}
        for c in S.criteria:
            if data.draw(st.booleans()):
                n = d = None
                if c.ratio is not None:
                    d = data.draw(st.integers(0, 50))
                    n = data.draw(st.integers(0, d))
                met = data.draw(st.sampled_from([None, True, False])) if c.boolean is not None else None
                inputs[c.code] = (n, d, met)
        evaluations.append(ev(inputs, unit_code=unit_code, year=data.draw(st.integers(2021, 2025))))
    assert_csv_module_writes(evaluations)


@pytest.mark.parametrize("code", ["ntm-kieu-mau-2021-2025", "chuyen-doi-so-cap-xa-2026"])
def test_written_csv_of_the_example_sets_is_what_the_csv_module_writes(code):
    """Sets with points, levels and preconditions (a precondition's row has no field)."""
    from pathlib import Path

    from smartcommune.exchange.long_csv import read_long_csv

    s = get_criteria_set(code)
    units = read_long_csv(Path(__file__).parent.parent / "criteria" / "examples" / f"{code}.csv", s)
    evaluations = [evaluate(s, u.inputs, unit_code=u.unit_code, year=u.year) for u in units]
    assert_csv_module_writes(evaluations)
    json_out = io.StringIO()
    write_json(evaluations, json_out)
    assert json_out.getvalue() == "[" + ",".join(
        "\n" + json.dumps(evaluation_dict(e), ensure_ascii=False, separators=(",", ":")) for e in evaluations) + "\n]\n"
