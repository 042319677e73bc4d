"""What the results pages share: the not-found answer, the province and its round, the
district of a commune, averages, and the decided statuses.  See :mod:`smartcommune.results.selectors`."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from fractions import Fraction

from django.http import Http404
from django.utils.translation import gettext as _

from smartcommune.criteria.model import points_text
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.models import Round
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Level, Unit

# Statuses at which the decision is recorded: ``decision_recognised`` is the outcome.
DECIDED = (Workflow.RECOGNISED, Workflow.NOT_RECOGNISED, Workflow.PUBLISHED)


def fold(text: str) -> str:
    """``text`` without its Vietnamese marks, đ as d, case folded and spaces collapsed: a
    key that sorts names in dictionary order closely enough for a table, and matches what a
    person types without accents ("tan thach" and "Tân Thạch" fold alike), the same on
    every database."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return " ".join(unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().casefold().split())


def average(total: int, count: int) -> Decimal:
    """``total / count`` to one decimal place (half-even), 0 when there is nothing to count."""
    return (Decimal(total) / count).quantize(Decimal("0.1")) if count else Decimal(0)


def average_points(total, count: int) -> Decimal:
    """``total / count`` points to two decimal places, rounded half up from the exact
    quotient as every point figure is (:func:`~smartcommune.criteria.model.points_text`);
    0 when there is nothing to count.  A Decimal: a page writes it in its language's way."""
    return Decimal(points_text(Fraction(total) / count)) if count else Decimal(0)


class ResultsNotFound(Http404):
    """No round for that province and year, or nothing of it the viewer may see.

    An ``Http404``: a view that lets it propagate answers 404, as for anything the viewer
    may not see.
    """


def district_of(unit: Unit) -> Unit | None:
    """The commune's district, or None where there is no district level."""
    return unit.district


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

