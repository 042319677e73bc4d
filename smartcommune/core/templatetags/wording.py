"""The verdict and gap wording of :mod:`smartcommune.criteria.wording` in templates, in the
active language: ``{% load wording %}``, ``{% verdict smart fields_short %}``,
``{% gap_short gap %}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from smartcommune.criteria import wording

register = template.Library()


@register.simple_tag
def verdict(smart_commune: bool, fields_short: int | None = None) -> str:
    """"Đạt xã thông minh" or "Chưa đạt (thiếu 2 lĩnh vực)" (see :func:`~smartcommune.criteria.wording.verdict`)."""
    return wording.verdict(smart_commune, fields_short, _=gettext)


@register.simple_tag
def gap_short(gap: int | None) -> str:
    """"còn thiếu 37", or nothing when nothing is lacking."""
    return wording.gap_short(gap, _=gettext)
