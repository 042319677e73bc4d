"""Which rounds hold synthetic demo data.

The mark lives beside :class:`~smartcommune.rounds.models.Round` rather than on it, so
the demo needs no change to the rounds app; a round with a :class:`SyntheticRound` row
is synthetic through and through (every assessment, value, evidence item and audit
entry of it was made by :func:`smartcommune.demo.actions.do_load_demo`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class SyntheticRound(models.Model):
    round = models.OneToOneField(
        "rounds.Round", verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="synthetic_mark"
    )
    seed = models.PositiveIntegerField(_("hạt giống ngẫu nhiên"))
    key_check = models.CharField(
        _("dấu kiểm khoá bí mật"), max_length=64,
        help_text=_("HMAC của một hằng số theo SECRET_KEY lúc tạo dữ liệu: cho biết mật khẩu mô phỏng "
        "in ra có còn đúng với khoá hiện tại không (không chứa mật khẩu, không lộ khoá)."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("đợt dữ liệu mô phỏng")
        verbose_name_plural = pgettext_lazy("plural", "đợt dữ liệu mô phỏng")
        ordering = ["round_id"]

    def __str__(self) -> str:
        return f"{self.round} (mô phỏng)"
