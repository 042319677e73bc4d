"""The landing page as a person sees it in chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from smartcommune.units.actions import do_load_units

CRITERIA_SET_NAME = "Mô hình xã thông minh tỉnh Bến Tre giai đoạn 2021–2025"
GROUPS = 10
CRITERIA = 23
BRAND_BLUE = "rgb(11, 92, 171)"  # --brand in site.css

# Slack for sub-pixel rounding when checking that nothing is wider than the screen.
OVERFLOW_TOLERANCE_PX = 2


def _open_home(page: Page, live_server) -> list[str]:
    """Open the home page; return the URLs of the requests that failed or were >= 400."""
    broken: list[str] = []

    def on_response(response) -> None:
        if response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("requestfailed", lambda request: broken.append(f"failed {request.url}"))
    response = page.goto(live_server.url + "/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    return broken


def test_home_shows_the_criteria_set_and_the_loaded_units(page: Page, live_server) -> None:
    do_load_units()

    broken = _open_home(page, live_server)

    assert broken == []
    expect(page).to_have_title(re.compile(re.escape(CRITERIA_SET_NAME)))
    expect(page.locator("h1")).to_have_text(CRITERIA_SET_NAME)

    table = page.locator("table.criteria")
    expect(table.locator("tbody tr.group")).to_have_count(GROUPS)
    expect(table.locator("tbody tr:not(.group)")).to_have_count(CRITERIA)
    expect(table.locator("thead th")).to_have_text(["Mã", "Tiêu chí", "Chỉ tiêu", "Cơ quan chủ trì"])

    # The wording may change; the numbers are Bến Tre's 9 districts and 148 communes
    # before the reform and Vĩnh Long's 124 communes after it.
    units = page.locator("p.units").inner_text()
    assert "01/07/2025" in units
    assert re.findall(r"\d+", units.replace("01/07/2025", "")) == ["9", "148", "124"]

    # The stylesheet loaded: the header is brand blue, not the default transparent.
    header_background = page.locator("header.site-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_background == BRAND_BLUE

    page.screenshot(path="/tmp/home.png", full_page=True)


def test_home_fits_a_phone_screen(phone_page: Page, live_server) -> None:
    do_load_units()

    broken = _open_home(phone_page, live_server)

    assert broken == []
    expect(phone_page.locator("h1")).to_have_text(CRITERIA_SET_NAME)
    width = phone_page.evaluate("document.documentElement.clientWidth")
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width == 375
    assert scroll_width <= width + OVERFLOW_TOLERANCE_PX, (
        f"the page scrolls sideways on a 375 px phone: {scroll_width} px wide"
    )

    phone_page.screenshot(path="/tmp/home-phone.png", full_page=True)
