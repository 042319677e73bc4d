"""Templates a province uploads in place of the shipped ones.

Kept in the database (not on an app server's disk: there may be several), one row per
upload and never changed: the latest row of a province and kind is the one in use, the
earlier ones its history (who replaced what, when). A row with no content puts the
shipped template back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from smartcommune.documents.kinds import KINDS
from smartcommune.units.models import Level


class DocumentTemplate(models.Model):
    province = models.ForeignKey("units.Unit", verbose_name=_("tỉnh"), on_delete=models.PROTECT,
                                 limit_choices_to={"level": Level.PROVINCE}, related_name="+")
    kind = models.CharField(_("loại văn bản"), max_length=40,
                            choices=[(k.code, pgettext_lazy("document", k.name)) for k in KINDS.values()])
    content = models.BinaryField(_("tệp DOCX"), blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = pgettext_lazy("plural", "mẫu văn bản")
        ordering = ["province_id", "kind", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name or 'mẫu mặc định'}"
