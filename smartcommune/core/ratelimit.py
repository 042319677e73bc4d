"""The one fixed-window counter behind every rate limit (the API's, the survey form's, the
feedback desk's).

Counters live in the ``default`` cache, shared by every worker and server (a database
table whose ``incr`` is atomic, or Redis: :mod:`smartcommune.core.cache`), so a limit holds
for all of them together.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache


def hit(namespace: str, key: str, limit: int, window: int) -> int | None:
    """Count one event under ``key`` in the current window of ``window`` seconds: ``None``
    while within ``limit``, else the whole seconds until the window ends (for
    ``Retry-After``)."""
    now = time.time()
    start = int(now // window) * window
    cache_key = f"smartcommune-{namespace}:{key}:{start}"
    # Counted first: the window's entry exists for every event but its first, so the usual
    # event costs one increment (two statements in the database cache), not an add that
    # fails on the existing row as well.
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's first event (or its entry expired)
        cache.add(cache_key, 0, timeout=window + 5)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the entry expired between add() and incr()
            cache.set(cache_key, 1, timeout=window + 5)
            count = 1
    if count > limit:
        return max(1, math.ceil(start + window - now))
    return None
