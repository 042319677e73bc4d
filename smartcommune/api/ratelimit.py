"""Per-token and per-IP request limits: a fixed one-minute window counted in Django's cache.

Limits are settings (requests per minute; see ``smartcommune/settings.py``)::

    SMARTCOMMUNE_API_TOKEN_RATE      per token, default 600
    SMARTCOMMUNE_API_ANONYMOUS_RATE  per client IP without a token, default 120

The counters live in the ``default`` cache, shared by every worker process and server (a
table of the database by default, whose ``incr`` is atomic, or Redis; see
``smartcommune/settings.py``), so a limit holds for all of them together.  The client IP is
:func:`smartcommune.core.clients.client_address`: ``REMOTE_ADDR``, or behind
``SMARTCOMMUNE_TRUSTED_PROXIES`` reverse proxies the address the outermost one saw
(``X-Forwarded-For`` beyond that is not trusted, since any client can send it).
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
