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

Seeing a published result is not opening its evidence: results pages link to evidence
files and addresses only for people whose roles reach the assessment
(:func:`may_open_evidence`).

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
from smartcommune.rounds.models import Assessment, CriterionValue, ReviewStatus, Status
from smartcommune.units.models import Unit


def _assignments(user) -> list[RoleAssignment]:
    if user is None or not user.is_authenticated:
        return []
    return list(RoleAssignment.objects.filter(user=user))


def _holds(user, role: str, **scope) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return RoleAssignment.objects.filter(user=user, role=role, **scope).exists()


def units_by_role(user) -> dict[str, list[int]]:
    """The ids of the units ``user`` holds each role for (every role a key; empty lists
    for roles not held, and for anonymous users)."""
    units: dict[str, list[int]] = {role: [] for role in Role.values}
    for assignment in _assignments(user):
        units[assignment.role].append(assignment.unit_id)
    return units


def agency_assignments(user) -> list[tuple[int, str]]:
    """``(province id, agency code)`` of each agency verifier role ``user`` holds."""
    return [(a.unit_id, a.agency) for a in _assignments(user) if a.role == Role.AGENCY_VERIFIER]


def holds_role(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` anywhere."""
    return _holds(user, role)


def is_admin(user) -> bool:
    """A superuser or a holder of the admin role: sees everything."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or _holds(user, Role.ADMIN)))


def _role_scope(user) -> Q:
    """The assessments ``user``'s roles (not publication) let them see; matches none without roles."""
    allowed = Q(pk__in=[])
    for assignment in _assignments(user):
        if assignment.role == Role.COMMUNE_OFFICER:
            allowed |= Q(unit_id=assignment.unit_id)
        elif assignment.role == Role.DISTRICT_REVIEWER:
            allowed |= Q(unit__parent_id=assignment.unit_id)
        elif assignment.role in (Role.AGENCY_VERIFIER, Role.SECRETARIAT):
            allowed |= Q(round__province_id=assignment.unit_id)
    return allowed


def visible_assessments(user) -> QuerySet[Assessment]:
    """Every assessment ``user`` may see (see the module's table)."""
    assessments = Assessment.objects.all()
    if is_admin(user):
        return assessments
    return assessments.filter(Q(status=Status.PUBLISHED) | _role_scope(user))


def assessments_in_scope(user) -> QuerySet[Assessment]:
    """The assessments ``user``'s roles reach (administrators: all), published or not: the
    ones they work on, as opposed to everything they may read."""
    assessments = Assessment.objects.all()
    if is_admin(user):
        return assessments
    return assessments.filter(_role_scope(user))


def published_assessments() -> QuerySet[Assessment]:
    """What the public (anyone, no login) may see: published assessments."""
    return Assessment.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)


def is_published(assessment: Assessment) -> bool:
    """Whether ``assessment``'s result is public."""
    return assessment.status == Status.PUBLISHED and assessment.published_at is not None


def may_open_evidence(user, assessment: Assessment) -> bool:
    """Whether a results page links ``user`` to the evidence of ``assessment`` (its files,
    through the permission-checked download, and its web addresses).

    Only people whose *roles* reach the assessment (and administrators): publication makes
    a result public, not its evidence, whose files may hold personal data (lists of
    households, survey answers).  Everyone else who sees the result sees what each item is
    (kind, name, document number and date), not the item itself.
    """
    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return Assessment.objects.filter(_role_scope(user), pk=assessment.pk).exists()


def evidence_openable_ids(user, assessment_ids: Iterable[int]) -> set[int]:
    """:func:`may_open_evidence` for many assessments at once (one query): the ids among
    ``assessment_ids`` whose evidence ``user`` may open."""
    ids = set(assessment_ids)
    if user is None or not user.is_authenticated or not ids:
        return set()
    if is_admin(user):
        return ids
    return set(Assessment.objects.filter(_role_scope(user), pk__in=ids).values_list("pk", flat=True))


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
    """Codes of the criteria (preconditions included) whose lead agencies include one of
    ``agencies``."""
    agencies = set(agencies)
    return {c.code for c in criteria_set.input_criteria if agencies.intersection(c.lead_agencies)}


def editable_criteria(user, assessment: Assessment) -> set[str]:
    """Criteria whose values and evidence ``user`` may change now.

    Only an officer of the commune; in ``draft`` every criterion, in ``returned`` only the
    items returned to the commune; in any other state none.
    """
    return editable_criteria_many(user, [assessment])[assessment.pk]


def editable_criteria_many(user, assessments: Iterable[Assessment]) -> dict[int, set[str]]:
    """:func:`editable_criteria` of each of ``assessments`` (keyed by id), in two queries
    whatever their number: an import of a whole province checks them all at once.

    The states are those of the objects given (a caller holding locks passes the locked
    rows), the returned items those in the database.
    """
    assessments = list(assessments)
    editable: dict[int, set[str]] = {a.pk: set() for a in assessments}
    if user is None or not user.is_authenticated:
        return editable
    officer_of = set(
        RoleAssignment.objects.filter(user=user, role=Role.COMMUNE_OFFICER).values_list("unit_id", flat=True)
    )
    editable.update(_open_criteria_many([a for a in assessments if a.unit_id in officer_of]))
    return editable


def _open_criteria_many(assessments: list[Assessment]) -> dict[int, set[str]]:
    """The criteria of each assessment whose values may change in its state, whoever
    asks: every one in ``draft``, the items returned to the commune in ``returned``."""
    editable: dict[int, set[str]] = {a.pk: set() for a in assessments}
    drafts = [a.pk for a in assessments if a.status == Status.DRAFT]
    returned = [a.pk for a in assessments if a.status == Status.RETURNED]
    if not drafts and not returned:
        return editable
    rows = CriterionValue.objects.filter(
        Q(assessment_id__in=drafts) | Q(assessment_id__in=returned, review_status=ReviewStatus.RETURNED)
    ).values_list("assessment_id", "criterion_code")
    for assessment_id, code in rows:
        editable[assessment_id].add(code)
    return editable


def may_feed_values(user, assessment: Assessment) -> bool:
    """Whether ``user`` may run a process that fills the assessment's values from records
    kept in the product (the survey of field 4, the disclosure register of field 3): an
    officer of the commune, the secretariat of the round's province, an administrator."""
    return bool(user is not None and user.is_authenticated) and (
        is_officer_of(user, assessment.unit)
        or is_secretariat_of(user, assessment.round.province)
        or is_admin(user)
    )


def feedable_criteria(assessment: Assessment) -> set[str]:
    """Criteria a feeding process may fill now (:func:`may_feed_values` says who): the
    same state rule as :func:`editable_criteria`, without the officer's role."""
    return _open_criteria_many([assessment])[assessment.pk]


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


def can_manage_criteria_sets(user) -> bool:
    """Whether ``user`` may see the criteria-set library, upload a set, compare versions and
    make one available for new rounds: a secretariat (of any province: a set is not tied
    to one) or an administrator."""
    return is_admin(user) or _holds(user, Role.SECRETARIAT)
