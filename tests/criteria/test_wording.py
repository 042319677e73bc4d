"""The verdict and gap wording (smartcommune/criteria/wording.py): the texts the README
shows, the same from every channel that says them."""

from __future__ import annotations

import io

import pytest

from smartcommune.criteria import wording
from smartcommune.criteria.engine import CriterionInput, evaluate
from smartcommune.criteria.loader import parse_criteria_set
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.exchange.results import write_table
from tests.criteria.builders import criteria_set_dict, criterion, group, ratio

S = get_criteria_set()


def ev(inputs: dict):
    return evaluate(S, {k: CriterionInput(*v) for k, v in inputs.items()}, unit_code="28756", year=2024)


def everything():
    return {c.code: ((10, 10) if c.ratio else (None, None)) + ((True,) if c.boolean else (None,)) for c in S.criteria}


def test_verdict_forms():
    assert wording.verdict(True) == wording.verdict(True, 0) == "Đạt xã thông minh"
    assert wording.verdict(False, 2) == "Chưa đạt (thiếu 2 lĩnh vực)"
    assert wording.verdict(False) == "Chưa đạt"  # a table cell beside the fields met
    assert wording.verdict(False, 7, complete=False) == "Chưa đạt (thiếu 7 lĩnh vực), chưa đủ dữ liệu"
    assert wording.verdict(True, complete=False) == "Đạt xã thông minh, chưa đủ dữ liệu"


def test_a_translation_is_applied_to_the_message_id_before_the_numbers():
    english = {"Chưa đạt (thiếu %(n)d lĩnh vực)": "Not met (fields short: %(n)d)", "còn thiếu %(n)s": "%(n)s short",
               "Đạt xã thông minh": "Smart commune"}
    seen = []

    def translate(text):
        seen.append(text)
        return english.get(text, text)

    assert wording.verdict(False, 2, _=translate) == "Not met (fields short: 2)"
    assert wording.verdict(True, _=translate) == "Smart commune"
    assert wording.gap_short(37, _=translate) == "37 short"
    assert sorted(seen) == sorted(english)


def test_gap_short_and_shortfall():
    assert wording.gap_short(37) == "còn thiếu 37"
    assert wording.gap_short(0) == wording.gap_short(None) == ""
    # A count that must stay at or under its threshold ("late dossiers ≤ 5") is over, not short.
    assert wording.gap_short(4, upward=False) == "còn vượt 4"
    inputs = everything()
    inputs["1.2"] = (863, 1000, None)
    del inputs["1.1"]
    for code in ("2.1", "3.4", "4"):  # three fields fail: 1 is needed for recognition
        inputs[code] = (0, 10, None) if code == "4" else (None, None, False)
    e = ev(inputs)
    assert wording.shortfall(e) == "chưa đạt 1.2 (thiếu 37), 2.1, 3.4, 4 (thiếu 10); thiếu dữ liệu 1.1"
    assert wording.shortfall(ev(everything())) == "—"
    # Recognised with field 1 short: nothing could change the outcome, nothing to list.
    recognised = ev({**everything(), "1.2": (863, 1000, None)})
    assert recognised.smart_commune and wording.shortfall(recognised) == "—"
    gap = next(c for c in e.criteria() if c.criterion.code == "1.2")
    assert wording.gap_text(gap) == "còn thiếu 37 hộ gia đình có thiết bị thông minh"


def test_the_command_line_table_says_the_verdict_and_shortfall_of_the_module():
    e = ev({"1.2": (863, 1000, None)})
    out = io.StringIO()
    write_table([e], out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("28756"))
    assert wording.verdict(False, e.fields_short, complete=False) in line
    assert line.endswith(wording.shortfall(e))
    assert "0/10 (cần 7)  Chưa đạt (thiếu 7 lĩnh vực), chưa đủ dữ liệu  chưa đạt 1.2 (thiếu 37); thiếu dữ liệu 1.1, " in line  # README


def test_a_pass_rule_has_one_wording_at_every_level():
    from decimal import Decimal

    from smartcommune.criteria.model import PassRule

    assert wording.pass_rule_text(PassRule(), 3, wording.CRITERIA) == "đạt cả 3 tiêu chí"
    assert wording.pass_rule_text(PassRule(at_least=2), 3, wording.CONDITIONS) == "đạt ít nhất 2/3 điều kiện"
    assert (wording.pass_rule_text(PassRule(at_least=1, mandatory=("1.1", "1.2")), 5, wording.CRITERIA)
            == "đạt các tiêu chí bắt buộc 1.1, 1.2 và ít nhất 1/3 tiêu chí còn lại")
    points = PassRule(points_at_least=Decimal("12.5"))
    assert wording.pass_rule_text(points, 4, wording.CRITERIA) == "có tổng điểm từ 12,50 trở lên"
    assert wording.pass_rule_text(points, 4, decimal=".") == "có tổng điểm từ 12.50 trở lên"
    # The set's rule is the same words over its fields (with nothing after it for Bến Tre).
    assert wording.rule_text(S) == wording.pass_rule_text(S.pass_rule, len(S.groups)) == "đạt ít nhất 7/10 lĩnh vực"
    english = {"đạt ít nhất %(n)d/%(total)d tiêu chí": "meets at least %(n)d of %(total)d criteria"}
    assert (wording.pass_rule_text(PassRule(at_least=2), 3, wording.CRITERIA, _=lambda t: english.get(t, t))
            == "meets at least 2 of 3 criteria")
    with pytest.raises(ValueError):
        wording.pass_rule_text(PassRule(), 3, "thôn")


def test_ineligible_is_said_once_for_the_verdict_and_the_table_cell():
    ntm = get_criteria_set("ntm-kieu-mau-2021-2025")
    e = evaluate(ntm, {}, unit_code="28756", year=2024)
    assert not e.eligible
    codes = ", ".join(p.code for p in ntm.preconditions)
    text = f"Không đủ điều kiện (chưa đạt điều kiện tiên quyết: {codes})"
    assert wording.ineligible_text(e) == text
    assert wording.verdict_of(e).startswith(text)


def test_a_label_inside_a_sentence_keeps_its_names_and_abbreviations():
    condition = {**ratio(), "numerator": "Văn bản do Chủ tịch UBND xã ký số", "denominator": "Văn bản ban hành"}
    document = criteria_set_dict(group("1", criterion("1.1", condition)))
    criteria_set = parse_criteria_set(document)
    missing = evaluate(criteria_set, {}, unit_code="1", year=2024).criteria()[0]
    assert wording.gap_text(missing) == "thiếu số liệu: văn bản do Chủ tịch UBND xã ký số"
    short = evaluate(criteria_set, {"1.1": CriterionInput(1, 4)}, unit_code="1", year=2024).criteria()[0]
    assert wording.gap_text(short) == "còn thiếu 3 văn bản do Chủ tịch UBND xã ký số"
