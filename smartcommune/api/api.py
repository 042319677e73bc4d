"""The API object: version 1 under ``/api/v1/``, the OpenAPI 3 document at
``/api/openapi.json`` and the interactive docs at ``/api/docs`` (Swagger UI from the
files bundled with django-ninja, so the page loads nothing from another site)."""

from __future__ import annotations

from csp.decorators import csp_update
from ninja import NinjaAPI, Swagger

from smartcommune.api import errors
from smartcommune.api.endpoints import assessments, criteria, disclosure, results, rounds, surveys, units

DESCRIPTION = """\
API đọc và ghi dữ liệu đánh giá xã thông minh, cùng quy tắc phân quyền như trang web.

* Xác thực: `Authorization: Bearer <khóa API>`; tạo khóa ở trang “Khóa API” (`/api/tokens/`).
  Không có khóa: chỉ dữ liệu đã công bố.
* Lỗi: `{"error": {"code", "message_vi", "message_en", "details"}}`.
* Danh sách: `limit`/`offset`, `count` và liên kết `next`/`previous`.
* Ghi số liệu: gửi lại phiên bản đã đọc (`expected_version` hoặc `If-Match` = ETag); 409 khi đã cũ.

(Smart-commune assessment data, with the same role scoping as the web app. Anonymous callers
see published data only.)
"""

api = NinjaAPI(
    title="smartcommune API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # validatorUrl: Swagger UI would otherwise send the document to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    # Swagger UI's style sheet draws its icons as data: images; the strict policy (settings,
    # CONTENT_SECURITY_POLICY) allows them on this page only.  Its scripts are static files.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
errors.install(api)

for module in (criteria, units, rounds, assessments, results, surveys, disclosure):
    api.add_router("/v1/", module.router)
