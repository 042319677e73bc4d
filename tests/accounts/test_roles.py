"""Role assignments: each role's scope is enforced by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from smartcommune.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def assign(user, role, unit=None, agency=""):
    with transaction.atomic():
        return RoleAssignment.objects.create(user=user, role=role, unit=unit, agency=agency)


@pytest.mark.parametrize(
    "role, unit, agency",
    [
        (Role.COMMUNE_OFFICER, "d1", ""),      # a district is not a commune
        (Role.COMMUNE_OFFICER, None, ""),
        (Role.DISTRICT_REVIEWER, "a", ""),
        (Role.SECRETARIAT, "d1", ""),
        (Role.AGENCY_VERIFIER, "bt", ""),      # no agency
        (Role.AGENCY_VERIFIER, None, "SYT"),   # no province
        (Role.AGENCY_VERIFIER, "a", "SYT"),
        (Role.ADMIN, "bt", ""),
        (Role.COMMUNE_OFFICER, "a", "SYT"),
    ],
)
def test_scope_must_fit_the_role(world, role, unit, agency):
    unit = getattr(world, unit) if unit else None
    with pytest.raises(IntegrityError):
        assign(world.nobody, role, unit, agency)
    with pytest.raises(ValidationError):
        RoleAssignment(user=world.nobody, role=role, unit=unit, agency=agency).full_clean()


@pytest.mark.parametrize(
    "role, unit, agency",
    [
        (Role.COMMUNE_OFFICER, "a", ""),
        (Role.DISTRICT_REVIEWER, "d1", ""),
        (Role.SECRETARIAT, "bt", ""),
        (Role.AGENCY_VERIFIER, "bt", "SYT"),
        (Role.ADMIN, None, ""),
    ],
)
def test_each_role_with_its_scope_is_accepted_once(world, role, unit, agency):
    unit = getattr(world, unit) if unit else None
    RoleAssignment(user=world.nobody, role=role, unit=unit, agency=agency).full_clean(validate_unique=False)
    assign(world.nobody, role, unit, agency)
    with pytest.raises(IntegrityError):
        assign(world.nobody, role, unit, agency)


def test_a_user_may_hold_several_roles(world):
    assign(world.officer_a, Role.COMMUNE_OFFICER, world.b)
    assign(world.officer_a, Role.DISTRICT_REVIEWER, world.d2)
    assert set(world.officer_a.role_assignments.values_list("role", flat=True)) == {"commune_officer", "district_reviewer"}
    assert "Cán bộ xã" in str(world.officer_a.role_assignments.first())
