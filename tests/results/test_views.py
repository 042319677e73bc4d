"""The results pages and the JSON: what each viewer sees, 404s, the map, the scorecard."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

import smartcommune.results as results_app
from smartcommune.demo.context_processors import forget
from smartcommune.demo.models import SyntheticRound
from smartcommune.rounds.models import Evidence, EvidenceKind
from smartcommune.rounds.models import Status as Workflow
from tests.results.fixtures import set_status

pytestmark = pytest.mark.django_db

A, B, C = "Phường Phú Khương", "Phường Phú Tân", "Xã Tân Thạch"
HOUSEHOLDS_GAP = "còn thiếu 37 hộ gia đình có thiết bị thông minh"
OUTSIDE = re.compile(r'(?:href|src|xlink:href|action)\s*=\s*["\']?\s*(?:https?:)?//', re.I)


def get(client, viewer, url, status=200):
    if viewer is None:
        client.logout()
    else:
        client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def text(response) -> str:
    return response.content.decode()


def overview_url(year=2024, province="83"):
    return reverse("results:overview", args=[province, year])


def scorecard_url(unit, year=2024):
    return reverse("results:scorecard", args=[unit.pk, year])


@pytest.fixture
def viewers(results_world):
    w = results_world.world
    return {"anonymous": None, "nobody": w.nobody, "officer_a": w.officer_a, "officer_b": w.officer_b,
            "district1": w.district1, "district2": w.district2, "secretariat": w.secretariat,
            "verifier": w.verifiers["SYT"], "admin": w.admin, "secretariat_vl": w.secretariat_vl}


SEES_2024 = {
    "anonymous": {A}, "nobody": {A}, "officer_a": {A}, "officer_b": {A, B}, "district1": {A, B},
    "district2": {A, C}, "secretariat": {A, B, C}, "verifier": {A, B, C}, "admin": {A, B, C},
    "secretariat_vl": {A},
}


# -- the overview page and its JSON -------------------------------------------------------------


@pytest.mark.parametrize("who", list(SEES_2024))
def test_overview_page_and_json_show_what_each_viewer_may_see(client, viewers, who):
    page = text(get(client, viewers[who], overview_url()))
    shown = {name for name in (A, B, C) if f">{name}</a>" in page}
    assert shown == SEES_2024[who]
    data = get(client, viewers[who], reverse("results:overview_json", args=["83", 2024])).json()
    assert {row["name"] for row in data["rows"]} == SEES_2024[who]
    assert all(row["published"] or who not in ("anonymous", "nobody") for row in data["rows"])


def test_overview_page_shows_the_matrix_closest_and_comparison(client, results_world):
    w = results_world.world
    page = text(get(client, w.secretariat, overview_url()))
    assert 'id="count-communes">3<' in page and 'id="count-smart">1<' in page and 'id="count-recognised">1<' in page
    row_a = re.search(r'<tr data-unit="28756">(.*?)</tr>', page, re.S).group(1)
    assert row_a.count('class="f st-met"') == 9 and row_a.count('class="f st-not_met"') == 1
    assert ">9/10</strong>" in row_a and f'href="{scorecard_url(w.a)}"' in row_a
    closest = re.search(r'<section id="closest">(.*?)</section>', page, re.S).group(1)
    assert closest.index(B) < closest.index(C) and HOUSEHOLDS_GAP in closest
    assert "còn thiếu 1 lĩnh vực" in closest and "còn thiếu 2 lĩnh vực" in closest
    assert "So sánh với năm 2023" in page and "2 xã tăng, 1 xã giảm, 0 xã giữ nguyên" in page


def test_public_overview_says_published_only_and_has_no_draft(client, results_world):
    page = text(get(client, None, overview_url()))
    assert "Chỉ hiển thị kết quả đã công bố." in page and B not in page and C not in page


def test_overview_sorts_and_filters(client, results_world):
    w = results_world.world

    def order(query):
        return re.findall(r'<tr data-unit="(\d+)">', text(get(client, w.secretariat, overview_url() + query)))

    assert order("") == ["28756", "28759", "28801"]
    assert order("?sort=-fields") == ["28756", "28759", "28801"]
    assert order("?sort=fields") == ["28801", "28759", "28756"]
    assert order("?sort=name") == ["28756", "28759", "28801"]  # Phú Khương, Phú Tân, Tân Thạch
    assert order("?sort=-change") == ["28801", "28759", "28756"]
    assert order("?sort=bogus") == ["28756", "28759", "28801"]
    assert order("?district=831") == ["28801"]
    assert order("?status=published") == ["28756"]
    assert order("?status=bogus&district=nope") == ["28756", "28759", "28801"]
    page = text(get(client, w.secretariat, overview_url() + "?district=831&sort=fields"))
    assert 'href="?district=831&amp;sort=-fields"' in page  # sort links keep the filters


def test_overview_json_content(client, results_world):
    data = get(client, results_world.world.secretariat, reverse("results:overview_json", args=["83", 2024])).json()
    rows = {r["unit_code"]: r for r in data["rows"]}
    assert (rows["28756"]["fields_met"], rows["28756"]["smart_commune"], rows["28756"]["status"],
            rows["28756"]["previous_fields_met"]) == (9, True, "published", 10)
    assert [f["status"] for f in rows["28756"]["fields"]][:2] == ["not_met", "met"]
    assert rows["28759"]["district"] == {"code": "829", "name": "Thành phố Bến Tre"}
    assert [(c["unit_code"], c["fields_short"]) for c in data["closest"]] == [("28759", 1), ("28801", 2)]
    assert data["closest"][0]["lacks"][0] == {"criterion": "1.2", "field": "1", "status": "not_met", "gap": 37,
                                              "text": HOUSEHOLDS_GAP}
    assert data["most_missed"][0] == {"code": "1.2", "name": "Tỷ lệ hộ gia đình có thiết bị thông minh",
                                      "field": "1", "count": 2, "missing": 0}
    assert [d["communes"] for d in data["district_counts"]] == [2, 1]
    assert data["comparison"]["improved"] == 2 and data["synthetic"] is False
    # The set neither scores nor has levels: no points or levels beside the fields met.
    assert not {"previous_points", "previous_level"} & set(rows["28756"])
    assert not {"average_points_before", "average_points_now", "levels_before", "levels_now"} & set(data["comparison"])


@pytest.mark.parametrize("url", [
    "/results/99/2024/", "/results/83/2022/", "/results/83/2024/?set=khong-co",
    "/results/99/2024/overview.json", "/results/83/2022/map/", "/results/national/2019/",
    "/results/scorecard/999999/2024/",
])
def test_unknown_province_year_or_unit_is_404(client, results_world, url):
    get(client, results_world.world.secretariat, url, status=404)


def test_a_round_with_nothing_published_is_404_for_the_public(client, results_world):
    set_status(results_world.a, Workflow.APPRAISED)
    get(client, None, overview_url(), status=404)
    get(client, None, reverse("results:overview_json", args=["83", 2024]), status=404)
    get(client, None, reverse("results:map", args=["83", 2024]), status=404)
    get(client, results_world.world.secretariat, overview_url())


def test_pages_render_in_english(client, results_world):
    client.cookies["django_language"] = "en"
    w = results_world.world
    for url in (reverse("results:index"), overview_url(), reverse("results:map", args=["83", 2024]),
                scorecard_url(w.a), reverse("results:national", args=[2024])):
        response = client.get(url)  # not get(): logging out would drop the language cookie
        assert response.status_code == 200 and '<html lang="en">' in text(response), url


def test_pages_only_answer_get(client, results_world):
    assert client.post(overview_url()).status_code == 405


# -- the map -------------------------------------------------------------------------------------


def _place(unit, lat, lon):
    unit.latitude, unit.longitude = Decimal(lat), Decimal(lon)
    unit.save()


def test_map_has_one_linked_marker_per_commune_with_coordinates(client, results_world):
    w = results_world.world
    _place(w.a, "10.2431", "106.3756")
    _place(w.b, "10.2512", "106.3880")  # C has none: listed beside the map
    page = text(get(client, w.secretariat, reverse("results:map", args=["83", 2024])))
    svg = re.search(r"<svg id=\"commune-map\".*?</svg>", page, re.S).group(0)
    markers = re.findall(r'<a href="([^"]+)" class="marker" tabindex="-1" data-unit="(\d+)"', svg)
    assert sorted(markers) == [(scorecard_url(w.a), "28756"), (scorecard_url(w.b), "28759")]
    assert svg.count("<circle") == 2
    # The list beside the map names every commune, with or without coordinates, by district.
    listed = re.search(r'<section class="map-list".*?</section>', page, re.S).group(0)
    assert "Phường Phú Khương</a> — 9/10 lĩnh vực" in listed
    assert C in listed and scorecard_url(w.c) in listed and "chưa có toạ độ" in listed
    # Each district with placed communes is outlined, with the box a tap zooms to.
    assert re.search(r'<polygon class="district" data-district="\d+" data-box="[\d.]+ [\d.]+ [\d.]+ [\d.]+"', svg)
    # B lies north-east of A: further right, higher up.
    def centre(code):
        found = re.search(rf'data-unit="{code}".*?<circle cx="([\d.]+)" cy="([\d.]+)"', svg, re.S)
        return float(found.group(1)), float(found.group(2))

    (ax, ay), (bx, by) = centre("28756"), centre("28759")
    assert bx > ax and by < ay
    assert not OUTSIDE.search(page), OUTSIDE.search(page)
    public = text(get(client, None, reverse("results:map", args=["83", 2024])))
    assert re.findall(r'class="marker" tabindex="-1" data-unit="(\d+)"', public) == ["28756"] and C not in public


def test_map_without_any_coordinates_lists_the_communes(client, results_world):
    page = text(get(client, results_world.world.secretariat, reverse("results:map", args=["83", 2024])))
    assert 'id="commune-map"' not in page and page.count("chưa có toạ độ") == 3


# -- the scorecard -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(SEES_2024))
def test_scorecard_scope(client, viewers, results_world, who):
    w = results_world.world
    for unit, name in ((w.a, A), (w.b, B), (w.c, C)):
        get(client, viewers[who], scorecard_url(unit), status=200 if name in SEES_2024[who] else 404)


def test_scorecard_shows_every_criterion_with_value_target_status_gap(client, results_world):
    w = results_world.world
    page = text(get(client, None, scorecard_url(w.a)))
    assert page.count('class="line st-') == 23
    line = re.search(r'<tr id="crit-1-2".*?</tr>', page, re.S).group(0)
    assert "863/1000" in line and "≥90%" in line and "86,30%" in line and "Chưa đạt" in line and HOUSEHOLDS_GAP in line
    assert "Báo cáo UBND xã" in line  # the data source
    assert 'id="fields-met"><strong class="met">9/10</strong>' in page
    assert "Số 12/QĐ-UBND ngày 20/01/2025" in page
    trend = re.search(r'<section id="trend".*?</section>', page, re.S).group(0)
    assert re.findall(r"<td><a href=\"[^\"]+\">(\d{4})</a></td><td class=\"num\">(\d+)/10", trend) == [
        ("2023", "10"), ("2024", "9")]
    # The print button works through site.js (the CSP allows no inline handler).
    assert "smartcommune/results.css" in page and "data-print" in page and "smartcommune/site.js" in page


def test_the_scorecard_prints_on_a4_without_navigation():
    css = (Path(results_app.__file__).parent / "static/smartcommune/results.css").read_text()
    print_rules = css[css.index("@media print"):]
    assert "size: A4" in print_rules and ".site-header" in print_rules and ".no-print" in print_rules


def test_scorecard_evidence_files_only_for_those_whose_roles_reach_it(client, results_world):
    w = results_world.world
    evidence = Evidence(assessment=results_world.a, criterion_code="1.2", kind=EvidenceKind.FILE,
                        original_name="Báo cáo điều tra.pdf", content_type="application/pdf", size=5,
                        uploaded_by=w.officer_a)
    evidence.file.save("x.pdf", ContentFile(b"%PDF-"), save=True)
    download = reverse("rounds:evidence_download", args=[evidence.pk])
    public = text(get(client, None, scorecard_url(w.a)))
    assert "Báo cáo điều tra.pdf" in public and download not in public
    other = text(get(client, w.officer_b, scorecard_url(w.a)))
    assert "Báo cáo điều tra.pdf" in other and download not in other
    own = text(get(client, w.officer_a, scorecard_url(w.a)))
    assert f'href="{download}"' in own


# -- synthetic rounds, the index, the national summary, links --------------------------------------


@pytest.fixture
def synthetic(results_world):
    SyntheticRound.objects.create(round=results_world.round_2024, seed=1, key_check="x")
    yield
    forget()  # the banner's cached answer must not outlive this test's rolled-back row


def test_every_public_page_of_a_synthetic_round_says_so(client, results_world, synthetic):
    w = results_world.world
    for url in (overview_url(), reverse("results:map", args=["83", 2024]), scorecard_url(w.a),
                reverse("results:national", args=[2024])):
        page = text(get(client, None, url))
        assert '<p class="synthetic-note" role="note"><strong>Dữ liệu mô phỏng</strong>' in page, url
    assert get(client, None, reverse("results:overview_json", args=["83", 2024])).json()["synthetic"] is True
    assert 'class="synthetic-note"' not in text(get(client, None, overview_url(2023)))


def test_index_lists_years_with_visible_results(client, results_world):
    page = text(get(client, None, reverse("results:index")))
    assert overview_url(2024) in page and overview_url(2023) in page
    assert reverse("results:map", args=["83", 2024]) in page


def test_national_summary_page(client, results_world):
    page = text(get(client, results_world.world.secretariat, reverse("results:national", args=[2024])))
    row = re.search(r"<tr><th scope=\"row\">.*?</tr>", page, re.S).group(0)
    assert "Tỉnh Bến Tre" in row and re.findall(r'<td class="num">([^<]*)</td>', row)[:4] == ["3", "1", "1", "1"]
    public = text(get(client, None, reverse("results:national", args=[2024])))
    assert "Chỉ tính kết quả đã công bố." in public


def test_links_to_the_results(client, results_world):
    w = results_world.world
    landing = text(get(client, None, "/"))
    assert f'href="{reverse("results:index")}"' in landing
    home = text(get(client, w.secretariat, "/"))
    assert f'href="{reverse("results:index")}">Kết quả</a>' in home
    round_page = text(get(client, w.secretariat, reverse("rounds:round_overview", args=[results_world.round_2024.pk])))
    assert f'href="{overview_url()}?set=ben-tre-2021-2025"' in round_page
