"""A citizen on a phone (375 px wide, touch) reads the published results of a whole province:
Bến Tre's 148 real communes in its 9 districts, with synthetic values, all published
(bench/load_national.py builds it, with a synthetic province of two communes beside it).

What they see at each step: the index says how many communes the province has; the overview
puts the summaries and the fields (named) before the table, and the table is one row per
commune (name, fields met, recognised) that opens its scorecard; "find my commune" finds
"Xã Tân Thạch" typed without accents, with and without JavaScript; the map can be tapped
into (a district zooms in until every commune is a 44 px target), panned and zoomed, and has
the list of communes by district beside it; the national total has no blank cell; every
page ends with the owner, the contact and the accessibility statement.  axe-core finds no
serious or critical violation on any of these screens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from django.utils import timezone

from bench.load_national import build
from smartcommune.rounds.models import Assessment
from smartcommune.units.models import Level, Unit
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.browser.test_results import _fits
from tests.browser.watch import watch

YEAR = 2023
COMMUNES = 148
SYNTHETIC = 2
DISTRICTS = 9
TARGET_PX = 44
# The overview of 148 communes on a phone: the matrix alone used to make it 34,000 px tall.
MAX_OVERVIEW_HEIGHT_PX = 15_000
# A page of a live server on a busy machine (8 sessions on 2 cores) can take longer than
# the default 10 s, the first one above all.
FIRST_PAGE_MS = 60_000


@pytest.fixture
def province(live_server) -> str:
    # The loader wants a synthetic province beside the real one: one of two communes (its least).
    build(provinces=2, communes=COMMUNES + SYNTHETIC, years=(YEAR,), seed=3, real_ben_tre=True, log=lambda *_: None)
    # Every result published, so the public sees the whole province (the longest pages).
    Assessment.objects.exclude(status="published").update(status="published", published_at=timezone.now())
    return live_server.url


def _viewbox(page: Page) -> list[float]:
    return [float(v) for v in page.locator("#commune-map").get_attribute("viewBox").split()]


def test_overview_on_a_phone_is_one_row_per_commune(phone_page: Page, province) -> None:
    page, broken = phone_page, watch(phone_page, local_only=True)
    page.goto(province + "/results/", timeout=FIRST_PAGE_MS)
    row = page.locator("table.r-index tbody tr", has_text=str(YEAR)).filter(has_text="Tỉnh Bến Tre")
    expect(row.locator(".province-communes")).to_have_text(str(COMMUNES))
    expect(row.locator(".published")).to_have_text(str(COMMUNES))
    assert_no_serious_axe_violations(page)
    row.get_by_role("link", name="Bảng tổng hợp").click()

    expect(page.locator("h1")).to_contain_text(f"năm {YEAR} — Tỉnh Bến Tre")
    expect(page.locator("#count-communes")).to_have_text(str(COMMUNES))
    # The fields, by name, before the table; no hover needed.
    fields = page.locator("#fields .field-bars li")
    expect(fields).to_have_count(10)
    expect(fields.first.locator(".name")).to_be_visible()
    expect(fields.first.locator(".name")).to_have_text("Hạ tầng thông tin")
    assert page.locator("#fields").bounding_box()["y"] < page.locator("#matrix").bounding_box()["y"]
    assert page.locator("#closest").bounding_box()["y"] < page.locator("#matrix").bounding_box()["y"]

    rows = page.locator("table.matrix tbody tr")
    expect(rows).to_have_count(COMMUNES)
    first = rows.first
    for shown in ("th.name a", "td.fields-met", "td.r"):
        expect(first.locator(shown)).to_be_visible()
    for hidden in ("td.c", "td.d", "td.f >> nth=0", "td.p", "td.w"):
        expect(first.locator(hidden)).to_be_hidden()
    expect(first.locator("td.fields-met")).to_have_text(re.compile(r"^\d+/10$"))
    link = first.locator("th.name a")
    assert link.bounding_box()["height"] >= TARGET_PX
    _fits(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_OVERVIEW_HEIGHT_PX, height
    page.screenshot(path="/tmp/phone-overview.png", full_page=True)
    assert_no_serious_axe_violations(page)

    name = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("#fields-met")).to_be_visible()
    _fits(page)
    assert_no_serious_axe_violations(page)
    assert broken == []


def _find_tan_thach(page: Page, start: str, *, axe: bool = False) -> None:
    page.goto(start, timeout=FIRST_PAGE_MS)
    page.get_by_label("Tìm xã của bạn").fill("tan thach")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator("h1")).to_have_text("Tìm xã")
    hits = page.locator(".search-results li")
    expect(hits).to_have_count(1)
    expect(hits.locator(".name")).to_have_text("Xã Tân Thạch")
    expect(hits).to_contain_text("Huyện Châu Thành, Tỉnh Bến Tre")
    if axe:
        assert_no_serious_axe_violations(page)
    hits.get_by_role("link", name=f"Kết quả năm {YEAR}").click()
    expect(page.locator("h1")).to_contain_text("Xã Tân Thạch")
    expect(page.locator("h1")).to_contain_text(str(YEAR))


def test_find_my_commune_without_accents_from_every_results_page(phone_page: Page, province) -> None:
    broken = watch(phone_page, local_only=True)
    tan_thach = Unit.objects.get(level=Level.COMMUNE, name="Xã Tân Thạch")
    for path in ("/results/", f"/results/83/{YEAR}/", f"/results/83/{YEAR}/map/", f"/results/national/{YEAR}/",
                 f"/results/scorecard/{tan_thach.pk}/{YEAR}/"):
        _find_tan_thach(phone_page, province + path, axe=path == "/results/")
    assert broken == []


@pytest.fixture
def phone_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_find_my_commune_works_without_javascript(phone_without_js: Page, province) -> None:
    _find_tan_thach(phone_without_js, province + f"/results/83/{YEAR}/")


def test_map_on_a_phone_taps_into_a_district_pans_and_zooms(phone_page: Page, province) -> None:
    page, broken = phone_page, watch(phone_page, local_only=True)
    page.goto(province + f"/results/83/{YEAR}/map/", timeout=FIRST_PAGE_MS)
    expect(page.locator("#commune-map a.marker")).to_have_count(COMMUNES)
    expect(page.locator("#commune-map polygon.district")).to_have_count(DISTRICTS)
    expect(page.locator("#commune-map .district-name", has_text="Huyện Châu Thành")).to_be_visible()
    # The list beside the map: every commune, by district, each a 44 px target.
    groups = page.locator(".map-list details")
    expect(groups).to_have_count(DISTRICTS)
    expect(page.locator(".map-list li")).to_have_count(COMMUNES)
    chau_thanh = groups.filter(has_text="Huyện Châu Thành")
    chau_thanh.locator("summary").click()
    listed = chau_thanh.get_by_role("link", name="Xã Tân Thạch")
    expect(listed).to_be_visible()
    assert listed.bounding_box()["height"] >= TARGET_PX
    _fits(page)
    page.screenshot(path="/tmp/phone-map.png", full_page=True)
    assert_no_serious_axe_violations(page)

    # At the province's scale a commune is too small to tap: a tap where Tân Thạch lies zooms
    # into its district, and then it and its neighbours are targets of at least 44 px.
    marker = page.locator('#commune-map a.marker[data-unit="28804"]')
    page.locator("#map-figure").scroll_into_view_if_needed()
    small = marker.locator("circle").bounding_box()
    assert small["width"] < TARGET_PX
    page.touchscreen.tap(small["x"] + small["width"] / 2, small["y"] + small["height"] / 2)
    expect(page.locator("#commune-map")).to_have_class(re.compile(r"\bzoomed\b"))
    big = marker.locator("circle").bounding_box()
    assert big["width"] >= TARGET_PX and big["height"] >= TARGET_PX, big
    page.screenshot(path="/tmp/phone-map-zoomed.png")
    assert_no_serious_axe_violations(page)

    # Pan by dragging, zoom with the buttons (each a 44 px target), back to the province.
    before = _viewbox(page)
    svg = page.locator("#commune-map").bounding_box()
    page.mouse.move(svg["x"] + svg["width"] / 2, svg["y"] + svg["height"] / 2)
    page.mouse.down()
    page.mouse.move(svg["x"] + svg["width"] / 2 + 60, svg["y"] + svg["height"] / 2 + 30, steps=5)
    page.mouse.up()
    after = _viewbox(page)
    assert after[0] < before[0] and after[2] == pytest.approx(before[2])
    zoom_in = page.get_by_role("button", name="Phóng to")
    assert zoom_in.bounding_box()["height"] >= TARGET_PX and zoom_in.bounding_box()["width"] >= TARGET_PX
    zoom_in.click()
    assert _viewbox(page)[2] < after[2]
    page.get_by_role("button", name="Toàn tỉnh").click()
    expect(page.locator("#commune-map")).not_to_have_class(re.compile(r"\bzoomed\b"))

    page.locator("#map-figure").scroll_into_view_if_needed()
    small = marker.locator("circle").bounding_box()
    page.touchscreen.tap(small["x"] + small["width"] / 2, small["y"] + small["height"] / 2)
    expect(page.locator("#commune-map")).to_have_class(re.compile(r"\bzoomed\b"))
    box = marker.locator("circle").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("h1")).to_contain_text("Xã Tân Thạch")
    assert broken == []


def test_national_total_and_the_footer(phone_page: Page, province) -> None:
    page, broken = phone_page, watch(phone_page, local_only=True)
    page.goto(province + f"/results/national/{YEAR}/", timeout=FIRST_PAGE_MS)
    total = page.locator("table.data tfoot td")
    expect(total).to_have_count(5)
    for i in range(5):
        expect(total.nth(i)).not_to_have_text(re.compile(r"^\s*$"))
    expect(total.first).to_have_text(str(COMMUNES + SYNTHETIC))
    assert_no_serious_axe_violations(page)
    footer = page.locator("footer.site-footer")
    expect(footer).to_contain_text("Cơ quan chủ quản: Sở Khoa học và Công nghệ tỉnh Vĩnh Long")
    footer.get_by_role("link", name="Tuyên bố về khả năng tiếp cận").click()
    expect(page.locator("h1")).to_have_text("Tuyên bố về khả năng tiếp cận")
    _fits(page)
    assert_no_serious_axe_violations(page)
    assert broken == []
