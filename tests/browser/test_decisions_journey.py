"""The secretariat ("thuky", as in the demo) appraises many communes at once, puts them
into one decision, takes the session's minutes and the decision as documents, and
publishes them, from the round overview, in chromium: filters and counts that are links,
ticked rows and "all that match", a confirmation naming what will happen to how many
communes, the flash messages, the session and decision pages, the documents' contents.

Set-up (units, people, three communes verified by every agency) is made in Python; every
act goes through the pages.  Screenshots: ``/tmp/decisions-*.png``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, expect

from smartcommune.accounts.models import Role
from smartcommune.rounds.models import Assessment, Decision, Status
from tests.browser.test_round_journey import PASSWORD, expect_message, signed_in
from tests.documents.test_documents import docx_text
from tests.rounds.fixtures import open_round, user, world  # noqa: F401  (world: fixture)
from tests.rounds.test_decisions import three


@pytest.fixture
def decision_world(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world.round = open_round(world)
    world.three = three(world, world.round)
    world.thuky = user("thuky", (Role.SECRETARIAT, world.bt, ""))
    world.thuky.password = make_password(PASSWORD)
    world.thuky.save(update_fields=["password"])
    return world


def test_appraise_many_then_one_decision_then_publish(browser: Browser, live_server, decision_world) -> None:
    w = decision_world
    a, b, c = w.three
    overview = f"{live_server.url}/rounds/{w.round.pk}/"
    with signed_in(browser, live_server, "thuky") as page:
        page.goto(overview)
        # The count of "Sở đã xác minh" is a link to the communes at that status.
        page.locator('li[data-status="agency_verified"] a').click()
        expect(page).to_have_url(overview + "?status=agency_verified")
        expect(page.locator("table.data tbody tr")).to_have_count(3)
        expect(page.locator("table.data tbody tr", has_text=w.a.name)).to_contain_text("10/10 (cần 7)")
        page.screenshot(path="/tmp/decisions-0-overview.png", full_page=True)
        # Appraise: every commune of the filter, with one comment.
        page.get_by_label("Chọn tất cả 3 xã khớp bộ lọc").check()
        page.get_by_label("Việc cần làm").select_option("appraise")
        page.get_by_role("button", name="Tiếp tục…").click()
        expect(page.locator("h1")).to_have_text("Thẩm định 3 xã")
        expect(page.locator("#what-happens")).to_contain_text("3 xã sẽ được ghi là đã thẩm định")
        page.get_by_label("Ngày họp thẩm định").fill("2025-01-20")
        page.get_by_label("Thành phần Hội đồng").fill("Nguyễn Văn An, Chủ tịch Hội đồng\nTrần Thị Bình, Ủy viên")
        page.get_by_label("Ý kiến thẩm định").fill("Hồ sơ đầy đủ, số liệu khớp kết quả xác minh")
        page.screenshot(path="/tmp/decisions-1-confirm-appraisal.png")
        page.get_by_role("button", name="Xác nhận: Thẩm định 3 xã").click()
        expect_message(page, "Đã thẩm định 3 xã (phiên họp ngày 20/01/2025).")
        expect(page.locator("h1")).to_contain_text("Phiên thẩm định ngày 20/01/2025")
        expect(page.locator("#appraisal-results tbody tr")).to_have_count(3)
        expect(page.locator("#appraisal-results tbody tr", has_text=w.b.name)).to_contain_text(
            "Không đề nghị công nhận")

        # One decision: the appraised communes, ticked one by one; b not recognised, with a reason.
        page.goto(overview)
        page.locator('li[data-status="appraised"] a').click()
        for x in (a, b, c):
            page.locator(f'tr[data-assessment="{x.pk}"] input[name="item"]').check()
        page.get_by_label("Việc cần làm").select_option("decide")
        page.get_by_role("button", name="Tiếp tục…").click()
        expect(page.locator("h1")).to_have_text("Đưa vào quyết định công nhận 3 xã")
        page.get_by_label("Số quyết định").fill("125/QĐ-UBND")
        page.get_by_label("Ngày quyết định").fill("2025-02-10")
        page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn An")
        expect(page.get_by_label(f"Kết quả của {w.a.name}")).to_have_value("1")
        expect(page.get_by_label(f"Kết quả của {w.b.name}")).to_have_value("0")
        page.get_by_label(f"Lý do không công nhận {w.b.name}").fill("Chưa đạt đủ 7 lĩnh vực")
        page.screenshot(path="/tmp/decisions-2-confirm-decision.png")
        page.get_by_role("button", name="Xác nhận: Đưa vào quyết định công nhận 3 xã").click()
        expect_message(page, "Đã ghi quyết định số 125/QĐ-UBND: 2 xã được công nhận, 1 xã không được công nhận.")
        expect(page.locator("#annex tbody tr")).to_have_count(3)
        expect(page.locator("#annex tbody tr", has_text=w.b.name)).to_contain_text("Chưa đạt đủ 7 lĩnh vực")

        # The round's documents, from its page: the minutes of the session and the decision
        # just recorded, each as Word, with the communes and numbers the record holds.
        page.goto(overview)
        page.get_by_role("link", name="Văn bản của đợt (Word, PDF) và mẫu văn bản của tỉnh").click()
        minutes = page.locator("#province-documents li", has_text="Biên bản thẩm định ngày 20/01/2025")
        with page.expect_download() as download:
            minutes.get_by_role("link", name="DOCX").click()
        text = docx_text(download.value.path().read_bytes())
        assert "BIÊN BẢN" in text and "Nguyễn Văn An" in text
        assert all(x.unit.name in text for x in (a, b, c))
        decision = page.locator("#province-documents li", has_text="Quyết định số 125/QĐ-UBND ngày 10/02/2025")
        with page.expect_download() as download:
            decision.get_by_role("link", name="DOCX").click()
        text = docx_text(download.value.path().read_bytes())
        assert "QUYẾT ĐỊNH" in text and "125/QĐ-UBND" in text and "ngày 10 tháng 02 năm 2025" in text
        assert w.a.name in text and w.c.name in text and "Chưa đạt đủ 7 lĩnh vực" in text
        with page.expect_download() as download:
            decision.get_by_role("link", name="PDF").click()
        assert download.value.path().read_bytes().startswith(b"%PDF-")

        # Publish every decided commune ("all that match", no filter).
        page.goto(overview)
        page.get_by_label("Chọn tất cả 3 xã khớp bộ lọc").check()
        page.get_by_label("Việc cần làm").select_option("publish")
        page.get_by_role("button", name="Tiếp tục…").click()
        expect(page.locator("h1")).to_have_text("Công bố kết quả của 3 xã")
        expect(page.locator("#skipped")).to_have_count(0)
        page.get_by_role("button", name="Xác nhận: Công bố kết quả của 3 xã").click()
        expect_message(page, "Đã công bố kết quả của 3 xã.")
        expect(page.locator('li[data-status="published"] .n')).to_have_text("3")
        page.screenshot(path="/tmp/decisions-3-published.png")
    assert [Assessment.objects.get(pk=x.pk).status for x in (a, b, c)] == [Status.PUBLISHED] * 3
    assert list(Decision.objects.get().lines.order_by("assessment__pk").values_list("recognised", flat=True)) == [
        True, False, True]
