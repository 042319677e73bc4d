"""Every results page and export states the set's own recognition rule and shows the figure
that decides it (issue 10): for a set that recognises by points (the commune
digital-transformation index of the Vĩnh Long 2026 demo, ``pass_rule = {points_at_least =
50}``) the points bar and the average points, never "đạt ít nhất 0/3 lĩnh vực"; for the
model new-rural set its mandatory fields and precondition; Bến Tre reads as before.  In
Vietnamese (decimal comma) and English."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from pypdf import PdfReader
from django.conf import settings
from django.urls import reverse

from smartcommune.criteria import wording
from smartcommune.criteria.model import points_text
from smartcommune.criteria.registry import get_criteria_set
from smartcommune.rounds.evaluation import evaluate_assessment
from tests.results.test_outcome_and_ranking import DTI, DTI_STRONG, NTM, _comma, _dti_round, ntm  # noqa: F401

pytestmark = [pytest.mark.django_db]

# A poor commune of the index: no lead, no meeting, nothing online, far below the bar.
DTI_POOR = {**DTI_STRONG, "1.1": {"choice": "chua-co"}, "1.2": {"count": 0},
            "2.1": {"numerator": 0, "denominator": 1}, "2.2": {"numerator": 0, "denominator": 100},
            "3.1": {"count": 0}, "3.2": {"met": False}, "3.3": {"numerator": 0, "denominator": 10}}


@pytest.fixture
def dti(world):
    """Vĩnh Long 2026 under the index: X recognised, Y far below the bar; both published."""
    r = _dti_round(world, DTI_POOR)
    assert evaluate_assessment(r.x).smart_commune and not evaluate_assessment(r.y).smart_commune
    return r


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _average(*assessments) -> str:
    """The average points of ``assessments``, computed here from their evaluations."""
    total = sum((evaluate_assessment(a).points for a in assessments), Fraction(0))
    return points_text(total / len(assessments))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- the rule in words (pure) -----------------------------------------------------------------


def test_the_rule_in_words_for_each_kind_of_set():
    bt, dti, ntm = get_criteria_set("ben-tre-2021-2025"), get_criteria_set(DTI), get_criteria_set(NTM)
    assert wording.rule_text(bt) == "đạt ít nhất 7/10 lĩnh vực"
    assert wording.rule_short(bt) == "đạt từ 7 lĩnh vực" and wording.rule_is_count(bt)
    assert wording.rule_text(dti) == "có tổng điểm từ 50,00 trở lên"
    assert wording.rule_text(dti, decimal=".") == "có tổng điểm từ 50.00 trở lên"
    assert wording.rule_short(dti) == "đạt từ 50,00 điểm" and not wording.rule_is_count(dti)
    others = len(ntm.groups) - 2
    assert wording.rule_text(ntm) == (
        f"đạt các lĩnh vực bắt buộc TN, TTM và ít nhất 1/{others} lĩnh vực còn lại, và đạt điều kiện tiên quyết TQ")
    assert wording.rule_short(ntm) == "đạt lĩnh vực bắt buộc và từ 1 lĩnh vực khác và đủ điều kiện tiên quyết"


# -- pages ----------------------------------------------------------------------------------


def test_the_overview_of_a_set_in_points_states_the_points_bar_and_the_average_points(client, dti):
    page = client.get(reverse("results:overview", args=["86", 2026])).content.decode()
    lead = _text(page.split('<p class="lead">')[1].split("</p>")[0])
    assert "Xã được công nhận khi có tổng điểm từ 50,00 trở lên." in lead
    cards = _text(page.split('class="r-cards"')[1].split("</section>")[0])
    assert "1 xã đạt từ 50,00 điểm" in cards  # Y is far below
    assert f"{_comma(_average(dti.x, dti.y))} điểm bình quân" in cards
    assert "lĩnh vực" not in cards  # nothing counted in fields: they do not decide
    assert "đạt từ 0" not in page and "ít nhất 0" not in page and "(cần 0)" not in page
    header = page.split('<thead>', 3)[-1].split("</thead>")[0]
    assert "Điểm (tối đa 100,00, cần 50,00)" in header

    english = _english(client).get(reverse("results:overview", args=["86", 2026])).content.decode()
    assert "A commune is recognised when it scores 50.00 points or more in total." in _text(english)
    assert f"{_average(dti.x, dti.y)} average points" in _text(english)
    assert "1 communes scoring at least 50.00 points" in _text(english)
    assert "Points (of 100.00, 50.00 required)" in english
    assert "at least 0" not in english and "average fields met" not in english


def test_the_map_of_a_set_in_points_numbers_circles_by_points_and_rings_the_recognised(client, dti, world):
    for commune, lat, lon in ((world.x, "10.25", "105.97"), (world.y, "10.10", "106.10")):
        commune.latitude, commune.longitude = lat, lon
        commune.save(update_fields=["latitude", "longitude"])
    strong, weak = evaluate_assessment(dti.x), evaluate_assessment(dti.y)
    assert strong.smart_commune and not weak.smart_commune
    page = client.get(reverse("results:map", args=["86", 2026])).content.decode()
    svg = page.split("<svg id=\"commune-map\"")[1].split("</svg>")[0]
    marker = svg.split(f'data-unit="{world.x.code}"')[1].split("</a>")[0]
    rounded = round(Fraction(strong.points))  # exact halves do not occur with these values
    assert 'class="smart"' in marker and f'text-anchor="middle">{rounded}</text>' in marker
    weak_marker = svg.split(f'data-unit="{world.y.code}"')[1].split("</a>")[0]
    assert 'class="smart"' not in weak_marker
    assert f'text-anchor="middle">{round(Fraction(weak.points))}</text>' in weak_marker
    hint = _text(page.split('<p class="hint">')[1].split("</p>")[0])
    assert "Số trong vòng tròn: tổng điểm, làm tròn. Viền đậm: xã đạt từ 50,00 điểm." in hint
    legend = page.split('<ul class="legend"')[1].split("</ul>")[0]
    assert 'aria-label="Chú giải: tổng điểm (làm tròn)"' in legend and 'aria-label="100"' in legend
    assert "cho biết tổng điểm (làm tròn)" in page

    english = _text(_english(client).get(reverse("results:map", args=["86", 2026])).content.decode())
    assert "Number in the circle: total points, rounded. Bold outline: communes scoring at least 50.00 points." in english


def test_the_scorecard_of_a_set_in_points_states_the_rule_and_draws_the_trend_in_points(client, dti, world):
    strong = evaluate_assessment(dti.x)
    page = client.get(reverse("results:scorecard", args=[world.x.pk, 2026])).content.decode()
    chart = page.split('<div class="trend-chart">')[1].split("</svg>")[0]
    assert "Tổng điểm qua các năm" in chart and "cần 50,00" in chart and "cần 0" not in chart
    assert f'font-weight="bold" text-anchor="middle" fill="#212121">{round(Fraction(strong.points))}</text>' in chart
    assert '<dd id="rule">Có tổng điểm từ 50,00 trở lên</dd>' in page
    english = _english(client).get(reverse("results:scorecard", args=[world.x.pk, 2026])).content.decode()
    assert "Total points over the years" in english and "50.00 required" in english
    assert '<dt>Recognition rule</dt><dd id="rule">Scores 50.00 points or more in total</dd>' in english


def test_the_national_page_gives_average_points_for_a_round_in_points(client, dti):
    page = client.get(reverse("results:national", args=[2026])).content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "Điểm bình quân" in head and "Lĩnh vực đạt bình quân" not in head
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert f'<td class="num">{_comma(_average(dti.x, dti.y))}</td>' in row
    english = _english(client).get(reverse("results:national", args=[2026])).content.decode()
    assert "Average points" in english and "Average fields met" not in english
    assert f'<td class="num">{_average(dti.x, dti.y)}</td>' in english


def test_the_model_new_rural_rule_on_the_overview(client, ntm):
    page = client.get(reverse("results:overview", args=["83", 2024])).content.decode()
    others = len(ntm.round.criteria_set.groups) - 2
    assert (f"Xã được công nhận khi đạt các lĩnh vực bắt buộc TN, TTM và ít nhất 1/{others} lĩnh vực còn lại, "
            "và đạt điều kiện tiên quyết TQ.") in _text(page)
    districts = page.split('id="districts"')[1].split("</thead>")[0]
    assert "Đạt lĩnh vực bắt buộc và từ 1 lĩnh vực khác và đủ điều kiện tiên quyết" in districts
    assert "Lĩnh vực đạt bình quân" in districts and "Điểm bình quân" not in districts
    card = client.get(reverse("results:scorecard", args=[ntm.world.b.pk, 2024])).content.decode()
    assert (f'<dd id="rule">Đạt các lĩnh vực bắt buộc TN, TTM và ít nhất 1/{others} lĩnh vực còn lại, '
            "và đạt điều kiện tiên quyết TQ</dd>") in card


def test_ben_tre_pages_read_as_before(client, results_world):
    w = results_world.world
    w.a.latitude, w.a.longitude = "10.24", "106.37"
    w.a.save(update_fields=["latitude", "longitude"])
    page = _text(client.get(reverse("results:overview", args=["83", 2024])).content.decode())
    assert "Xã được công nhận khi đạt ít nhất 7/10 lĩnh vực." in page
    assert "xã đạt từ 7 lĩnh vực" in page and "lĩnh vực đạt bình quân" in page and "điểm bình quân" not in page
    assert "Đạt từ 7 lĩnh vực" in page and "Lĩnh vực đạt (cần 7)" in page
    map_page = _text(client.get(reverse("results:map", args=["83", 2024])).content.decode())
    assert "Số trong vòng tròn: số lĩnh vực đạt. Viền đậm: xã đạt từ 7 lĩnh vực." in map_page
    card = client.get(reverse("results:scorecard", args=[w.a.pk, 2024])).content.decode()
    assert 'id="rule"' not in card and "(cần 7)" in card
    english = _text(_english(client).get(reverse("results:overview", args=["83", 2024])).content.decode())
    assert "A commune is recognised when it meets at least 7 of 10 fields." in english
    assert "communes meeting at least 7 fields" in english and "average fields met" in english


# -- exports --------------------------------------------------------------------------------


def _sheet(content: bytes, name: str) -> list[list]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(content))[name].iter_rows()]


def test_province_workbook_of_a_set_in_points_averages_points_by_district(client, dti):
    values = _sheet(client.get(reverse("exports:province_xlsx", args=["86", 2026])).content, "Theo huyện")
    header = next(i for i, row in enumerate(values) if row[0] == "Huyện")
    assert "Bình quân số điểm" in values[header] and "Bình quân số lĩnh vực đạt" not in values[header]
    row = values[header + 1]
    assert Decimal(str(row[values[header].index("Bình quân số điểm")])) == Decimal(_average(dti.x, dti.y))

    english = _sheet(_english(client).get(reverse("exports:province_xlsx", args=["86", 2026])).content, "Theo huyện")
    assert any("Average points" in row for row in english)


def test_ben_tre_workbook_keeps_its_district_columns(client, results_world):
    client.force_login(results_world.world.secretariat)
    values = _sheet(client.get(reverse("exports:province_xlsx", args=["83", 2024])).content, "Theo huyện")
    header = next(row for row in values if row[0] == "Huyện")
    assert header[1:5] == ["Số xã", "Số xã đạt theo đánh giá", "Số xã được công nhận", "Bình quân số lĩnh vực đạt"]
    assert "Bình quân số điểm" not in header


def _pdf_text(client, url) -> str:
    """The PDF's text with line breaks folded, as a reader would search it."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return _text(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))


def test_province_report_of_a_set_in_points_averages_points(client, dti):
    html = _pdf_text(client, reverse("exports:province_pdf", args=["86", 2026]))
    assert "Bình quân số điểm" in html and "Bình quân số lĩnh vực đạt" not in html
    assert f" {_comma(_average(dti.x, dti.y))} " in html
    english = _pdf_text(_english(client), reverse("exports:province_pdf", args=["86", 2026]))
    assert "Average points" in english and f" {_average(dti.x, dti.y)} " in english


def test_scorecard_exports_of_a_set_in_points_state_the_rule_not_a_count_of_fields(client, dti, world):
    html = _pdf_text(client, reverse("exports:scorecard_pdf", args=[world.x.pk, 2026]))
    assert "Điều kiện công nhận Có tổng điểm từ 50,00 trở lên" in html
    assert "(cần 0)" not in html and "cần 0" not in html
    strong = evaluate_assessment(dti.x)
    assert f"Tổng điểm (cần 50,00) {_comma(strong.points_text)}" in html  # the trend, by points
    assert "Tổng điểm qua các năm" in html

    values = _sheet(client.get(reverse("exports:scorecard_xlsx", args=[world.x.pk, 2026])).content, "Phiếu kết quả")
    facts = {row[0]: row[3] for row in values if row[0]}
    assert facts["Điều kiện công nhận"] == "Có tổng điểm từ 50,00 trở lên"
    assert facts["Số lĩnh vực đạt"] == f"{strong.fields_met}/3"

    english = _pdf_text(_english(client), reverse("exports:scorecard_pdf", args=[world.x.pk, 2026]))
    assert "Recognition rule Scores 50.00 points or more in total" in english and "(0 required)" not in english
    assert f"Total points (50.00 required) {strong.points_text}" in english
    values = _sheet(client.get(reverse("exports:scorecard_xlsx", args=[world.x.pk, 2026])).content, "Phiếu kết quả")
    assert {row[0]: row[3] for row in values if row[0]}["Recognition rule"] == "Scores 50.00 points or more in total"


def test_ben_tre_scorecard_exports_keep_the_count_and_add_no_rule_row(client, results_world):
    w = results_world.world
    values = _sheet(client.get(reverse("exports:scorecard_xlsx", args=[w.a.pk, 2024])).content, "Phiếu kết quả")
    facts = {row[0]: row[3] for row in values if row[0]}
    assert "Điều kiện công nhận" not in facts and facts["Số lĩnh vực đạt"].endswith("(cần 7)")
    html = _pdf_text(client, reverse("exports:scorecard_pdf", args=[w.a.pk, 2024]))
    assert "Số lĩnh vực đạt (cần 7)" in html and "Điều kiện công nhận" not in html
