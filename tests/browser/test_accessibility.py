"""The accessibility check itself: axe-core, installed from the npm registry, runs in the
page despite the strict Content-Security-Policy, and finds what it should."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from smartcommune.units.actions import do_load_units
from tests.browser.accessibility import assert_no_serious_axe_violations, axe_violations


def test_axe_runs_under_the_content_security_policy_and_the_public_pages_pass(page: Page, live_server) -> None:
    do_load_units()
    response = page.goto(live_server.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_no_serious_axe_violations(page)
    page.goto(live_server.url + "/login/")
    assert_no_serious_axe_violations(page)


def test_axe_finds_a_serious_violation(page: Page, live_server) -> None:
    # An image without a text alternative is "critical" for axe (rule image-alt): the
    # helper must fail on it, or it would pass every page whatever they hold.
    do_load_units()
    page.goto(live_server.url + "/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in {v["id"] for v in axe_violations(page)}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_serious_axe_violations(page)


def test_the_error_pages_have_the_layout_a_way_back_and_pass(page: Page, live_server) -> None:
    # Issue 14 ("Everyone"): a 404 in the product's layout, Vietnamese whatever the
    # browser's language, with a way back; and accessible.
    do_load_units()
    page.set_extra_http_headers({"Accept-Language": "en-US,en;q=0.9"})
    response = page.goto(live_server.url + "/khong-co-trang-nay/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator(".site-nav").is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible()
    assert_no_serious_axe_violations(page)
