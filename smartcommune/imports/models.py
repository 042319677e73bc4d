"""A previewed import waiting for confirmation.

The web flow is two requests: the upload is parsed, checked and previewed, and the
plan is kept here (:attr:`ImportBatch.changes`, :attr:`ImportBatch.versions`: each
assessment's version as the preview saw it); confirming commits exactly that plan with
:func:`~smartcommune.imports.actions.do_import`, which refuses if any of those
assessments changed meanwhile.  The file itself is not kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class BatchStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Chờ xác nhận")
    COMMITTED = "committed", _("Đã nhập")
    DISCARDED = "discarded", pgettext_lazy("import", "Đã huỷ")


class ImportBatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT,
                             related_name="+")
    round = models.ForeignKey("rounds.Round", verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=10)
    status = models.CharField(_("trạng thái"), max_length=10, choices=BatchStatus.choices,
                              default=BatchStatus.PREVIEWED)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    changes = models.JSONField(_("thay đổi"), default=list)
    """``[[assessment id, criterion code, {field: new value}], …]``."""
    versions = models.JSONField(_("phiên bản lúc xem trước"), default=dict)
    """``{assessment id (str): version}``."""
    preview = models.JSONField(_("xem trước"), default=dict)
    """:meth:`~smartcommune.imports.preview.Preview.as_json`, shown on the confirmation page."""

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
