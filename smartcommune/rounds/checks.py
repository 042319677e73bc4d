"""System checks of the rounds app's settings, with stable IDs.

============================  ===============================================
ID                            what is wrong
============================  ===============================================
``smartcommune.E010``         ``SMARTCOMMUNE_UPLOAD_MAX_BYTES`` is not a positive integer
============================  ===============================================
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from smartcommune.rounds.uploads import DEFAULT_MAX_BYTES


@register()
def check_upload_max_bytes(app_configs=None, **kwargs):
    value = getattr(settings, "SMARTCOMMUNE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    # bool is an int in Python; True bytes is a mistake, not a limit.
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return []
    return [
        Error(
            f"SMARTCOMMUNE_UPLOAD_MAX_BYTES phải là số nguyên dương, đang là {value!r} "
            "(SMARTCOMMUNE_UPLOAD_MAX_BYTES must be a positive integer).",
            hint="Ví dụ 20 * 1024 * 1024 cho 20 MB (for example 20 * 1024 * 1024 for 20 MB).",
            id="smartcommune.E010",
        )
    ]
