"""What the navigation bar needs on every page: the user's role flags and unread count.

Computed lazily (only when a template reads ``nav``) and only for signed-in users:
one query for the roles, one for the unread notifications.
"""

from __future__ import annotations

from functools import cached_property

from smartcommune.accounts.models import Role
from smartcommune.rounds import access
from smartcommune.rounds.models import Notification


class Navigation:
    def __init__(self, user):
        self.user = user

    @cached_property
    def _roles(self) -> frozenset[str]:
        return frozenset(role for role, units in access.units_by_role(self.user).items() if units)

    @property
    def is_officer(self) -> bool:
        return Role.COMMUNE_OFFICER in self._roles

    @property
    def is_district_reviewer(self) -> bool:
        return Role.DISTRICT_REVIEWER in self._roles

    @property
    def is_agency_verifier(self) -> bool:
        return Role.AGENCY_VERIFIER in self._roles

    @property
    def is_secretariat(self) -> bool:
        return Role.SECRETARIAT in self._roles

    @property
    def is_admin(self) -> bool:
        return self.user.is_superuser or Role.ADMIN in self._roles

    @property
    def sees_rounds(self) -> bool:
        """Secretariat, agency verifiers (read) and admins see the list of rounds."""
        return self.is_secretariat or self.is_agency_verifier or self.is_admin

    @property
    def is_staff(self) -> bool:
        return self.user.is_staff

    @cached_property
    def unread(self) -> int:
        return Notification.objects.filter(recipient=self.user, read_at__isnull=True).count()


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    return {"nav": Navigation(user)}
