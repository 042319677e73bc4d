"""Who is calling: a personal token in ``Authorization: Bearer <token>``, or nobody.

The API has no session authentication, so no request of the API relies on a cookie and
none needs a CSRF token.  The caller acts with the token owner's roles; every query then
goes through :mod:`smartcommune.rounds.access`, as on the web.

* :data:`token_required` -- the operation needs a valid token (401 otherwise).
* :data:`token_optional` -- without the header the caller is anonymous (published data
  only); a header that is present but wrong is still a 401, never a silent downgrade.

Both count the request against the rate limit (:mod:`smartcommune.api.ratelimit`):
per token, or per client IP for anonymous calls; over the limit, 429 with
``Retry-After``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security.http import HttpAuthBase

from smartcommune.api import ratelimit
from smartcommune.api.actions import hash_token, split_token
from smartcommune.api.errors import ApiError
from smartcommune.api.models import ApiToken
from smartcommune.core.clients import client_address

# last_used_at is a hint for the owner, not an audit: write it at most this often.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    """``request.auth``: the user acting (``AnonymousUser`` without a token) and the token."""

    user: object
    token: ApiToken | None = None


def _invalid(code: str, vi: str, en: str) -> ApiError:
    return ApiError(401, code, vi, en, headers={"WWW-Authenticate": 'Bearer realm="smartcommune", error="invalid_token"'})


def _rate_limited(retry_after: int, vi_per: str, en_per: str) -> ApiError:
    return ApiError(
        429, "rate_limited",
        f"Quá nhiều yêu cầu ({vi_per}); thử lại sau {retry_after} giây",
        f"too many requests ({en_per}); retry in {retry_after} seconds",
        {"retry_after": retry_after}, headers={"Retry-After": str(retry_after)},
    )


def token_from_header(value: str) -> ApiToken:
    """The active token named by an ``Authorization`` header value; ``ApiError`` 401 otherwise."""
    scheme, _, raw = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise _invalid("invalid_authorization", "Tiêu đề Authorization phải có dạng “Bearer <khóa>”",
                       "the Authorization header must be “Bearer <token>”")
    raw = raw.strip()
    parts = split_token(raw)
    token = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first() if parts else None
    if token is None or not hmac.compare_digest(token.key_hash, hash_token(raw)):
        raise _invalid("invalid_token", "Khóa API không đúng", "the API token is not valid")
    now = timezone.now()
    if token.revoked_at is not None:
        raise _invalid("token_revoked", "Khóa API đã bị thu hồi", "the API token has been revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise _invalid("token_expired", "Khóa API đã hết hạn", "the API token has expired")
    if not token.user.is_active:
        raise _invalid("user_inactive", "Tài khoản của khóa này đã bị khóa", "the token's account is deactivated")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def _count_address(request: HttpRequest) -> None:
    retry = ratelimit.hit(f"ip:{client_address(request)}", ratelimit.anonymous_rate())
    if retry is not None:
        raise _rate_limited(retry, "giới hạn mỗi địa chỉ IP", "limit per IP address")


class TokenAuth(HttpAuthBase):
    """Bearer token authentication (see the module docstring)."""

    openapi_scheme = "bearer"
    openapi_description = "Khóa API cá nhân, tạo ở trang “Khóa API” (personal API token)"

    def __init__(self, *, required: bool):
        self.required = required
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization")
        if not header:
            _count_address(request)
            if self.required:
                return None  # ninja answers 401 (authentication_required)
            return Caller(AnonymousUser())
        try:
            token = token_from_header(header)
        except ApiError:
            # Guessing tokens counts against the address's anonymous budget.
            _count_address(request)
            raise
        retry = ratelimit.hit(f"token:{token.pk}", ratelimit.token_rate())
        if retry is not None:
            raise _rate_limited(retry, "giới hạn mỗi khóa API", "limit per API token")
        return Caller(token.user, token)


token_required = TokenAuth(required=True)
token_optional = TokenAuth(required=False)
# ninja lists TokenAuth already and appends this: security [{"TokenAuth": []}, {}].
OPTIONAL_SECURITY = {"security": [{}]}
"""``openapi_extra`` of the operations that also answer anonymous callers (no token: ``{}``)."""
