"""The public results as an anonymous visitor sees them in chromium, on a desktop and a
phone: the index, the overview of a published year (fields met, closest to recognition and
what each lacks), the map (a marker leads to the scorecard) and the scorecard itself.

Set-up in Python (tests/results/fixtures.py): Bến Tre 2023 and 2024; in 2024 A (9 of 10
fields) and B (6 of 10, one field short) are published, C is a draft nobody outside sees.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from smartcommune.rounds.models import Status as Workflow
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.watch import watch
from tests.results.fixtures import results_world, set_status  # noqa: F401  (results_world: fixture)
from tests.rounds.fixtures import world  # noqa: F401  (fixture)

HOUSEHOLDS_GAP = "còn thiếu 37 hộ gia đình có thiết bị thông minh"
OVERFLOW_TOLERANCE_PX = 2
PLACES = {"a": ("10.2431", "106.3756"), "b": ("10.2512", "106.3880"), "c": ("10.2890", "106.3300")}


@pytest.fixture
def published(results_world):  # noqa: F811
    set_status(results_world.b, Workflow.PUBLISHED, recognised=False)
    for key, (lat, lon) in PLACES.items():
        unit = getattr(results_world.world, key)
        unit.latitude, unit.longitude = Decimal(lat), Decimal(lon)
        unit.save()
    return results_world


def _fits(page: Page) -> None:
    """Nothing is wider than the screen (wide tables scroll inside their own box).  Against
    the configured viewport: a phone widens its layout viewport to fit overflowing content."""
    overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
    assert overflow <= OVERFLOW_TOLERANCE_PX, f"page is {overflow}px wider than the screen"


def _journey(page: Page, live_server, *, phone: bool) -> None:
    broken = watch(page, local_only=True)
    page.goto(live_server.url + "/")
    page.locator(".site-nav").get_by_role("link", name="Kết quả").click()
    expect(page.locator("h1")).to_have_text("Kết quả đánh giá xã thông minh")
    page.locator("table.r-index tr", has_text="2024").get_by_role("link", name="Bảng tổng hợp").click()

    expect(page.locator("h1")).to_contain_text("năm 2024 — Tỉnh Bến Tre")
    expect(page.get_by_text("Chỉ hiển thị kết quả đã công bố.")).to_be_visible()
    matrix = page.locator("table.matrix")
    expect(matrix.locator("tbody tr")).to_have_count(2)  # C is a draft: not public
    expect(matrix.locator('tr[data-unit="28756"] td.fields-met')).to_have_text("9/10")
    expect(matrix.locator('tr[data-unit="28759"] td.fields-met')).to_have_text("6/10")
    expect(page.get_by_text("Xã Tân Thạch")).to_have_count(0)
    closest = page.locator("#closest .closest-item")
    expect(closest).to_have_count(1)
    expect(closest.locator("h3")).to_contain_text("Phường Phú Tân")
    expect(closest.locator("h3")).to_contain_text("còn thiếu 1 lĩnh vực")
    expect(closest.get_by_text(HOUSEHOLDS_GAP)).to_be_visible()
    _fits(page)
    page.screenshot(path=f"/tmp/results-overview{'-phone' if phone else ''}.png", full_page=True)
    assert_no_serious_axe_violations(page)

    page.locator(".r-links").get_by_role("link", name="Bản đồ").click()
    markers = page.locator("#commune-map a.marker")
    expect(markers).to_have_count(2)
    _fits(page)
    page.screenshot(path=f"/tmp/results-map{'-phone' if phone else ''}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    if phone:
        # Too small to tap at the province's scale: a tap on the district zooms in, and then
        # every commune is a target of at least 44 px.
        # A tap on the district where B lies: the map zooms in around it.
        # The map's script has drawn it (before that a tap follows the commune's link).
        expect(page.locator("#commune-map")).to_have_class(re.compile(r"\bsmall-markers\b"))
        marker = page.locator('#commune-map a.marker[data-unit="28759"] circle').bounding_box()
        assert marker["width"] < 44
        page.touchscreen.tap(marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2)
        expect(page.locator("#commune-map")).to_have_class(re.compile(r"\bzoomed\b"))
        box = page.locator('#commune-map a.marker[data-unit="28759"] circle').bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    page.locator('#commune-map a.marker[data-unit="28759"] circle').click()

    expect(page.locator("h1")).to_contain_text("Phường Phú Tân")
    expect(page.locator("#fields-met")).to_contain_text("6/10")
    line = page.locator('tr[data-criterion="1.2"]')
    expect(line).to_contain_text("863/1000")
    expect(line).to_contain_text("Chưa đạt")
    expect(line.locator(".gap-text")).to_have_text(HOUSEHOLDS_GAP)
    expect(page.locator('tr[data-criterion="1.1"] .badge')).to_contain_text("Đạt")
    expect(page.locator("#trend .trend-table tbody tr")).to_have_count(2)
    _fits(page)
    page.screenshot(path=f"/tmp/results-scorecard{'-phone' if phone else ''}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    assert broken == []


def test_anonymous_visitor_reads_the_published_results(page: Page, live_server, published) -> None:
    _journey(page, live_server, phone=False)


def test_the_same_on_a_phone(phone_page: Page, live_server, published) -> None:
    _journey(phone_page, live_server, phone=True)
