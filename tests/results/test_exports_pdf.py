"""The PDF scorecard and province report: A4, Vietnamese text that survives extraction,
figures equal to the engine's, the synthetic mark, and no outside request."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from smartcommune.results.exports.pdf import ASSETS_DIR, LocalOnlyFetcher
from tests.results.test_exports_world import engine_result, exports_world, mark_synthetic, world  # noqa: F401

pytestmark = pytest.mark.django_db

A4 = (595, 842)


def pdf(client, user, name, *args, query=""):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(f"exports:{name}", args=args) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text(reader) -> str:
    """The document's text with line breaks folded, as a reader would search it."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def sizes(reader):
    return [sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height)))) for p in reader.pages]


def test_scorecard_pdf(client, exports_world):
    w = exports_world
    reader = pdf(client, None, "scorecard_pdf", w.b.pk, 2024)
    assert len(reader.pages) > 0
    for width, height in sizes(reader):
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    assert all(float(p.mediabox.width) < float(p.mediabox.height) for p in reader.pages)  # portrait
    body = text(reader)
    e = engine_result(w.pub_b)
    for expected in (
        "ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM 2024", "Phường Phú Tân (28759)", "Thành phố Bến Tre",
        f"{e.fields_met}/10 (cần 7)", f"Chưa đạt (thiếu {e.fields_short} lĩnh vực)",
        "863/1.000", "86,30%", "còn thiếu 37 hộ gia đình có thiết bị thông minh",
        "Không áp dụng", "Thiếu dữ liệu", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Bến Tre, ngày",
        "Trang 1 /",
    ):
        assert expected in body, expected
    assert "MÔ PHỎNG" not in body
    # Every gap the engine gives appears in the scorecard.
    for c in e.criteria():
        if c.gap:
            assert f"còn thiếu {c.gap} " in body


def test_province_report_pdf(client, exports_world):
    w = exports_world
    reader = pdf(client, w.secretariat, "province_pdf", "83", 2024)
    assert len(reader.pages) > 0
    for width, height in sizes(reader):
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    first = reader.pages[0].mediabox
    assert float(first.width) < float(first.height)  # the report opens in portrait
    body = text(reader)
    for expected in (
        "BÁO CÁO", "Kết quả đánh giá xã thông minh năm 2024", "Số: …/BC-UBND", "Phường Phú Khương", "Phường Phú Tân", "Xã Tân Thạch",
        "Huyện Châu Thành", "Các tiêu chí chưa đạt nhiều nhất", "Các đơn vị gần đạt",
        "1.2: còn thiếu 37 hộ gia đình có thiết bị thông minh", "Số đơn vị theo số lĩnh vực đạt",
        "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Bến Tre, ngày", "PHỤ LỤC",
    ):
        assert expected in body, expected
    # The appendix matrix: each commune with its fields met, as the engine says.
    for assessment in (w.pub_a, w.pub_b, w.draft_c):
        e = engine_result(assessment)
        verdict = "Đạt xã thông minh" if e.smart_commune else "Chưa đạt"
        assert re.search(rf"{assessment.unit.code} {assessment.unit.name} .*? {e.fields_met} {verdict}", body)


def test_public_report_leaves_out_unpublished_communes(client, exports_world):
    body = text(pdf(client, None, "province_pdf", "83", 2024))
    assert "Phường Phú Tân" in body and "Xã Tân Thạch" not in body


def test_synthetic_mark(client, exports_world):
    w = exports_world
    mark_synthetic(w.round_2024)
    for reader in (pdf(client, None, "scorecard_pdf", w.a.pk, 2024), pdf(client, None, "province_pdf", "83", 2024)):
        for page in reader.pages:  # on every page, not only the first
            assert "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật" in page.extract_text()


def test_charts_are_inline_svg_and_nothing_is_fetched(client, exports_world):
    reader = pdf(client, None, "scorecard_pdf", exports_world.a.pk, 2024)
    assert "Số lĩnh vực đạt qua các năm" in text(reader)
    fetcher = LocalOnlyFetcher()
    for url in ("https://example.com/logo.png", "http://127.0.0.1/x.css", "file:///etc/passwd", "ftp://example.com/f"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert b"@page" in fetcher.fetch((ASSETS_DIR / "pdf.css").as_uri()).read()  # the exports' own stylesheet is local
    # A remote image in a template is refused, and the document still renders.
    document = HTML(string='<p>Xin chào</p><img src="https://example.com/x.png">', base_url=ASSETS_DIR.as_uri() + "/",
                    url_fetcher=fetcher).write_pdf()
    assert "Xin chào" in PdfReader(io.BytesIO(document)).pages[0].extract_text()
