"""Personal API tokens and the log of their creation and revocation.

A token is ``sc_<prefix>_<secret>``.  Only the prefix (to find the row, and to show the
owner which token is which) and the SHA-256 of the whole token are stored; the token
itself is shown once, when it is created, and cannot be recovered.  The secret has 256
random bits, so a plain (unsalted) hash is enough: there is nothing to brute-force.

Token writes go through :mod:`smartcommune.api.actions` only; each one appends an
:class:`ApiTokenEvent` (append-only, like the round's audit log).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True)
    key_hash = models.CharField(_("mã băm"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = pgettext_lazy("plural", "khóa API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (sc_{self.prefix}_…)"

    @property
    def display(self) -> str:
        """What the owner sees of the token: its prefix only."""
        return f"sc_{self.prefix}_…"


class TokenAction(models.TextChoices):
    CREATED = "created", pgettext_lazy("event", "Tạo khóa")
    REVOKED = "revoked", pgettext_lazy("event", "Thu hồi khóa")


class ApiTokenEvent(models.Model):
    """Who created or revoked which token, and when.  Append-only."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("thao tác"), max_length=10, choices=TokenAction.choices)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("nhật ký khóa API")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký khóa API")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.token} — {self.actor} — {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Nhật ký khóa API chỉ được ghi thêm (the token log is append-only)")
        super().save(*args, **kwargs)
