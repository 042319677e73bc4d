"""THE one place that answers "may this user see / do this".

Views, the API, exports and the workflow all ask here; nothing else reads
:class:`~smartcommune.accounts.models.RoleAssignment` to decide access.

Scopes (a user's roles add up):

==================  ===============================================================
role                sees the assessments of
==================  ===============================================================
commune officer     their own commune(s)
district reviewer   the communes whose parent is their district
agency verifier     every commune of their province
secretariat         every commune of their province
admin / superuser   everything
anyone, anonymous   published assessments
==================  ===============================================================

What a user may *do* is narrower and depends on the assessment's state: see
:func:`editable_criteria`, :func:`verifiable_criteria` and
:mod:`smartcommune.rounds.workflow`.  System administrators (superusers) see everything
but act in the workflow only through roles they hold, so that data entry, review and
decision stay with the people accountable for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from smartcommune.accounts.models import Role, RoleAssignment
from smartcommune.criteria.model import CriteriaSet
from smartcommune.rounds.models import Assessment, ReviewStatus, Status
from smartcommune.units.models import Unit


def _assignments(user) -> list[RoleAssignment]:
    if user is None or not user.is_authenticated:
        return []
    return list(RoleAssignment.objects.filter(user=user))


def _holds(user, role: str, **scope) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return RoleAssignment.objects.filter(user=user, role=role, **scope).exists()


def is_admin(user) -> bool:
    """A superuser or a holder of the admin role: sees everything."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or _holds(user, Role.ADMIN)))


def visible_assessments(user) -> QuerySet[Assessment]:
    """Every assessment ``user`` may see (see the module's table)."""
    assessments = Assessment.objects.all()
    if is_admin(user):
        return assessments
    allowed = Q(status=Status.PUBLISHED)
    for assignment in _assignments(user):
        if assignment.role == Role.COMMUNE_OFFICER:
            allowed |= Q(unit_id=assignment.unit_id)
        elif assignment.role == Role.DISTRICT_REVIEWER:
            allowed |= Q(unit__parent_id=assignment.unit_id)
        elif assignment.role in (Role.AGENCY_VERIFIER, Role.SECRETARIAT):
            allowed |= Q(round__province_id=assignment.unit_id)
    return assessments.filter(allowed)


def can_view_assessment(user, assessment: Assessment) -> bool:
    return visible_assessments(user).filter(pk=assessment.pk).exists()


def is_officer_of(user, unit: Unit) -> bool:
    """Whether ``user`` is a commune officer of ``unit``."""
    return _holds(user, Role.COMMUNE_OFFICER, unit_id=unit.pk)


def is_district_reviewer_for(user, commune: Unit) -> bool:
    """Whether ``user`` reviews for the district that is ``commune``'s parent."""
    return commune.parent_id is not None and _holds(user, Role.DISTRICT_REVIEWER, unit_id=commune.parent_id)


def is_secretariat_of(user, province: Unit) -> bool:
    return _holds(user, Role.SECRETARIAT, unit_id=province.pk)


def can_open_round(user, province: Unit) -> bool:
    return is_secretariat_of(user, province) or bool(user is not None and user.is_superuser)


def agencies_of(user, *, province: Unit | None = None) -> set[str]:
    """The agency codes ``user`` verifies for (in ``province`` only, when given)."""
    scope = {} if province is None else {"unit_id": province.pk}
    if user is None or not user.is_authenticated:
        return set()
    return set(
        RoleAssignment.objects.filter(user=user, role=Role.AGENCY_VERIFIER, **scope).values_list("agency", flat=True)
    )


def led_criteria(criteria_set: CriteriaSet, agencies: Iterable[str]) -> set[str]:
    """Codes of the criteria whose lead agencies include one of ``agencies``."""
    agencies = set(agencies)
    return {c.code for c in criteria_set.criteria if agencies.intersection(c.lead_agencies)}


def editable_criteria(user, assessment: Assessment) -> set[str]:
    """Criteria whose values and evidence ``user`` may change now.

    Only an officer of the commune; in ``draft`` every criterion, in ``returned`` only the
    items returned to the commune; in any other state none.
    """
    if assessment.status not in (Status.DRAFT, Status.RETURNED) or not is_officer_of(user, assessment.unit):
        return set()
    values = assessment.values.all()
    if assessment.status == Status.RETURNED:
        values = values.filter(review_status=ReviewStatus.RETURNED)
    return set(values.values_list("criterion_code", flat=True))


def verifiable_criteria(user, assessment: Assessment) -> set[str]:
    """Criteria ``user`` may verify or return now: led by their agency in the round's
    province, awaiting verification (pending or answered), at the agencies' step."""
    if not assessment.awaiting_agency:
        return set()
    led = led_criteria(assessment.round.criteria_set, agencies_of(user, province=assessment.round.province))
    if not led:
        return set()
    return set(
        assessment.values.filter(
            criterion_code__in=led, review_status__in=(ReviewStatus.PENDING, ReviewStatus.ANSWERED)
        ).values_list("criterion_code", flat=True)
    )
