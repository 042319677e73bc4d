"""Field 3 computed from records: the register and the desk fill the assessment's values
of 3.1–3.4 through the rounds' one feeding path (:func:`~smartcommune.rounds.actions.do_feed_values`,
docs/value-feeds.md), with the source "Sổ công khai trong hệ thống"; while they do, nobody
types over them.

* 3.1–3.3 (one per kind of :mod:`~smartcommune.disclosure.config`): the ratio is the
  year's items of the kind out on the three required channels over all items of the kind
  in the year; the boolean is the feedback condition read as configured
  (:func:`~smartcommune.disclosure.selectors.feedback_met`).
* 3.4: once the year is over, the yearly feedback report is produced (PDF), attached to
  3.4 as evidence, and 3.4 is met — the year's feedback has been assessed electronically.
  Before the year ends 3.4 is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from smartcommune.disclosure import config, report, selectors
from smartcommune.rounds.actions import do_add_evidence, do_feed_values, do_release_feed
from smartcommune.rounds.exceptions import NotAllowed
from smartcommune.rounds.models import Assessment, EvidenceKind


@dataclass(frozen=True, slots=True)
class Fed:
    values: dict[str, dict]
    """``{criterion: {"numerator", "denominator", "met"}}`` as written."""
    report: bool
    """Whether the yearly report was produced and 3.4 fed."""


def fed_criteria(assessment: Assessment) -> list[str]:
    """The criteria of ``assessment``'s set the register can feed (none: the set has no
    computed field 3)."""
    code = assessment.round.criteria_set_code
    codes = [k.criterion for k in config.kinds(code)]
    report_code = config.report_criterion(code)
    return codes + ([report_code] if report_code else [])


def do_feed_register(*, actor, assessment: Assessment, today: date | None = None, now=None) -> Fed:
    """Write the computed 3.1–3.4 into ``assessment`` (see the module's docstring): all or
    nothing.  Who and when are :func:`do_feed_values`'s rules."""
    today = today or timezone.localdate()
    set_code, unit, year = assessment.round.criteria_set_code, assessment.unit, assessment.round.year
    if not fed_criteria(assessment):
        raise NotAllowed(f"Bộ tiêu chí {set_code} không có tiêu chí tính từ sổ công khai",
                         f"the criteria set {set_code} has no criterion computed from the register")
    values = selectors.computed_values([unit.pk], year, set_code, today)[unit.pk]
    report_code = config.report_criterion(set_code)
    with_report = report_code is not None and today > date(year, 12, 31)
    with transaction.atomic():
        for code, given in values.items():
            do_feed_values(actor=actor, assessment=assessment, criterion_code=code, feeder=config.FEEDER,
                           source=config.SOURCE, now=now, **given)
        if with_report:
            pdf = report.feedback_report_pdf(unit, year, today=today)
            do_add_evidence(actor=actor, assessment=assessment, criterion_code=report_code, kind=EvidenceKind.FILE,
                            file=ContentFile(pdf, name=report.report_filename(unit, year)), feeder=config.FEEDER,
                            note=f"Báo cáo đánh giá phản hồi của người dân năm {year}, lập từ hệ thống ngày "
                                 f"{today:%d/%m/%Y}", now=now)
            do_feed_values(actor=actor, assessment=assessment, criterion_code=report_code, feeder=config.FEEDER,
                           source=config.SOURCE, met=True, now=now)
    return Fed(values, with_report)


def do_release_register(*, actor, assessment: Assessment, now=None) -> None:
    """Stop feeding: the values stay and the commune may edit them by hand again."""
    with transaction.atomic():
        for code in fed_criteria(assessment):
            do_release_feed(actor=actor, assessment=assessment, criterion_code=code, feeder=config.FEEDER, now=now)
