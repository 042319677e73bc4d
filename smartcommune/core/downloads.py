"""The one way the product answers a file download (exports, import templates).

``Content-Disposition`` follows RFC 6266: ``attachment; filename="..."`` with an ASCII
name every browser keeps (diacritics dropped, đ → d, anything else outside a safe set
becomes ``-``), and, when the real name is not that ASCII name already (a Vietnamese
name), the real name again in RFC 5987 form (``filename*=UTF-8''...``), which browsers
prefer.  A plain ASCII name needs no second form, so it is sent alone.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"


def ascii_text(text: str) -> str:
    """Vietnamese without diacritics (đ → d), for ASCII file names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def content_disposition(filename: str) -> str:
    fallback = re.sub(r"[^A-Za-z0-9._()-]+", "-", ascii_text(filename)).strip("-") or "download"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def download(content: bytes | str, *, filename: str, content_type: str, cache_control: str | None = None) -> HttpResponse:
    """An attachment response; ``str`` content is sent as UTF-8.  ``cache_control``, when
    given, is sent as is (for example ``"private, no-store"`` for a file that holds one
    user's data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
