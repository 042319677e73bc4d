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

from django.conf import settings

from smartcommune.core import ratelimit

WINDOW_SECONDS = 60


def token_rate() -> int:
    return int(getattr(settings, "SMARTCOMMUNE_API_TOKEN_RATE", 600))


def anonymous_rate() -> int:
    return int(getattr(settings, "SMARTCOMMUNE_API_ANONYMOUS_RATE", 120))


def hit(key: str, limit: int) -> int | None:
    """Count one request under ``key``: ``None`` when within ``limit`` for the current
    minute, else the whole seconds until it ends (for ``Retry-After``)."""
    return ratelimit.hit("api-rate", key, limit, WINDOW_SECONDS)
