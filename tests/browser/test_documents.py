"""The official documents in chromium: the secretariat goes from the round's page to its
documents, downloads the draft decision as Word and the province report as PDF, and a
template with a wrong placeholder is refused on the page with its name; a commune officer
finds their own report from their assessment.

Set-up in Python: the exports' world (Bến Tre 2024: A recognised and published, B not
recognised and published, C submitted), people with a password."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.hashers import make_password
from docx import Document
from playwright.sync_api import Browser, expect

from tests.browser.test_round_journey import PASSWORD, signed_in
from tests.documents.test_documents import docx_text
from tests.results.test_exports_world import build, world  # noqa: F401  (world: fixture)


@pytest.fixture
def documents_world(world, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build(world)
    for person in (w.secretariat, w.officer_b):
        person.password = make_password(PASSWORD)
        person.save(update_fields=["password"])
    return w


def wrong_template(path) -> str:
    document = Document()
    document.add_paragraph("{{ so_ky_hieu }} {{ ten_sai }}")
    document.save(path)
    return str(path)


def test_documents_from_the_round_page(browser: Browser, live_server, documents_world, tmp_path) -> None:
    w = documents_world
    with signed_in(browser, live_server, "secretariat") as page:
        page.goto(f"{live_server.url}/rounds/{w.round_2024.pk}/")
        page.get_by_role("link", name="Văn bản của đợt (Word, PDF) và mẫu văn bản của tỉnh").click()
        expect(page.locator("h1")).to_contain_text("Văn bản đánh giá xã thông minh năm 2024")
        draft = page.locator("#province-documents li", has_text="Dự thảo quyết định công nhận")
        with page.expect_download() as download:
            draft.get_by_role("link", name="DOCX").click()
        text = docx_text(download.value.path().read_bytes())
        assert "QUYẾT ĐỊNH" in text and "Số: …/QĐ-UBND" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        report = page.locator("#province-documents li", has_text="Báo cáo tổng hợp của tỉnh")
        with page.expect_download() as download:
            report.get_by_role("link", name="PDF").click()
        assert download.value.path().read_bytes().startswith(b"%PDF-")
        # A template with a field the document does not have: refused, the field named.
        row = page.locator("#templates tr", has_text="Tờ trình của huyện")
        row.locator("input[type=file]").set_input_files(wrong_template(tmp_path / "mau.docx"))
        row.get_by_role("button", name="Tải lên").click()
        expect(page.locator("ul.messages")).to_contain_text("dùng trường không có trong mẫu “Tờ trình của huyện”: ten_sai")
        expect(page.locator("#templates tr", has_text="Tờ trình của huyện")).to_contain_text("Mẫu mặc định")
    with signed_in(browser, live_server, "officer_b") as page:
        page.goto(f"{live_server.url}/assessments/{w.pub_b.pk}/")
        with page.expect_download() as download:
            page.locator(".head-links").get_by_role("link", name="Word").click()
        text = docx_text(download.value.path().read_bytes())
        assert "PHƯỜNG PHÚ TÂN" in text and "Kết quả tự đánh giá xã thông minh năm 2024" in text
        assert Document(io.BytesIO(download.value.path().read_bytes())).tables
