"""The shipped example sets of other regulations, evaluated on sample files whose outcomes
were computed by hand (the arithmetic is written beside each expectation)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from smartcommune.criteria.engine import evaluate_valid
from smartcommune.criteria.registry import bundled_sets, get_criteria_set
from smartcommune.criteria.wording import shortfall, verdict_of
from smartcommune.exchange.long_csv import read_long_csv, write_long_csv
from smartcommune.exchange.results import evaluation_dict, write_table

EXAMPLES = Path(__file__).parent / "examples"


def evaluations(code: str) -> dict[str, dict]:
    s = get_criteria_set(code)
    rows = read_long_csv(EXAMPLES / f"{code}.csv", s)
    return {u.unit_code: (evaluate_valid(s, u.inputs, unit_code=u.unit_code, year=u.year)) for u in rows}


def criteria(obj: dict) -> dict[str, tuple]:
    return {c["code"]: (c["status"], c["points"], c["gap"]) for f in obj["fields"] for c in f["criteria"]}


def test_every_shipped_set_names_its_source_and_what_it_recognises():
    for s in bundled_sets():
        assert s.document.strip() and s.recognition_name.strip(), s.code
    assert {s.code for s in bundled_sets()} >= {"ben-tre-2021-2025", "chuyen-doi-so-cap-xa-2026", "ntm-kieu-mau-2021-2025"}


# -- the digital-transformation index: points, options, steps, levels ------------------------


def test_dti_commune_at_the_top_level():
    e = evaluations("chuyen-doi-so-cap-xa-2026")["30001"]
    obj = evaluation_dict(e)
    assert criteria(obj) == {
        "1.1": ("met", "10.00", None),        # Chủ tịch: 10
        "1.2": ("not_met", "15.00", 1),       # 3 meetings × 5; 4 needed to meet
        "2.1": ("not_met", "6.67", 1),        # 2/3 × 10 = 6.666…
        "2.2": ("not_met", "15.00", 20),      # 60 % / 80 % × 20; 80 of 100 needed
        "2.3": ("met", "10.00", 0),           # 4 % late ≤ 5 %
        "3.1": ("met", "10.00", 0),           # 7 points × 2 = 14, capped at 10
        "3.2": ("met", "10.00", None),
        "3.3": ("not_met", "8.00", 200),      # 800/1000 × 10
    }
    assert [f["points"] for f in obj["fields"]] == ["25.00", "31.67", "28.00"]
    assert [f["points_max"] for f in obj["fields"]] == ["30.00", "40.00", "30.00"]
    assert (obj["points"], obj["points_max"], obj["level"], obj["next_level"]) == ("84.67", "100.00", "TOT", None)
    assert obj["smart_commune"] and obj["eligible"] and obj["complete"] and obj["outcome_certain"]
    assert verdict_of(e) == "Đạt chuẩn chuyển đổi số cấp xã — Mức Tốt"
    assert shortfall(e) == "—"  # the top level: nothing could change the outcome


def test_dti_commune_out_of_reach_is_certain_although_incomplete():
    e = evaluations("chuyen-doi-so-cap-xa-2026")["30002"]
    obj = evaluation_dict(e)
    # 5 (Phó Chủ tịch) + 5 (1 meeting) + 0 + 30/120 = 25 % → 25/80 × 20 = 6.25 + 0 (12 % late)
    # + 0 + 0; 3.3 not reported: at most 10 more, 26.25 < 50.
    assert obj["points"] == "16.25" and not obj["smart_commune"] and not obj["complete"]
    assert obj["outcome_certain"] is True
    assert obj["next_level"] == {"code": "TB", "fields_short": None, "points_short": "33.75", "preconditions": []}
    assert criteria(obj)["2.3"] == ("not_met", "0.00", 7)  # 12 late, at most 5 allowed
    assert verdict_of(e) == "Chưa đạt (thiếu 33,75 điểm)"  # certain: no "chưa đủ dữ liệu"; decimal comma
    assert obj["points"] == "16.25"  # the exchange format keeps its dot


def test_dti_commune_whose_missing_cells_could_raise_its_level():
    e = evaluations("chuyen-doi-so-cap-xa-2026")["30003"]
    obj = evaluation_dict(e)
    # 10 + 10 + 10 + 50 % → 12.5 + 2.3 with nothing to count (not applicable, 10) + 2 = 54.5;
    # 3.2 and 3.3 missing could add 20 → 74.5, level Khá: not certain.
    assert (obj["points"], obj["level"], obj["smart_commune"]) == ("54.50", "TB", True)
    assert criteria(obj)["2.3"] == ("not_applicable", "10.00", None)
    assert obj["outcome_certain"] is False
    assert obj["next_level"]["code"] == "KHA" and obj["next_level"]["points_short"] == "10.50"
    assert verdict_of(e).endswith(", chưa đủ dữ liệu")


def test_dti_table_shows_points_and_levels_in_the_set_s_words():
    out = io.StringIO()
    write_table(evaluations("chuyen-doi-so-cap-xa-2026").values(), out)
    text = out.getvalue()
    assert "84,67/100,00 (cần 50,00)" in text and "Mức Tốt" in text  # Vietnamese words: decimal comma
    assert "(2,00/10,00 điểm)" in text  # the shortfall too
    assert "2 đạt chuẩn chuyển đổi số cấp xã." in text
    assert "xã thông minh" not in text


# -- the model new-rural commune: precondition, > 100 %, a count, mandatory + k --------------


def test_ntm_model_commune_recognised_at_exactly_110_percent():
    e = evaluations("ntm-kieu-mau-2021-2025")["42001"]
    obj = evaluation_dict(e)
    assert criteria(obj)["TN.1"] == ("met", None, 0)  # 66000 / 60000 = 110 % exactly
    assert next(c for f in obj["fields"] for c in f["criteria"] if c["code"] == "TN.1")["ratio"] == "110.00"
    assert criteria(obj)["TTM.1"] == ("met", None, 0)
    assert obj["smart_commune"] and obj["eligible"] and not obj["complete"]
    assert obj["outcome_certain"] is True  # both mandatory fields and one outstanding field: decided
    assert obj["preconditions"] == [{"code": "TQ", "status": "met", "ratio": None, "threshold": None, "gap": None,
                                     "points": None}]
    assert verdict_of(e) == "Đạt xã nông thôn mới kiểu mẫu"
    assert shortfall(e) == "—"


def test_ntm_precondition_failed_is_not_eligible_whatever_else():
    e = evaluations("ntm-kieu-mau-2021-2025")["42002"]
    assert e.fields_met == 4 and not e.eligible and not e.smart_commune and e.outcome_certain
    assert verdict_of(e) == "Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ)"
    assert shortfall(e) == "chưa đạt TQ"


def test_ntm_just_under_110_percent_rounds_to_110_00_but_is_not_met():
    e = evaluations("ntm-kieu-mau-2021-2025")["42003"]
    obj = evaluation_dict(e)
    tn = next(c for f in obj["fields"] for c in f["criteria"] if c["code"] == "TN.1")
    assert (tn["status"], tn["ratio"], tn["gap"]) == ("not_met", "110.00", 1)  # 65999/60000 = 109.998 %
    assert e.fields_short == 3 and not e.smart_commune
    assert e.outcome_certain  # a mandatory field is not met with its values reported
    assert verdict_of(e) == "Chưa đạt (thiếu 3 lĩnh vực)"


def test_ntm_missing_precondition_keeps_the_outcome_open():
    e = evaluations("ntm-kieu-mau-2021-2025")["42004"]
    assert not e.eligible and not e.smart_commune and not e.outcome_certain
    assert verdict_of(e) == "Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ), chưa đủ dữ liệu"
    assert shortfall(e) == "thiếu dữ liệu TQ"


@pytest.mark.parametrize("code", ["chuyen-doi-so-cap-xa-2026", "ntm-kieu-mau-2021-2025"])
def test_example_files_round_trip_through_the_writer(code):
    s = get_criteria_set(code)
    rows = read_long_csv(EXAMPLES / f"{code}.csv", s)
    out = io.StringIO()
    write_long_csv(rows, s, out)
    back = read_long_csv(out.getvalue().encode("utf-8"), s)
    assert [(u.unit_code, u.year, {k: tuple(v) for k, v in u.inputs.items() if any(x is not None for x in v)})
            for u in back] == [(u.unit_code, u.year, {k: tuple(v) for k, v in u.inputs.items()}) for u in rows]


def test_csv_writer_adds_the_new_columns_after_today_s():
    import csv

    from smartcommune.exchange.results import CSV_COLUMNS, write_csv

    out = io.StringIO()
    write_csv(evaluations("ntm-kieu-mau-2021-2025").values(), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    first = rows[0]  # the precondition's row comes first, outside any field
    assert (first["unit_code"], first["criterion"], first["field"], first["status"]) == ("42001", "TQ", "", "met")
    assert (first["eligible"], first["outcome_certain"], first["smart_commune"]) == ("true", "true", "true")
    out = io.StringIO()
    write_csv([evaluations("chuyen-doi-so-cap-xa-2026")["30001"]], out)
    row = next(r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["criterion"] == "2.1")
    assert (row["criterion_points"], row["field_points"], row["field_points_max"], row["points"], row["points_max"],
            row["level"]) == ("6.67", "31.67", "40.00", "84.67", "100.00", "TOT")


def test_gap_and_next_level_texts_of_the_new_conditions():
    from smartcommune.criteria.wording import gap_text, next_level_text

    e = evaluations("chuyen-doi-so-cap-xa-2026")["30002"]
    by_code = {r.criterion.code: r for r in e.criteria()}
    assert gap_text(by_code["2.3"]) == "còn vượt 7 hồ sơ giải quyết trễ hạn"  # 12 late, 5 allowed
    assert gap_text(by_code["1.2"]) == "còn thiếu 3: Số cuộc họp của Ban chỉ đạo chuyển đổi số trong năm"
    assert gap_text(by_code["3.3"]).startswith("thiếu số liệu: ")
    assert next_level_text(e) == "Mức Trung bình: thiếu 33,75 điểm"
    assert next_level_text(evaluations("chuyen-doi-so-cap-xa-2026")["30001"]) == ""
    english = {"thiếu %(points)s điểm": "%(points)s points short"}
    assert next_level_text(e, _=lambda t: english.get(t, t), decimal=".") == "Mức Trung bình: 33.75 points short"


def test_criteria_show_writes_points_with_the_decimal_comma():
    """``criteria show`` and the set's page speak Vietnamese: "50,00", not the exchange's "50.00"."""
    from smartcommune.criteria.describe import describe_set
    from smartcommune.criteria.registry import get_criteria_set

    s = get_criteria_set("chuyen-doi-so-cap-xa-2026")
    text = describe_set(s)
    assert "Tổng điểm tối đa: 100,00" in text
    # The rule in the words of the pages (criteria.wording.pass_rule_text), not a second wording.
    assert "khi có tổng điểm từ 50,00 trở lên" in text
    assert "(chu-tich): 10,00 điểm," in text and "(pho-chu-tich): 5,00 điểm" in text
    assert not re.search(r"\d\.\d\d điểm|từ \d+\.\d\d|tối đa \d+\.\d\d", text)
