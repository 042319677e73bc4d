"""``synthetic_data``: whether the database holds synthetic demo data, for the banner.

``core/banner.html`` (included on every page) reads ``synthetic_data``.  The answer is
one ``EXISTS`` query, made only when a template reads it and then kept for
:data:`TTL_SECONDS` in this process: most requests make no query at all.  Creating or
deleting a :class:`~smartcommune.demo.models.SyntheticRound` in this process forgets
the kept answer at once; another process (``smartcommune demo`` run beside a live
server) is seen within :data:`TTL_SECONDS`.  A test that rolls such rows back calls
:func:`forget`.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from smartcommune.demo.models import SyntheticRound

TTL_SECONDS = 30.0

_lock = threading.Lock()
_known: tuple[float, bool] | None = None  # (monotonic time of the query, answer)


def forget(**_kwargs) -> None:
    """Drop the kept answer: the next read queries the database again."""
    global _known
    with _lock:
        _known = None


def holds_synthetic_data() -> bool:
    global _known
    now = time.monotonic()
    known = _known
    if known is not None and now - known[0] < TTL_SECONDS:
        return known[1]
    answer = SyntheticRound.objects.exists()
    with _lock:
        _known = (now, answer)
    return answer


class _Lazy:
    """Truthy when the database holds synthetic data; asks only when a template looks."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: bool | None = None

    def __bool__(self) -> bool:
        if self._value is None:
            self._value = holds_synthetic_data()
        return self._value


def synthetic_data(request) -> dict:
    return {"synthetic_data": _Lazy()}


receiver(post_save, sender=SyntheticRound, dispatch_uid="demo-synthetic-saved")(forget)
receiver(post_delete, sender=SyntheticRound, dispatch_uid="demo-synthetic-deleted")(forget)
