"""The ranking page in chromium: reached from the overview, the public sees the published
results ranked (ties shown with "="), and the page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from smartcommune.rounds.models import Status as Workflow
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.watch import watch
from tests.results.fixtures import results_world, set_status  # noqa: F401  (results_world: fixture)
from tests.rounds.fixtures import world  # noqa: F401  (fixture)


def test_the_public_ranking_from_the_overview(page: Page, live_server, results_world) -> None:  # noqa: F811
    set_status(results_world.b, Workflow.PUBLISHED, recognised=False)  # C stays a draft
    broken = watch(page, local_only=True)
    page.goto(live_server.url + "/results/83/2024/")
    page.locator("nav.r-links").get_by_role("link", name="Xếp hạng").click()
    expect(page.locator("h1")).to_have_text("Xếp hạng kết quả năm 2024 — Tỉnh Bến Tre")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(2)  # the draft C is not ranked in public
    expect(rows.nth(0).locator("th")).to_have_text("Phường Phú Khương")
    expect(rows.nth(0).locator("td.rank")).to_have_text("1")
    expect(rows.nth(1).locator("td.rank")).to_have_text("2")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Huyện").select_option(label="Thành phố Bến Tre")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.ranking caption")).to_have_text("Xếp hạng các xã của Thành phố Bến Tre")
    expect(rows).to_have_count(2)
    assert_no_serious_axe_violations(page)
    assert broken == []
