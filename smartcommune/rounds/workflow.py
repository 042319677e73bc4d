"""The assessment's workflow: explicit states and guarded transitions.

::

    draft ──submit──▶ submitted ──district_forward──▶ district_reviewed ──(every item
      ▲    (no district, or after    │                      │              verified)──▶ agency_verified
      │     an agency return: ───────┼──────────────────────▶                              │
      │     straight to district_reviewed)                  │ return_item                  appraise
      │               district_return                       ▼                              ▼
      │                      └──────────────────────────▶ returned ──submit──▶ …        appraised
      │                                                                                    │ record_decision
      └──────────────────reopen (secretariat, with a reason)── recognised | not_recognised ◀┘
                                                                          │ publish
                                                                          ▼
                                                                      published

Each transition is a class with

* ``check(user, assessment, **params)`` -- the guard: raises
  :class:`~smartcommune.rounds.exceptions.NotAllowed` (wrong role or scope),
  :class:`~smartcommune.rounds.exceptions.IllegalTransition` (wrong state, named in the
  message) or :class:`~smartcommune.rounds.exceptions.ValidationFailed` (bad parameters);
  returns ``None`` when the transition is allowed.  It reads, never writes.
* ``execute(user, assessment, audit=, **params)`` -- assumes ``check`` passed; changes the
  locked assessment and its items through the :class:`~smartcommune.rounds.audit.Recorder`
  (which audits every field) and returns the notices to send.

Only :func:`smartcommune.rounds.actions.do_transition` calls ``execute``: it locks the
row, checks the version, runs ``check`` then ``execute``, and saves.

:class:`VerifyItems` is ``verify_item`` for many items (of many assessments) at once, with
the same rules and effects item by item; only
:func:`smartcommune.rounds.actions.do_verify_items` runs it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import ClassVar, NamedTuple

from django.utils import timezone

from smartcommune.rounds import access as permissions
from smartcommune.rounds import notifications
from smartcommune.rounds.audit import Recorder, clock
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, Problem, RoundError, ValidationFailed
from smartcommune.rounds.models import (
    FROZEN,
    Assessment,
    AuditAction,
    CriterionValue,
    ReturnStage,
    ReviewStatus,
    Status,
    vi_label,
)
from smartcommune.rounds.notifications import Notice, notice
from smartcommune.rounds.evaluation import evaluate_assessment
from smartcommune.units.models import Level

AWAITING = (ReviewStatus.PENDING, ReviewStatus.ANSWERED)


class Transition:
    name: ClassVar[str]
    label_vi: ClassVar[str]
    label_en: ClassVar[str]
    sources: ClassVar[frozenset[str]]
    params: ClassVar[frozenset[str]] = frozenset()
    item_level: ClassVar[bool] = False
    """Acts on one criterion (``criterion_code``) rather than on the whole assessment."""

    def check(self, user, assessment: Assessment, **params) -> None:
        unknown = set(params) - self.params
        if unknown:
            raise TypeError(f"{self.name}: unexpected parameters {sorted(unknown)}")
        self.check_actor(user, assessment, **params)
        self.check_state(assessment, **params)
        self.check_params(assessment, **params)

    def check_actor(self, user, assessment: Assessment, **params) -> None:
        raise NotImplementedError

    def check_state(self, assessment: Assessment, **params) -> None:
        if assessment.status not in self.sources:
            raise self.illegal(assessment)

    def check_params(self, assessment: Assessment, **params) -> None:
        """Parameter rules; none by default."""

    def execute(self, user, assessment: Assessment, *, audit: Recorder, **params) -> list[Notice]:
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------------------

    def illegal(self, assessment: Assessment, vi_why: str = "", en_why: str = "") -> IllegalTransition:
        state = Status(assessment.status)
        return IllegalTransition(
            f"Không thể {self.label_vi}: hồ sơ đang ở trạng thái “{vi_label(state)}”" + (f"; {vi_why}" if vi_why else ""),
            f"cannot {self.label_en}: the assessment is {state.value}" + (f"; {en_why}" if en_why else ""),
        )

    def not_allowed(self, vi_who: str, en_who: str) -> NotAllowed:
        return NotAllowed(f"Chỉ {vi_who} mới được {self.label_vi}", f"only {en_who} may {self.label_en}")

    @staticmethod
    def move(audit: Recorder, assessment: Assessment, status: str, *, action: str = AuditAction.STATUS_CHANGED,
             reason: str = "") -> None:
        audit.set(assessment, "status", status, action=action, reason=reason)


def _required_text(value, field: str, vi: str, en: str, *, max_length: int | None = None) -> list[Problem]:
    if not (isinstance(value, str) and value.strip()):
        return [Problem(vi, en, field=field, value=value)]
    if max_length is not None and len(value.strip()) > max_length:
        return [Problem(f"Dài quá {max_length} ký tự", f"longer than {max_length} characters", field=field, value=value)]
    return []


def _has_district(assessment: Assessment) -> bool:
    parent = assessment.unit.parent
    return parent is not None and parent.level == Level.DISTRICT


def _awaiting_agencies(assessment: Assessment) -> set[str]:
    """Lead agencies of the items that still await verification."""
    criteria_set = assessment.round.criteria_set
    codes = assessment.values.filter(review_status__in=AWAITING).values_list("criterion_code", flat=True)
    return {agency for code in codes for agency in criteria_set.criterion(code).lead_agencies}


def answered_since_return(value: CriterionValue) -> bool:
    """A returned item is answered when the commune wrote an answer, changed the value or
    added evidence after it was returned."""
    if value.answer.strip():
        return True
    since = value.reviewed_at
    if since is None or (value.updated_at is not None and value.updated_at > since):
        return True
    return value.assessment.evidence.filter(
        criterion_code=value.criterion_code, removed_at__isnull=True, uploaded_at__gt=since
    ).exists()


def _review(audit: Recorder, value: CriterionValue, user, status: str, *, action: str, comment: str) -> None:
    audit.set(value, "review_status", status, action=action, criterion_code=value.criterion_code, reason=comment)
    audit.set(value, "review_comment", comment, action=action, criterion_code=value.criterion_code)
    value.reviewed_by = user
    value.reviewed_at = audit.at
    audit.touch(value, "reviewed_by", "reviewed_at")


# -- the commune ---------------------------------------------------------------------------


class Submit(Transition):
    name = "submit"
    label_vi = "nộp hồ sơ"
    label_en = "submit"
    sources = frozenset({Status.DRAFT, Status.RETURNED})

    def check_actor(self, user, assessment, **params):
        if not permissions.is_officer_of(user, assessment.unit):
            raise self.not_allowed("cán bộ của xã", "an officer of the commune")

    def check_params(self, assessment, **params):
        # Resubmitting: every returned item must have been dealt with.
        unanswered = [
            v.criterion_code
            for v in assessment.values.filter(review_status=ReviewStatus.RETURNED)
            if not answered_since_return(v)
        ]
        if unanswered:
            raise ValidationFailed([
                Problem(
                    f"Tiêu chí {code} bị trả lại chưa được giải trình hoặc sửa",
                    f"returned criterion {code} has been neither answered nor corrected",
                    criterion=code,
                )
                for code in unanswered
            ])

    def execute(self, user, assessment, *, audit, **params):
        audit.set(assessment, "submitted_at", audit.at, action=AuditAction.STATUS_CHANGED)
        audit.set(assessment, "late", timezone.localdate(audit.at) > assessment.round.submission_deadline,
                  action=AuditAction.STATUS_CHANGED)
        for value in assessment.values.filter(review_status=ReviewStatus.RETURNED):
            audit.set(value, "review_status", ReviewStatus.ANSWERED, action=AuditAction.STATUS_CHANGED,
                      criterion_code=value.criterion_code)
        # The district step exists only where the hierarchy has districts, and is not
        # repeated when an agency (after the district) sent the file back.
        if _has_district(assessment) and assessment.returned_stage != ReturnStage.AGENCY:
            self.move(audit, assessment, Status.SUBMITTED)
            recipients = notifications.district_reviewers_of(assessment.unit.parent)
            return [notice(recipients, assessment, "xã đã nộp hồ sơ, chờ huyện thẩm định")]
        self.move(audit, assessment, Status.DISTRICT_REVIEWED)
        recipients = notifications.agency_verifiers(assessment.round.province, _awaiting_agencies(assessment))
        return [notice(recipients, assessment, "hồ sơ chờ sở xác minh các tiêu chí do sở chủ trì")]


# -- the district --------------------------------------------------------------------------


class _DistrictTransition(Transition):
    sources = frozenset({Status.SUBMITTED})

    def check_actor(self, user, assessment, **params):
        if not permissions.is_district_reviewer_for(user, assessment.unit):
            raise self.not_allowed("cán bộ thẩm định của huyện quản lý xã", "a reviewer of the commune's district")


class DistrictForward(_DistrictTransition):
    name = "district_forward"
    label_vi = "chuyển hồ sơ lên sở"
    label_en = "forward the assessment to the agencies"

    def execute(self, user, assessment, *, audit, **params):
        self.move(audit, assessment, Status.DISTRICT_REVIEWED)
        recipients = notifications.agency_verifiers(assessment.round.province, _awaiting_agencies(assessment))
        return [notice(recipients, assessment, "huyện đã thẩm định, chờ sở xác minh")]


class DistrictReturn(_DistrictTransition):
    name = "district_return"
    label_vi = "trả hồ sơ về xã"
    label_en = "return the assessment to the commune"
    params = frozenset({"items"})

    def check_params(self, assessment, *, items=None, **params):
        """``items``: ``{criterion_code: comment}``, at least one, every comment given."""
        if not items:
            raise ValidationFailed([Problem("Chọn ít nhất một tiêu chí để trả lại",
                                            "choose at least one criterion to return", field="items")])
        codes = {c.code for c in assessment.round.criteria_set.criteria}
        problems = []
        for code, comment in items.items():
            if code not in codes:
                problems.append(Problem(f"Không có tiêu chí {code}", f"no criterion {code}", criterion=code))
            problems += _required_text(comment, "comment", f"Tiêu chí {code}: cần ghi lý do trả lại",
                                       f"criterion {code}: a comment is required")
        if problems:
            raise ValidationFailed(problems)

    def execute(self, user, assessment, *, audit, items, **params):
        for value in assessment.values.filter(criterion_code__in=list(items)):
            _review(audit, value, user, ReviewStatus.RETURNED, action=AuditAction.ITEM_RETURNED,
                    comment=items[value.criterion_code].strip())
            audit.set(value, "answer", "", action=AuditAction.ITEM_RETURNED, criterion_code=value.criterion_code)
        audit.set(assessment, "returned_stage", ReturnStage.DISTRICT, action=AuditAction.STATUS_CHANGED)
        self.move(audit, assessment, Status.RETURNED)
        return [notice(notifications.officers_of(assessment.unit), assessment,
                       f"huyện trả lại {len(items)} tiêu chí: {', '.join(sorted(items))}")]


# -- the agencies (per item) ----------------------------------------------------------------


class _ItemTransition(Transition):
    item_level = True
    sources = frozenset({Status.DISTRICT_REVIEWED, Status.RETURNED})

    def check_actor(self, user, assessment, *, criterion_code=None, **params):
        self.check_agencies(permissions.agencies_of(user, province=assessment.round.province), assessment,
                            criterion_code)

    def check_agencies(self, agencies: set[str], assessment: Assessment, criterion_code) -> None:
        """:meth:`check_actor` once the actor's agencies in the round's province are known."""
        criteria_set = assessment.round.criteria_set
        try:
            criterion = criteria_set.criterion(criterion_code)
        except KeyError:
            raise ValidationFailed([Problem(f"Không có tiêu chí {criterion_code}", f"no criterion {criterion_code}",
                                            criterion=str(criterion_code))]) from None
        if not agencies.intersection(criterion.lead_agencies):
            raise self.not_allowed(
                f"cán bộ của sở chủ trì tiêu chí {criterion_code} ({', '.join(criterion.lead_agencies)})",
                f"a verifier of the agency leading criterion {criterion_code} ({', '.join(criterion.lead_agencies)})",
            )

    def check_state(self, assessment, *, criterion_code=None, **params):
        self.check_value(assessment, assessment.values.get(criterion_code=criterion_code))

    def check_value(self, assessment: Assessment, value: CriterionValue) -> None:
        """:meth:`check_state` once the item's row is read."""
        if not assessment.awaiting_agency:
            raise self.illegal(assessment, "hồ sơ chưa đến bước xác minh của sở",
                               "the assessment is not at the agencies' step")
        criterion_code = value.criterion_code
        if value.review_status not in AWAITING:
            state = ReviewStatus(value.review_status)
            raise self.illegal(assessment, f"tiêu chí {criterion_code} đang ở tình trạng “{vi_label(state)}”",
                               f"criterion {criterion_code} is {state.value}")


class VerifyItem(_ItemTransition):
    name = "verify_item"
    label_vi = "xác minh tiêu chí"
    label_en = "verify the criterion"
    params = frozenset({"criterion_code", "comment"})

    def execute(self, user, assessment, *, audit, criterion_code, comment="", **params):
        value = assessment.values.get(criterion_code=criterion_code)
        last = not assessment.values.exclude(review_status=ReviewStatus.VERIFIED).exclude(pk=value.pk).exists()
        return self.verify(user, assessment, value, audit=audit, comment=comment, last=last)

    def verify(self, user, assessment: Assessment, value: CriterionValue, *, audit: Recorder, comment: str,
               last: bool, secretariat=None) -> list[Notice]:
        """The effect of verifying ``value``; reads nothing but the recipients.  ``last``:
        every other item is verified already, so the assessment moves to "agency
        verified" and the secretariat (``secretariat``, queried when not given) is told."""
        _review(audit, value, user, ReviewStatus.VERIFIED, action=AuditAction.ITEM_VERIFIED, comment=comment.strip())
        if not last:
            return []
        self.move(audit, assessment, Status.AGENCY_VERIFIED, reason="Tất cả tiêu chí đã được xác minh")
        if secretariat is None:
            secretariat = notifications.secretariat_of(assessment.round.province)
        return [notice(secretariat, assessment, "các sở đã xác minh đủ mọi tiêu chí, chờ Hội đồng thẩm định")]


class ReturnItem(_ItemTransition):
    name = "return_item"
    label_vi = "trả lại tiêu chí"
    label_en = "return the criterion"
    params = frozenset({"criterion_code", "comment"})

    def check_params(self, assessment, *, criterion_code=None, comment=None, **params):
        problems = _required_text(comment, "comment", f"Tiêu chí {criterion_code}: cần ghi lý do trả lại",
                                  f"criterion {criterion_code}: a comment is required")
        if problems:
            raise ValidationFailed(problems)

    def execute(self, user, assessment, *, audit, criterion_code, comment, **params):
        value = assessment.values.get(criterion_code=criterion_code)
        _review(audit, value, user, ReviewStatus.RETURNED, action=AuditAction.ITEM_RETURNED, comment=comment.strip())
        audit.set(value, "answer", "", action=AuditAction.ITEM_RETURNED, criterion_code=criterion_code)
        audit.set(assessment, "returned_stage", ReturnStage.AGENCY, action=AuditAction.STATUS_CHANGED)
        self.move(audit, assessment, Status.RETURNED)
        return [notice(notifications.officers_of(assessment.unit), assessment,
                       f"sở trả lại tiêu chí {criterion_code}: {comment.strip()}")]


class ItemToVerify(NamedTuple):
    """One item of a batch verification: the assessment (or its id), the criterion, and the
    assessment's version the actor's screen showed (``None``: not checked)."""

    assessment: Assessment | int
    criterion_code: str
    expected_version: int | None = None

    @property
    def assessment_id(self) -> int:
        return self.assessment if isinstance(self.assessment, int) else self.assessment.pk


def _at_item(error: RoundError, assessment: Assessment, criterion_code: str) -> RoundError:
    """``error`` again, its message led by the commune, the year and the criterion."""
    vi = f"{assessment.unit.name} ({assessment.round.year}), tiêu chí {criterion_code}: "
    en = f"{assessment.unit.name} ({assessment.round.year}), criterion {criterion_code}: "
    if isinstance(error, ValidationFailed):
        return ValidationFailed([replace(p, vi=vi + p.vi, en=en + p.en) for p in error.problems])
    return type(error)(vi + error.vi, en + error.en)


class VerifyItems:
    """``verify_item`` for many items, of one or many assessments, as one write.

    The outcome is exactly that of :class:`VerifyItem` run on each item in turn, in the
    order given: the same rules, and per item the same review fields, the same audit
    entries as one write of its own (one version bump), the move to "agency verified"
    with the last item of an assessment, the same notices.  Neither method reads the
    database beyond the recipients: :func:`~smartcommune.rounds.actions.do_verify_items`
    locks and loads the rows, checks the versions and saves in bulk.

    ``assessments``: the locked rows by id; ``values``: *every* value row of those
    assessments by ``(assessment id, criterion code)``; ``agencies``: the actor's agency
    codes by province id.
    """

    name = "verify_items"
    value_fields = ("review_status", "review_comment", "reviewed_by", "reviewed_at")
    """What :meth:`execute` may change on a value row (and on an assessment: ``status``)."""
    single = VerifyItem()

    def check(self, user, items: Sequence[ItemToVerify], *, assessments: Mapping[int, Assessment],
              values: Mapping[tuple[int, str], CriterionValue], agencies: Mapping[int, set[str]]) -> None:
        """The single transition's check for every item (the first refusal names its
        commune and criterion); an empty batch or an item given twice is refused too."""
        if not items:
            raise ValidationFailed([Problem("Chưa chọn tiêu chí nào để xác minh", "no item was chosen to verify",
                                            field="items")])
        seen = set()
        for item in items:
            assessment, code = assessments[item.assessment_id], item.criterion_code
            try:
                if (assessment.pk, code) in seen:
                    raise ValidationFailed([Problem("được chọn hai lần", "chosen twice", criterion=str(code))])
                seen.add((assessment.pk, code))
                self.single.check_agencies(agencies.get(assessment.round.province_id, set()), assessment, code)
                self.single.check_value(assessment, values[assessment.pk, code])
            except RoundError as error:
                raise _at_item(error, assessment, code) from None

    def execute(self, user, items: Sequence[ItemToVerify], *, assessments: Mapping[int, Assessment],
                values: Mapping[tuple[int, str], CriterionValue],
                comment: str = "", now=None) -> tuple[list[Recorder], list[Notice]]:
        """Assumes :meth:`check` passed.  Returns one :class:`Recorder` per item, in order
        (each is one write of its assessment), all dated the same moment (read once from
        ``now``, see :class:`Recorder`), and the notices."""
        unverified = Counter(aid for (aid, _), v in values.items() if v.review_status != ReviewStatus.VERIFIED)
        secretariat: dict[int, tuple] = {}
        at = clock(now)()
        recorders, notices = [], []
        for item in items:
            assessment = assessments[item.assessment_id]
            audit = Recorder(assessment, user, now=lambda: at)
            unverified[assessment.pk] -= 1
            last = unverified[assessment.pk] == 0
            province = assessment.round.province
            if last and province.pk not in secretariat:
                secretariat[province.pk] = tuple(notifications.secretariat_of(province))
            notices += self.single.verify(user, assessment, values[assessment.pk, item.criterion_code], audit=audit,
                                          comment=comment, last=last, secretariat=secretariat.get(province.pk))
            recorders.append(audit)
        return recorders, notices


# -- the secretariat -----------------------------------------------------------------------


class _SecretariatTransition(Transition):
    def check_actor(self, user, assessment, **params):
        if not permissions.is_secretariat_of(user, assessment.round.province):
            raise self.not_allowed("Thư ký Hội đồng cấp tỉnh", "the province secretariat")


class Appraise(_SecretariatTransition):
    name = "appraise"
    label_vi = "thẩm định hồ sơ"
    label_en = "appraise"
    sources = frozenset({Status.AGENCY_VERIFIED})

    def execute(self, user, assessment, *, audit, **params):
        self.move(audit, assessment, Status.APPRAISED)
        return []


class RecordDecision(_SecretariatTransition):
    """The engine's result is only a suggestion; the decision signed is what is recorded
    (the suggestion is kept in the audit entry's reason)."""

    name = "record_decision"
    label_vi = "ghi quyết định công nhận"
    label_en = "record the decision"
    sources = frozenset({Status.APPRAISED})
    params = frozenset({"recognised", "number", "date", "signer"})

    def check_params(self, assessment, *, recognised=None, number=None, date=None, signer=None, **params):
        problems = []
        if not isinstance(recognised, bool):
            problems.append(Problem("Chọn công nhận hoặc không công nhận", "recognised must be true or false",
                                    field="recognised", value=recognised))
        # The columns' lengths: a longer text must be refused here, not fail in the database.
        problems += _required_text(
            number, "number", "Cần số quyết định", "the decision number is required",
            max_length=Assessment._meta.get_field("decision_number").max_length,
        )
        problems += _required_text(
            signer, "signer", "Cần người ký quyết định", "the signer is required",
            max_length=Assessment._meta.get_field("decision_signer").max_length,
        )
        if not isinstance(date, dt.date):
            problems.append(Problem("Cần ngày quyết định", "the decision date is required", field="date", value=date))
        if problems:
            raise ValidationFailed(problems)

    def execute(self, user, assessment, *, audit, recognised, number, date, signer, **params):
        result = evaluate_assessment(assessment)
        suggestion = (
            f"Kết quả tính: đạt {result.fields_met} lĩnh vực (cần {result.fields_required}) — "
            f"{'đủ' if result.smart_commune else 'chưa đủ'} điều kiện công nhận"
        )
        action = AuditAction.DECISION_RECORDED
        audit.set(assessment, "decision_number", number.strip(), action=action)
        audit.set(assessment, "decision_date", date, action=action)
        audit.set(assessment, "decision_signer", signer.strip(), action=action)
        audit.set(assessment, "decision_recognised", recognised, action=action, reason=suggestion)
        self.move(audit, assessment, Status.RECOGNISED if recognised else Status.NOT_RECOGNISED)
        outcome = "được công nhận" if recognised else "không được công nhận"
        return [notice(notifications.officers_of(assessment.unit), assessment,
                       f"{outcome} xã thông minh (quyết định số {number.strip()} ngày {date:%d/%m/%Y})")]



class Publish(_SecretariatTransition):
    name = "publish"
    label_vi = "công bố kết quả"
    label_en = "publish"
    sources = frozenset({Status.RECOGNISED, Status.NOT_RECOGNISED})

    def execute(self, user, assessment, *, audit, **params):
        audit.set(assessment, "published_at", audit.at, action=AuditAction.PUBLISHED)
        self.move(audit, assessment, Status.PUBLISHED)
        recipients = list(notifications.officers_of(assessment.unit))
        if _has_district(assessment):
            recipients += notifications.district_reviewers_of(assessment.unit.parent)
        outcome = "công nhận" if assessment.decision_recognised else "không công nhận"
        decision = f"quyết định số {assessment.decision_number}"
        if assessment.decision_date is not None:
            decision += f" ngày {assessment.decision_date:%d/%m/%Y}"
        # Officers and reviewers are different people; a user holding both roles hears once.
        return [notice(dict.fromkeys(recipients), assessment,
                       f"đã công bố kết quả: {outcome} đạt chuẩn xã thông minh ({decision})")]


class Reopen(_SecretariatTransition):
    """Unfreeze a decided or published assessment: back to draft, decision cleared, every
    item pending again; each of those changes is in the audit with the reason."""

    name = "reopen"
    label_vi = "mở lại hồ sơ"
    label_en = "reopen"
    sources = FROZEN
    params = frozenset({"reason"})

    def check_params(self, assessment, *, reason=None, **params):
        problems = _required_text(reason, "reason", "Cần ghi lý do mở lại hồ sơ", "a reason is required")
        if problems:
            raise ValidationFailed(problems)

    def execute(self, user, assessment, *, audit, reason, **params):
        reason = reason.strip()
        action = AuditAction.REOPENED
        for field, empty in (("decision_number", ""), ("decision_date", None), ("decision_signer", ""),
                             ("decision_recognised", None), ("published_at", None), ("returned_stage", "")):
            audit.set(assessment, field, empty, action=action, reason=reason)
        for value in assessment.values.exclude(review_status=ReviewStatus.PENDING):
            audit.set(value, "review_status", ReviewStatus.PENDING, action=action,
                      criterion_code=value.criterion_code, reason=reason)
        self.move(audit, assessment, Status.DRAFT, action=action, reason=reason)
        return [notice(notifications.officers_of(assessment.unit), assessment, f"hồ sơ được mở lại: {reason}")]


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (Submit(), DistrictForward(), DistrictReturn(), VerifyItem(), ReturnItem(), Appraise(),
              RecordDecision(), Publish(), Reopen())
}


def get_transition(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise IllegalTransition(f"Không có bước “{name}”", f"no transition {name!r}") from None


def available_transitions(user, assessment: Assessment) -> list[Transition]:
    """The whole-assessment transitions ``user`` may start now (for buttons).

    Parameters are checked only when the transition runs; item transitions are offered
    per criterion by :func:`smartcommune.rounds.access.verifiable_criteria`.
    """
    available = []
    for transition in TRANSITIONS.values():
        if transition.item_level:
            continue
        try:
            transition.check_actor(user, assessment)
            transition.check_state(assessment)
        except (NotAllowed, IllegalTransition):
            continue
        available.append(transition)
    return available
