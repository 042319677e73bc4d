"""A set that scores (Vĩnh Long's commune digital-transformation index) on the results pages
and exports that used to speak only in fields: the comparison with the year before compares
points.  Bến Tre's pages and workbooks stay as they are (tests/results/test_selectors.py,
test_views.py, test_exports.py)."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from smartcommune.accounts.models import Role
from smartcommune.criteria.model import points_text
from smartcommune.results.selectors.overview import province_overview
from smartcommune.rounds.evaluation import evaluate_assessment
from smartcommune.rounds.models import Round, Status
from tests.results.fixtures import set_status
from tests.results.test_exports_pdf import pdf, text
from tests.results.test_outcome_and_ranking import DTI, DTI_STRONG, DTI_WEAK, _open, _publish, _save
from tests.rounds.fixtures import assessment_of, user

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def two_years(world):
    """Vĩnh Long under the index in 2026 (X and Y weak) and 2027 (X strong, Y still weak),
    all published."""
    w = world
    w.officer_y = user("officer_y", (Role.COMMUNE_OFFICER, w.y, ""))
    r = SimpleNamespace(world=w, before={}, now={})
    for year, values, results in ((2026, DTI_WEAK, "before"), (2027, DTI_STRONG, "now")):
        round_ = _open(w, DTI, year, w.vl)
        _save(assessment_of(round_, w.x), w.officer_x, values)
        _save(assessment_of(round_, w.y), w.officer_y, DTI_WEAK)
        for unit in (w.x, w.y):
            getattr(r, results)[unit.code] = evaluate_assessment(_publish(assessment_of(round_, unit)))
    return r


def _comma(figure) -> str:
    return str(figure).replace(".", ",")


def test_the_comparison_of_a_set_that_scores_compares_points(client, two_years):
    r, w = two_years, two_years.world
    cmp = province_overview(viewer=w.secretariat_vl, province=w.vl, year=2027).comparison
    assert cmp.scores and cmp.available
    assert {p.result.unit.code: (p.before, p.now) for p in cmp.rows} == {
        code: (r.before[code].points, r.now[code].points) for code in (w.x.code, w.y.code)}
    assert r.now[w.x.code].points > r.before[w.x.code].points
    assert (cmp.improved, cmp.declined, cmp.unchanged) == (1, 0, 1)
    before = Decimal(points_text((r.before[w.x.code].points + r.before[w.y.code].points) / 2))
    now = Decimal(points_text((r.now[w.x.code].points + r.now[w.y.code].points) / 2))
    assert (cmp.average_points_before, cmp.average_points_now) == (before, now)

    page = client.get(reverse("results:overview", args=["86", 2027])).content.decode()
    section = page.split("So sánh với năm 2026")[1].split("</section>")[0]
    assert f"điểm bình quân {_comma(before)} → {_comma(now)}" in section
    assert "tổng số lĩnh vực đạt" not in section
    x_row = section.split(w.x.name)[1].split("</tr>")[0]
    change = points_text(r.now[w.x.code].points - r.before[w.x.code].points)
    assert _comma(r.before[w.x.code].points_text) in x_row and f"+{_comma(change)}" in x_row

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exports:province_xlsx", args=["86", 2027])).content))
    sheet = book["Theo huyện"]
    facts = {row[0].value: row[1] for row in sheet.iter_rows(min_col=1, max_col=2) if row[0].value}
    assert facts["Điểm bình quân năm trước"].value == float(before)
    assert facts["Điểm bình quân năm nay"].number_format == "0.00"
    assert facts["Số xã tăng điểm"].value == 1 and "Số xã tăng số lĩnh vực đạt" not in facts


def test_the_scorecards_trend_of_a_set_that_scores_shows_points(client, two_years):
    r, w = two_years, two_years.world
    page = client.get(reverse("results:scorecard", args=[w.x.pk, 2027])).content.decode()
    table = page.split('class="data trend-table"')[1].split("</table>")[0]
    assert "<th class=\"num\">Điểm</th>" in table
    for year, result in ((2026, r.before[w.x.code]), (2027, r.now[w.x.code])):
        row = table.split(f">{year}</a>")[1].split("</tr>")[0]
        assert f'<td class="num points">{_comma(result.points_text)}/100,00</td>' in row
        assert f'<td class="level">{result.level.name if result.level else "—"}</td>' in row
    assert "<th>Mức đạt</th>" in table
    assert r.before[w.x.code].level != r.now[w.x.code].level  # the column tells the years apart


def test_the_scorecard_pdfs_trend_of_a_set_with_levels_names_each_years_level(client, two_years):
    r, w = two_years, two_years.world
    body = " ".join(text(pdf(client, w.secretariat_vl, "scorecard_pdf", w.x.pk, 2027)).split())
    levels = [r.before[w.x.code].level, r.now[w.x.code].level]
    assert "Mức đạt " + " ".join(level.name if level else "—" for level in levels) + " — — —" in body


def test_the_province_report_of_a_set_in_points_charts_points_and_compares_points(client, two_years):
    r, w = two_years, two_years.world
    body = text(pdf(client, w.secretariat_vl, "province_pdf", "86", 2027))
    assert "Số đơn vị theo điểm (mỗi cột 10 điểm)" in body and "90–100" in body
    assert "Số đơn vị theo số lĩnh vực đạt" not in body
    before = points_text((r.before[w.x.code].points + r.before[w.y.code].points) / 2, ",")
    now = points_text((r.now[w.x.code].points + r.now[w.y.code].points) / 2, ",")
    assert f"điểm bình quân từ {before} lên {now}" in body and "giữ nguyên số điểm" in body


def test_workbooks_write_points_as_numbers_with_two_decimals(client, two_years):
    r, w = two_years, two_years.world
    client.force_login(w.secretariat_vl)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exports:province_xlsx", args=["86", 2027])).content))
    rows = list(book["Tổng hợp"].iter_rows())
    header = next(i for i, row in enumerate(rows) if row[0].value == "STT")
    column = [c.value for c in rows[header]].index("Điểm (tối đa 100,00)")
    x_cell = next(row for row in rows if row[1].value == w.x.code)[column]
    assert x_cell.value == float(r.now[w.x.code].points_text) and x_cell.number_format == "0.00"

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exports:scorecard_xlsx", args=[w.x.pk, 2027])).content))
    rows = list(book.worksheets[0].iter_rows())
    header = next(i for i, row in enumerate(rows) if "Điểm" in [c.value for c in row[1:]])  # not the facts
    column = [c.value for c in rows[header]].index("Điểm")
    by_code = {row[1].value: row[column] for row in rows[header + 1:] if row[1].value}
    for c in r.now[w.x.code].criteria():
        assert by_code[c.criterion.code].value == float(c.points_text), c.criterion.code
        assert by_code[c.criterion.code].number_format == "0.00"


def test_the_scorecard_workbooks_trend_without_districts_never_says_district_reviewed(client, two_years):
    w = two_years.world
    set_status(assessment_of(Round.objects.get(province=w.vl, year=2026), w.x), Status.DISTRICT_REVIEWED)
    client.force_login(w.secretariat_vl)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exports:scorecard_xlsx", args=[w.x.pk, 2027])).content))
    trend = _trend_sheet(book)
    assert trend[2026]["Trạng thái hồ sơ"].value == "Chờ sở xác minh"


def _trend_sheet(book) -> dict[int, dict]:
    """The scorecard workbook's trend sheet: year → {header: cell}."""
    rows = list(book["Xu hướng"].iter_rows())
    header = next(i for i, row in enumerate(rows) if row[0].value == "Năm")
    names = [c.value for c in rows[header]]
    return {row[0].value: dict(zip(names, row)) for row in rows[header + 1:] if isinstance(row[0].value, int)}


def test_the_scorecard_workbooks_trend_of_a_set_that_scores_has_points_and_levels(client, two_years):
    r, w = two_years, two_years.world
    client.force_login(w.secretariat_vl)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("exports:scorecard_xlsx", args=[w.x.pk, 2027])).content))
    trend = _trend_sheet(book)
    assert list(trend) == [2026, 2027, 2028, 2029, 2030]
    # The set asks for no number of fields: no column saying 0 are required.
    assert "Số lĩnh vực cần đạt" not in trend[2026]
    for year, result in ((2026, r.before[w.x.code]), (2027, r.now[w.x.code])):
        assert trend[year]["Số lĩnh vực đạt"].value == result.fields_met
        assert trend[year]["Điểm"].value == float(result.points_text) and trend[year]["Điểm"].number_format == "0.00"
        assert trend[year]["Mức đạt"].value == (result.level.name if result.level else "—")
    assert r.now[w.x.code].level is not None
    assert trend[2028]["Kết quả đánh giá"].value == "Chưa có kết quả" and trend[2028]["Điểm"].value is None


def test_the_overviews_previous_year_column_of_a_set_that_scores_shows_points(client, two_years):
    r, w = two_years, two_years.world
    page = client.get(reverse("results:overview", args=["86", 2027]) + "?sort=-change").content.decode()
    matrix = page.split('id="matrix"')[1]
    x_row = matrix.split(f'data-unit="{w.x.code}"')[1].split("</tr>")[0]
    assert f'<td class="num p">{_comma(r.before[w.x.code].points_text)}</td>' in x_row
    assert matrix.index(f'data-unit="{w.x.code}"') < matrix.index(f'data-unit="{w.y.code}"')  # X gained most


def test_the_overview_json_compares_points_and_levels_for_a_set_that_has_them(client, two_years):
    """Beside today's keys (fields met), the year before in points (decimal strings with two
    places, as the rest of the JSON) and levels; Bến Tre's JSON gets neither
    (tests/results/test_views.py)."""
    r, w = two_years, two_years.world
    data = client.get(reverse("results:overview_json", args=["86", 2027])).json()
    rows = {row["unit_code"]: row for row in data["rows"]}
    for code in (w.x.code, w.y.code):
        before = r.before[code]
        assert rows[code]["previous_fields_met"] == before.fields_met
        assert rows[code]["previous_points"] == before.points_text
        assert rows[code]["previous_level"] == (before.level.code if before.level else None)
    assert r.now[w.x.code].level is not None and r.now[w.x.code].level != r.before[w.x.code].level

    cmp = data["comparison"]
    assert cmp["fields_met_before"] == sum(r.before[c].fields_met for c in (w.x.code, w.y.code))
    assert cmp["average_points_before"] == points_text((r.before[w.x.code].points + r.before[w.y.code].points) / 2)
    assert cmp["average_points_now"] == points_text((r.now[w.x.code].points + r.now[w.y.code].points) / 2)
    levels = ["TB", "KHA", "TOT"]
    assert list(cmp["levels_before"]) == levels and list(cmp["levels_now"]) == levels
    for key, results in (("levels_before", r.before), ("levels_now", r.now)):
        reached = [results[c].level.code for c in (w.x.code, w.y.code) if results[c].level]
        assert cmp[key] == {level: reached.count(level) for level in levels}, key
