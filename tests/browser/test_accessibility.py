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
