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

from smartcommune.exchange import values as value_rules
from smartcommune.rounds import access as permissions
from smartcommune.rounds import notifications
from smartcommune.rounds.audit import Recorder, clock
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, Problem, RoundError, ValidationFailed
from smartcommune.rounds.models import (
    FROZEN,
    AppraisalResult,
    AppraisalSession,
    Assessment,
    Decision,
    DecisionLine,
    AuditAction,
    CriterionValue,
    ReturnStage,
    ReviewStatus,
    Status,
    vi_label,
)
from smartcommune.rounds.notifications import Notice, notice
from smartcommune.rounds.evaluation import evaluate_assessment

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
    return assessment.unit.district is not None


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
            return [notice(recipients, assessment, "xã đã nộp hồ sơ, chờ huyện thẩm định",
                           "the commune submitted its assessment; awaiting the district's review")]
        self.move(audit, assessment, Status.DISTRICT_REVIEWED)
        recipients = notifications.agency_verifiers(assessment.round.province, _awaiting_agencies(assessment))
        return [notice(recipients, assessment, "hồ sơ chờ sở xác minh các tiêu chí do sở chủ trì",
                       "the assessment awaits verification of the criteria your agency leads")]


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
        return [notice(recipients, assessment, "huyện đã thẩm định, chờ sở xác minh",
                       "the district reviewed it; awaiting the agencies' verification")]


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
        codes = {c.code for c in assessment.round.criteria_set.input_criteria}
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
                       f"huyện trả lại {len(items)} tiêu chí: {', '.join(sorted(items))}",
                       f"the district returned {len(items)} {'criterion' if len(items) == 1 else 'criteria'}: "
                       f"{', '.join(sorted(items))}")]


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
        return [notice(secretariat, assessment, "các sở đã xác minh đủ mọi tiêu chí, chờ Hội đồng thẩm định",
                       "the agencies verified every criterion; awaiting the council's appraisal")]


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
                       f"sở trả lại tiêu chí {criterion_code}: {comment.strip()}",
                       f"an agency returned criterion {criterion_code}: {comment.strip()}")]


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
    """The council's appraisal.  With a ``session`` (an :class:`AppraisalSession` of the
    round) the commune's result in that session is recorded: ``proposed`` (propose for
    recognition; the engine's result when not given), the fields met now and ``comment``."""

    name = "appraise"
    label_vi = "thẩm định hồ sơ"
    label_en = "appraise"
    sources = frozenset({Status.AGENCY_VERIFIED})
    params = frozenset({"session", "comment", "proposed"})

    def check_params(self, assessment, *, session=None, comment=None, proposed=None, **params):
        problems = []
        if session is not None:
            if not isinstance(session, AppraisalSession) or session.round_id != assessment.round_id:
                problems.append(Problem("Phiên thẩm định không thuộc đợt đánh giá này",
                                        "the appraisal session is not of this round", field="session"))
            elif session.results.filter(assessment=assessment).exists():
                problems.append(Problem("Hồ sơ đã được thẩm định trong phiên này",
                                        "the assessment was already appraised in this session", field="session"))
        if comment is not None and not isinstance(comment, str):
            problems.append(Problem("Ý kiến thẩm định không hợp lệ", "invalid comment", field="comment"))
        if proposed is not None and not isinstance(proposed, bool):
            problems.append(Problem("Chọn đề nghị công nhận hoặc không", "proposed must be true or false",
                                    field="proposed", value=proposed))
        if problems:
            raise ValidationFailed(problems)

    def execute(self, user, assessment, *, audit, session=None, comment=None, proposed=None, **params):
        comment = (comment or "").strip()
        reason = comment
        if session is not None:
            result = evaluate_assessment(assessment)
            if proposed is None:
                proposed = result.smart_commune
            AppraisalResult.objects.create(
                session=session, assessment=assessment, proposed=proposed, fields_met=result.fields_met,
                fields_required=result.fields_required, fields_total=len(assessment.round.criteria_set.groups),
                comment=comment, created_at=audit.at,
            )
            reason = (f"Phiên thẩm định ngày {session.date:%d/%m/%Y}: "
                      f"{'đề nghị công nhận' if proposed else 'không đề nghị công nhận'}"
                      + (f" — {comment}" if comment else ""))
        self.move(audit, assessment, Status.APPRAISED, reason=reason)
        return []


def issuing_body(province) -> str:
    """The People's Committee of ``province``: "Ủy ban nhân dân tỉnh Bến Tre"."""
    name = province.name
    for kind in ("Tỉnh ", "Thành phố "):
        if name.startswith(kind):
            name = kind.lower() + name[len(kind):]
    return f"Ủy ban nhân dân {name}"


def current_decision_line(assessment: Assessment) -> DecisionLine | None:
    """The line of the latest decision about ``assessment`` that no later line amends."""
    return assessment.decision_lines.filter(amendments__isnull=True).select_related("decision").order_by("-pk").first()


class _DecisionTransition(_SecretariatTransition):
    """Writing a decision's line: either ``decision`` (a :class:`Decision` of the round), or
    ``number``, ``date`` and ``signer``, which name the round's decision of that number (made
    on first use, refused when it exists with another date or signer).  ``recognised``;
    ``reason``: why not recognised (or why amended)."""

    params = frozenset({"recognised", "number", "date", "signer", "reason", "decision"})
    reason_required = False

    def check_params(self, assessment, *, recognised=None, number=None, date=None, signer=None, reason=None,
                     decision=None, **params):
        problems = []
        if not isinstance(recognised, bool):
            problems.append(Problem("Chọn công nhận hoặc không công nhận", "recognised must be true or false",
                                    field="recognised", value=recognised))
        if decision is not None:
            if not isinstance(decision, Decision) or decision.round_id != assessment.round_id:
                problems.append(Problem("Quyết định không thuộc đợt đánh giá này",
                                        "the decision is not of this round", field="decision"))
            else:
                number = decision.number
        else:
            problems += self.decision_problems(assessment, number, date, signer)
        if self.reason_required:
            problems += _required_text(reason, "reason", "Cần ghi lý do", "a reason is required")
        elif reason is not None and not isinstance(reason, str):
            problems.append(Problem("Lý do không hợp lệ", "invalid reason", field="reason"))
        if isinstance(number, str) and number.strip() and not problems:
            problems += self.line_problems(assessment, number.strip())
        if problems:
            raise ValidationFailed(problems)

    @staticmethod
    def decision_problems(assessment, number, date, signer) -> list[Problem]:
        # The columns' lengths: a longer text must be refused here, not fail in the database.
        problems = _required_text(
            number, "number", "Cần số quyết định", "the decision number is required",
            max_length=Decision._meta.get_field("number").max_length,
        )
        problems += _required_text(
            signer, "signer", "Cần người ký quyết định", "the signer is required",
            max_length=Decision._meta.get_field("signer_name").max_length,
        )
        if not isinstance(date, dt.date):
            problems.append(Problem("Cần ngày quyết định", "the decision date is required", field="date", value=date))
        # A text the database cannot hold (a NUL character) must be refused before it is
        # looked up: PostgreSQL fails the query itself.
        for field, text in (("number", number), ("signer", signer)):
            refused = value_rules.text_problem(field, text)
            if refused is not None and not any(p.field == field for p in problems):
                problems.append(Problem(refused.vi, refused.en, field=field))
        if problems:
            return problems
        existing = Decision.objects.filter(round_id=assessment.round_id, number=number.strip()).first()
        if existing is not None and (existing.date != date or existing.signer_name != signer.strip()):
            problems.append(Problem(
                f"Quyết định số {existing.number} đã được ghi với ngày {existing.date:%d/%m/%Y}, người ký "
                f"{existing.signer_name}; một quyết định chỉ có một ngày và một người ký",
                f"decision {existing.number} is recorded dated {existing.date.isoformat()}, signed by "
                f"{existing.signer_name}; a decision has one date and one signer",
                field="number", value=number,
            ))
        return problems

    def line_problems(self, assessment, number: str) -> list[Problem]:
        if assessment.decision_lines.filter(decision__number=number).exists():
            return [Problem(f"{assessment.unit.name} đã có trong quyết định số {number}",
                            f"{assessment.unit.name} is already in decision {number}", field="number", value=number)]
        return []

    @staticmethod
    def decision_of(user, assessment, audit: Recorder, *, number, date, signer, decision) -> Decision:
        if decision is not None:
            return decision
        decision, _created = Decision.objects.get_or_create(
            round=assessment.round, number=number.strip(),
            defaults={"date": date, "signer_name": signer.strip(), "created_by": audit.actor, "created_at": audit.at,
                      "issuing_body": issuing_body(assessment.round.province)},
        )
        return decision

    def write_line(self, user, assessment, audit: Recorder, *, recognised, reason, action, **given) -> Decision:
        """The line and the assessment's copy of it (``decision_*``, audited)."""
        decision = self.decision_of(user, assessment, audit, **given)
        DecisionLine.objects.create(decision=decision, assessment=assessment, recognised=recognised,
                                    reason=(reason or "").strip(), amends=current_decision_line(assessment),
                                    created_at=audit.at)
        result = evaluate_assessment(assessment)
        suggestion = (
            f"Kết quả tính: đạt {result.fields_met} lĩnh vực (cần {result.fields_required}) — "
            f"{'đủ' if result.smart_commune else 'chưa đủ'} điều kiện công nhận"
        )
        why = (reason or "").strip()
        audit.set(assessment, "decision_number", decision.number, action=action, reason=why)
        audit.set(assessment, "decision_date", decision.date, action=action, reason=why)
        audit.set(assessment, "decision_signer", decision.signer_name, action=action, reason=why)
        audit.set(assessment, "decision_recognised", recognised, action=action,
                  reason=suggestion + (f"; {why}" if why else ""))
        return decision


class RecordDecision(_DecisionTransition):
    """The engine's result is only a suggestion; the decision signed is what is recorded
    (the suggestion is kept in the audit entry's reason)."""

    name = "record_decision"
    label_vi = "ghi quyết định công nhận"
    label_en = "record the decision"
    sources = frozenset({Status.APPRAISED})

    def execute(self, user, assessment, *, audit, recognised, number=None, date=None, signer=None, reason=None,
                decision=None, **params):
        decision = self.write_line(user, assessment, audit, recognised=recognised, reason=reason,
                                   action=AuditAction.DECISION_RECORDED, number=number, date=date, signer=signer,
                                   decision=decision)
        self.move(audit, assessment, Status.RECOGNISED if recognised else Status.NOT_RECOGNISED)
        outcome = "được công nhận" if recognised else "không được công nhận"
        name = assessment.round.criteria_set.recognition_name or "theo bộ tiêu chí"
        return [notice(notifications.officers_of(assessment.unit), assessment,
                       f"{outcome} {name} (quyết định số {decision.number} ngày {decision.date:%d/%m/%Y})",
                       f"{'recognised' if recognised else 'not recognised'} (decision no. {decision.number} of "
                       f"{decision.date:%d/%m/%Y})")]


class AmendDecision(_DecisionTransition):
    """A later decision amends (or revokes) the commune's line in an earlier one: a new
    line of another decision, naming the line it amends; the assessment's copy follows it.
    A decided assessment moves to the new outcome; a published one stays published."""

    name = "amend_decision"
    label_vi = "sửa đổi quyết định công nhận"
    label_en = "amend the decision"
    sources = FROZEN
    reason_required = True

    def check_state(self, assessment, **params):
        super().check_state(assessment, **params)
        if current_decision_line(assessment) is None:
            raise self.illegal(assessment, "chưa có quyết định nào để sửa đổi", "there is no decision to amend")

    def execute(self, user, assessment, *, audit, recognised, number=None, date=None, signer=None, reason=None,
                decision=None, **params):
        decision = self.write_line(user, assessment, audit, recognised=recognised, reason=reason,
                                   action=AuditAction.DECISION_AMENDED, number=number, date=date, signer=signer,
                                   decision=decision)
        if assessment.status != Status.PUBLISHED:
            self.move(audit, assessment, Status.RECOGNISED if recognised else Status.NOT_RECOGNISED,
                      action=AuditAction.DECISION_AMENDED, reason=reason.strip())
        outcome = "được công nhận" if recognised else "không được công nhận"
        name = assessment.round.criteria_set.recognition_name or "theo bộ tiêu chí"
        return [notice(notifications.officers_of(assessment.unit), assessment,
                       f"quyết định số {decision.number} ngày {decision.date:%d/%m/%Y} sửa đổi kết quả: {outcome} "
                       f"{name} ({reason.strip()})",
                       f"decision no. {decision.number} of {decision.date:%d/%m/%Y} amends the result: "
                       f"{'recognised' if recognised else 'not recognised'} ({reason.strip()})")]


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
        decision_en = f"decision no. {assessment.decision_number}"
        if assessment.decision_date is not None:
            decision += f" ngày {assessment.decision_date:%d/%m/%Y}"
            decision_en += f" of {assessment.decision_date:%d/%m/%Y}"
        name = assessment.round.criteria_set.recognition_name or "theo bộ tiêu chí"
        # Officers and reviewers are different people; a user holding both roles hears once.
        return [notice(dict.fromkeys(recipients), assessment,
                       f"đã công bố kết quả: {outcome} đạt chuẩn {name} ({decision})",
                       f"result published: {'recognised' if assessment.decision_recognised else 'not recognised'} "
                       f"({decision_en})")]


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
        return [notice(notifications.officers_of(assessment.unit), assessment, f"hồ sơ được mở lại: {reason}",
                       f"the assessment was reopened: {reason}")]


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (Submit(), DistrictForward(), DistrictReturn(), VerifyItem(), ReturnItem(), Appraise(),
              RecordDecision(), AmendDecision(), Publish(), Reopen())
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
