"""The product's error pages: 400, 403, 404, CSRF failure, 500 and 503.

Each is a page in the product's layout, Vietnamese by default (English through the
language menu), saying what happened and offering a way back.  When the database is
unreachable or too slow (Django's ``OperationalError``/``InterfaceError``: refused or
dropped connections, connect and statement timeouts), the answer is **503 with
``Retry-After``** instead of 500: the fault is passing, and a proxy or client may retry.

The 500 and 503 pages must render while the database is down, so they are rendered with
everything the layout would read from the database (the signed-in user, the navigation's
roles, the messages, the demo banner) replaced by values that need no query, and no
context processor runs.  If even that
fails, a fixed minimal page is answered.
"""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
"""What a 503 asks clients to wait before trying again."""

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

_MINIMAL_PAGE = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>{title} — smartcommune</title>'
    '<body style="font-family:sans-serif;margin:2rem"><h1>{title}</h1><p>{text}</p>'
    '<p><a href="/">Về trang chủ</a></p></body></html>'
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` means the database cannot answer now (rather than a bug)."""
    return isinstance(exc, DATABASE_UNAVAILABLE)


def _page(request: HttpRequest, status: int, *, without_database: bool = False, **context) -> HttpResponse:
    context["status"] = status
    try:
        if not without_database:
            return render(request, "core/errors/error.html", context, status=status)
        # No context processor runs (the navigation's reads the user, hence the session and
        # the database): the layout gets what it reads, with values that need no query.
        context.update(request=request, csrf_token=get_token(request), user=AnonymousUser(), nav=None,
                       messages=(), synthetic_data=False)
        return HttpResponse(get_template("core/errors/error.html").render(context), status=status)
    except Exception:  # the error page itself must never fail
        logger.exception("rendering the %s page failed", status)
        return HttpResponse(
            _MINIMAL_PAGE.format(title=context.get("title", status), text=context.get("text", "")),
            status=status,
        )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: the database is unreachable or too slow right now."""
    if request.path.startswith("/api/"):
        from smartcommune.api.errors import database_unavailable_response

        return database_unavailable_response()
    response = _page(
        request, 503, without_database=True,
        title=_("Hệ thống tạm thời gián đoạn"),
        text=_("Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Dữ liệu đã lưu không bị mất; "
               "vui lòng thử lại sau ít phút."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: called by Django inside the ``except`` of any uncaught exception,
    from a view or a middleware; a database fault becomes 503, anything else 500."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    response = _page(
        request, 500, without_database=True,
        title=_("Lỗi máy chủ"),
        text=_("Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi nhật ký để xử lý. "
               "Thao tác vừa rồi có thể chưa được lưu: hãy kiểm tra lại rồi thử lần nữa."),
    )
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, title=_("Yêu cầu không hợp lệ"),
                 text=_("Máy chủ không đọc được yêu cầu này. Hãy quay lại và thử lại."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A PermissionDenied raised by the product says why (its message is translated).
    reason = str(exception or "") or _("Vai trò của bạn không cho phép xem hoặc thực hiện thao tác này.")
    return _page(request, 403, title=_("Không có quyền truy cập"),
                 text=reason + " " + _("Nếu cần quyền, hãy liên hệ quản trị hệ thống."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, title=_("Không tìm thấy trang"),
                 text=_("Địa chỉ này không có, hoặc bạn không được xem nội dung ở đây."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent from an expired or another page."""
    return _page(request, 403, title=_("Biểu mẫu đã hết hạn"),
                 text=_("Biểu mẫu này đã hết hạn hoặc không được gửi từ trang của hệ thống, nên chưa có gì "
                        "được lưu. Hãy tải lại trang, điền lại và gửi lần nữa."),
                 reload=True)
