"""The public form's defences that need no outside service.

* **Rate limits**, counted in the shared cache (the database table with an atomic
  ``incr``, or Redis; :mod:`smartcommune.core.cache`), so every worker counts together:
  ``SMARTCOMMUNE_SURVEY_ADDRESS_RATE`` answers per client address and survey per
  10 minutes (default 30: a family or a commune office behind one address) and
  ``SMARTCOMMUNE_SURVEY_RATE`` answers per survey per minute (default 600).
* **A bot check**: the form carries a signed stamp of when it was served; an answer sent
  sooner than ``SMARTCOMMUNE_SURVEY_MIN_SECONDS`` (default 3) after it, with a stamp older
  than a day, of another survey or forged, or with the hidden "website" field filled in
  (a honeypot no person sees), is refused.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

from smartcommune.core import ratelimit

SALT = "smartcommune.surveys.form"
MAX_FORM_AGE = 24 * 3600
HONEYPOT = "website"


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def count(key: str, limit: int, window: int) -> int | None:
    """Count one event under ``key`` in a fixed window of ``window`` seconds: ``None``
    within ``limit``, else the seconds until the window ends."""
    return ratelimit.hit("survey-rate", key, limit, window)


def rate_limited(survey_code: str, address: str) -> int | None:
    """Seconds to wait when this address or this survey is over its limit, else ``None``."""
    waits = [
        count(f"survey:{survey_code}", setting("SMARTCOMMUNE_SURVEY_RATE", 600), 60),
        count(f"address:{survey_code}:{address}", setting("SMARTCOMMUNE_SURVEY_ADDRESS_RATE", 30), 600),
    ]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def form_stamp(survey_code: str) -> str:
    return signing.dumps({"s": survey_code, "t": time.time()}, salt=SALT, compress=False)


def looks_automated(survey_code: str, stamp: str, honeypot: str) -> bool:
    """Whether the submission fails the bot check (see the module)."""
    if honeypot:
        return True
    try:
        data = signing.loads(stamp, salt=SALT, max_age=MAX_FORM_AGE)
    except (signing.BadSignature, TypeError):
        return True
    if not isinstance(data, dict) or data.get("s") != survey_code or not isinstance(data.get("t"), (int, float)):
        return True
    return time.time() - data["t"] < setting("SMARTCOMMUNE_SURVEY_MIN_SECONDS", 3)
