"""The commune officer's journey (issue 14), in chromium: from a file with data missing and
a value far from last year's to a submission with a receipt, then a returned item
answered and the file submitted again, without a phone call.

Set-up in Python: units, people, last year's round (for the anomaly), this year's values
but one, the deadline passed.  Every step of the officer goes through the pages; every
page on the way passes the accessibility check (axe-core, no serious or critical
violation).  Screenshots: ``/tmp/officer-*.png``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, Page, expect

from smartcommune.rounds.models import Assessment, Evidence, Round
from tests.browser.accessibility import assert_no_serious_axe_violations
from tests.browser.test_round_journey import PASSWORD, expect_message, expect_status, signed_in
from tests.rounds.fixtures import assessment_of, fill, full_values, open_round, step, world  # noqa: F401

PDF_NAME = "Biên bản điều tra hộ gia đình.pdf"
DOC_NUMBER = "152/BC-UBND"
ANSWER = "Số hộ giảm do sáp nhập khu phố; đã đối chiếu với biên bản điều tra tháng 12/2024."
RETURN_COMMENT = "Tỷ lệ giảm mạnh so với năm 2023; đề nghị giải trình."


@pytest.fixture
def officer_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    last_year = open_round(world, year=2023)
    fill(assessment_of(last_year, world.a), world.officer_a)  # 10/10 everywhere
    round_ = open_round(world)
    # The commune's deadline has passed; the district's and the agencies' have not.
    Round.objects.filter(pk=round_.pk).update(submission_deadline=dt.date(2024, 12, 31))
    a = assessment_of(round_, world.a)
    values = full_values(numerator=40, denominator=40)
    values["1.2"] = {"numerator": 70, "denominator": 100, "source": "Báo cáo UBND xã"}  # 70 %: 20 short of 90 %
    del values["2.2"]
    from smartcommune.rounds.actions import do_save_values
    do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values=values)
    for person in (world.officer_a, world.district1):
        person.password = make_password(PASSWORD)
        person.save(update_fields=["password"])
    world.assessment = Assessment.objects.get(pk=a.pk)
    return world


def check_page(page: Page) -> None:
    assert_no_serious_axe_violations(page)


def test_the_officer_submits_with_a_check_and_a_receipt_then_answers_a_return(
    browser: Browser, live_server, officer_world, tmp_path
) -> None:
    w = officer_world
    aid = w.assessment.pk
    assessment_url = f"{live_server.url}/assessments/{aid}/"
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")

    with signed_in(browser, live_server, "officer_a", refusals=r"^400 POST .*/evidence/$") as page:
        check_page(page)
        page.locator(f'#officer a[href="/assessments/{aid}/"]').click()  # this year's "Mở hồ sơ"
        expect(page).to_have_url(assessment_url)

        # The task list at the top: what is done, what is missing; the deadline passed.
        tasks = page.locator("#tasks")
        expect(tasks.locator(".task-done")).to_have_text("Đã nhập 22/23 tiêu chí")
        expect(tasks.locator(".task-missing")).to_contain_text("Còn thiếu số liệu: 1 tiêu chí")
        expect(tasks.locator(".task-missing a")).to_have_attribute("href", "#crit-2-2")
        expect(page.locator("#deadline-passed")).to_have_text("Đã quá hạn nộp")

        # The gap has its unit; the anomaly note is Vietnamese with Vietnamese numbers, and
        # its link goes to the flagged criterion.
        expect(page.locator("#result-1-2 .gap")).to_have_text("còn thiếu 20 hộ gia đình có thiết bị thông minh")
        flag = page.locator("a.flag-link")
        expect(flag).to_have_attribute("href", "#crit-1-2")
        note = page.locator("#crit-1-2 .anomaly")
        expect(note).to_contain_text("-30,0 điểm phần trăm so với năm 2023 (100,0 % → 70,0 %)")
        assert re.search(r"ratio|moved|\d\.\d", note.inner_text()) is None, note.inner_text()
        flag.click()
        expect(page).to_have_url(assessment_url + "#crit-1-2")
        page.screenshot(path="/tmp/officer-1-tasks.png")
        check_page(page)

        # Evidence: a file with its document number and date is one entry.
        crit = page.locator("#crit-1-2")
        crit.locator("details.ev-add > summary").click()
        crit.get_by_label("Tệp").set_input_files(pdf)
        crit.get_by_label("Số văn bản").fill(DOC_NUMBER)
        crit.get_by_label("Ngày văn bản").fill("2024-12-10")
        crit.get_by_role("button", name="Thêm").click()
        expect_message(page, "Đã thêm minh chứng cho tiêu chí 1.2.")
        item = crit.locator(".ev-list li.ev-file")
        expect(item.locator(".ev-name")).to_have_text(PDF_NAME)
        expect(item.locator(".ev-doc")).to_have_text(f"Văn bản số {DOC_NUMBER} ngày 10/12/2024")
        assert Evidence.objects.get(assessment_id=aid).document_number == DOC_NUMBER

        # A bad entry: the error beside the field, a summary at the top linking to it.
        crit.locator("details.ev-add > summary").click()
        crit.get_by_label("Đường dẫn").fill("ftp://xa.gov.vn/bao-cao")
        crit.get_by_role("button", name="Thêm").click()
        field = page.locator("#ev-url-1-2")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#ev-url-1-2-error")).to_contain_text("Đường dẫn không hợp lệ")
        expect(field).to_have_value("ftp://xa.gov.vn/bao-cao")
        summary_link = page.locator("#errors a[href='#ev-url-1-2']")
        expect(summary_link).to_contain_text("Minh chứng tiêu chí 1.2")
        page.screenshot(path="/tmp/officer-2-evidence-error.png")
        check_page(page)
        summary_link.click()
        expect(page).to_have_url(re.compile(r"#ev-url-1-2$"))

        # Leaving with unsaved values: the browser asks first.
        page.goto(assessment_url)
        page.locator('[name="numerator-2.2"]').fill("40")
        page.locator('[name="denominator-2.2"]').fill("40")
        dialogs: list[str] = []

        def on_dialog(dialog) -> None:
            dialogs.append(dialog.type)
            dialog.dismiss()  # stay on the page

        page.on("dialog", on_dialog)
        page.get_by_role("link", name="Lịch sử thay đổi").click()
        expect(page.locator('[name="numerator-2.2"]')).to_have_value("40")
        assert dialogs == ["beforeunload"]
        page.remove_listener("dialog", on_dialog)
        page.locator('[name="source-2.2"]').fill("Báo cáo UBND xã")
        page.get_by_role("button", name="Lưu nháp").click()  # saving is not leaving
        expect_message(page, "Đã lưu số liệu.")
        expect(page.locator("#tasks .task-done")).to_have_text("Đã nhập 23/23 tiêu chí")

        # The check page: missing data, evidence, the result claimed, the deadline, who next.
        page.locator("section.actions").get_by_role("link", name="Kiểm tra và nộp hồ sơ").click()
        expect(page.locator("h1")).to_have_text("Kiểm tra trước khi nộp")
        expect(page.locator("#check-missing h2")).to_have_text("Còn thiếu số liệu: 0 tiêu chí")
        expect(page.locator("#check-evidence h2")).to_have_text("Chưa có minh chứng: 22 tiêu chí")
        expect(page.locator("#check-evidence")).not_to_contain_text("1.2 ")
        expect(page.locator("#check-result .claim")).to_contain_text("9/10 lĩnh vực đạt (cần 7)")
        expect(page.locator("#check-next")).to_contain_text("Hạn nộp của xã: 31/12/2024.")
        expect(page.locator("#check-next")).to_contain_text("Đã quá hạn")
        expect(page.locator("#check-next .next-step")).to_contain_text(
            "Thành phố Bến Tre thẩm định hồ sơ, hạn 31/01/2099")
        page.screenshot(path="/tmp/officer-3-check.png", full_page=True)
        check_page(page)

        # The confirmation is required; then the receipt.
        page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
        expect(page.locator("h1")).to_have_text("Kiểm tra trước khi nộp")  # the browser asks to tick the box
        page.get_by_label("Tôi đã kiểm tra số liệu và minh chứng").check()
        page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
        expect_message(page, "Đã nộp hồ sơ.")
        expect(page.locator("h1")).to_have_text("Biên nhận nộp hồ sơ")
        a = Assessment.objects.get(pk=aid)
        expect(page.locator(".reference")).to_have_text(re.compile(rf"^2024-28756-{aid}-\d{{8}}T\d{{6}}$"))
        expect(page.locator(".submitted-at")).to_contain_text("Nộp trễ hạn")
        expect(page.locator(".sent")).to_contain_text("23/23 tiêu chí có số liệu; 1 minh chứng")
        expect_status(page, "submitted", "Đã nộp")
        expect(page.locator("#receipt .next-step")).to_contain_text("Thành phố Bến Tre thẩm định hồ sơ")
        assert a.status == "submitted" and a.late
        page.screenshot(path="/tmp/officer-4-receipt.png", full_page=True)
        check_page(page)

    # The district returns criterion 1.2 with a comment.
    step(w.district1, Assessment.objects.get(pk=aid), "district_return", items={"1.2": RETURN_COMMENT})

    with signed_in(browser, live_server, "officer_a") as page:
        expect(page.locator("#officer h3").first).to_contain_text("Tiêu chí bị trả lại (1)")
        returned = page.locator("#officer tr.returned")
        expect(returned).to_contain_text(RETURN_COMMENT)
        returned.get_by_role("link", name="Giải trình / sửa").click()
        expect(page).to_have_url(assessment_url + "#crit-1-2")
        expect(page.locator("#tasks .task-returned")).to_contain_text("Bị trả lại, cần giải trình hoặc sửa: 1 tiêu chí")
        check_page(page)
        crit = page.locator("#crit-1-2")
        crit.get_by_label("Giải trình (nếu không sửa số liệu)").fill(ANSWER)
        crit.get_by_role("button", name="Gửi giải trình").click()
        # The last returned item answered: one step on to re-submitting.
        expect_message(page, "Đã gửi giải trình cho tiêu chí 1.2. Mọi tiêu chí bị trả lại đã được giải trình")
        expect(page.locator("h1")).to_have_text("Kiểm tra trước khi nộp lại")
        expect(page.locator("#check-returned")).to_contain_text("Đã giải trình hoặc sửa, sẽ được gửi lại")
        check_page(page)
        page.get_by_label("Tôi đã kiểm tra số liệu và minh chứng").check()
        page.get_by_role("button", name="Nộp lại hồ sơ").click()
        expect(page.locator("h1")).to_have_text("Biên nhận nộp hồ sơ")
        expect_status(page, "submitted", "Đã nộp")
        page.get_by_role("link", name="Việc của tôi").last.click()
        expect(page.locator("#officer h3").first).to_contain_text("Tiêu chí bị trả lại (0)")
        expect(page.locator("#officer tr.returned")).to_have_count(0)
        page.screenshot(path="/tmp/officer-5-home.png", full_page=True)
