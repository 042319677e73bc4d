"""Writes of personal API tokens: create (the secret is returned once) and revoke.

Both are atomic and append an :class:`~smartcommune.api.models.ApiTokenEvent`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from smartcommune.api.models import ApiToken, ApiTokenEvent, TokenAction
from smartcommune.rounds.exceptions import NotAllowed, Problem, ValidationFailed

TOKEN_PREFIX = "sc"
NAME_MAX = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed token, else ``None``."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def do_create_token(*, actor, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``actor`` (who acts with it with their own roles): ``(row, token)``.

    ``token`` is the only copy of the secret: show it once, never store it.
    """
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(Problem("Cần đặt tên cho khóa", "the token needs a name", field="name"))
    elif len(name) > NAME_MAX or "\x00" in name:
        problems.append(Problem(f"Tên khóa dài tối đa {NAME_MAX} ký tự", f"the name is at most {NAME_MAX} characters",
                                field="name", value=name[:NAME_MAX]))
    if expires_at is not None and expires_at <= timezone.now():
        problems.append(Problem("Ngày hết hạn phải ở tương lai", "the expiry must be in the future",
                                field="expires_at", value=expires_at.isoformat()))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiToken.objects.create(user=actor, name=name, prefix=prefix, key_hash=hash_token(token),
                                      expires_at=expires_at)
        ApiTokenEvent.objects.create(token=row, actor=actor, action=TokenAction.CREATED)
    return row, token


def do_revoke_token(*, actor, token: ApiToken) -> ApiToken:
    """Revoke ``token``; only its owner may.  Revoking twice changes nothing the second time."""
    if token.user_id != actor.pk:
        raise NotAllowed("Chỉ người tạo khóa mới được thu hồi khóa", "only the token's owner may revoke it")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            ApiTokenEvent.objects.create(token=locked, actor=actor, action=TokenAction.REVOKED)
    return locked
