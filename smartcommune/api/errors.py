"""Every API error has one shape::

    {"error": {"code": "stable_machine_code", "message_vi": "…", "message_en": "…",
               "details": …}}

``code`` is stable (clients branch on it); ``details`` is ``null`` or what the code
says (the problems of a validation error, the changes behind an edit conflict, …).
:func:`install` registers a handler for every exception the API may meet, so no error
leaves the API in another shape; :func:`json_not_found` and :func:`json_method_guard`
cover what happens outside ninja's views (an unknown URL, a method not allowed).
"""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from smartcommune.rounds import access as permissions
from smartcommune.rounds.exceptions import (
    EditConflict,
    IllegalTransition,
    NotAllowed,
    Problem,
    RoundError,
    ValidationFailed,
)
from smartcommune.rounds.models import audit_value_shown

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message_vi: str
    message_en: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """An error the API answers as it is: ``status``, ``code``, both messages, details."""

    def __init__(self, status: int, code: str, vi: str, en: str, details: Any = None, headers: dict | None = None):
        super().__init__(f"{vi} ({en})")
        self.status, self.code, self.vi, self.en, self.details = status, code, vi, en, details
        self.headers = headers or {}


def error_response(status: int, code: str, vi: str, en: str, details: Any = None,
                   headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(
        {"error": {"code": code, "message_vi": vi, "message_en": en, "details": details}},
        status=status, json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found(vi: str = "Không tìm thấy", en: str = "not found") -> ApiError:
    return ApiError(404, "not_found", vi, en)


def problem_dict(p: Problem) -> dict:
    return {"message_vi": p.vi, "message_en": p.en, "criterion": p.criterion or None, "field": p.field or None,
            "value": p.value if isinstance(p.value, (str, int, float, bool, type(None))) else str(p.value)}


def audit_dict(entry, *, evidence_openable: bool) -> dict:
    """One audit entry as the API shows it (history, and the changes of a conflict); an
    evidence item's address only when the viewer may open the evidence (``audit_value_shown``)."""
    return {
        "version": entry.version,
        "at": entry.at.isoformat(),
        "actor": entry.actor.get_username() if entry.actor_id else None,
        "action": entry.action,
        "criterion_code": entry.criterion_code or None,
        "field": entry.field or None,
        "old_value": audit_value_shown(entry.old_value, evidence_openable=evidence_openable),
        "new_value": audit_value_shown(entry.new_value, evidence_openable=evidence_openable),
        "reason": entry.reason,
    }


def _validation_details(errors: list[dict]) -> list[dict]:
    # Only the parts that are JSON and useful: where and why.
    return [{"loc": [str(x) for x in e.get("loc", ())], "type": str(e.get("type", "")),
             "message": str(e.get("msg", ""))} for e in errors]


def install(api: NinjaAPI) -> None:
    """Register the handlers that give every error the one shape."""

    def handle(exc_class):
        def register(func):
            api.add_exception_handler(exc_class, lambda request, exc: func(exc))
            return func
        return register

    @handle(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.vi, exc.en, exc.details, exc.headers)

    @handle(NinjaValidationError)
    def _invalid(exc: NinjaValidationError):
        return error_response(422, "invalid_request", "Yêu cầu không hợp lệ: sai kiểu hoặc thiếu tham số",
                              "invalid request: a parameter or the body is missing or has the wrong type",
                              _validation_details(exc.errors))

    @handle(AuthenticationError)
    def _unauthenticated(exc):
        return error_response(401, "authentication_required",
                              "Cần khóa API hợp lệ trong tiêu đề Authorization: Bearer <khóa>",
                              "a valid API token is required in the header Authorization: Bearer <token>",
                              headers={"WWW-Authenticate": 'Bearer realm="smartcommune"'})

    @handle(Http404)
    def _not_found(exc):
        return error_response(404, "not_found", "Không tìm thấy", "not found")

    @handle(NotAllowed)
    def _forbidden(exc: NotAllowed):
        return error_response(403, "not_allowed", exc.vi, exc.en)

    @handle(IllegalTransition)
    def _illegal(exc: IllegalTransition):
        return error_response(409, "illegal_transition", exc.vi, exc.en)

    @handle(ValidationFailed)
    def _failed(exc: ValidationFailed):
        return error_response(422, "validation_failed", exc.vi, exc.en, [problem_dict(p) for p in exc.problems])

    def _conflict(request, exc: EditConflict):
        # The version is checked before the right to write: the changes may reach someone
        # who only sees the assessment.
        user = getattr(request.auth, "user", None)
        openable = bool(exc.changes) and permissions.may_open_evidence(user, exc.changes[0].assessment)
        return error_response(409, "edit_conflict", exc.vi, exc.en, {
            "expected_version": exc.expected_version,
            "current_version": exc.current_version,
            "changes": [audit_dict(e, evidence_openable=openable) for e in exc.changes],
        })

    api.add_exception_handler(EditConflict, _conflict)

    @handle(RoundError)
    def _round_error(exc: RoundError):
        return error_response(409, "refused", exc.vi, exc.en)

    @handle(HttpError)
    def _http_error(exc: HttpError):
        status = exc.status_code
        if status == 400:
            return error_response(400, "bad_request", "Yêu cầu không đọc được (ví dụ: JSON hỏng)",
                                  "the request could not be read (for example, malformed JSON)", str(exc))
        return error_response(status, f"http_{status}", str(exc), str(exc))

    @handle(RequestDataTooBig)
    def _too_big(exc):
        # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE when the API
        # parses it: the client's mistake, not the server's.
        return error_response(413, "payload_too_large", "Nội dung yêu cầu quá lớn",
                              "the request body is too large")

    @handle(OperationalError)
    @handle(InterfaceError)
    def _database_unavailable(exc):
        logger.warning("API: database unavailable: %r", exc)
        return database_unavailable_response()

    @handle(Exception)
    def _unexpected(exc: Exception):
        logger.exception("API error", exc_info=exc)
        return error_response(500, "internal_error", "Lỗi máy chủ; đã ghi nhật ký để xử lý",
                              "server error; it has been logged")


def database_unavailable_response() -> JsonResponse:
    """503 with ``Retry-After``: the database is unreachable or too slow right now
    (smartcommune/core/errors.py answers the pages' side)."""
    from smartcommune.core.errors import RETRY_AFTER_SECONDS

    return error_response(
        503, "service_unavailable",
        "Hệ thống tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít phút",
        "the database is temporarily unavailable; please try again in a few minutes",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def json_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any URL under ``/api/`` that names nothing."""
    return error_response(404, "not_found", f"Không có địa chỉ {request.path}", f"no such URL: {request.path}")


def json_method_guard(view):
    """Wrap a ninja path view so that its 405 (plain text in ninja) has the error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            return error_response(
                405, "method_not_allowed",
                f"Phương thức {request.method} không dùng được ở đây; dùng: {allowed}",
                f"method {request.method} is not allowed here; allowed: {allowed}",
                headers={"Allow": allowed},
            )
        return response

    return wrapped
