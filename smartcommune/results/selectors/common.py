"""What the results pages share: the not-found answer, the province and its round, the
district of a commune, averages, and the decided statuses.  See :mod:`smartcommune.results.selectors`."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from smartcommune.criteria.engine import CriterionResult, Status
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.models import Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Level, Unit

# Statuses at which the decision is recorded: ``decision_recognised`` is the outcome.
DECIDED = (Workflow.RECOGNISED, Workflow.NOT_RECOGNISED, Workflow.PUBLISHED)


def average(total: int, count: int) -> Decimal:
    """``total / count`` to one decimal place (half-even), 0 when there is nothing to count."""
    return (Decimal(total) / count).quantize(Decimal("0.1")) if count else Decimal(0)


class ResultsNotFound(Http404):
    """No round for that province and year, or nothing of it the viewer may see.

    An ``Http404``: a view that lets it propagate answers 404, as for anything the viewer
    may not see.
    """


# -- gap text -----------------------------------------------------------------------------


def _counted_noun(numerator_label: str) -> str:
    """"Số hộ gia đình có thiết bị thông minh" → "hộ gia đình có thiết bị thông minh"."""
    label = numerator_label.strip()
    for prefix in ("Số lượng ", "Số "):
        if label.startswith(prefix):
            return label[len(prefix):]
    return label[:1].lower() + label[1:]


def gap_text(result: CriterionResult) -> str:
    """What a criterion lacks, in words: ``"còn thiếu 37 hộ gia đình có thiết bị thông minh"``
    for a ratio short of its threshold (built from the criterion's numerator label), the
    pass/fail condition for an unmet "Đạt", "thiếu dữ liệu" when not reported; empty when
    met or not applicable."""
    if result.status in (Status.MET, Status.NOT_APPLICABLE):
        return ""
    criterion = result.criterion
    parts = []
    ratio = criterion.ratio
    if ratio is not None:
        if result.gap:
            what = _counted_noun(ratio.numerator_label)
            parts.append(_("còn thiếu %(n)s %(what)s") % {"n": result.gap, "what": what})
        elif result.input.numerator is None or result.input.denominator is None:
            parts.append(_("thiếu số liệu: %(what)s") % {"what": ratio.numerator_label.lower()})
    boolean = criterion.boolean
    if boolean is not None:
        if result.input.met is None:
            parts.append(_("chưa báo cáo: %(what)s") % {"what": boolean.label})
        elif result.input.met is False:
            parts.append(_("chưa đạt: %(what)s") % {"what": boolean.label})
    return "; ".join(parts) or _("chưa đạt chỉ tiêu %(target)s") % {"target": criterion.target}


def district_of(unit: Unit) -> Unit | None:
    """The commune's district, or None where there is no district level."""
    parent = unit.parent
    return parent if parent is not None and parent.level == Level.DISTRICT else None


def find_province(*, code: str, year: int) -> Unit:
    """The province with GSO ``code`` that has a round in ``year``.  Codes are reused across
    reforms (a unit is its level, code and validity start), so the year picks the row.
    Raises :class:`ResultsNotFound`."""
    province = (
        Unit.objects.filter(level=Level.PROVINCE, code=code, rounds__year=year).order_by("-valid_from").first()
    )
    if province is None:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của tỉnh mã %(code)s.") % {
            "year": year, "code": code})
    return province


def find_round(*, province: Unit, year: int, criteria_set_code: str | None = None) -> Round:
    """The province's round of ``year`` (of ``criteria_set_code`` when given; else the first
    by set code).  Raises :class:`ResultsNotFound`."""
    rounds = Round.objects.filter(province=province, year=year)
    if criteria_set_code:
        rounds = rounds.filter(criteria_set_code=criteria_set_code)
    round_ = rounds.select_related("province").order_by("criteria_set_code").first()
    if round_ is None:
        raise ResultsNotFound(_("Không có kết quả đánh giá năm %(year)s của %(province)s.") % {
            "year": year, "province": province.name})
    return round_


def is_synthetic(round_: Round) -> bool:
    return SyntheticRound.objects.filter(round_id=round_.pk).exists()

