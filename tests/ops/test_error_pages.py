"""The product's error pages: layout, Vietnamese by default, a way back; 503 + Retry-After
when the database cannot answer, and nothing on the 500/503 pages queries the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.rounds.fixtures import user

LAYOUT = 'class="site-header"'
WAY_BACK = 'href="/"'


def _assert_product_page(response, *texts):
    body = response.content.decode()
    assert LAYOUT in body and WAY_BACK in body
    for text in texts:
        assert text in body, text
    return body


@pytest.mark.django_db
def test_404_is_a_vietnamese_page_in_the_layout(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    _assert_product_page(response, "Không tìm thấy trang", 'lang="vi"')


@pytest.mark.django_db
def test_404_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    _assert_product_page(response, "Page not found")


@pytest.mark.django_db
def test_403_names_the_reason_in_the_layout(client):
    client.force_login(user("nobody"))
    response = client.get("/rounds/")
    assert response.status_code == 403
    _assert_product_page(response, "Không có quyền truy cập", "Chỉ Thư ký Hội đồng")


@pytest.mark.django_db
def test_csrf_failure_is_a_product_page_that_says_nothing_was_saved(db):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _assert_product_page(response, "Biểu mẫu đã hết hạn", "chưa có gì được lưu")


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.fault_urls")
def test_a_bug_answers_the_styled_500_page_without_querying(db):
    client = Client(raise_request_exception=False)
    client.force_login(user("officer"))  # a signed-in user: the layout must still not query
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fault/bug/")
    assert response.status_code == 500
    _assert_product_page(response, "Lỗi máy chủ", "ghi nhật ký")
    assert response["Cache-Control"] == "no-store"
    assert [q["sql"] for q in queries.captured_queries] == []


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.fault_urls")
def test_a_database_fault_answers_503_with_retry_after(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fault/database/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    _assert_product_page(response, "Hệ thống tạm thời gián đoạn", "thử lại sau")


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.fault_urls")
def test_a_database_fault_under_the_api_answers_the_api_error_shape(db):
    response = Client(raise_request_exception=False).get("/api/v1/fault/database/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"


@pytest.mark.django_db
def test_400_for_a_host_not_allowed_is_a_product_page(client):
    response = client.get("/", HTTP_HOST="ke-gia-mao.example")
    assert response.status_code == 400
    _assert_product_page(response, "Yêu cầu không hợp lệ")
