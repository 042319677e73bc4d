"""Refuse a request carrying a NUL character where no view could use it.

A NUL (``%00``) in the path, a query parameter or an url-encoded form field is never
meaningful here, and PostgreSQL cannot compare or store it (a query holding one fails
with an error, that is a 500).  This middleware answers 400 before any view runs.  It is
one layer only: the write path (:mod:`smartcommune.rounds.actions`) checks every text
it stores by the value rules, whatever the channel (multipart forms and JSON bodies are
not read here: an upload must not be read before its view has checked its size).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import JsonResponse

NUL = "\x00"
API_PREFIX = "/api/"


def _holds_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _holds_nul(request.GET.lists()):
            return self.refuse(request, "Địa chỉ chứa ký tự NUL (%00), không hợp lệ",
                               "the address holds a NUL character (%00)")
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if _holds_nul(request.POST.lists()):
                return self.refuse(request, "Biểu mẫu chứa ký tự NUL, không hợp lệ", "the form holds a NUL character")
        return self.get_response(request)

    @staticmethod
    def refuse(request, vi: str, en: str):
        if request.path.startswith(API_PREFIX):
            # The API's error shape (smartcommune.api.errors), without importing the API here.
            return JsonResponse({"error": {"code": "bad_request", "message_vi": vi, "message_en": en, "details": None}},
                                status=400, json_dumps_params={"ensure_ascii": False})
        # The project's 400 page (handler400), like any other bad request.
        raise BadRequest(f"{vi} ({en}).")
