"""The agency verifier's journey (issue 14), in chromium at 1366 x 768: the home page's rows
lead to the items, the queue filters and sorts, evidence opens in place, verifying an
item without evidence asks first, notifications come grouped and can all be marked read,
and the top menu keeps "Đăng xuất" on its line.  Every page passes axe-core (no serious or
critical violation).  Screenshots: ``/tmp/verifier-*.png``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, Page, expect

from smartcommune.rounds.actions import do_add_evidence
from smartcommune.rounds.models import CriterionValue, Notification
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.test_round_journey import PASSWORD, expect_message, signed_in
from tests.rounds.fixtures import CRITERIA, assessment_of, fill, open_round, step, world  # noqa: F401

AGENCY = "SYT"
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def verifier_world(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    round_ = open_round(world)
    codes = sorted(c.code for c in CRITERIA.criteria if AGENCY in c.lead_agencies)
    a, b = assessment_of(round_, world.a), assessment_of(round_, world.b)
    # Commune A documents its first criterion of the agency; B gives no evidence at all.
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code=codes[0], kind="document",
                    document_number="88/BC-UBND")
    do_add_evidence(actor=world.officer_a, assessment=a, criterion_code=codes[0], kind="link",
                    url="https://phukhuong.bentre.gov.vn/bao-cao")
    for x, officer in ((a, world.officer_a), (b, world.officer_b)):
        x = step(officer, fill(x, officer), "submit")
        step(world.district1, x, "district_forward")
    verifier = world.verifiers[AGENCY]
    # A long name, as real ones are: the menu must still keep "Đăng xuất" on its line.
    verifier.first_name, verifier.last_name = "Nguyễn Thị Minh Khai", "Sở Y tế tỉnh Bến Tre (mô phỏng)"
    verifier.password = make_password(PASSWORD)
    verifier.save()
    world.codes, world.verifier = codes, verifier
    world.a_assessment, world.b_assessment = assessment_of(round_, world.a), assessment_of(round_, world.b)
    return world


def same_line(page: Page, first, last) -> bool:
    a, b = first.bounding_box(), last.bounding_box()
    return abs(a["y"] - b["y"]) < a["height"] / 2


def test_the_verifier_filters_opens_evidence_in_place_and_is_warned(browser: Browser, live_server,
                                                                     verifier_world) -> None:
    w = verifier_world
    codes = w.codes
    with signed_in(browser, live_server, w.verifier.username, viewport=LAPTOP,
                   shown_as=w.verifier.get_full_name()) as page:
        nav = page.locator(".site-nav")
        expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
        assert same_line(page, nav.get_by_role("link", name="Việc của tôi"), nav.get_by_role("button", name="Đăng xuất"))
        assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
        page.screenshot(path="/tmp/verifier-1-home.png")
        assert_no_serious_axe_violations(page)

        # The home page's rows link to the item.
        row = page.locator("#agency tbody tr").first
        row.get_by_role("link", name=w.a.name, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/assessments/{w.a_assessment.pk}/#crit-{codes[0].replace('.', '-')}")
        page.go_back()

        # The queue: filters and sorting.
        nav.get_by_role("link", name="Hàng chờ của sở").click()
        expect(page.locator("#queue-count")).to_have_text(str(2 * len(codes)))
        page.get_by_label("Tiêu chí", exact=True).select_option(codes[0])
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator("#queue-count")).to_have_text("2")
        page.get_by_label("Tiêu chí", exact=True).select_option("")
        page.get_by_label("Chưa có minh chứng").check()
        page.get_by_label("Sắp xếp theo").select_option("commune")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator("#queue-count")).to_have_text(str(2 * len(codes) - 1))
        names = page.locator("table.queue tbody tr td:nth-child(2) a").all_inner_texts()
        assert names == sorted(names)
        page.get_by_label("Chưa có minh chứng").uncheck()
        page.get_by_label("Kết quả tính").select_option("not_met")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator("#queue-count")).to_have_text("0")
        page.get_by_label("Kết quả tính").select_option("met")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator("#queue-count")).to_have_text(str(2 * len(codes)))
        assert_no_serious_axe_violations(page)

        # Evidence opens in place: the document number and the link.
        item = page.locator(f'[id="item-{w.a_assessment.pk}-{codes[0]}"]')
        item.locator("details.ev-open > summary").click()
        expect(item.locator(".ev-list")).to_contain_text("Văn bản số 88/BC-UBND")
        expect(item.get_by_role("link", name="https://phukhuong.bentre.gov.vn/bao-cao")).to_be_visible()
        page.screenshot(path="/tmp/verifier-2-queue.png")
        assert_no_serious_axe_violations(page)

        # Verifying an item with no evidence asks first; saying no changes nothing.
        bare = page.locator(f'[id="item-{w.b_assessment.pk}-{codes[0]}"]')
        expect(bare.locator(".no-evidence")).to_have_text("Chưa có minh chứng")
        asked: list[str] = []

        def answer(dialog, accept: bool) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda d: answer(d, False))
        bare.get_by_role("button", name="Xác minh", exact=True).click()
        expect(bare).to_be_visible()
        assert asked and "chưa có minh chứng" in asked[0]
        assert CriterionValue.objects.get(assessment=w.b_assessment, criterion_code=codes[0]).review_status == "pending"
        page.once("dialog", lambda d: answer(d, True))
        bare.get_by_role("button", name="Xác minh", exact=True).click()
        expect_message(page, f"Đã xác minh tiêu chí {codes[0]} của {w.b.name} (2024).")
        assert len(asked) == 2

        # A documented item is verified without a question.
        item.get_by_role("button", name="Xác minh", exact=True).click()
        expect_message(page, f"Đã xác minh tiêu chí {codes[0]} của {w.a.name} (2024).")
        assert len(asked) == 2

        # Notifications: one group per round and day, not one line per commune.
        unread = Notification.objects.filter(recipient=w.verifier, read_at__isnull=True).count()
        assert unread == 2
        nav.get_by_role("link", name="Thông báo").click()
        groups = page.locator("details.notification-group")
        expect(groups).to_have_count(1)
        expect(groups.locator("summary")).to_contain_text("Tỉnh Bến Tre — năm 2024: 2 thông báo")
        expect(groups.locator("summary .badge")).to_have_text("2 mới")
        assert_no_serious_axe_violations(page)
        page.screenshot(path="/tmp/verifier-3-notifications.png")
        page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
        expect_message(page, "Đã đánh dấu 2 thông báo là đã đọc.")
        expect(page.locator("#notification-count")).to_contain_text("2 thông báo, 0 chưa đọc")
        assert not Notification.objects.filter(recipient=w.verifier, read_at__isnull=True).exists()
