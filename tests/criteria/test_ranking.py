"""Ranking results within an area, ties shown; and the set's words, never hard-coded ones."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smartcommune.criteria.engine import CriterionInput, evaluate
from smartcommune.criteria.ranking import rank, rank_key, rank_within
from smartcommune.criteria.registry import get_criteria_set

DTI = get_criteria_set("chuyen-doi-so-cap-xa-2026")
ROOT = Path(__file__).resolve().parents[2] / "smartcommune"


def dti(unit: str, meetings: int, wifi: int):
    return evaluate(DTI, {"1.1": CriterionInput(choice="chu-tich"), "1.2": CriterionInput(count=meetings),
                          "2.1": CriterionInput(1, 1), "2.2": CriterionInput(80, 100), "2.3": CriterionInput(0, 10),
                          "3.1": CriterionInput(count=wifi)}, unit_code=unit, year=2026)


def test_ties_share_a_rank_and_the_next_rank_skips():
    results = [dti("30004", 1, 0), dti("30001", 4, 5), dti("30003", 4, 5), dti("30002", 2, 0)]
    ranked = rank(results)
    assert [(r.rank, r.tied, r.evaluation.unit_code) for r in ranked] == [
        (1, True, "30001"), (1, True, "30003"), (3, False, "30002"), (4, False, "30004")]


def test_rank_within_each_area():
    results = [dti("30001", 4, 5), dti("30002", 2, 0), dti("40001", 1, 0)]
    by_area = rank_within(results, lambda e: e.unit_code[:1])
    assert {k: [r.evaluation.unit_code for r in v] for k, v in by_area.items()} == {"3": ["30001", "30002"], "4": ["40001"]}
    assert by_area["4"][0].rank == 1 and not by_area["4"][0].tied


@settings(max_examples=40, deadline=None, database=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 6)), min_size=1, max_size=8))
def test_a_rank_is_one_plus_the_number_of_strictly_better_results(params):
    results = [dti(f"3{i:04d}", m, w) for i, (m, w) in enumerate(params)]
    for r in rank(results):
        better = sum(1 for e in results if rank_key(e) > rank_key(r.evaluation))
        equal = sum(1 for e in results if rank_key(e) == rank_key(r.evaluation))
        assert r.rank == better + 1 and r.tied == (equal > 1)


def test_no_core_output_names_what_a_set_recognises():
    """What a set recognises comes from the set (recognition_name), never from the code."""
    owned = [*(ROOT / "criteria").glob("*.py"), *(ROOT / "exchange").glob("*.py")]
    for path in owned:
        text = path.read_text(encoding="utf-8")
        code = re.sub(r'""".*?"""', "", text, flags=re.S)  # docstrings may give examples
        code = "\n".join(line.split("#")[0] for line in code.splitlines())
        assert "xã thông minh" not in code.lower(), path
