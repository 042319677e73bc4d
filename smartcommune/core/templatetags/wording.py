"""The wording of :mod:`smartcommune.core.wording` in templates: ``{% load wording %}``,
``{% verdict_of evaluation %}`` (in the set's own words, with eligibility and level),
``{% outcome_text evaluation %}`` (a table cell's verdict), ``{% next_level evaluation %}``,
``{% gap_short gap upward %}``, ``{% rule_text set %}``, ``{% rule_short set %}``,
``{% finding_text finding %}`` (a criteria file's error or warning).  Registrations only: the texts are written there."""

from __future__ import annotations

from django import template

from smartcommune.core import wording

register = template.Library()

register.simple_tag(wording.verdict_of)
register.simple_tag(wording.short_verdict, name="outcome_text")
register.simple_tag(wording.next_level_text, name="next_level")
register.simple_tag(wording.gap_short)
register.simple_tag(wording.rule_text)
register.simple_tag(wording.rule_short)
register.simple_tag(wording.finding_text)
