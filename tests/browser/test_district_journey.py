"""The district reviewer's journey (issue 14), in chromium: which communes have not
submitted (a reporting rate with deadlines), review actions beside each criterion, and a
forward step with a summary and a confirmation at the end of the page.  Every page passes
axe-core (no serious or critical violation).  Screenshots: ``/tmp/district-*.png``.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, expect

from smartcommune.rounds.models import Assessment
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.test_round_journey import PASSWORD, expect_message, expect_status, signed_in
from tests.rounds.fixtures import assessment_of, fill, open_round, step, world  # noqa: F401

COMMENT = "Nguồn số liệu chưa ghi số báo cáo; đề nghị bổ sung."


@pytest.fixture
def district_world(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    round_ = open_round(world)
    for commune, officer in ((world.a, world.officer_a), (world.b, world.officer_b)):
        step(officer, fill(assessment_of(round_, commune), officer), "submit")
    world.district1.password = make_password(PASSWORD)
    world.district1.save(update_fields=["password"])
    world.round = round_
    return world


def test_the_district_sees_who_has_not_submitted_reviews_beside_each_criterion_and_confirms(
    browser: Browser, live_server, district_world
) -> None:
    w = district_world
    a, b = assessment_of(w.round, w.a), assessment_of(w.round, w.b)
    with signed_in(browser, live_server, "district1") as page:
        page.locator(".site-nav").get_by_role("link", name="Hàng chờ huyện").click()
        rate = page.locator("#reporting-2024")
        expect(rate.locator(".rate")).to_have_text("2/2 xã đã nộp (100 %)")
        assert_no_serious_axe_violations(page)

        # B: returned from its criterion card.
        page.locator("tbody tr", has_text=w.b.name).get_by_role("link").click()
        expect(page).to_have_url(f"{live_server.url}/assessments/{b.pk}/")
        crit = page.locator("#crit-1-2")
        crit.get_by_label("Trả lại tiêu chí 1.2 cho xã").check()
        crit.get_by_label("Lý do trả lại tiêu chí 1.2").fill(COMMENT)
        assert_no_serious_axe_violations(page)
        page.get_by_role("button", name="Trả hồ sơ về xã (các tiêu chí đã đánh dấu)").click()
        expect_message(page, f"Đã trả hồ sơ {w.b.name} (2024) về xã (tiêu chí 1.2).")
        expect_status(page, "returned", "Bị trả lại")
        assert Assessment.objects.get(pk=b.pk).values.get(criterion_code="1.2").review_comment == COMMENT

        # The reporting rate now lists B as not submitted, with its deadline.
        page.locator(".site-nav").get_by_role("link", name="Hàng chờ huyện").click()
        expect(rate.locator(".rate")).to_have_text("1/2 xã đã nộp (50 %)")
        missing = rate.locator("tbody tr")
        expect(missing).to_have_count(1)
        expect(missing).to_contain_text(w.b.name)
        expect(missing).to_contain_text("31/01/2099")
        page.screenshot(path="/tmp/district-1-reporting.png", full_page=True)

        # A: the summary and the confirmation at the end of the page.
        page.locator("tbody tr", has_text=w.a.name).get_by_role("link").click()
        page.locator("section.actions").get_by_role("link", name=re.compile("^Thẩm định")).click()
        review = page.locator("#district-review")
        expect(review.locator(".review-summary")).to_contain_text("Kết quả xã đề nghị: 10/10 lĩnh vực đạt (cần 7)")
        expect(review.locator(".review-summary")).to_contain_text("Đã nhập 23/23 tiêu chí")
        review.get_by_role("button", name="Chuyển hồ sơ lên sở").click()
        expect_status(page, "submitted", "Đã nộp")  # the browser asks for the confirmation first
        review.get_by_label("đồng ý chuyển lên các sở").check()
        page.screenshot(path="/tmp/district-2-forward.png")
        review.get_by_role("button", name="Chuyển hồ sơ lên sở").click()
        expect_message(page, f"Đã chuyển hồ sơ {w.a.name} (2024) lên các sở.")
        expect_status(page, "district_reviewed", "Huyện đã thẩm định")
        expect(page.locator("#district-review")).to_have_count(0)
        assert_no_serious_axe_violations(page)
