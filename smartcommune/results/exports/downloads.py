"""Download responses with a Vietnamese file name that every browser keeps.

``Content-Disposition`` carries an ASCII fallback (``filename="..."``, diacritics
dropped) and the real name in RFC 5987 form (``filename*=UTF-8''...``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

from smartcommune.results.exports.labels import ascii_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"


def content_disposition(filename: str) -> str:
    fallback = re.sub(r"[^A-Za-z0-9._()-]+", "-", ascii_text(filename)).strip("-") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """An attachment response; ``str`` content is sent as UTF-8."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
