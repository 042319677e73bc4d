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

NUL = "\x00"


def _holds_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _holds_nul(request.GET.lists()):
            raise BadRequest("Địa chỉ chứa ký tự NUL (%00), không hợp lệ (the address holds a NUL character).")
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if _holds_nul(request.POST.lists()):
                raise BadRequest("Biểu mẫu chứa ký tự NUL, không hợp lệ (the form holds a NUL character).")
        return self.get_response(request)
