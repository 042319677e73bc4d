"""Per-token and per-IP request limits: a fixed one-minute window counted in Django's cache.

Limits are settings (requests per minute; see ``smartcommune/settings.py``)::

    SMARTCOMMUNE_API_TOKEN_RATE      per token, default 600
    SMARTCOMMUNE_API_ANONYMOUS_RATE  per client IP without a token, default 120

The counters live in the ``default`` cache.  With the default per-process LocMem cache
each worker process counts on its own, so with *n* gunicorn workers a client may get up
to *n* times the limit; configure a shared cache (database or Redis) in ``CACHES`` when
that matters.  The client IP is ``REMOTE_ADDR``: behind a reverse proxy, make the proxy
set it (``X-Forwarded-For`` is not trusted, since any client can send it).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def token_rate() -> int:
    return int(getattr(settings, "SMARTCOMMUNE_API_TOKEN_RATE", 600))


def anonymous_rate() -> int:
    return int(getattr(settings, "SMARTCOMMUNE_API_ANONYMOUS_RATE", 120))


def hit(key: str, limit: int) -> int | None:
    """Count one request under ``key``: ``None`` when within ``limit`` for the current
    window, else the whole seconds until the window ends (for ``Retry-After``)."""
    now = time.time()
    start = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    cache_key = f"smartcommune-api-rate:{key}:{start}"
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        return max(1, math.ceil(start + WINDOW_SECONDS - now))
    return None
