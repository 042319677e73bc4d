"""The criteria-set library as the secretariat uses it in chromium: upload a bad file and
see its problems by line, upload the fixed file, read it as the regulation's table, compare
it with the shipped set, make it available, and find it offered when opening a round."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Browser, expect

from smartcommune.criteria.registry import SETS_DIR
from smartcommune.criteriasets.actions import do_upload_set
from tests.browser.conftest import DESKTOP, PHONE, TIMEOUT_MS
from tests.rounds.fixtures import world  # noqa: F401  (fixture)

PASSWORD = "Vinh-Long-2026!"
BEN_TRE = (SETS_DIR / "ben-tre-2021-2025.toml").read_text(encoding="utf-8")
# The line of 1.1's evidence key (the first in the file), misspelt below.
EVIDENCE_LINE = next(i for i, line in enumerate(BEN_TRE.splitlines(), start=1) if line.startswith("evidence ="))
NEW = BEN_TRE.replace('code = "ben-tre-2021-2025"', 'code = "vinh-long-2026"', 1).replace(
    "period = { start = 2021, end = 2025 }", "period = { start = 2026, end = 2030 }", 1).replace(
    'threshold = "90"', 'threshold = "95"', 1)


def test_secretariat_uploads_checks_compares_and_makes_a_set_available(browser: Browser, live_server, world, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world.secretariat.password = make_password(PASSWORD)
    world.secretariat.save(update_fields=["password"])
    bad, good = tmp_path / "vinh-long-2026-nhap.toml", tmp_path / "vinh-long-2026.toml"
    bad.write_text(NEW.replace("evidence =", "evidense =", 1), encoding="utf-8")
    good.write_text(NEW, encoding="utf-8")

    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Tên đăng nhập").fill(world.secretariat.username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("form.stacked").get_by_role("button", name="Đăng nhập").click()
        page.locator(".site-nav").get_by_role("link", name="Bộ tiêu chí").click()
        expect(page.locator("h1")).to_have_text("Bộ tiêu chí")
        expect(page.locator("table.data").first).to_contain_text("ben-tre-2021-2025")

        page.set_input_files("#set-file", str(bad))
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        expect(page.locator("h1")).to_have_text("Bộ tiêu chí không hợp lệ")
        expect(page.locator("ul.form-errors")).to_contain_text(f"dòng {EVIDENCE_LINE}, tiêu chí 1.1, khóa evidense")
        expect(page.locator("ul.form-errors")).to_contain_text("có phải ý bạn là 'evidence'?")

        page.get_by_role("link", name="Quay lại danh sách bộ tiêu chí").click()
        page.set_input_files("#set-file", str(good))
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        expect(page.locator("h1")).to_contain_text("Mô hình xã thông minh")
        expect(page.locator("body")).to_contain_text("Hợp lệ, không có cảnh báo.")
        expect(page.locator("table.data")).to_contain_text("Tỷ lệ hộ gia đình có thiết bị thông minh")

        page.select_option("#against", "set:ben-tre-2021-2025")
        page.get_by_role("button", name="So sánh", exact=True).click()
        changes = page.locator("table.data").first
        expect(changes).to_contain_text("tiêu chí 1.2")
        expect(changes).to_contain_text("conditions[0].threshold")
        expect(changes).to_contain_text("period.start")

        page.get_by_role("button", name="Đưa vào sử dụng cho các đợt đánh giá mới").click()
        expect(page.locator("ul.messages")).to_contain_text("dùng được cho các đợt đánh giá mới")
        page.screenshot(path="/tmp/criteria-library.png", full_page=True)

        page.goto(live_server.url + "/rounds/open/")
        expect(page.locator("#id_criteria_set_code option[value='vinh-long-2026']")).to_have_count(1)
        assert errors == []
    finally:
        context.close()


def test_the_library_and_a_set_fit_a_phone(browser: Browser, live_server, world, settings):
    """Nothing on the library's pages is wider than a phone: the set's SHA-256 hash (one
    word of 64 characters) wraps."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world.secretariat.password = make_password(PASSWORD)
    world.secretariat.save(update_fields=["password"])
    upload = do_upload_set(actor=world.secretariat, file_name="vinh-long-2026.toml", data=NEW.encode())
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Tên đăng nhập").fill(world.secretariat.username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("form.stacked").get_by_role("button", name="Đăng nhập").click()
        for path in ("/criteria-sets/", f"/criteria-sets/{upload.pk}/"):
            page.goto(live_server.url + path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"], path
        expect(page.locator("body")).to_contain_text(upload.sha256)
    finally:
        context.close()
