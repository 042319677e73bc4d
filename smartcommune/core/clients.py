"""Who the client is: the address that sign-in throttling and the API's rate limits count.

Without a reverse proxy it is ``REMOTE_ADDR``.  Behind one, ``REMOTE_ADDR`` is the proxy's
own address for everyone -- a lock-out or a limit would then hit every user at once -- so
the operator says how many proxies stand in front (``SMARTCOMMUNE_TRUSTED_PROXIES``, each of
which appends the address it received from to ``X-Forwarded-For``, as nginx's
``$proxy_add_x_forwarded_for`` does), and the client is the entry that the outermost trusted
proxy appended.  Entries further left are whatever the client sent and are never trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the outermost trusted proxy saw it (``REMOTE_ADDR`` when no
    proxy is configured, or when the header has fewer entries than proxies)."""
    proxies = int(getattr(settings, "SMARTCOMMUNE_TRUSTED_PROXIES", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return entries[-proxies][:64]
