"""``/healthz``: is this instance able to serve?  For the reverse proxy or a monitor.

Checks, each cheap: the database (``SELECT 1``), the storage of uploaded files (a tiny
object written, read back and deleted through ``default_storage``) and the default cache
(a key set, read and deleted).  200 with ``{"status": "ok", "checks": {…}}`` when all
pass; 503 with the failing checks named (the exception's class only: nothing secret)
otherwise.  No login, no session, never cached.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

_PROBE = b"smartcommune-healthz"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("unexpected answer")


def check_storage() -> None:
    name = default_storage.save(f"healthz/{os.getpid()}-{uuid.uuid4().hex}.txt", ContentFile(_PROBE))
    try:
        with default_storage.open(name, "rb") as f:
            if f.read() != _PROBE:
                raise RuntimeError("read back differs")
    finally:
        default_storage.delete(name)


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, 30)
    try:
        if cache.get(key) != 1:
            raise RuntimeError("value not kept")
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "storage": check_storage, "cache": check_cache}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure is the answer, never a 500
            logger.warning("health check %s failed: %r", name, exc)
            results[name] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503)
