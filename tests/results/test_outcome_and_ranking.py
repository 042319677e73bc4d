"""Issue 10 on the results pages, exports and API: points, level, eligibility and certainty
of a set that has them (a commune digital-transformation index in points with levels; the
model new-rural commune set with a precondition), the ranking within the province and the
district (ties shown, unpublished results never in the public ranking), and the set's own
words instead of "xã thông minh".  Bến Tre's pages keep their columns."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from smartcommune.accounts.models import Role
from smartcommune.rounds.actions import do_open_round, do_save_values
from smartcommune.rounds.evaluation import evaluate_assessment
from smartcommune.rounds.models import CriterionValue, Status
from tests.api.conftest import ApiClient, token_for
from tests.results.fixtures import set_status
from tests.rounds.fixtures import assessment_of, fresh, user

pytestmark = [pytest.mark.django_db]

DTI = "chuyen-doi-so-cap-xa-2026"
NTM = "ntm-kieu-mau-2021-2025"

# A strong commune of the index: every criterion at its best but 2.3 (0 of 10 services).
DTI_STRONG = {
    "1.1": {"choice": "chu-tich"}, "1.2": {"count": 4}, "2.1": {"numerator": 1, "denominator": 1},
    "2.2": {"numerator": 80, "denominator": 100}, "2.3": {"numerator": 0, "denominator": 10},
    "3.1": {"count": 5}, "3.2": {"met": True}, "3.3": {"numerator": 10, "denominator": 10},
}
# A weaker one: no chairman's lead, one meeting, little online.
DTI_WEAK = {**DTI_STRONG, "1.1": {"choice": "chua-co"}, "1.2": {"count": 1}, "3.1": {"count": 0},
            "3.2": {"met": False}}

NTM_ALL = {
    "TN.1": {"numerator": 130, "denominator": 100}, "TTM.1": {"count": 3},
    **{code: {"met": True} for code in ("SX.1", "GD.1", "VH.1", "DL.1", "MT.1", "AN.1", "CDS.1")},
}


def _open(world, code: str, year: int, province):
    return do_open_round(actor=world.admin, criteria_set_code=code, year=year, province=province,
                         submission_deadline=date(year + 1, 3, 1), review_deadline=date(year + 1, 4, 1),
                         verification_deadline=date(year + 1, 5, 1))


def _save(assessment, officer, values: dict):
    values = {code: {**v, "source": "Báo cáo UBND xã"} for code, v in values.items()}
    return do_save_values(actor=officer, assessment=assessment, expected_version=fresh(assessment).version,
                          values=values)


def _publish(assessment):
    return set_status(assessment, Status.PUBLISHED, recognised=True)


def _dti_round(w, y_values: dict):
    """Vĩnh Long 2026 under the index: X strong, Y with ``y_values``, both published."""
    w.officer_y = user("officer_y", (Role.COMMUNE_OFFICER, w.y, ""))
    r = SimpleNamespace(world=w, round=_open(w, DTI, 2026, w.vl))
    _save(assessment_of(r.round, w.x), w.officer_x, DTI_STRONG)
    _save(assessment_of(r.round, w.y), w.officer_y, y_values)
    r.x = _publish(assessment_of(r.round, w.x))
    r.y = _publish(assessment_of(r.round, w.y))
    return r


@pytest.fixture
def dti(world):
    """X strong, Y weak."""
    return _dti_round(world, DTI_WEAK)


@pytest.fixture
def ntm(world):
    """Bến Tre 2024 under the model new-rural set: A lacks the precondition TQ, B meets
    everything, C has not reported TTM.1.  All published."""
    w = world
    w.officer_c = user("officer_c", (Role.COMMUNE_OFFICER, w.c, ""))
    r = SimpleNamespace(world=w, round=_open(w, NTM, 2024, w.bt))
    _save(assessment_of(r.round, w.a), w.officer_a, NTM_ALL)
    _save(assessment_of(r.round, w.b), w.officer_b, NTM_ALL)
    _save(assessment_of(r.round, w.c), w.officer_c, {k: v for k, v in NTM_ALL.items() if k != "TTM.1"})
    # The precondition's answer, stored directly (test data: the entry of preconditions is
    # the entry form's business): A lacks it, B and C meet it.
    for unit in (w.b, w.c):
        CriterionValue.objects.update_or_create(assessment=assessment_of(r.round, unit), criterion_code="TQ",
                                                defaults={"met": True})
    r.a, r.b, r.c = (_publish(assessment_of(r.round, u)) for u in (w.a, w.b, w.c))
    return r


def _comma(points_text: str) -> str:
    return points_text.replace(".", ",")


# -- pages ----------------------------------------------------------------------------------


def test_a_set_in_points_shows_points_and_levels_on_the_overview_scorecard_and_map(client, dti):
    strong = evaluate_assessment(dti.x)
    assert strong.level is not None and strong.points_text != "0.00"
    overview = client.get(reverse("results:overview", args=["86", 2026])).content.decode()
    assert "chuẩn chuyển đổi số cấp xã" in overview.split("<h1>")[1].split("</h1>")[0]
    assert "Điểm (tối đa 100,00, cần 50,00)" in overview and "Mức đạt" in overview
    row = overview.split(f'data-unit="{dti.world.x.code}"')[1].split("</tr>")[0]
    assert f'<td class="num points">{_comma(strong.points_text)}</td>' in row
    assert f'<td class="level">{strong.level.name}</td>' in row
    assert "xã thông minh" not in overview.split('<main')[1]

    card = client.get(reverse("results:scorecard", args=[dti.world.x.pk, 2026])).content.decode()
    assert f'data-points="{strong.points_text}"' in card
    assert f"<strong>{_comma(strong.points_text)}</strong>/100,00 (cần 50,00)" in card
    assert f"<strong>{strong.level.name}</strong>" in card
    assert "10,00/10,00 điểm" in card  # 1.1: the chairman leads
    # Recognised by points, not by a number of fields: no "(cần 0)" beside the fields met.
    fields_met = card.split('id="fields-met"')[1].split("</dd>")[0]
    assert "cần" not in fields_met
    assert "Phiếu kết quả đánh giá chuẩn chuyển đổi số cấp xã" in card
    assert "xã thông minh" not in card.split('<main')[1]

    map_page = client.get(reverse("results:map", args=["86", 2026])).content.decode()
    assert f"{_comma(strong.points_text)} điểm" in map_page and strong.level.name in map_page

    data = client.get(reverse("results:overview_json", args=["86", 2026])).json()
    by_code = {r["unit_code"]: r for r in data["rows"]}
    assert by_code[dti.world.x.code]["points"] == strong.points_text
    assert by_code[dti.world.x.code]["level"] == strong.level.code
    assert by_code[dti.world.x.code]["outcome_certain"] is True
    assert data["recognition_name"] == "chuẩn chuyển đổi số cấp xã"


def test_a_commune_failing_a_precondition_is_shown_not_eligible_with_the_precondition_named(client, ntm):
    assert not evaluate_assessment(ntm.a).eligible
    overview = client.get(reverse("results:overview", args=["83", 2024])).content.decode()
    assert "xã nông thôn mới kiểu mẫu" in overview.split("<h1>")[1]
    row_a = overview.split(f'data-unit="{ntm.world.a.code}"')[1].split("</tr>")[0]
    assert "Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ)" in row_a
    row_b = overview.split(f'data-unit="{ntm.world.b.code}"')[1].split("</tr>")[0]
    assert '<td class="eligible">Đủ điều kiện</td>' in row_b
    assert "Điểm (tối đa" not in overview and "Mức đạt" not in overview  # the set neither scores nor has levels

    card = client.get(reverse("results:scorecard", args=[ntm.world.a.pk, 2024])).content.decode()
    assert 'data-eligible="0"' in card and "chưa đạt điều kiện tiên quyết: TQ" in card
    # C has not reported TTM.1, a mandatory field's only criterion: the outcome may still change.
    c_card = client.get(reverse("results:scorecard", args=[ntm.world.c.pk, 2024])).content.decode()
    assert 'data-certain="0"' in c_card and "còn có thể thay đổi" in c_card


def test_ben_tre_overview_gets_no_points_level_or_eligibility_columns(client, results_world):
    page = client.get(reverse("results:overview", args=["83", 2024])).content.decode()
    assert 'class="num points"' not in page and 'class="level"' not in page and 'class="eligible"' not in page
    assert "Kết quả đánh giá xã thông minh năm 2024" in page
    card = client.get(reverse("results:scorecard", args=[results_world.world.a.pk, 2024])).content.decode()
    assert 'id="points"' not in card and 'id="level"' not in card and 'id="verdict"' not in card


# -- ranking --------------------------------------------------------------------------------


def test_the_ranking_orders_by_points_and_shows_ties(client, dti):
    page = client.get(reverse("results:ranking", args=["86", 2026])).content.decode()
    rows = page.split('<tbody>')[1].split("</tbody>")[0]
    assert rows.index(dti.world.x.code) < rows.index(dti.world.y.code)
    assert 'data-rank="1"' in rows and 'data-rank="2"' in rows and "data-tied" not in rows


def test_equal_results_share_a_rank_shown_with_equals(client, world):
    _dti_round(world, DTI_STRONG)
    page = client.get(reverse("results:ranking", args=["86", 2026])).content.decode()
    rows = page.split('<tbody>')[1].split("</tbody>")[0]
    assert rows.count('data-rank="1" data-tied="1"') == 2 and rows.count("1=") == 2


def test_the_ranking_within_districts_and_the_public_sees_published_results_only(client, results_world):
    w = results_world.world
    url = reverse("results:ranking", args=["83", 2024])
    public = client.get(url).content.decode()
    body = public.split("<tbody>")[1]
    assert w.a.code in body and w.b.code not in body and w.c.code not in body  # B, C unpublished

    client.force_login(w.secretariat)
    page = client.get(url).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    ranks = {r.split('data-unit="')[1][:5]: r.split('class="num rank-district">')[1].split("<")[0] for r in rows}
    assert [r.split('data-unit="')[1][:5] for r in rows] == [w.a.code, w.b.code, w.c.code]  # 9, 6, 5 fields
    assert ranks == {w.a.code: "1", w.b.code: "2", w.c.code: "1"}  # C is first of its district
    in_d2 = client.get(url, {"district": w.d2.code}).content.decode().split("<tbody>")[1]
    assert w.c.code in in_d2 and w.a.code not in in_d2
    assert 'data-rank="3"' in in_d2  # still third of the province


def test_the_overview_links_to_the_ranking(client, results_world):
    page = client.get(reverse("results:overview", args=["83", 2024])).content.decode()
    assert reverse("results:ranking", args=["83", 2024]) in page


def test_ranking_exports_carry_ranks_points_and_levels(client, dti):
    text = client.get(reverse("exports:ranking_csv", args=["86", 2026])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["unit_code"] for r in rows] == [dti.world.x.code, dti.world.y.code]
    strong = evaluate_assessment(dti.x)
    assert rows[0]["rank"] == "1" and rows[0]["points"] == strong.points_text and rows[0]["points_max"] == "100.00"
    assert rows[0]["level"] == strong.level.name and rows[0]["outcome_certain"] == "Kết quả đã chắc chắn"

    response = client.get(reverse("exports:ranking_xlsx", args=["86", 2026]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Hạng trong tỉnh")
    assert "Điểm" in values[header] and "Mức đạt" in values[header]
    assert values[header + 1][0] == "1" and values[header + 1][1] == dti.world.x.code
    assert any("CHUẨN CHUYỂN ĐỔI SỐ CẤP XÃ" in str(v) for row in values[:header] for v in row)


def test_the_public_ranking_export_leaves_out_unpublished_results(client, results_world):
    text = client.get(reverse("exports:ranking_csv", args=["83", 2024])).content.decode()
    codes = [r["unit_code"] for r in csv.DictReader(io.StringIO(text))]
    assert codes == [results_world.world.a.code]
    assert "points" not in text.splitlines()[0]  # Bến Tre does not score


def test_the_api_ranks_what_the_caller_may_see(results_world):
    w = results_world.world
    anonymous = ApiClient().get("/api/v1/ranking/83/2024")
    assert anonymous.status_code == 200, anonymous.content
    assert [r["unit_code"] for r in anonymous.json()["results"]] == [w.a.code]
    secretariat = ApiClient(token_for(w.secretariat)).get("/api/v1/ranking/83/2024").json()
    assert [(r["unit_code"], r["rank"], r["district_rank"]) for r in secretariat["results"]] == [
        (w.a.code, 1, 1), (w.b.code, 2, 2), (w.c.code, 3, 1)]
    assert secretariat["results"][0]["points"] is None and secretariat["criteria_set"] == "ben-tre-2021-2025"
    assert ApiClient().get("/api/v1/ranking/83/2024", {"district": "999"}).status_code == 404
    assert ApiClient().get("/api/v1/ranking/83/1999").status_code == 404


def test_the_api_ranking_carries_points_levels_and_ties(world):
    dti = _dti_round(world, DTI_STRONG)
    body = ApiClient().get("/api/v1/ranking/86/2026").json()
    assert [(r["rank"], r["tied"]) for r in body["results"]] == [(1, True), (1, True)]
    strong = evaluate_assessment(dti.x)
    assert body["results"][0]["points"] == strong.points_text
    assert body["results"][0]["level"] == {"code": strong.level.code, "name": strong.level.name}


# -- exports --------------------------------------------------------------------------------


def _sheet_values(content: bytes, name: str | None = None) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[name] if name else book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_province_workbook_of_a_set_in_points(client, dti):
    values = _sheet_values(client.get(reverse("exports:province_xlsx", args=["86", 2026])).content, "Tổng hợp")
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    columns = values[header]
    assert {"Điểm (tối đa 100,00)", "Mức đạt", "Mức tiếp theo", "Kết quả đã chắc chắn"} <= set(columns)
    strong = evaluate_assessment(dti.x)
    x_row = next(row for row in values if row[1] == dti.world.x.code)
    assert x_row[columns.index("Điểm (tối đa 100,00)")] == float(strong.points_text)  # a number, not words
    assert x_row[columns.index("Mức đạt")] == strong.level.name
    assert any("CHUẨN CHUYỂN ĐỔI SỐ CẤP XÃ" in str(v) for row in values[:header] for v in row)


def test_province_workbook_names_the_precondition_a_commune_lacks(client, ntm):
    values = _sheet_values(client.get(reverse("exports:province_xlsx", args=["83", 2024])).content, "Tổng hợp")
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    a_row = next(row for row in values if row[1] == ntm.world.a.code)
    assert a_row[values[header].index("Điều kiện tiên quyết")] == (
        "Không đủ điều kiện (chưa đạt điều kiện tiên quyết: TQ)")


def test_scorecard_workbook_of_a_set_in_points(client, dti):
    values = _sheet_values(client.get(reverse("exports:scorecard_xlsx", args=[dti.world.x.pk, 2026])).content)
    facts = {row[0]: row[3] for row in values if row[0]}
    strong = evaluate_assessment(dti.x)
    assert facts["Điểm"] == f"{_comma(strong.points_text)}/100,00" and facts["Mức đạt"] == strong.level.name
    assert facts["Kết quả đánh giá"].startswith("Đạt chuẩn chuyển đổi số cấp xã")
    assert "Điểm lĩnh vực 1" in facts


# -- the assessment's live summary ------------------------------------------------------------


def test_the_live_summary_names_the_level_and_says_the_outcome_may_change(client, world):
    round_ = _open(world, DTI, 2026, world.vl)
    a = assessment_of(round_, world.x)
    _save(a, world.officer_x, {"1.1": {"choice": "chu-tich"}})
    client.force_login(world.officer_x)
    page = client.get(reverse("rounds:assessment", args=[a.pk])).content.decode()
    summary = page.split('id="summary"')[1].split("</section>")[0]
    assert "Mức đạt: Chưa đạt mức nào" in summary
    assert 'data-certain="0"' in summary and "Kết quả còn có thể thay đổi" in summary


# -- words from the set -----------------------------------------------------------------------


def test_the_national_summary_names_what_is_recognised(client, dti):
    page = client.get(reverse("results:national", args=[2026])).content.decode()
    assert "<h1>Kết quả chuẩn chuyển đổi số cấp xã toàn quốc năm 2026</h1>" in page
    assert "xã thông minh" not in page.split("<main")[1]


def test_a_year_of_several_sets_names_each_provinces(client, ntm):
    from tests.rounds.fixtures import fill, open_round

    a = assessment_of(open_round(ntm.world, year=2024), ntm.world.a)
    fill(a, ntm.world.officer_a)
    _publish(a)
    page = client.get(reverse("results:national", args=[2024])).content.decode()
    assert "<h1>Kết quả đánh giá toàn quốc năm 2024</h1>" in page
    assert '<span class="muted recognition">(xã nông thôn mới kiểu mẫu)</span>' in page
    assert '<span class="muted recognition">(xã thông minh)</span>' in page


def test_documents_speak_in_the_set_words(dti):
    from smartcommune.documents import contexts
    from smartcommune.results.selectors.scorecard import commune_scorecard

    card = commune_scorecard(viewer=dti.world.secretariat_vl, unit=dti.world.x, year=2026)
    document = contexts.self_assessment(card)
    assert document["danh_hieu"] == "chuẩn chuyển đổi số cấp xã"
    assert "chuẩn chuyển đổi số cấp xã" in document["trich_yeu"]
    assert document["ket_qua"].startswith("Đạt chuẩn chuyển đổi số cấp xã")
    assert "xã thông minh" not in str(document)


def test_no_results_page_export_or_document_hard_codes_what_is_recognised():
    """What a set recognises comes from the set (its recognition_name), never from the code
    of the results pages, their exports, the documents or the workflow's messages."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "smartcommune"
    paths = [*(root / "results").rglob("*.py"), *(root / "results").rglob("*.html"),
             *(root / "documents").rglob("*.py"), *(root / "documents").rglob("*.html"),
             root / "rounds" / "views" / "workflow.py", *(root / "rounds" / "templates").rglob("*.html")]
    # The results index lists every province and set: it speaks of the product, whose name
    # the site's header also carries.
    paths = [p for p in paths if p.name != "index.html" or p.parent.name != "results"]
    for path in paths:
        text = re.sub(r'""".*?"""', "", path.read_text(encoding="utf-8"), flags=re.S)  # docstrings give examples
        text = "\n".join(line.split("# ")[0] for line in text.splitlines())
        assert "xã thông minh" not in text.lower(), path


# -- the communes closest to recognition, for a set that recognises by points -------------------

# Y scores 48 of the 50 points recognition needs: 2.2 at 52 % gives 52/80 × 20 = 13 of 20.
DTI_NEAR = {**DTI_WEAK, "2.2": {"numerator": 52, "denominator": 100}}
# Y scores 30: 20 short, more than a fifth of the bar.
DTI_FAR = {**DTI_WEAK, "2.1": {"numerator": 0, "denominator": 1}, "2.2": {"numerator": 20, "denominator": 100}}


def test_closest_of_a_set_in_points_counts_points_short(client, world):
    from smartcommune.results.selectors.overview import province_overview

    r = _dti_round(world, DTI_NEAR)
    near = evaluate_assessment(r.y)
    assert not near.smart_commune and near.points_text == "48.00" and near.fields_short == 0
    overview = province_overview(viewer=world.secretariat_vl, province=world.vl, year=2026)
    assert [(c.result.unit.code, c.points_short) for c in overview.closest] == [(world.y.code, 2)]
    lacks = {x.criterion.code: x.text for x in overview.closest[0].lacks}
    # What could still raise its points, with the points each scores; never 2.1 (full marks).
    assert set(lacks) == {"1.1", "1.2", "2.2", "3.1", "3.2"}
    assert lacks["2.2"].endswith("được 13,00/20,00 điểm") and lacks["1.2"].endswith("được 5,00/20,00 điểm")

    page = client.get(reverse("results:overview", args=["86", 2026])).content.decode()
    closest = page.split('<section id="closest">')[1].split("</section>")[0]
    assert f'data-unit="{world.y.code}"' in closest
    assert "48,00/100,00 điểm · còn thiếu 2,00 điểm" in closest
    assert "không quá 10,00 điểm" in closest and "lĩnh vực" not in closest.split("<ol")[0]

    values = _sheet_values(client.get(reverse("exports:province_xlsx", args=["86", 2026])).content, "Xã gần đạt")
    header = next(i for i, row in enumerate(values) if row[0] == "Mã ĐVHC")
    assert values[header][3:5] == ["Điểm", "Còn thiếu (điểm)"]
    y_row = values[header + 1]
    assert y_row[0] == world.y.code and (y_row[3], y_row[4]) == (48, 2)
    assert "được 13,00/20,00 điểm" in y_row[6]
    assert any("Thiếu không quá 10,00 điểm" in str(v) for row in values[:header] for v in row)

    from pypdf import PdfReader
    report = client.get(reverse("exports:province_pdf", args=["86", 2026]))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(report.content)).pages)
    assert "1 đơn vị còn thiếu không quá 10,00 điểm" in text
    assert "thiếu một hoặc hai lĩnh vực" not in text and "đạt từ 50,00 điểm trở lên" in text

    data = client.get(reverse("results:overview_json", args=["86", 2026])).json()
    assert [(c["unit_code"], c["points_short"]) for c in data["closest"]] == [(world.y.code, "2.00")]


def test_a_commune_far_below_the_points_bar_is_not_closest(client, world):
    _dti_round(world, DTI_FAR)
    page = client.get(reverse("results:overview", args=["86", 2026])).content.decode()
    closest = page.split('<section id="closest">')[1].split("</section>")[0]
    assert "closest-item" not in closest
    assert "Không có xã nào còn thiếu không quá 10,00 điểm." in closest


def test_closest_in_english_writes_points_with_a_dot(client, world):
    _dti_round(world, DTI_NEAR)
    page = client.get(reverse("results:overview", args=["86", 2026]), HTTP_COOKIE="django_language=en").content.decode()
    closest = page.split('<section id="closest">')[1].split("</section>")[0]
    assert "48.00/100.00" in closest and "13.00/20.00" in closest and "13,00" not in closest


def test_shipped_document_templates_take_what_is_recognised_from_the_set(client, world):
    """No shipped DOCX template names "xã thông minh": a document of a round under the
    commune digital-transformation index speaks of its "chuẩn chuyển đổi số cấp xã"."""
    from docx import Document

    from smartcommune.documents.kinds import KINDS, SHIPPED_DIR

    for kind in KINDS:
        document = Document(SHIPPED_DIR / f"{kind}.docx")
        assert "xã thông minh" not in "\n".join(p.text for p in document.paragraphs), kind
    r = _dti_round(world, DTI_NEAR)
    client.force_login(world.secretariat_vl)
    for name, args in (("self_assessment", (r.y.pk,)), ("province_report", (r.round.pk,))):
        response = client.get(reverse(f"documents:{name}", args=[*args, "docx"]))
        assert response.status_code == 200, name
        document = Document(io.BytesIO(response.content))
        text = "\n".join([p.text for p in document.paragraphs] +
                         [c.text for t in document.tables for row in t.rows for c in row.cells])
        assert "xã thông minh" not in text, name
        assert "chuẩn chuyển đổi số cấp xã" in text, name
        assert "(cần 0)" not in text, name  # recognised by points: no number of fields asked
        if name == "province_report":
            assert "đạt từ 50,00 điểm trở lên" in text and "1 đơn vị còn thiếu không quá 10,00 điểm" in text


def test_a_round_opened_before_preconditions_reads_them_as_not_reported(client, ntm):
    """A round opened before the preconditions' rows existed has none: its communes read
    "not reported" for the precondition (not eligible yet, the outcome still open), never
    eligible, and no page or export fails."""
    w = ntm.world
    CriterionValue.objects.filter(assessment__round=ntm.round, criterion_code="TQ").delete()
    e = evaluate_assessment(ntm.b)
    assert not e.eligible and not e.smart_commune and not e.outcome_certain
    assert [(p.criterion.code, p.status) for p in e.preconditions] == [("TQ", "missing")]

    card = client.get(reverse("results:scorecard", args=[w.b.pk, 2024])).content.decode()
    assert "Không đủ điều kiện" in card and "Đạt xã nông thôn mới kiểu mẫu" not in card
    assert "còn có thể thay đổi" in card
    overview = client.get(reverse("results:overview", args=["83", 2024]))
    assert overview.status_code == 200
    assert client.get(reverse("exports:province_xlsx", args=["83", 2024])).status_code == 200
    client.force_login(w.officer_b)
    page = client.get(reverse("rounds:assessment", args=[ntm.b.pk]))
    assert page.status_code == 200
