"""A whole yearly round, as the people who do it see it in chromium.

The officer of commune A enters the data and watches the live result, attaches evidence
and submits; the district forwards; an agency returns one item; the officer fixes it and
submits again; every agency verifies its items; the secretariat appraises, records the
decision and publishes; the published result shows it.

Only the set-up (units, users, passwords, the open round) is made in Python; every step
of the journey goes through the pages, each person in a browser context of their own.
Screenshots of the key steps are written to ``/tmp/journey-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, Page, expect

from smartcommune.rounds.access import led_criteria
from smartcommune.rounds.models import CriterionValue
from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.watch import abandoned
from tests.rounds.fixtures import CRITERIA, assessment_of, open_round, world  # noqa: F401  (world: fixture)

PASSWORD = "Ben-Tre-2024!"
SOURCE = "Báo cáo số 152/BC-UBND ngày 10/12/2024 của UBND phường"
SHORT_CODE = "1.2"  # ≥ 90 % of households with a smart device
RETURN_COMMENT = "Số hộ có thiết bị thông minh chưa khớp biên bản điều tra của các khu phố; đề nghị rà soát lại."
ANSWER = "Đã rà soát lại theo biên bản điều tra tháng 12/2024: 940 hộ có thiết bị thông minh."
DECISION_NUMBER = "125/QĐ-UBND"
DECISION_DATE_ISO = "2025-01-20"
DECISION_DATE = "20/01/2025"
DECISION_SIGNER = "Nguyễn Văn An"
PDF_NAME = "Báo cáo điều tra thiết bị thông minh.pdf"
EVIDENCE_URL = "https://phukhuong.bentre.gov.vn/bao-cao-dieu-tra-2024"

# The live result is computed 300 ms after the last keystroke (hx-trigger delay).
LIVE_MS = 5_000


def slug(code: str) -> str:
    return code.replace(".", "-")


# -- people ---------------------------------------------------------------------------------


@contextmanager
def signed_in(browser: Browser, live_server, username: str, *, from_landing: bool = False,
              refusals: str = "", viewport: dict | None = None, shown_as: str = "") -> Iterator[Page]:
    """A fresh browser (context) in which ``username`` logs in through the login form
    (reached from the landing page's "Đăng nhập" link, or opened directly as a bookmark);
    logs out through the navigation bar at the end.  Any HTTP error or script error seen
    on the way fails the step, but for the refusals the step expects: responses whose
    "STATUS METHOD URL" matches the regular expression ``refusals``.  The menu shows the
    person as ``shown_as`` (their full name), by default the user name."""
    context = browser.new_context(**(DESKTOP | ({"viewport": viewport} if viewport else {})))
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    broken: list[str] = []

    def on_response(r) -> None:
        seen = f"{r.status} {r.request.method} {r.url}"
        if r.status >= 400 and not (refusals and re.search(refusals, seen)):
            broken.append(seen)

    page.on("response", on_response)
    page.on("requestfailed", lambda r: None if abandoned(r)
            else broken.append(f"failed {r.method} {r.url}: {r.failure}"))
    page.on("pageerror", lambda e: broken.append(f"script error: {e}"))
    try:
        if from_landing:
            page.goto(live_server.url + "/")
            page.locator(".site-nav").get_by_role("link", name="Đăng nhập").click()
            expect(page).to_have_url(live_server.url + "/login/")
        else:
            page.goto(live_server.url + "/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("form.stacked").get_by_role("button", name="Đăng nhập").click()
        expect(page.locator("h1")).to_have_text("Việc của tôi")
        expect(page.locator(".site-nav .who")).to_have_text(shown_as or username)
        yield page
        page.locator(".site-nav").get_by_role("button", name="Đăng xuất").click()
        expect(page.locator(".site-nav").get_by_role("link", name="Đăng nhập")).to_be_visible()
        assert broken == [], f"{username}: {broken}"
    finally:
        context.close()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages li.success")).to_contain_text(text)


def expect_status(page: Page, status: str, label: str) -> None:
    badge = page.locator("#assessment-status")
    expect(badge).to_have_attribute("data-status", status)
    expect(badge).to_have_text(label)


# -- what the officer types -------------------------------------------------------------------


def type_criterion(page: Page, criterion, numerator: int | None = None, denominator: int | None = None) -> None:
    """Type a passing value (or the given counts) and a source for ``criterion``."""
    code = criterion.code
    if criterion.ratio is not None:
        denominator = denominator if denominator is not None else 40
        numerator = numerator if numerator is not None else denominator
        page.locator(f'[name="numerator-{code}"]').fill(str(numerator))
        page.locator(f'[name="denominator-{code}"]').fill(str(denominator))
    if criterion.boolean is not None:
        page.locator(f'[name="met-{code}"]').select_option("1")  # Đạt
    page.locator(f'[name="source-{code}"]').fill(SOURCE)


def expect_result(page: Page, code: str, status: str, label: str, *, ratio: str | None = None,
                  gap: str | None = None) -> None:
    cell = page.locator(f"#result-{slug(code)}")
    expect(cell).to_have_attribute("data-status", status, timeout=LIVE_MS)
    expect(cell.locator(".badge")).to_have_text(label)
    if ratio is not None:
        expect(cell).to_have_attribute("data-ratio", ratio)
        # The visible ratio follows the page's (Vietnamese) locale: 86,30 %.
        expect(cell.locator(".ratio")).to_have_text(ratio.replace(".", ",") + " %")
    if gap is not None:
        expect(cell).to_have_attribute("data-gap", gap)
        if gap == "0":
            expect(cell.locator(".gap")).to_have_count(0)
        else:
            # With the unit, from the set's numerator label (issue 14).
            expect(cell.locator(".gap")).to_have_text(re.compile(rf"^còn thiếu {gap} \w"))


def expect_fields_met(page: Page, n: int) -> None:
    expect(page.locator("#summary [data-fields-met]")).to_have_attribute("data-fields-met", str(n), timeout=LIVE_MS)
    expect(page.locator("#summary .score")).to_contain_text(f"{n}/10 lĩnh vực đạt")


def submit_from_the_check_page(page: Page, link: str | None, button: str) -> None:
    """From the assessment page (``link``: its "check and submit" link) or already on the
    check page: confirm, submit, and land on the receipt."""
    if link is not None:
        page.locator("section.actions").get_by_role("link", name=link).click()
        expect(page.locator("h1")).to_contain_text("Kiểm tra trước khi nộp")
    page.get_by_label("Tôi đã kiểm tra số liệu và minh chứng").check()
    page.get_by_role("button", name=button, exact=True).click()
    expect_message(page, "Đã nộp hồ sơ.")
    expect(page.locator("h1")).to_have_text("Biên nhận nộp hồ sơ")


# -- the journey ------------------------------------------------------------------------------


@pytest.fixture
def journey_world(world, settings, tmp_path):
    # Evidence files of the test go to its own folder, never to var/uploads.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Sixteen logins: a fast hasher keeps the test quick (the login form and the
    # authentication backend are the same whatever the hasher).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    round_ = open_round(world)  # year 2024, Bến Tre, deadlines far ahead
    hashed = make_password(PASSWORD)
    people = [world.officer_a, world.district1, world.secretariat, *world.verifiers.values()]
    for person in people:
        person.password = hashed
        person.save(update_fields=["password"])
    world.round = round_
    world.assessment = assessment_of(round_, world.a)
    return world


def test_a_round_from_data_entry_to_the_published_recognition(
    browser: Browser, live_server, journey_world, tmp_path
) -> None:
    w = journey_world
    aid = w.assessment.pk
    assessment_url = f"{live_server.url}/assessments/{aid}/"
    where = f"{w.a.name} (2024)"
    short = CRITERIA.criterion(SHORT_CODE)
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")

    # 1. The officer of commune A enters the data, sees the live result, attaches
    #    evidence and submits.
    with signed_in(browser, live_server, "officer_a", from_landing=True) as page:
        row = page.locator("#officer tbody tr", has_text=w.a.name)
        expect(row.locator(".badge")).to_have_text("Nháp")
        row.get_by_role("link", name="Mở hồ sơ").click()
        expect(page).to_have_url(assessment_url)
        expect_status(page, "draft", "Nháp")
        expect_fields_met(page, 0)

        for criterion in CRITERIA.criteria:
            if criterion.code == SHORT_CODE:
                type_criterion(page, criterion, 863, 1000)  # 86.30 %: short of 90 % by 37 households
            else:
                type_criterion(page, criterion)
        expect_result(page, SHORT_CODE, "not_met", "Chưa đạt", ratio="86.30", gap="37")
        expect(page.locator("#field-status-1")).to_have_attribute("data-status", "not_met")
        expect_fields_met(page, 9)
        expect(page.locator("#summary .closest")).to_contain_text("1.2 (còn thiếu 37)")
        expect(page.locator("#results .live-note")).to_contain_text("chưa lưu")
        page.locator(f"#crit-{slug(SHORT_CODE)}").scroll_into_view_if_needed()
        page.screenshot(path="/tmp/journey-1-live-short.png")

        page.locator(f'[name="numerator-{SHORT_CODE}"]').fill("950")
        expect_result(page, SHORT_CODE, "met", "Đạt", ratio="95.00", gap="0")
        expect(page.locator("#field-status-1")).to_have_attribute("data-status", "met")
        expect_fields_met(page, 10)
        expect(page.locator("#summary .verdict")).to_have_attribute("data-smart", "1")
        expect(page.locator("#summary .completeness")).to_have_attribute("data-complete", "1")
        # Live only: nothing is stored until the officer saves.
        assert CriterionValue.objects.get(assessment_id=aid, criterion_code=SHORT_CODE).numerator is None

        page.get_by_role("button", name="Lưu nháp").click()
        expect_message(page, "Đã lưu số liệu.")
        expect(page.locator(f'[name="numerator-{SHORT_CODE}"]')).to_have_value("950")
        expect_result(page, SHORT_CODE, "met", "Đạt", ratio="95.00", gap="0")
        expect_fields_met(page, 10)
        expect(page.locator("#crit-1-2 .stamp").first).to_contain_text("Cập nhật bởi officer_a")

        crit = page.locator(f"#crit-{slug(SHORT_CODE)}")
        crit.locator("details.ev-add > summary").click()
        crit.locator('input[type="file"][name="file"]').set_input_files(pdf)
        crit.locator('input[name="note"]').fill("Kết quả điều tra hộ gia đình năm 2024")
        crit.locator("details.ev-add").get_by_role("button", name="Thêm").click()
        expect_message(page, f"Đã thêm minh chứng cho tiêu chí {SHORT_CODE}.")
        expect(crit.locator(".ev-list li.ev-file .ev-name")).to_have_text(PDF_NAME)

        crit.locator("details.ev-add > summary").click()
        crit.locator('input[name="url"]').fill(EVIDENCE_URL)
        crit.locator("details.ev-add").get_by_role("button", name="Thêm").click()
        expect_message(page, f"Đã thêm minh chứng cho tiêu chí {SHORT_CODE}.")
        expect(crit.locator(".ev-list li")).to_have_count(2)
        expect(crit.locator(".ev-list li.ev-link .ev-name")).to_have_text(EVIDENCE_URL)
        expect(crit.locator(".evidence h3")).to_contain_text("(2)")
        crit.scroll_into_view_if_needed()
        page.screenshot(path="/tmp/journey-2-evidence.png")

        submit_from_the_check_page(page, "Kiểm tra và nộp hồ sơ", "Nộp hồ sơ")
        expect_status(page, "submitted", "Đã nộp")
        page.get_by_role("link", name="Xem hồ sơ").click()
        expect_status(page, "submitted", "Đã nộp")
        expect(page.locator("#entry")).to_have_count(0)
        expect(page.locator(f'[name="numerator-{SHORT_CODE}"]')).to_have_count(0)

    # 2. The district reviewer of A's district forwards it to the agencies.
    with signed_in(browser, live_server, "district1") as page:
        page.locator(".site-nav").get_by_role("link", name="Hàng chờ huyện").click()
        expect(page.locator("h1")).to_have_text("Hàng chờ huyện")
        row = page.locator("tbody tr", has_text=w.a.name)
        expect(row).to_have_count(1)
        row.get_by_role("link", name="Thẩm định: chuyển lên sở hoặc trả về xã").click()
        expect(page).to_have_url(assessment_url)
        expect_status(page, "submitted", "Đã nộp")
        expect(page.locator(f"#crit-{slug(SHORT_CODE)} .ev-list li")).to_have_count(2)
        review = page.locator("#district-review")
        review.get_by_label("đồng ý chuyển lên các sở").check()
        review.get_by_role("button", name="Chuyển hồ sơ lên sở").click()
        expect_message(page, f"Đã chuyển hồ sơ {where} lên các sở.")
        expect_status(page, "district_reviewed", "Huyện đã thẩm định")

    # 3. The verifier of the agency leading 1.2 returns it with a comment.
    lead = short.lead_agencies[0]
    lead_codes = led_criteria(CRITERIA, {lead})
    with signed_in(browser, live_server, w.verifiers[lead].username) as page:
        page.locator(".site-nav").get_by_role("link", name="Hàng chờ của sở").click()
        expect(page.locator("h1")).to_contain_text("Hàng chờ của sở")
        expect(page.locator("#queue-count")).to_have_text(str(len(lead_codes)))
        item = page.locator(f'[id="item-{aid}-{SHORT_CODE}"]')
        expect(item).to_contain_text("950/1000 = 95,00%")
        expect(item.locator("td.num")).to_have_text("2")  # evidence items
        item.locator("details.return > summary").click()
        item.get_by_label("Lý do trả lại").fill(RETURN_COMMENT)
        page.screenshot(path="/tmp/journey-3-agency-return.png")
        item.get_by_role("button", name="Trả lại tiêu chí").click()
        expect_message(page, f"Đã trả lại tiêu chí {SHORT_CODE} của {where}.")
        expect(page).to_have_url(re.compile(r"/queue/agency/$"))
        expect(item).to_have_count(0)
        expect(page.locator("#queue-count")).to_have_text(str(len(lead_codes) - 1))

    # 4. The officer sees the returned item, fixes it, answers and submits again.
    with signed_in(browser, live_server, "officer_a") as page:
        expect(page.locator("#officer h3")).to_contain_text("Tiêu chí bị trả lại (1)")
        returned = page.locator("#officer tr.returned")
        expect(returned).to_have_count(1)
        expect(returned).to_contain_text(SHORT_CODE)
        expect(returned).to_contain_text(RETURN_COMMENT)
        returned.get_by_role("link", name="Giải trình / sửa").click()
        # The link means to land on the returned criterion; its anchor is "#c-1.2" while
        # the criterion's id is "crit-1-2" (see the report), so only the page is checked.
        expect(page).to_have_url(re.compile(re.escape(assessment_url) + "(#.*)?$"))
        expect_status(page, "returned", "Bị trả lại")
        expect(page.locator(".a-head .meta")).to_contain_text("trả lại từ sở")
        crit = page.locator(f"#crit-{slug(SHORT_CODE)}")
        expect(crit).to_have_class(re.compile(r"\bis-returned\b"))
        expect(crit.locator(".review .comment")).to_contain_text(RETURN_COMMENT)
        # Only the returned item can be changed; the others are shown read-only.
        expect(page.locator(f'[name="numerator-{SHORT_CODE}"]')).to_be_editable()
        expect(page.locator('[name="numerator-1.1"]')).to_have_count(0)
        expect(page.locator('[name="met-1.3"]')).to_have_count(0)
        expect(page.locator("#crit-1-1 .ro-value[data-field='numerator']")).to_have_text("40")
        expect(page.locator("#crit-1-3 .ro-value[data-field='met']")).to_have_text("Đạt")
        expect(page.locator("#crit-1-1 details.ev-add")).to_have_count(0)
        page.screenshot(path="/tmp/journey-4-returned.png")

        page.locator(f'[name="numerator-{SHORT_CODE}"]').fill("940")
        expect_result(page, SHORT_CODE, "met", "Đạt", ratio="94.00", gap="0")
        page.get_by_role("button", name="Lưu nháp").click()
        expect_message(page, "Đã lưu số liệu.")
        expect(page.locator(f'[name="numerator-{SHORT_CODE}"]')).to_have_value("940")

        crit.get_by_label("Giải trình (nếu không sửa số liệu)").fill(ANSWER)
        crit.get_by_role("button", name="Gửi giải trình").click()
        # The last returned item answered: straight on to the check page to resubmit.
        expect_message(page, f"Đã gửi giải trình cho tiêu chí {SHORT_CODE}.")
        expect(page.locator("h1")).to_have_text("Kiểm tra trước khi nộp lại")
        expect(page.locator("#check-returned")).to_contain_text(SHORT_CODE)
        submit_from_the_check_page(page, None, "Nộp lại hồ sơ")
        # Returned by an agency: it goes straight back to the agencies, not to the district.
        expect_status(page, "district_reviewed", "Huyện đã thẩm định")
        page.get_by_role("link", name="Xem hồ sơ").click()
        expect(crit.locator(".review .answer")).to_contain_text(ANSWER)

    # 5. Every agency verifies its items from its queue.  Criterion 7 is led by three
    #    agencies: whichever comes first verifies it, the others no longer see it.
    done: set[str] = set()
    for agency in sorted(w.verifiers):
        todo = sorted(led_criteria(CRITERIA, {agency}) - done)
        with signed_in(browser, live_server, w.verifiers[agency].username) as page:
            # Most items have no evidence: the verifier says yes when asked (issue 14).
            asked: list[str] = []
            page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
            page.locator(".site-nav").get_by_role("link", name="Hàng chờ của sở").click()
            expect(page.locator("#queue-count")).to_have_text(str(len(todo)))
            rows = page.locator("table.queue tbody tr")
            expect(rows).to_have_count(len(todo))
            assert sorted(rows.evaluate_all("rs => rs.map(r => r.id)")) == sorted(f"item-{aid}-{c}" for c in todo)
            if SHORT_CODE in todo:
                answered = page.locator(f'[id="item-{aid}-{SHORT_CODE}"]')
                expect(answered.locator(".badge.review-answered")).to_have_text("Đã giải trình")
                expect(answered).to_contain_text(ANSWER)
                expect(answered).to_contain_text("940/1000 = 94,00%")
            if not todo:
                expect(page.locator("p.empty")).to_have_text("Không có tiêu chí nào chờ xác minh.")
            for code in todo:
                item = page.locator(f'[id="item-{aid}-{code}"]')
                item.get_by_role("button", name="Xác minh", exact=True).click()
                expect_message(page, f"Đã xác minh tiêu chí {code} của {where}.")
                expect(item).to_have_count(0)
            assert len(asked) == len(set(todo) - {SHORT_CODE})  # 1.2 has evidence: no question
            done |= set(todo)
    assert done == {c.code for c in CRITERIA.criteria}

    # 6. The secretariat appraises, records the decision and publishes.
    with signed_in(browser, live_server, "secretariat") as page:
        page.locator("#secretariat .round-card h3 a").click()
        expect(page.locator("h1")).to_contain_text("Đợt đánh giá năm 2024")
        page.locator("table.data tbody tr", has_text=w.a.code).get_by_role("link", name=w.a.name).click()
        expect(page).to_have_url(assessment_url)
        expect_status(page, "agency_verified", "Sở đã xác minh")
        expect(page.locator(".review-verified")).to_have_count(len(CRITERIA.criteria))

        actions = page.locator("section.actions")
        actions.get_by_role("button", name="Thẩm định hồ sơ").click()
        expect_message(page, f"Đã thẩm định hồ sơ {where}.")
        expect_status(page, "appraised", "Đã thẩm định")

        actions.locator("details.action-form > summary", has_text="Ghi quyết định công nhận").click()
        form = actions.locator("details.action-form[open] form")
        form.get_by_label("Số quyết định").fill(DECISION_NUMBER)
        form.get_by_label("Ngày quyết định").fill(DECISION_DATE_ISO)
        form.get_by_label("Người ký").fill(DECISION_SIGNER)
        result = form.get_by_label("Kết quả")
        expect(result).to_have_value("1")  # suggested from the computed result
        result.select_option("1")
        expect(form.locator(".hint")).to_contain_text("đạt 10 lĩnh vực (cần 7)")
        page.screenshot(path="/tmp/journey-5-decision.png")
        form.get_by_role("button", name="Ghi quyết định công nhận").click()
        expect_message(page, f"Đã ghi quyết định số {DECISION_NUMBER}: {where} được công nhận xã thông minh.")
        expect_status(page, "recognised", "Được công nhận")

        actions.get_by_role("button", name="Công bố kết quả").click()
        expect_message(page, f"Đã công bố kết quả của {where}.")
        expect_published(page)
        page.screenshot(path="/tmp/journey-6-published.png")

        page.get_by_role("link", name="Lịch sử thay đổi").click()
        expect_history(page)
        page.screenshot(path="/tmp/journey-7-history.png")

    # 7. The officer finds the decision among the notifications and sees the published result.
    with signed_in(browser, live_server, "officer_a") as page:
        expect(page.locator("#officer tr.returned")).to_have_count(0)
        page.locator(".site-nav").get_by_role("link", name=re.compile("^Thông báo")).click()
        notice = page.locator("ul.notifications li", has_text="được công nhận xã thông minh")
        expect(notice).to_contain_text(f"quyết định số {DECISION_NUMBER} ngày {DECISION_DATE}")
        notice.get_by_role("link").click()
        expect(page).to_have_url(assessment_url)
        expect_published(page)
        expect(page.locator("#entry")).to_have_count(0)
        expect(page.locator("section.actions")).to_have_count(0)
        expect(page.locator(f"#crit-{slug(SHORT_CODE)} .ro-value[data-field='numerator']")).to_have_text("940")
        expect(page.locator(f"#crit-{slug(SHORT_CODE)} .ev-list li")).to_have_count(2)
        page.get_by_role("link", name="Lịch sử thay đổi").click()
        expect_history(page)


def expect_published(page: Page) -> None:
    expect_status(page, "published", "Đã công bố")
    decision = page.locator(".a-head .decision")
    expect(decision).to_contain_text(f"Số {DECISION_NUMBER} ngày {DECISION_DATE}, người ký: {DECISION_SIGNER}")
    expect(decision.locator("strong")).to_have_text("Công nhận xã thông minh")
    expect(page.locator("#summary .verdict")).to_have_attribute("data-smart", "1")


STATUS_STEPS = [  # oldest first
    "Nháp → Đã nộp",
    "Đã nộp → Huyện đã thẩm định",
    "Huyện đã thẩm định → Bị trả lại",
    "Bị trả lại → Huyện đã thẩm định",
    "Huyện đã thẩm định → Sở đã xác minh",
    "Sở đã xác minh → Đã thẩm định",
    "Đã thẩm định → Được công nhận",
    "Được công nhận → Đã công bố",
]


def expect_history(page: Page) -> None:
    expect(page.locator("h1")).to_have_text("Lịch sử thay đổi")
    rows = page.locator("table.changes tbody tr").evaluate_all(
        "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim().replace(/\\s+/g, ' ')))"
    )
    # Columns: when, who, action, criterion, field, old → new, reason; newest first.
    steps = [r[5] for r in reversed(rows) if r[4] == "Trạng thái" and r[2] != "Tạo hồ sơ"]
    assert steps == STATUS_STEPS
    returned = [r for r in rows if r[2] == "Trả lại tiêu chí" and r[4] == "Tình trạng xác minh"]
    assert [(r[3], r[6]) for r in returned] == [(SHORT_CODE, RETURN_COMMENT)]
    verified = {r[3] for r in rows if r[2] == "Xác minh tiêu chí" and r[4] == "Tình trạng xác minh"}
    assert verified == {c.code for c in CRITERIA.criteria}
    decision = {r[4]: r[5] for r in rows if r[2] == "Ghi quyết định công nhận"}
    assert decision["Số quyết định"].endswith(DECISION_NUMBER)
    assert decision["Ngày quyết định"].endswith(DECISION_DATE)
    assert decision["Người ký"].endswith(DECISION_SIGNER)
    assert decision["Được công nhận"].endswith("Công nhận")
    assert any(r[2] == "Công bố" for r in rows)
