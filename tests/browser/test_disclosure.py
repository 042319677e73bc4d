"""Field 3 in a browser: a citizen on a phone reads the commune's public page and sends
feedback; an officer builds the register (an item on the three channels, a photo)."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.disclosure import actions
from smartcommune.disclosure.models import Feedback, Item
from smartcommune.units.models import Level, Unit
from tests.browser.conftest import DESKTOP, TIMEOUT_MS
from tests.browser.watch import watch

PASSWORD = "mat-khau-thu-nghiem-123"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _commune() -> tuple[Unit, object]:
    province = Unit.objects.create(code="83", name="Tỉnh Bến Tre", short_name="Bến Tre", level=Level.PROVINCE,
                                   kind="Tỉnh", valid_from=date(2021, 1, 1))
    commune = Unit.objects.create(code="28756", name="Phường Phú Khương", short_name="Phú Khương",
                                  level=Level.COMMUNE, kind="Phường", parent=province, valid_from=date(2021, 1, 1))
    officer = get_user_model().objects.create_user("canbo", password=PASSWORD)
    RoleAssignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    return commune, officer


def _fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 2, f"the page is {overflow}px wider than the phone"


def test_a_citizen_reads_the_page_and_sends_feedback_on_a_phone(phone_page: Page, live_server, settings) -> None:
    settings.SMARTCOMMUNE_DISCLOSURE = {"feedback_min_seconds": 1}
    commune, officer = _commune()
    budget = actions.do_create_item(actor=officer, unit=commune, year=2025, kind="ngan-sach",
                                    title="Dự toán ngân sách xã năm 2025")
    actions.do_publish_item(actor=officer, item=budget)
    plan = actions.do_create_item(actor=officer, unit=commune, year=2025, kind="quy-hoach", title="Quy hoạch chung")
    actions.do_publish_item(actor=officer, item=plan)
    actions.do_create_item(actor=officer, unit=commune, year=2025, kind="quy-hoach", title="Bản nháp nội bộ")
    broken = watch(phone_page, console=True)

    phone_page.goto(f"{live_server.url}/cong-khai/{commune.pk}/")
    expect(phone_page.locator("h1")).to_contain_text("Phường Phú Khương")
    expect(phone_page.locator("#items li")).to_have_count(2)
    expect(phone_page.locator("#items")).not_to_contain_text("Bản nháp nội bộ")
    _fits_the_screen(phone_page)
    # The honeypot is out of sight.
    expect(phone_page.locator(".hp input")).not_to_be_in_viewport()

    phone_page.get_by_label("Loại").select_option(label="Ngân sách")
    phone_page.get_by_role("button", name="Lọc").click()
    expect(phone_page.locator("#items li")).to_have_count(1)
    phone_page.get_by_role("link", name="Dự toán ngân sách xã năm 2025").click()
    expect(phone_page.locator("h1")).to_have_text("Dự toán ngân sách xã năm 2025")
    _fits_the_screen(phone_page)

    phone_page.get_by_label("Nội dung câu hỏi, góp ý").fill("Khoản chi sửa đường ấp 3 ở mục nào?")
    phone_page.get_by_label("Họ tên (không bắt buộc)").fill("Trần Thị Dân")
    phone_page.wait_for_timeout(1200)  # a person takes longer than the bot check's minimum
    phone_page.get_by_role("button", name="Gửi").click()
    expect(phone_page.locator("#sent")).to_contain_text("Mã tra cứu")
    code = re.search(r"PH-[A-Z0-9]{10}", phone_page.locator("#sent").inner_text()).group(0)
    feedback = Feedback.objects.get(tracking_code=code)
    assert feedback.item_id == budget.pk and feedback.name == "Trần Thị Dân"
    expect(phone_page.locator("#tracked")).to_contain_text("Chờ trả lời")
    expect(phone_page.locator("#tracked")).not_to_contain_text("Trần Thị Dân")
    _fits_the_screen(phone_page)
    assert broken == []


def test_an_officer_builds_the_register(browser: Browser, live_server, tmp_path) -> None:
    commune, _officer = _commune()
    photo = tmp_path / "niem-yet.png"
    photo.write_bytes(PNG)
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    broken = watch(page, console=True)
    try:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Tên đăng nhập").fill("canbo")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("form.stacked").get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/disclosure/{commune.pk}/?year=2025")
        page.get_by_label("Loại thông tin").select_option(label="Dịch vụ công")
        page.get_by_label("Tiêu đề").fill("Thủ tục đăng ký khai sinh")
        page.get_by_role("button", name="Thêm", exact=True).click()
        expect(page.locator("h1")).to_have_text("Thủ tục đăng ký khai sinh")

        page.get_by_role("button", name="Đăng lên trang công khai").click()
        expect(page.locator("#channel-web")).to_contain_text("Đã đăng lúc")

        page.locator("#channel-loudspeaker summary").click()
        page.locator("#channel-loudspeaker").get_by_label("Ngày phát").fill("2025-03-02")
        page.locator("#channel-loudspeaker").get_by_label("Ấp, khu phố").fill("Ấp 1, Ấp 2")
        page.locator("#channel-loudspeaker").get_by_label("Nội dung đã đọc").fill("Thông báo thủ tục khai sinh")
        page.locator("#channel-loudspeaker").get_by_role("button", name="Lưu").click()
        expect(page.locator("#channel-loudspeaker")).to_contain_text("02/03/2025 — Ấp 1, Ấp 2")

        page.locator("#channel-posting summary").click()
        page.locator("#channel-posting").get_by_label("Ngày niêm yết").fill("2025-03-03")
        page.locator("#channel-posting").get_by_label("Ảnh chụp").set_input_files(str(photo))
        page.locator("#channel-posting").get_by_role("button", name="Lưu").click()
        expect(page.locator("#channel-posting")).to_contain_text("Niêm yết 03/03/2025")
        expect(page.locator("#channel-posting").get_by_role("link", name="ảnh chụp")).to_be_visible()

        page.locator("main").get_by_role("link", name=re.compile("Sổ công khai")).first.click()
        row = page.locator("#register tbody tr").filter(has_text="Thủ tục đăng ký khai sinh")
        expect(row.locator(".channels li.on")).to_have_count(3)
        expect(page.locator("table.counts")).to_contain_text("1")
        item = Item.objects.get(title="Thủ tục đăng ký khai sinh")
        assert item.published_at and item.broadcasts.count() == 1 and item.postings.get().photo
        assert broken == []
    finally:
        context.close()
