"""The wording of results and rules (:mod:`smartcommune.criteria.wording`) in the active
language: Django's ``gettext`` for the words, the language's decimal separator for points
("còn thiếu 2,37 điểm" in Vietnamese, "2.37 points short" in English).

The one Django-side owner of these texts: the template tags (``{% load wording %}``,
:mod:`smartcommune.core.templatetags.wording`), the results pages, the exports and the
documents say a verdict, a rule, a gap or points through it and nowhere else.  It sits in
core, below rounds and results, and reads only the pure core.
"""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.translation import gettext

from smartcommune.core.language import english

from smartcommune.criteria import wording
from smartcommune.criteria.engine import CriterionResult, Evaluation
from smartcommune.criteria.model import CriteriaSet, PassRule, points_text
from smartcommune.criteria.wording import FIELDS


def finding_text(finding) -> str:
    """A criteria file's error or warning (:class:`smartcommune.criteria.check.Finding`) in
    the active language, after its place: "dòng 120, tiêu chí 4.1: …" ("line 120,
    criterion 4.1: …")."""
    place, text = (finding.place_en, finding.en) if english() else (finding.place_vi, finding.vi)
    return f"{place}: {text}" if place else text


def decimal() -> str:
    """The active language's decimal separator (``","`` in Vietnamese, ``"."`` in English)."""
    return get_format("DECIMAL_SEPARATOR")


def points(value) -> str:
    """Points in words in the active language, two places: ``"26,67"`` (``"26.67"`` in
    English)."""
    return points_text(value, decimal())


def verdict(smart_commune: bool, fields_short: int | None = None, *, criteria_set: CriteriaSet | None = None) -> str:
    """"Đạt xã thông minh", "Chưa đạt (thiếu 2 lĩnh vực)" or, without ``fields_short``,
    "Chưa đạt", in the words of ``criteria_set`` (the default set's when None)
    (:func:`smartcommune.criteria.wording.verdict`)."""
    name = None if criteria_set is None else criteria_set.recognition_name
    return wording.verdict(smart_commune, fields_short, _=gettext, name=name)


def verdict_of(evaluation: Evaluation) -> str:
    """The verdict in the set's words with what is short, eligibility and level
    (:func:`smartcommune.criteria.wording.verdict_of`), without its "chưa đủ dữ liệu" tail:
    the pages and documents say how complete the data is beside it."""
    return wording.verdict_of(evaluation._replace(complete=True), _=gettext, decimal=decimal())


def eligibility_text(evaluation: Evaluation) -> str:
    """Empty when eligible; else ``"Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ1)"``
    (:func:`smartcommune.criteria.wording.ineligible_text`)."""
    return "" if evaluation.eligible else wording.ineligible_text(evaluation, _=gettext)


def short_verdict(evaluation: Evaluation) -> str:
    """The verdict of a table cell in the set's words: "Đạt xã thông minh", "Chưa đạt",
    "Không đủ điều kiện (…)", with " — Mức Khá" when a level is reached; for a set without
    preconditions or levels exactly :func:`verdict` of ``smart_commune``."""
    if not evaluation.eligible:
        return eligibility_text(evaluation)
    text = verdict(evaluation.smart_commune, criteria_set=evaluation.criteria_set)
    return text if evaluation.level is None else f"{text} — {evaluation.level.name}"


def next_level_text(evaluation: Evaluation) -> str:
    """What the next level still needs (``"Mức Khá: thiếu 12,50 điểm"``), or empty
    (:func:`smartcommune.criteria.wording.next_level_text`)."""
    return wording.next_level_text(evaluation, _=gettext, decimal=decimal())


def pass_rule_text(rule: PassRule, total: int, parts: str = FIELDS) -> str:
    """What ``rule`` asks of ``total`` parts: "đạt ít nhất 2/3 tiêu chí", "có tổng điểm từ
    50,00 trở lên" (:func:`smartcommune.criteria.wording.pass_rule_text`)."""
    return wording.pass_rule_text(rule, total, parts, _=gettext, decimal=decimal())


def rule_text(criteria_set: CriteriaSet) -> str:
    """What recognition asks, after "Xã được công nhận khi" ("đạt ít nhất 7/10 lĩnh vực",
    "có tổng điểm từ 50,00 trở lên") (:func:`smartcommune.criteria.wording.rule_text`)."""
    return wording.rule_text(criteria_set, _=gettext, decimal=decimal())


def rule_short(criteria_set: CriteriaSet) -> str:
    """The rule in a few words, after "xã" ("đạt từ 7 lĩnh vực", "đạt từ 50,00 điểm")
    (:func:`smartcommune.criteria.wording.rule_short`)."""
    return wording.rule_short(criteria_set, _=gettext, decimal=decimal())


def gap_short(gap: int | None, upward: bool = True) -> str:
    """"còn thiếu 37" ("còn vượt 4" for a threshold not to exceed), or nothing when nothing
    is lacking (:func:`smartcommune.criteria.wording.gap_short`)."""
    return wording.gap_short(gap, upward=upward, _=gettext)


def gap_text(result: CriterionResult) -> str:
    """What a criterion lacks in full: "còn thiếu 37 hộ gia đình có thiết bị thông minh"
    (:func:`smartcommune.criteria.wording.gap_text`)."""
    return wording.gap_text(result, _=gettext)


def lack_text(result: CriterionResult) -> str:
    """:func:`gap_text` with the points a criterion scores short of its most
    (:func:`smartcommune.criteria.wording.lack_text`)."""
    return wording.lack_text(result, _=gettext, decimal=decimal())
