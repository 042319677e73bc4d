"""Sending the public results pages: compressed once, validated by the data stamp, and kept
by browsers and shared proxies only when nothing in them is personal.

A page is **public** when the viewer is not signed in and no message waits for them
(:func:`is_public`): every anonymous visitor of the same language then gets the same bytes,
so the whole response is kept in the results cache (:mod:`smartcommune.results.caching`)
as a :class:`Page` -- already compressed with gzip and brotli, with its validators -- under
a key made of the data stamp, the scope, the language and the page's parameters.  A cache
hit costs no rendering and no compression; :func:`respond` picks the variant the client
accepts (``Vary: Accept-Encoding``), answers ``304 Not Modified`` to a matching
``If-None-Match`` / ``If-Modified-Since`` and lets browsers and proxies keep the page for
:data:`PUBLIC_MAX_AGE` seconds (``Cache-Control: public, max-age=…, must-revalidate``).
The ETag is a digest of the cache key: it changes exactly when the stamp, the scope, the
language or the parameters do.  ``Last-Modified`` is the second the page was first built
for that stamp (whole seconds: clients that send both validators are answered by the ETag,
as HTTP says).

A public page carries no CSRF token (``public_page`` in the template context): a token in
a page shared by a proxy would hand one visitor's CSRF secret to the others and fail for
them.  The one form on such a page, the language switch, is checked by origin instead
(:mod:`smartcommune.core.language`).

Everything a **signed-in** viewer gets is ``Cache-Control: private, no-store`` (see
:func:`private`): it may hold unpublished results and carries the CSRF token, so neither a
shared proxy nor the browser's disk keeps it, and it is not compressed either -- a page
holding a secret (the CSRF token) next to text the request controls (the language form's
``next``) is what BREACH reads by length.  Public pages hold no secret, so compressing
them discloses nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from smartcommune.results import caching

# How long a browser or a proxy may keep a public page before asking again (it then gets
# a 304 while the data stamp has not moved).  Published results change rarely; a minute
# bounds how late a correction shows.
PUBLIC_MAX_AGE = 60
# Compressed once per data stamp and kept, so the strongest settings that stay quick: on a
# 290 KB overview, gzip 9 takes 6 ms (12.3 KB), brotli 9 16 ms (10.0 KB); brotli 11 would
# take 490 ms for 5 % less.
GZIP_LEVEL = 9
BROTLI_QUALITY = 9
HTML = "text/html; charset=utf-8"
JSON = "application/json"


@dataclass(frozen=True)
class Page:
    """A response kept whole: its body compressed both ways (the identity body is
    rebuilt from gzip for the rare client that accepts neither), its content type, extra
    headers (e.g. ``Content-Disposition``) and validators."""

    content_type: str
    etag: str
    modified: int
    gzip: bytes
    br: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def build(cls, body: bytes | str, *, key: str, content_type: str = HTML,
              headers: tuple[tuple[str, str], ...] = ()) -> Page:
        if isinstance(body, str):
            body = body.encode()
        return cls(
            content_type=content_type,
            etag=etag_of(key),
            modified=int(time.time()),
            gzip=gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
            br=brotli.compress(body, quality=BROTLI_QUALITY),
            headers=headers,
        )

    def body(self, encoding: str) -> bytes:
        if encoding == "br":
            return self.br
        if encoding == "gzip":
            return self.gzip
        return gzip.decompress(self.gzip)


def etag_of(key: str) -> str:
    """A weak ETag for the kept page ``key``: its variants (br, gzip, none) are the same
    page, so they share it."""
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def accepted_encoding(header: str) -> str:
    """``br``, ``gzip`` or ``""`` (identity): the best the ``Accept-Encoding`` ``header``
    allows.  ``q=0`` refuses a coding; ``*`` stands for those not named."""
    q: dict[str, float] = {}
    for item in header.split(","):
        name, _sep, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            k, _eq, v = param.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    weight = float(v)
                except ValueError:
                    weight = 0.0
        q[name] = weight
    best, best_q = "", 0.0
    for coding in ("br", "gzip"):
        weight = q.get(coding, q.get("*", 0.0))
        if weight > best_q:
            best, best_q = coding, weight
    return best


def is_public(request: HttpRequest) -> bool:
    """Whether ``request`` gets the page every anonymous visitor gets: not signed in, and
    no message waiting (a message is shown once, to that visitor only)."""
    return not request.user.is_authenticated and not len(get_messages(request))


def respond(request: HttpRequest, page: Page) -> HttpResponse:
    """The public response for ``page``: the variant ``request`` accepts, or 304."""
    encoding = accepted_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = HttpResponse(page.body(encoding), content_type=page.content_type)
    for name, value in page.headers:
        response[name] = value
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.modified)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE, must_revalidate=True)
    return get_conditional_response(request, etag=page.etag, last_modified=page.modified, response=response)


def _page_of(response: HttpResponse, key: str) -> Page:
    return Page.build(response.content, key=key, content_type=response["Content-Type"],
                      headers=tuple((k, v) for k, v in response.items() if k.lower() == "content-disposition"))


def kept(request: HttpRequest, key: str, make: Callable[[], HttpResponse]) -> HttpResponse:
    """The public response kept under ``key`` (a :func:`caching.page_key`), made by
    ``make()`` once per key: its content, content type and ``Content-Disposition``."""
    return respond(request, caching.get_or_compute(key, lambda: _page_of(make(), key)))


def unkept(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A small public page made per request (nothing to stamp it by), sent as a kept one:
    compressed, with an ETag of its content (so a repeated visit still gets a 304)."""
    return respond(request, _page_of(response, hashlib.sha256(response.content).hexdigest()))


def private(response: HttpResponse) -> HttpResponse:
    """``response`` marked for the viewer alone: no shared cache, no disk, no validators."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
    return response
