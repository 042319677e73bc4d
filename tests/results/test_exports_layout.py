"""Every PDF export fits its A4 pages: read back with ``pdftotext -bbox``, no word leaves
its page and no word is printed over another; the signature block follows the body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from smartcommune.rounds.actions import do_save_values
from tests.results.test_exports_world import exports_world, fresh, world  # noqa: F401
from tests.support.pdf_layout import layout_problems, page_text, pages

pytestmark = pytest.mark.django_db

A4 = (595.3, 841.9)


def download(client, user, name, *args) -> bytes:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(f"exports:{name}", args=args))
    assert response.status_code == 200
    return response.content


def assert_fits(pdf: bytes) -> list:
    read = pages(pdf)
    for page in read:
        assert sorted((round(page.width), round(page.height))) == [595, 842], page.number
    assert layout_problems(pdf) == []
    return read


def test_scorecard_fits_with_long_evidence(client, exports_world):
    w = exports_world
    # A long web address and a long source: they wrap inside their cells.
    a = fresh(w.draft_c)
    a.status = "draft"
    a.save(update_fields=["status"])
    do_save_values(actor=w.officer_c, assessment=a, expected_version=fresh(a).version, values={
        "1.2": {"numerator": 30, "denominator": 30,
                "source": "Báo cáo số liệu hạ tầng viễn thông của Trung tâm Viễn thông huyện " * 3},
    })
    read = assert_fits(download(client, w.secretariat, "scorecard_pdf", w.c.pk, 2024))
    text = " ".join(page_text(p) for p in read)
    assert "30/30" in text and "100,00%" in text


def test_province_report_fits_and_signs_after_the_body(client, exports_world):
    w = exports_world
    read = assert_fits(download(client, w.secretariat, "province_pdf", "83", 2024))
    texts = [page_text(p) for p in read]
    signed = next(i for i, t in enumerate(texts) if "TM. ỦY BAN NHÂN DÂN" in t)
    annex = next(i for i, t in enumerate(texts) if "PHỤ LỤC" in t)
    assert signed < annex  # the signatures end the body, the annex follows
    assert "Nơi nhận:" in texts[signed] and "Trên đây là báo cáo" in texts[signed]  # never alone
    assert "Số:" in texts[0] and "/BC-UBND" in texts[0]
    # The annex is landscape where its matrix needs the width.
    assert read[annex].width > read[annex].height
