"""An uploaded criteria-set file, kept whole (its TOML text) with its SHA-256.

One code may have several uploads (versions being prepared); at most one of them is
*available* for new rounds.  A row is never changed except to make it available: a
different text is a new row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class UploadedSet(models.Model):
    code = models.CharField(_("mã bộ tiêu chí"), max_length=100)
    name = models.CharField(_("tên"), max_length=500)
    content = models.TextField(_("nội dung TOML"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    file_name = models.CharField(_("tên tệp tải lên"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    available = models.BooleanField(_("dùng được cho đợt mới"), default=False)
    made_available_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đưa vào sử dụng"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    made_available_at = models.DateTimeField(_("đưa vào sử dụng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ tiêu chí tải lên")
        verbose_name_plural = pgettext_lazy("plural", "bộ tiêu chí tải lên")
        ordering = ["code", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code", "sha256"], name="criteriasets_code_sha256_uniq"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(available=True), name="criteriasets_one_available_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.sha256[:12]})"
