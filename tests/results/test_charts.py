"""One chart module for the web and the PDF: the scorecard's trend is the same drawing, in
the same colours, on the page and in the printed scorecard."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from smartcommune.results import charts
from smartcommune.results.selectors import scorecard as selectors
from smartcommune.results.exports import reports
from tests.results.test_views import get, scorecard_url, text


def point(year, met, required=7):
    return SimpleNamespace(year=year, fields_met=met, fields_required=required)


def fills(svg) -> list[str]:
    return re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', str(svg))


def test_trend_bars_are_coloured_against_each_years_requirement():
    trend = [point(2022, 7), point(2023, 6), point(2024, 3, required=8)]
    svg = charts.trend_chart(trend, fields_required=8)
    assert fills(svg) == [charts.GREEN, charts.AMBER, charts.RED]
    assert "cần 8" in svg and "Số lĩnh vực đạt qua các năm" in svg
    # The PDF shows every year of the period; a year without a result has no bar and no
    # figure that reads as 0, only a dash above its year.
    period = charts.trend_chart(trend, fields_required=8, years=range(2021, 2026))
    assert fills(period) == [charts.GREEN, charts.AMBER, charts.RED]
    assert values(period) == ["—", "7", "6", "3", "—"]


def test_a_trend_in_points_draws_no_bar_for_a_year_without_a_result():
    trend = [SimpleNamespace(year=2026, points=Decimal("77.63"), smart=True)]
    svg = charts.trend_chart(trend, fields_required=0, years=range(2026, 2031), points_required=Decimal(50))
    assert fills(svg) == [charts.GREEN]
    assert values(svg) == ["78", "—", "—", "—", "—"]


def values(svg) -> list[str]:
    """The figures drawn above the bars (bold), in order."""
    return re.findall(r'font-weight="bold"[^>]*>([^<]*)</text>', str(svg))[1:]  # the title first


@pytest.mark.django_db
def test_the_web_scorecard_and_the_pdf_draw_the_trend_with_the_one_module(client, results_world, monkeypatch):
    w = results_world.world
    page = text(get(client, None, scorecard_url(w.a)))
    card = selectors.commune_scorecard(viewer=AnonymousUser(), unit=w.a, year=2024)
    web = charts.trend_chart(card.trend, fields_required=card.evaluation.fields_required)
    assert str(web) in page
    drawn = []
    monkeypatch.setattr(reports, "render_pdf", lambda template, context: drawn.append(context) or b"")
    reports.scorecard_pdf(card)
    pdf = str(drawn[0]["trend_chart"])
    assert set(fills(web)) <= set(fills(pdf)) <= {charts.GREEN, charts.AMBER, charts.RED, charts.GREY}
