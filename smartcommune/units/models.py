"""Administrative units with validity periods, and their lineage across reforms.

A unit row is one unit at one level during one validity period.  A reform does not edit
units: it closes the old rows (``valid_to``) and adds new ones, linked by
:class:`UnitSuccession`, so results stay attached to the unit they were made for.
GSO codes are reused across the 1 July 2025 reform (the new Phường Phú Khương of
Vĩnh Long has code 28756, like the old one of Bến Tre), so a unit is identified by
``(level, code, valid_from)``, never by its code alone.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class UnitQuerySet(models.QuerySet["Unit"]):
    def in_force(self, on: date) -> UnitQuerySet:
        """The units whose validity period contains the day ``on`` (both ends included)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class Level(models.TextChoices):
    """Level in the hierarchy; values are the Vietnamese words without diacritics."""

    PROVINCE = "tinh", _("Cấp tỉnh")
    DISTRICT = "huyen", _("Cấp huyện")
    COMMUNE = "xa", _("Cấp xã")


class Unit(models.Model):
    code = models.CharField(_("mã (Tổng cục Thống kê)"), max_length=10, db_index=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    level = models.CharField(_("cấp"), max_length=5, choices=Level.choices)
    # Free text, as the package gives it ("Xã", "Phường", "Thị trấn", "Thành phố",
    # "Đặc khu", ...): a closed list would reject the next reform's types.
    kind = models.CharField(_("loại"), max_length=20)
    # Before 1 July 2025 a commune's parent is its district; from then on, its province.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(
        _("hiệu lực đến hết ngày"), null=True, blank=True, help_text=_("Để trống: còn hiệu lực.")
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị hành chính")
        ordering = ["valid_from", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="units_unit_level_code_valid_from_uniq"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="units_unit_valid_to_after_valid_from",
            ),
            # Only a province stands without a parent.
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True)
                | (~Q(level=Level.PROVINCE) & Q(parent__isnull=False)),
                name="units_unit_parent_unless_province",
            ),
        ]

    def __str__(self) -> str:
        # Name and code repeat across periods, so the start date tells the rows apart.
        return f"{self.name} ({self.code}, từ {self.valid_from:%d/%m/%Y})"

    @property
    def district(self) -> Unit | None:
        """A commune's district; ``None`` where there is no district level (after the
        1 July 2025 reform a commune's parent is its province)."""
        parent = self.parent
        return parent if parent is not None and parent.level == Level.DISTRICT else None


class UnitSuccession(models.Model):
    """Part or all of ``predecessor``'s territory passed to ``successor`` on ``effective``.

    An old commune divided among several new ones has one succession per new commune;
    exactly one of them is the default (where its data roll up to by default).
    """

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    effective = models.DateField(_("ngày hiệu lực"))
    is_default = models.BooleanField(_("đơn vị kế thừa mặc định"), default=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "kế thừa đơn vị hành chính")
        ordering = ["effective", "predecessor_id", "successor_id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="units_succession_pair_uniq"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_default=True), name="units_succession_one_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
