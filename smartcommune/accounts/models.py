"""Roles and their scopes.  People are Django's auth ``User``; a user may hold several roles.

Every role except ``admin`` is scoped: to a unit of the right level, or (agency verifier) to
an agency code of the criteria set *and* the province whose communes it verifies.  The
scope rules are database constraints, so no code path (admin, shell, import) can create a
commune officer attached to a district.  A check constraint cannot look at the unit's row,
so the unit's level is copied into :attr:`RoleAssignment.unit_level` on save; a unit's level
is part of its identity (units are never re-levelled, a reform adds new rows), so the copy
cannot go stale.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from smartcommune.units.models import Level


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    DISTRICT_REVIEWER = "district_reviewer", _("Cán bộ thẩm định cấp huyện")
    AGENCY_VERIFIER = "agency_verifier", _("Cán bộ thẩm định của sở")
    SECRETARIAT = "secretariat", _("Thư ký Hội đồng cấp tỉnh (Sở TT&TT)")
    ADMIN = "admin", _("Quản trị hệ thống")


# The unit level each role is scoped to; None: no unit.
ROLE_UNIT_LEVEL: dict[str, str | None] = {
    Role.COMMUNE_OFFICER: Level.COMMUNE,
    Role.DISTRICT_REVIEWER: Level.DISTRICT,
    Role.AGENCY_VERIFIER: Level.PROVINCE,
    Role.SECRETARIAT: Level.PROVINCE,
    Role.ADMIN: None,
}


def _scope_rule(role: str, level: str | None) -> Q:
    needs_agency = role == Role.AGENCY_VERIFIER
    unit = Q(unit__isnull=True, unit_level="") if level is None else Q(unit__isnull=False, unit_level=level)
    agency = ~Q(agency="") if needs_agency else Q(agency="")
    return Q(role=role) & unit & agency


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE,
        related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_level = models.CharField(max_length=5, blank=True, editable=False)
    agency = models.CharField(
        _("cơ quan"), max_length=20, blank=True, help_text=_("Mã cơ quan trong bộ tiêu chí, ví dụ SYT (Sở Y tế).")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = pgettext_lazy("plural", "phân quyền")
        ordering = ["user_id", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_scope_rule(Role.COMMUNE_OFFICER, Level.COMMUNE)
                | _scope_rule(Role.DISTRICT_REVIEWER, Level.DISTRICT)
                | _scope_rule(Role.AGENCY_VERIFIER, Level.PROVINCE)
                | _scope_rule(Role.SECRETARIAT, Level.PROVINCE)
                | _scope_rule(Role.ADMIN, None),
                name="accounts_roleassignment_scope_fits_role",
            ),
            # Two constraints because NULL units never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["user", "role", "unit", "agency"],
                condition=Q(unit__isnull=False),
                name="accounts_roleassignment_uniq",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(unit__isnull=True),
                name="accounts_roleassignment_uniq_without_unit",
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(str(s) for s in (self.agency, self.unit) if s)
        return f"{self.user} — {self.get_role_display()}" + (f" ({scope})" if scope else "")

    def clean(self) -> None:
        # Same rule as the check constraint, as form errors rather than an IntegrityError.
        self._copy_unit_level()  # before full_clean() validates the constraint
        level = ROLE_UNIT_LEVEL.get(self.role)
        errors = {}
        if level is None and self.unit_id:
            errors["unit"] = "Vai trò này không gắn với đơn vị (this role has no unit)."
        if level is not None and (self.unit is None or self.unit.level != level):
            errors["unit"] = f"Vai trò này cần một đơn vị {Level(level).label.lower()} (this role needs a {level} unit)."
        if self.role == Role.AGENCY_VERIFIER and not self.agency:
            errors["agency"] = "Cần mã cơ quan (an agency code is required)."
        if self.role != Role.AGENCY_VERIFIER and self.agency:
            errors["agency"] = "Chỉ cán bộ của sở có mã cơ quan (only agency verifiers have an agency)."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self._copy_unit_level()
        super().save(*args, **kwargs)

    def _copy_unit_level(self) -> None:
        self.unit_level = self.unit.level if self.unit_id else ""
