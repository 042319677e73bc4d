"""The verdict and gap wording of :mod:`smartcommune.criteria.wording` in templates, in the
active language: ``{% load wording %}``, ``{% verdict smart fields_short %}``,
``{% verdict_of evaluation %}`` (in the set's own words, with eligibility and level),
``{% next_level evaluation %}``, ``{% gap_short gap %}``."""

from __future__ import annotations

import dataclasses

from django import template
from django.utils.formats import get_format
from django.utils.translation import gettext

from smartcommune.criteria import wording

register = template.Library()


@register.simple_tag
def verdict(smart_commune: bool, fields_short: int | None = None) -> str:
    """"Đạt xã thông minh" or "Chưa đạt (thiếu 2 lĩnh vực)" (see :func:`~smartcommune.criteria.wording.verdict`)."""
    return wording.verdict(smart_commune, fields_short, _=gettext)


@register.simple_tag
def gap_short(gap: int | None, upward: bool = True) -> str:
    """"còn thiếu 37" ("còn vượt 4" for a threshold not to exceed), or nothing when nothing
    is lacking."""
    return wording.gap_short(gap, upward=upward, _=gettext)


@register.simple_tag
def verdict_of(evaluation) -> str:
    """The verdict in the set's words (:func:`~smartcommune.criteria.wording.verdict_of`),
    without its "chưa đủ dữ liệu" tail: the pages say how complete the data is beside it."""
    return wording.verdict_of(dataclasses.replace(evaluation, complete=True), _=gettext,
                              decimal=get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def next_level(evaluation) -> str:
    """What the next level still needs, or nothing (:func:`~smartcommune.criteria.wording.next_level_text`)."""
    return wording.next_level_text(evaluation, _=gettext, decimal=get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def rule_text(criteria_set) -> str:
    """What recognition asks, after "Xã được công nhận khi" ("đạt ít nhất 7/10 lĩnh vực",
    "có tổng điểm từ 50,00 trở lên"), in the active language (:func:`~smartcommune.criteria.wording.rule_text`)."""
    return wording.rule_text(criteria_set, _=gettext, decimal=get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def rule_short(criteria_set) -> str:
    """The rule in a few words, after "xã" ("đạt từ 7 lĩnh vực", "đạt từ 50,00 điểm")."""
    return wording.rule_short(criteria_set, _=gettext, decimal=get_format("DECIMAL_SEPARATOR"))
