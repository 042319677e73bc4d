"""Who may see and change a commune's register and feedback desk (uses
:mod:`smartcommune.rounds.access`; nothing else here reads roles).

==================  ==========================================================
role                register and desk
==================  ==========================================================
commune officer     manages their commune's
district reviewer   reads those of the communes of their district
agency verifier,    read those of every commune of their province
secretariat
admin / superuser   read everything
anyone, anonymous   published items; moderated questions and their public
                    answers; never a name or a contact
==================  ==========================================================
"""

from __future__ import annotations

from django.db.models import Q

from smartcommune.accounts.models import Role
from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.exceptions import NotAllowed
from smartcommune.units.models import Unit


def managed_unit_ids(user) -> list[int]:
    """The communes ``user`` is an officer of."""
    return rounds_access.units_by_role(user)[Role.COMMUNE_OFFICER]


def unit_scope(user, prefix: str = "unit__") -> Q:
    """A filter matching the communes ``user``'s roles reach (all for administrators, none
    without roles); ``prefix`` leads to the commune (``""`` for a query on units)."""
    if rounds_access.is_admin(user):
        return Q()
    units = rounds_access.units_by_role(user)
    provinces = units[Role.AGENCY_VERIFIER] + units[Role.SECRETARIAT]
    return (
        Q(**{f"{prefix}id__in": units[Role.COMMUNE_OFFICER]})
        | Q(**{f"{prefix}parent_id__in": units[Role.DISTRICT_REVIEWER]})
        # Before the 2025 reform a commune sits under a district, after it under the province.
        | Q(**{f"{prefix}parent_id__in": provinces})
        | Q(**{f"{prefix}parent__parent_id__in": provinces})
    )


def may_read(user, unit: Unit) -> bool:
    """Whether ``user`` sees ``unit``'s whole register and desk (unpublished items, feedback)."""
    return Unit.objects.filter(unit_scope(user, ""), pk=unit.pk).exists()


def may_manage(user, unit: Unit) -> bool:
    return rounds_access.is_officer_of(user, unit)


def check_manage(user, unit: Unit) -> None:
    if not may_manage(user, unit):
        raise NotAllowed(
            f"Chỉ cán bộ của {unit.name} mới được cập nhật sổ công khai và trả lời phản hồi của xã",
            f"only officers of {unit.name} may change its disclosure register and answer its feedback",
        )
