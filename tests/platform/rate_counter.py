"""One process of the shared rate-limit test (tests/platform/test_shared_cache.py).

``python -m tests.platform.rate_counter KEY LIMIT HITS`` with ``DATABASE_URL`` naming the
test database: sets Django up, prints ``ready``, waits for a line on stdin, then counts
HITS requests under KEY against LIMIT through :func:`smartcommune.api.ratelimit.hit` (the
default cache of the production settings) and prints how many were let through.
"""

from __future__ import annotations

import os
import sys


def main(key: str, limit: str, hits: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcommune.settings")
    import django

    django.setup()
    from smartcommune.api import ratelimit

    print("ready", flush=True)
    sys.stdin.readline()
    passed = sum(ratelimit.hit(key, int(limit)) is None for _ in range(int(hits)))
    print(passed, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
