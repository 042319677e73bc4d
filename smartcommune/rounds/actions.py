"""Every write of the yearly round: one ``do_*`` function per use case.

Contract shared by all of them:

* keyword-only arguments; ``actor`` is the user acting (checked against
  :mod:`smartcommune.rounds.access`, never trusted);
* one transaction; the assessment row is locked (``SELECT … FOR UPDATE``) before
  anything is read for a decision;
* ``expected_version`` (the :attr:`~smartcommune.rounds.models.Assessment.version` the
  user's screen was built from): when it is not the current version,
  :class:`~smartcommune.rounds.exceptions.EditConflict` is raised listing the audit
  entries written since, and nothing changes.  ``None`` skips the check (evidence and
  transitions touch no value another user may be editing);
* every changed field yields one audit entry, every write bumps the version by one, a
  call that changes nothing writes nothing;
* refusals raise the errors of :mod:`smartcommune.rounds.exceptions` and change nothing;
* notifications are written in the transaction, e-mails sent after the commit;
* ``now`` (optional, keyword-only): the clock every time the write stamps is read from
  (audit entries, statuses' dates, notifications, evidence, the round's opening), a
  function returning an aware datetime; Django's ``timezone.now`` when not given.  The
  demo passes its scenario clock;

* every value is checked by the value rules of :mod:`smartcommune.exchange.values`
  (counts up to ``MAX_COUNT``, one limit per text field, no NUL character, dates within
  the round's years), whatever the channel it came from;

They return the fresh, updated row: the instance passed in is stale afterwards.  Its
``version`` is the version *this* write produced (an assessment's, or for evidence its
``assessment.version``): a caller reports that, never a re-read, which may already
include another client's later write.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q

from smartcommune.criteriasets import store as criteria_store
from smartcommune.rounds import access as permissions
from smartcommune.criteria.engine import CriterionInput, input_problems
from smartcommune.criteria.loader import CriteriaFileError
from smartcommune.criteria.registry import UnknownCriteriaSet
from smartcommune.exchange import values as value_rules
from smartcommune.rounds import notifications
from smartcommune.rounds.audit import Recorder, clock, flush_all
from smartcommune.rounds.exceptions import (
    EditConflict, NotAllowed, Problem, RoundError, UploadRejected, ValidationFailed,
)
from smartcommune.rounds.models import (
    AppraisalSession,
    Assessment,
    AuditAction,
    AuditEntry,
    CriterionValue,
    Decision,
    Evidence,
    EvidenceKind,
    Notification,
    ReviewStatus,
    SLOT_FIELDS,
    Round,
    Status,
    criterion_of_slot,
    vi_label,
)
from smartcommune.rounds.selectors import changes_since
from smartcommune.rounds.uploads import validate_upload
from smartcommune.rounds.workflow import ItemToVerify, VerifyItems, get_transition
from smartcommune.units.models import Level, Unit

logger = logging.getLogger(__name__)

VALUE_FIELDS = SLOT_FIELDS
CHOICE_MAX_LENGTH = 50


def _lock(assessment: Assessment, expected_version: int | None) -> Assessment:
    # ``of=self``: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # to the unit's parent.
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round", "round__province", "unit", "unit__parent")
        .get(pk=assessment.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(
            expected_version=expected_version,
            current_version=locked.version,
            changes=list(changes_since(locked, expected_version)),
        )
    return locked


def refuse_edit(actor, assessment: Assessment) -> NotAllowed:
    if not permissions.is_officer_of(actor, assessment.unit):
        return NotAllowed(
            f"Chỉ cán bộ của {assessment.unit.name} mới được sửa hồ sơ này",
            f"only officers of {assessment.unit.name} may edit this assessment",
        )
    state = Status(assessment.status)
    return NotAllowed(
        f"Hồ sơ đang ở trạng thái “{vi_label(state)}”, không sửa được",
        f"the assessment is {state.value} and cannot be edited",
    )


def check_editable(actor, assessment: Assessment, codes, editable: set[str] | None = None) -> None:
    """Refuse unless ``actor`` may change ``codes`` of ``assessment`` now; ``editable`` is
    :func:`~smartcommune.rounds.access.editable_criteria`, when the caller has it."""
    if editable is None:
        editable = permissions.editable_criteria(actor, assessment)
    if not editable:
        raise refuse_edit(actor, assessment)
    # A keyed row ("4.1:b") is edited with its criterion.
    locked = sorted({code for code in codes if criterion_of_slot(code) not in editable})
    if locked:
        raise NotAllowed(
            f"Không được sửa các tiêu chí {', '.join(locked)} lúc này (chỉ các tiêu chí bị trả lại)",
            f"criteria {', '.join(locked)} cannot be edited now (only returned items can)",
        )


def _check_criteria(assessment: Assessment, codes, *, rows: bool = False) -> None:
    """Refuse codes that are not criteria (or preconditions) of the round's set; with
    ``rows``, a keyed condition's row ("4.1:b") is known too."""
    criteria_set = assessment.round.criteria_set
    known = {s.code for s in criteria_set.slots} if rows else {c.code for c in criteria_set.input_criteria}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationFailed([_unknown_code(assessment, c) for c in unknown])


def _unknown_code(assessment: Assessment, code: str) -> Problem:
    criterion = criterion_of_slot(code)
    criteria_set = assessment.round.criteria_set
    if code != criterion and criterion in {c.code for c in criteria_set.input_criteria}:
        keys = [s.code for s in criteria_set.criterion(criterion).slots[1:]]
        return Problem(
            f"Tiêu chí {criterion} không có dòng {code} (có: {', '.join(keys) or 'không có dòng riêng nào'})",
            f"criterion {criterion} has no row {code} (rows: {', '.join(keys) or 'none of its own'})",
            criterion=code)
    return Problem(f"Bộ tiêu chí không có tiêu chí {code}", f"the criteria set has no criterion {code}",
                   criterion=code)


def _text_problems(texts: Mapping[str, object], *, criterion: str = "") -> list[Problem]:
    """The value rules' refusals of ``{field: text}`` (fields of ``TEXT_LIMITS``)."""
    problems = []
    for field, text in texts.items():
        refused = value_rules.text_problem(field, text)
        if refused is not None:
            where = f"Tiêu chí {criterion}: " if criterion else ""
            where_en = f"criterion {criterion}: " if criterion else ""
            problems.append(Problem(where + refused.vi, where_en + refused.en, criterion=criterion, field=field))
    return problems


def _check_texts(texts: Mapping[str, object], *, criterion: str = "") -> None:
    problems = _text_problems(texts, criterion=criterion)
    if problems:
        raise ValidationFailed(problems)


def _date_problems(dates: Mapping[str, tuple[str, str, object]], year: int, *, earlier_years: int = 0) -> list[Problem]:
    """``{field: (label vi, label en, date)}`` checked against the round of ``year``."""
    problems = []
    for field, (vi, en, value) in dates.items():
        if isinstance(value, date):
            refused = value_rules.date_problem(vi, en, value, year, earlier_years=earlier_years)
            if refused is not None:
                problems.append(Problem(refused.vi, refused.en, field=field, value=value.isoformat()))
    return problems


# -- rounds --------------------------------------------------------------------------------


def deadline_problems(year: int, submission_deadline, review_deadline, verification_deadline) -> list[Problem]:
    """The rules of a round's deadlines: each within the round's years (the value rules),
    and in order; a deadline that is not a date is left to the caller's parsing.  Each
    problem names its field (``"deadlines"`` for the order)."""
    problems = _date_problems({
        "submission_deadline": ("Hạn nộp của xã", "submission deadline", submission_deadline),
        "review_deadline": ("Hạn thẩm định cấp huyện", "district review deadline", review_deadline),
        "verification_deadline": ("Hạn xác minh của sở", "agency verification deadline", verification_deadline),
    }, year)
    given = (submission_deadline, review_deadline, verification_deadline)
    if all(isinstance(d, date) for d in given) and not (given[0] <= given[1] <= given[2]):
        problems.append(Problem(
            "Các hạn phải theo thứ tự: nộp ≤ thẩm định huyện ≤ xác minh của sở",
            "deadlines must be in order: submission ≤ district review ≤ agency verification",
            field="deadlines",
        ))
    return problems


def do_open_round(
    *,
    actor,
    criteria_set_code: str,
    year: int,
    province: Unit,
    submission_deadline: date,
    review_deadline: date,
    verification_deadline: date,
    now=None,
) -> Round:
    """Open a round and create a draft assessment, with a value row per criterion, for
    every commune of ``province`` in force during ``year`` (as of 31 December, or the
    province's last day if it ended sooner).  Only the province's secretariat (or a
    superuser) may; a round already open for that set, year and province is refused."""
    if not permissions.can_open_round(actor, province):
        raise NotAllowed(
            f"Chỉ Thư ký Hội đồng của {province.name} mới được mở đợt đánh giá",
            f"only the secretariat of {province.name} may open a round",
        )
    problems = []
    # A round names its set by code for good (shipped, in the administrator's directory, or
    # uploaded and made available), never by a file path, and keeps the hash of its content.
    try:
        found = criteria_store.find(criteria_set_code)
    except CriteriaFileError as e:
        raise ValidationFailed([Problem(str(e), str(e), field="criteria_set_code", value=criteria_set_code)]) from None
    if found is None:
        e = UnknownCriteriaSet(criteria_set_code, directory=criteria_store.directory())
        raise ValidationFailed([Problem(str(e), str(e), field="criteria_set_code", value=criteria_set_code)])
    criteria_set = found.criteria_set
    if not criteria_set.covers(year):
        problems.append(Problem(
            f"Năm {year} ngoài giai đoạn {criteria_set.period_start}–{criteria_set.period_end} của bộ tiêu chí",
            f"year {year} is outside the set's period {criteria_set.period_start}–{criteria_set.period_end}",
            field="year", value=year,
        ))
    problems += deadline_problems(year, submission_deadline, review_deadline, verification_deadline)
    as_of = date(year, 12, 31)
    if province.valid_to is not None and province.valid_to < as_of:
        as_of = province.valid_to
    if province.level != Level.PROVINCE or province.valid_from > as_of or as_of.year != year:
        problems.append(Problem(
            f"{province.name} không phải là tỉnh có hiệu lực trong năm {year}",
            f"{province.name} is not a province in force during {year}",
            field="province", value=province.pk,
        ))
    if Round.objects.filter(criteria_set_code=criteria_set.code, year=year, province=province).exists():
        problems.append(Problem(
            f"Đã có đợt đánh giá {criteria_set.code} năm {year} của {province.name}",
            f"a round of {criteria_set.code} for {year} in {province.name} already exists",
            field="year", value=year,
        ))
    communes = list(
        Unit.objects.in_force(as_of).filter(Q(parent=province) | Q(parent__parent=province), level=Level.COMMUNE)
    )
    if not problems and not communes:
        problems.append(Problem(
            f"{province.name} không có xã nào có hiệu lực ngày {as_of:%d/%m/%Y}",
            f"{province.name} has no commune in force on {as_of.isoformat()}",
            field="province", value=province.pk,
        ))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        round_ = Round.objects.create(
            criteria_set_code=criteria_set.code,
            criteria_hash=found.sha256,
            year=year,
            province=province,
            submission_deadline=submission_deadline,
            review_deadline=review_deadline,
            verification_deadline=verification_deadline,
            opened_by=actor,
            opened_at=clock(now)(),
        )
        assessments = Assessment.objects.bulk_create([Assessment(round=round_, unit=u) for u in communes])
        # A row per criterion, preconditions included (a keyed condition's values live in
        # its criterion's row, ``keyed``).
        CriterionValue.objects.bulk_create([
            CriterionValue(assessment=a, criterion_code=c.code)
            for a in assessments for c in criteria_set.input_criteria
        ])
        at = round_.opened_at
        AuditEntry.objects.bulk_create([
            AuditEntry(assessment=a, version=a.version, actor=actor, at=at, action=AuditAction.CREATED,
                       field="status", new_value=Status.DRAFT.value)
            for a in assessments
        ])
    return round_


def do_move_deadlines(
    *,
    actor,
    round_: Round,
    submission_deadline: date,
    review_deadline: date,
    verification_deadline: date,
    now=None,
) -> Round:
    """Move a round's deadlines (its province's secretariat, or a superuser), by the rules
    of opening a round (:func:`deadline_problems`).  Each moved deadline is recorded in the
    audit log of every assessment of the round (action "deadline moved", the round's
    field, old and new date): a write like any other, so each of their versions is bumped
    once.  Nothing moved, nothing written."""
    if not permissions.can_open_round(actor, round_.province):
        raise NotAllowed(
            f"Chỉ Thư ký Hội đồng của {round_.province.name} mới được dời hạn của đợt đánh giá",
            f"only the secretariat of {round_.province.name} may move the round's deadlines",
        )
    problems = deadline_problems(round_.year, submission_deadline, review_deadline, verification_deadline)
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        given = {"submission_deadline": submission_deadline, "review_deadline": review_deadline,
                 "verification_deadline": verification_deadline}
        moved = {field: (getattr(locked, field), new) for field, new in given.items() if getattr(locked, field) != new}
        if not moved:
            return locked
        at = clock(now)()
        recorders = []
        for a in Assessment.objects.select_for_update().filter(round=locked).order_by("pk"):
            audit = Recorder(a, actor, now=lambda: at)
            for field, (old, new) in moved.items():
                audit.note(AuditAction.DEADLINE_MOVED, field=field, old=old, new=new)
            recorders.append(audit)
        for field, (_old, new) in moved.items():
            setattr(locked, field, new)
        locked.save(update_fields=sorted(moved))
        flush_all(recorders)
    return locked


# -- values and evidence -------------------------------------------------------------------


def do_save_values(
    *,
    actor,
    assessment: Assessment,
    expected_version: int,
    values: Mapping[str, Mapping[str, object]],
    now=None,
) -> Assessment:
    """Change reported values: ``{row code: {"numerator": …, "denominator": …, "met": …,
    "count": …, "choice": …, "source": …}}``; a key left out keeps its value, ``None``
    clears it.  A row code is a criterion's or a precondition's, or a keyed condition's
    row (``"4.1:b"``, stored with its criterion, :meth:`CriterionValue.given`).

    Only criteria in :func:`~smartcommune.rounds.access.editable_criteria` and not fed
    by a process (:func:`do_feed_values`).  Every invalid value is reported at once (:class:`ValidationFailed`, each problem naming the
    unit, year, criterion and value) and nothing is saved.
    """
    with transaction.atomic():
        locked = _lock(assessment, expected_version)
        _check_criteria(locked, values, rows=True)
        check_editable(actor, locked, values)
        criteria = {criterion_of_slot(code) for code in values}
        rows = {v.criterion_code: v for v in locked.values.filter(criterion_code__in=list(criteria))}
        refuse_fed([rows[code] for code in sorted(criteria)])
        changes = {code: dict(given) for code, given in values.items()}
        problems = _value_problems(locked, changes, rows)
        if problems:
            raise ValidationFailed(problems)
        audit = Recorder(locked, actor, now=now)
        for code, given in changes.items():
            set_values(audit, rows[criterion_of_slot(code)], code, given)
        audit.flush()
    return locked


def set_values(audit: Recorder, row: CriterionValue, code: str, given: Mapping[str, object], *,
               reason: str = "") -> bool:
    """Write ``given`` (checked ``{field: value}``) to row ``code`` of the criterion's
    value ``row`` (its own, or a keyed row), one audit entry per changed field, naming the
    row's code; a change stamps the criterion's ``updated_by``/``updated_at``.  The one
    place the web, the API and the import write a reported value."""
    changed = False
    for field in VALUE_FIELDS:
        if field not in given:
            continue
        new = given[field]
        if code == row.criterion_code:
            changed |= audit.set(row, field, new, action=AuditAction.VALUE_CHANGED, criterion_code=code, reason=reason)
            continue
        old = row.given(code)[field]
        if old == new:
            continue
        row.set_given(code, field, new)
        audit.touch(row, "keyed")
        audit.note(AuditAction.VALUE_CHANGED, criterion_code=code, field=field, old=old, new=new, reason=reason)
        changed = True
    if changed:
        row.updated_by, row.updated_at = audit.actor, audit.at
        audit.touch(row, "updated_by", "updated_at")
    return changed


def _value_problems(locked: Assessment, changes: dict[str, dict[str, object]],
                    rows: Mapping[str, CriterionValue]) -> list[Problem]:
    """Every problem of ``changes`` (``{code: {field: value}}``, normalised in place: a
    refused value becomes ``None``, a source is stripped) against the value rules and the
    criteria set, each naming the unit, year, criterion and field."""
    criteria_set = locked.round.criteria_set
    unit, year = locked.unit, locked.round.year
    problems = []
    for code, given in changes.items():
        unknown = sorted(set(given) - set(VALUE_FIELDS))
        if unknown:
            raise TypeError(f"{code}: unknown value fields {unknown}")
        if "source" in given:
            # The column is NOT NULL text: "no source" is the empty string.
            problems += _text_problems({"source": given["source"]}, criterion=code)
            given["source"] = given["source"].strip() if isinstance(given["source"], str) else ""
        choice = given.get("choice")
        if choice is not None and not (isinstance(choice, str) and 0 < len(choice) <= CHOICE_MAX_LENGTH):
            problems.append(Problem(
                f"{unit.name} ({unit.code}), năm {year}, tiêu chí {code}, choice: phải là mã một lựa chọn của "
                f"bộ tiêu chí (tối đa {CHOICE_MAX_LENGTH} ký tự)",
                f"{unit.name} ({unit.code}), {year}, criterion {code}, choice: must be the code of one of the "
                f"set's options (at most {CHOICE_MAX_LENGTH} characters)",
                criterion=code, field="choice", value=str(choice)[:40],
            ))
            given["choice"] = None
        for field in ("numerator", "denominator", "count"):
            count = given.get(field)
            # Negative counts are the engine's to explain (below); anything else that
            # is not a bounded whole number is refused here.
            if count is not None and not (isinstance(count, int) and not isinstance(count, bool)
                                          and count <= value_rules.MAX_COUNT):
                problems.append(Problem(
                    f"{unit.name} ({unit.code}), năm {year}, tiêu chí {code}, {field}: phải là số nguyên từ 0 "
                    f"đến {value_rules.MAX_COUNT}",
                    f"{unit.name} ({unit.code}), {year}, criterion {code}, {field}: must be a whole number from 0 "
                    f"to {value_rules.MAX_COUNT}",
                    criterion=code, field=field, value=str(count)[:40],
                ))
                given[field] = None
        if given.get("met") is not None and not isinstance(given["met"], bool):
            problems.append(Problem(
                f"{unit.name} ({unit.code}), năm {year}, tiêu chí {code}, met: phải là Đạt hoặc Không đạt",
                f"{unit.name} ({unit.code}), {year}, criterion {code}, met: must be pass or fail",
                criterion=code, field="met", value=str(given["met"])[:40],
            ))
            given["met"] = None
        stored = rows[criterion_of_slot(code)].given(code)
        new = {f: given.get(f, stored[f]) for f in VALUE_FIELDS}
        given_input = CriterionInput(new["numerator"], new["denominator"], new["met"], new["count"], new["choice"])
        for p in input_problems(criteria_set.slot(code), given_input):
            problems.append(Problem(
                f"{unit.name} ({unit.code}), năm {year}, tiêu chí {code}, {p.column} = {p.value!r}: {p.vi}",
                f"{unit.name} ({unit.code}), {year}, criterion {code}, {p.column} = {p.value!r}: {p.en}",
                criterion=code, field=p.column, value=p.value,
            ))
    return problems


# -- values filled by processes kept in the product ----------------------------------------


def fed_refusal(row: CriterionValue) -> NotAllowed:
    """Why a hand edit of ``row``, filled by a process (``row.fed_by``), is refused."""
    return NotAllowed(
        f"Tiêu chí {row.criterion_code} được điền tự động (“{row.source}”); không sửa tay được khi nguồn "
        "này còn cung cấp số liệu",
        f"criterion {row.criterion_code} is filled automatically (“{row.source}”) and cannot be changed by hand "
        "while that source feeds it",
    )


def refuse_fed(rows: Iterable[CriterionValue]) -> None:
    """Refuse a hand edit of any of ``rows`` that a process feeds (web, API and import
    alike: only :func:`do_feed_values` writes them)."""
    for row in rows:
        if row.fed_by:
            raise fed_refusal(row)


def _check_may_feed(actor, locked: Assessment, criterion_code: str) -> None:
    if not permissions.may_feed_values(actor, locked):
        raise NotAllowed(
            f"Chỉ cán bộ của {locked.unit.name} hoặc thư ký tổ giúp việc của tỉnh mới điền được số liệu tự động",
            f"only officers of {locked.unit.name} or the province's secretariat may fill values automatically",
        )
    if criterion_code not in permissions.feedable_criteria(locked):
        state = Status(locked.status)
        raise NotAllowed(
            f"Hồ sơ đang ở trạng thái “{state.label}”: tiêu chí {criterion_code} không nhận số liệu lúc này",
            f"the assessment is {state.value}: criterion {criterion_code} takes no values now",
        )


def do_feed_values(
    *,
    actor,
    assessment: Assessment,
    criterion_code: str,
    feeder: str,
    source: str,
    numerator: int | None = None,
    denominator: int | None = None,
    met: bool | None = None,
    now=None,
) -> Assessment:
    """Fill a criterion's values from records kept in the product (the survey of field 4,
    the disclosure register of field 3) and mark it fed by ``feeder`` (a short key such
    as ``"survey"``), with ``source`` (the text shown as the values' source, e.g. "Khảo
    sát trong hệ thống").  While it is fed, :func:`do_save_values` and the import refuse
    hand edits of that criterion; :func:`do_release_feed` ends it.

    The actor must pass :func:`~smartcommune.rounds.access.may_feed_values`; the criterion
    must take values in the assessment's state (every criterion in draft, the returned
    items when returned); a criterion fed by another process is refused.  The values
    pass the same rules as a hand edit.  Audited as ``value_fed``; no version check (a
    process, not a screen, writes).
    """
    if not feeder or len(feeder) > 30:
        raise TypeError(f"feeder must be a short non-empty key, not {feeder!r}")
    with transaction.atomic():
        locked = _lock(assessment, None)
        _check_criteria(locked, [criterion_code])
        _check_may_feed(actor, locked, criterion_code)
        row = locked.values.get(criterion_code=criterion_code)
        if row.fed_by and row.fed_by != feeder:
            raise fed_refusal(row)
        given = {"numerator": numerator, "denominator": denominator, "met": met, "source": source}
        problems = _value_problems(locked, {criterion_code: given}, {criterion_code: row})
        if problems:
            raise ValidationFailed(problems)
        audit = Recorder(locked, actor, now=now)
        for field, value in (*given.items(), ("fed_by", feeder)):
            audit.set(row, field, value, action=AuditAction.VALUE_FED, criterion_code=criterion_code)
        if audit.changed:
            row.updated_by, row.updated_at = audit.actor, audit.at
            audit.touch(row, "updated_by", "updated_at")
        audit.flush()
    return locked


def do_release_feed(*, actor, assessment: Assessment, criterion_code: str, feeder: str, now=None) -> Assessment:
    """End ``feeder``'s hold on a criterion (a survey reopened or given up): its values
    stay and may be edited by hand again.  Same permission as :func:`do_feed_values`;
    nothing happens if ``feeder`` does not feed it."""
    with transaction.atomic():
        locked = _lock(assessment, None)
        _check_criteria(locked, [criterion_code])
        if not permissions.may_feed_values(actor, locked):
            raise NotAllowed(
                f"Chỉ cán bộ của {locked.unit.name} hoặc thư ký tổ giúp việc của tỉnh mới làm được việc này",
                f"only officers of {locked.unit.name} or the province's secretariat may do this",
            )
        row = locked.values.get(criterion_code=criterion_code)
        if row.fed_by == feeder:
            audit = Recorder(locked, actor, now=now)
            audit.set(row, "fed_by", "", action=AuditAction.VALUE_FED, criterion_code=criterion_code)
            audit.flush()
    return locked


def do_add_evidence(
    *,
    actor,
    assessment: Assessment,
    criterion_code: str,
    kind: str,
    expected_version: int | None = None,
    file: File | None = None,
    url: str = "",
    document_number: str = "",
    document_date: date | None = None,
    note: str = "",
    feeder: str = "",
    now=None,
) -> Evidence:
    """Attach evidence to a criterion the actor may edit: a ``file`` (checked by
    :func:`~smartcommune.rounds.uploads.validate_upload`, stored under a random name), a
    ``url`` (http or https) or a ``document_number`` (with an optional date, within
    ``EARLIEST_YEARS_BEFORE`` years before the round's year and its latest date); a file or
    a link keeps the document's number and date too when they are given.

    ``feeder``: the evidence is the report of a process kept in the product (see
    :func:`do_feed_values`), attached under that action's permission and state rule
    instead of the commune's editing rule."""
    problems = _text_problems({"url": url, "document_number": document_number, "note": note},
                              criterion=criterion_code)
    problems += _date_problems({"document_date": ("Ngày văn bản", "document date", document_date)},
                               assessment.round.year, earlier_years=value_rules.EARLIEST_YEARS_BEFORE)
    if problems:
        raise ValidationFailed(problems)
    detected = None
    if kind == EvidenceKind.FILE:
        if file is None:
            raise ValidationFailed([Problem("Chưa chọn tệp", "no file given", field="file")])
        detected = validate_upload(file, name=file.name, size=file.size)
    elif kind == EvidenceKind.LINK:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationFailed([Problem(f"Đường dẫn không hợp lệ: {url!r}", f"invalid link: {url!r}",
                                            field="url", value=url)]) from None
    elif kind == EvidenceKind.DOCUMENT:
        if not document_number.strip():
            raise ValidationFailed([Problem("Cần số văn bản", "the document number is required",
                                            field="document_number")])
    else:
        raise ValidationFailed([Problem(f"Loại minh chứng không hợp lệ: {kind!r}", f"invalid evidence kind: {kind!r}",
                                        field="kind", value=kind)])
    evidence = None
    stored = None  # (storage, name) once a file may exist in the storage
    try:
        with transaction.atomic():
            locked = _lock(assessment, expected_version)
            _check_criteria(locked, [criterion_code])
            if feeder:
                _check_may_feed(actor, locked, criterion_code)
            else:
                check_editable(actor, locked, [criterion_code])
            audit = Recorder(locked, actor, now=now)
            evidence = Evidence(
                assessment=locked,
                criterion_code=criterion_code,
                kind=kind,
                url=url if kind == EvidenceKind.LINK else "",
                # A file or a link may carry the number and date of the document it is.
                document_number=document_number.strip(),
                document_date=document_date,
                note=note.strip(),
                uploaded_by=actor,
                uploaded_at=audit.at,
            )
            if detected is not None:
                evidence.original_name = file.name[-255:]
                evidence.content_type = detected.content_type
                evidence.size = file.size
                # Only the (validated) extension of the user's name reaches the storage.
                extension = next(e for e in detected.extensions if file.name.lower().endswith(e))
                stored = _store(evidence, file, f"upload{extension}")
            evidence.save()
            audit.note(AuditAction.EVIDENCE_ADDED, criterion_code=criterion_code, new=evidence.summary())
            audit.flush()
    except BaseException:
        # The database forgot the row (or never had it): do not leave its file behind.
        if stored is not None:
            _discard(*stored)
        raise
    return evidence


def _store(evidence: Evidence, file: File, name: str):
    """Write ``file`` to the evidence storage (Django's ``STORAGES["default"]``) under a
    fresh name made from ``name``; returns ``(storage, stored name)``.

    The name is chosen before writing so that a write failing half-way (a full disk, an
    object store refusing: any exception of the storage) can be removed: :class:`UploadRejected` then says so plainly,
    and nothing is left in the storage.
    """
    field = evidence.file.field
    storage = evidence.file.storage
    target = storage.get_available_name(field.generate_filename(evidence, name), max_length=field.max_length)
    try:
        evidence.file.name = storage.save(target, file, max_length=field.max_length)
    except Exception:
        # OSError from a disk; an object store's client raises its own errors.
        _discard(storage, target)
        logger.exception("evidence upload not stored at %s", target)
        raise UploadRejected(
            file.name,
            "không lưu được tệp vào kho lưu trữ (ổ đĩa đầy hoặc kho lưu trữ đang lỗi); chưa có gì được ghi, "
            "hãy thử lại sau hoặc báo quản trị hệ thống",
            "the file could not be written to the storage (disk full or storage failing); nothing was recorded, "
            "try again later or tell the administrator",
        ) from None
    return storage, evidence.file.name


def _discard(storage, name: str) -> None:
    """Remove ``name`` from ``storage`` if it is there; a failure is logged, not raised
    (the error that led here is the one to report)."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("could not remove the evidence file %s after a failed upload", name)


def do_remove_evidence(*, actor, evidence: Evidence, expected_version: int | None = None, reason: str = "",
                       now=None) -> Evidence:
    """Withdraw evidence (soft delete: the row and the file stay, for the audit)."""
    _check_texts({"reason": reason}, criterion=evidence.criterion_code)
    with transaction.atomic():
        locked = _lock(evidence.assessment, expected_version)
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        check_editable(actor, locked, [evidence.criterion_code])
        if evidence.removed_at is not None:
            raise ValidationFailed([Problem("Minh chứng đã được gỡ trước đó", "the evidence was already removed",
                                            criterion=evidence.criterion_code)])
        audit = Recorder(locked, actor, now=now)
        evidence.removed_at, evidence.removed_by = audit.at, audit.actor
        evidence.save(update_fields=["removed_at", "removed_by"])
        audit.note(AuditAction.EVIDENCE_REMOVED, criterion_code=evidence.criterion_code, old=evidence.summary(),
                   reason=reason.strip())
        audit.flush()
    return evidence


def do_answer_item(*, actor, assessment: Assessment, expected_version: int, criterion_code: str, answer: str,
                   now=None) -> Assessment:
    """The commune's explanation for a returned item (an officer of the commune, while the
    item is returned).  An answer, like a corrected value, lets the item be resubmitted."""
    _check_texts({"answer": answer}, criterion=criterion_code)
    with transaction.atomic():
        locked = _lock(assessment, expected_version)
        _check_criteria(locked, [criterion_code])
        if not permissions.is_officer_of(actor, locked.unit):
            raise refuse_edit(actor, locked)
        value = locked.values.get(criterion_code=criterion_code)
        if locked.status != Status.RETURNED or value.review_status != ReviewStatus.RETURNED:
            raise NotAllowed(
                f"Tiêu chí {criterion_code} không bị trả lại, không cần giải trình",
                f"criterion {criterion_code} was not returned; there is nothing to answer",
            )
        if not isinstance(answer, str) or not answer.strip():
            raise ValidationFailed([Problem("Cần nội dung giải trình", "the answer is empty",
                                            criterion=criterion_code, field="answer")])
        audit = Recorder(locked, actor, now=now)
        audit.set(value, "answer", answer.strip(), action=AuditAction.ITEM_ANSWERED, criterion_code=criterion_code)
        audit.flush()
    return locked


# -- notifications ---------------------------------------------------------------------------


def do_mark_notifications_read(*, actor, now=None) -> int:
    """Mark every unread notification of ``actor`` read (now); returns how many.  Only the
    recipient's own notifications: nobody marks another user's."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=clock(now)())


# -- the workflow --------------------------------------------------------------------------


def do_transition(
    *,
    actor,
    assessment: Assessment,
    transition_name: str,
    expected_version: int | None = None,
    now=None,
    **params,
) -> Assessment:
    """Run one workflow transition (see :mod:`smartcommune.rounds.workflow` for names and
    parameters): lock, version check, ``check``, ``execute``, audit, notify."""
    transition = get_transition(transition_name)
    with transaction.atomic():
        locked = _lock(assessment, expected_version)
        transition.check(actor, locked, **params)
        _check_transition_values(locked, params)
        audit = Recorder(locked, actor, now=now)
        notices = transition.execute(actor, locked, audit=audit, **params)
        audit.flush()
        notifications.send(notices, at=audit.at)
    return locked


# The texts a transition takes, by the value rules' field names.
_TRANSITION_TEXTS = {"comment": "comment", "number": "number", "signer": "signer", "reason": "reason"}


def _check_transition_values(assessment: Assessment, params: Mapping[str, object]) -> None:
    """The value rules for a transition's parameters (texts, the decision date), after the
    transition's own checks (so a refusal by role or state comes first)."""
    problems = _text_problems({field: params[name] for name, field in _TRANSITION_TEXTS.items()
                               if isinstance(params.get(name), str)})
    items = params.get("items")
    if isinstance(items, Mapping):
        for code, comment in items.items():
            problems += _text_problems({"comment": comment}, criterion=str(code))
    problems += _date_problems({"date": ("Ngày quyết định", "decision date", params.get("date"))},
                               assessment.round.year)
    if problems:
        raise ValidationFailed(problems)


class StaleItems(EditConflict):
    """Items of a batch changed after the actor's screen was built; ``stale``:
    ``(assessment, criterion code, expected version)`` for each, in order; ``changes``:
    the audit entries that changed them."""

    def __init__(self, stale: list[tuple[Assessment, str, int]], changes: list[AuditEntry]):
        self.stale = stale
        self.expected_version, self.current_version, self.changes = stale[0][2], stale[0][0].version, changes
        # The message names every stale item (EditConflict's names none).
        RoundError.__init__(
            self,
            "Không xác minh mục nào vì có mục đã thay đổi (số liệu, minh chứng, giải trình hoặc thẩm định) sau khi "
            "mở trang: "
            + "; ".join(f"{a.unit.name} ({a.round.year}), tiêu chí {code} (phiên bản {v} → {a.version})"
                        for a, code, v in stale)
            + ". Hãy xem lại các mục này rồi xác minh lại",
            "nothing was verified because items changed (values, evidence, answers or reviews) after the page was "
            "loaded: "
            + "; ".join(f"{a.unit.name} ({a.round.year}), criterion {code} (version {v} → {a.version})"
                        for a, code, v in stale)
            + "; review these items and verify again",
        )


def _check_not_stale(locked: Mapping[int, Assessment], items: list[ItemToVerify]) -> None:
    """Raise :class:`StaleItems` for the items changed since the version their screen
    showed: an audit entry of *that criterion* written since (a value, evidence, an answer,
    a review).  Another agency verifying another criterion of the same commune meanwhile
    does not make an item stale, so agencies can work side by side."""
    behind = [item for item in items
              if item.expected_version is not None and item.expected_version != locked[item.assessment_id].version]
    if not behind:
        return
    entries = list(
        AuditEntry.objects.filter(assessment_id__in={item.assessment_id for item in behind},
                                  version__gt=min(item.expected_version for item in behind))
        .select_related("actor").order_by("version", "pk")
    )
    stale, changes = [], []
    for item in behind:
        assessment = locked[item.assessment_id]
        since = [e for e in entries if e.assessment_id == assessment.pk and e.criterion_code == item.criterion_code
                 and e.version > item.expected_version]
        if since or item.expected_version > assessment.version:
            stale.append((assessment, item.criterion_code, item.expected_version))
            changes += since
    if stale:
        raise StaleItems(stale, changes)


def do_verify_items(*, actor, items: Iterable[ItemToVerify | tuple], comment: str = "",
                    now=None) -> list[Assessment]:
    """Verify many criterion items, of one or many assessments, at once: all or nothing.

    ``items``: :class:`~smartcommune.rounds.workflow.ItemToVerify` (or plain tuples
    ``(assessment or id, criterion code, expected version or None)``).  The outcome is
    exactly that of ``verify_item`` run on each item in turn, in the order given (see
    :class:`~smartcommune.rounds.workflow.VerifyItems`): the same rules, the same audit
    entries with one version bump per item, the step to "agency verified", the same
    notifications.  But it is one transaction of a bounded number of queries, whatever the
    number of items: the assessments are locked by one ``SELECT … FOR UPDATE`` (in id
    order, so concurrent batches cannot deadlock), the rows saved and the entries written
    by one flush of the item's recorders (:func:`~smartcommune.rounds.audit.flush_all`).

    An item changed since its ``expected_version`` (see :func:`_check_not_stale`) fails
    the batch with :class:`StaleItems` naming every stale item; any other refusal names
    the commune and criterion.  Returns the updated assessments, in the order of their
    first item.
    """
    items = [item if isinstance(item, ItemToVerify) else ItemToVerify(*item) for item in items]
    _check_texts({"comment": comment})
    batch = VerifyItems()
    with transaction.atomic():
        ids = {item.assessment_id for item in items}
        locked = {
            a.pk: a
            for a in Assessment.objects.select_for_update(of=("self",))
            .select_related("round", "round__province", "unit", "unit__parent")
            .filter(pk__in=ids).order_by("pk")
        }
        if len(locked) != len(ids):
            raise Assessment.DoesNotExist(f"no assessment {sorted(ids - set(locked))}")
        _check_not_stale(locked, items)
        values = {(v.assessment_id, v.criterion_code): v for v in CriterionValue.objects.filter(assessment_id__in=ids)}
        provinces = {a.round.province_id: a.round.province for a in locked.values()}
        agencies = {pk: permissions.agencies_of(actor, province=province) for pk, province in provinces.items()}
        batch.check(actor, items, assessments=locked, values=values, agencies=agencies)
        recorders, notices = batch.execute(actor, items, assessments=locked, values=values, comment=comment,
                                           now=now)
        flush_all(recorders)
        notifications.send(notices, at=recorders[0].at if recorders else None)
    return [locked[pk] for pk in dict.fromkeys(item.assessment_id for item in items)]


# -- acts over many communes: appraisal, decision, publication --------------------------------


class BatchItem(NamedTuple):
    """One commune of a batch transition: its assessment (or id), the version the actor's
    screen showed (``None``: not checked) and its own parameters (``recognised``, …)."""

    assessment: Assessment | int
    expected_version: int | None = None
    params: Mapping[str, object] = MappingProxyType({})

    @property
    def assessment_id(self) -> int:
        return self.assessment if isinstance(self.assessment, int) else self.assessment.pk


class StaleAssessments(EditConflict):
    """Assessments of a batch changed after the actor's screen was built; ``stale``:
    ``(assessment, expected version)`` for each, in order."""

    def __init__(self, stale: list[tuple[Assessment, int]], changes: list[AuditEntry]):
        self.stale = stale
        self.expected_version, self.current_version, self.changes = stale[0][1], stale[0][0].version, changes
        RoundError.__init__(
            self,
            "Không thực hiện với xã nào vì có hồ sơ đã thay đổi sau khi mở trang: "
            + "; ".join(f"{a.unit.name} ({a.round.year}, phiên bản {v} → {a.version})" for a, v in stale)
            + ". Hãy xem lại các hồ sơ này rồi thực hiện lại",
            "nothing was done because assessments changed after the page was loaded: "
            + "; ".join(f"{a.unit.name} ({a.round.year}, version {v} → {a.version})" for a, v in stale)
            + "; review them and try again",
        )


def _at_commune(error: RoundError, assessment: Assessment) -> RoundError:
    """``error`` again, its message led by the commune and the year."""
    vi = en = f"{assessment.unit.name} ({assessment.round.year}): "
    if isinstance(error, ValidationFailed):
        return ValidationFailed([replace(p, vi=vi + p.vi, en=en + p.en) for p in error.problems])
    return type(error)(vi + error.vi, en + error.en)


def _check_secretariat(actor, round_: Round, vi_what: str, en_what: str) -> None:
    if not permissions.is_secretariat_of(actor, round_.province):
        raise NotAllowed(f"Chỉ Thư ký Hội đồng của {round_.province.name} mới được {vi_what}",
                         f"only the secretariat of {round_.province.name} may {en_what}")


def _run_batch(*, actor, round_: Round, transition_name: str, items: list[BatchItem], now,
               **params) -> list[Assessment]:
    """The body of a batch transition, inside the caller's transaction: lock every
    assessment (one ``SELECT … FOR UPDATE`` in id order), refuse stale ones by name, then
    ``check`` and ``execute`` each in the order given, as :func:`do_transition` would, and
    flush the writes together; every write is dated the same moment."""
    transition = get_transition(transition_name)
    if not items:
        raise ValidationFailed([Problem("Chưa chọn xã nào", "no commune was chosen", field="items")])
    ids = [item.assessment_id for item in items]
    if len(set(ids)) != len(ids):
        raise ValidationFailed([Problem("Có xã được chọn hai lần", "a commune was chosen twice", field="items")])
    locked = {
        a.pk: a
        for a in Assessment.objects.select_for_update(of=("self",))
        .select_related("round", "round__province", "unit", "unit__parent")
        .filter(pk__in=ids, round=round_).order_by("pk")
    }
    if len(locked) != len(ids):
        raise ValidationFailed([Problem("Có hồ sơ không thuộc đợt đánh giá này", "an assessment is not of this round",
                                        field="items", value=sorted(set(ids) - set(locked)))])
    stale = [(locked[item.assessment_id], item.expected_version) for item in items
             if item.expected_version is not None and item.expected_version != locked[item.assessment_id].version]
    if stale:
        changes = [entry for a, v in stale for entry in changes_since(a, v)]
        raise StaleAssessments(stale, changes)
    at = clock(now)()
    recorders, notices = [], []
    for item in items:
        assessment = locked[item.assessment_id]
        given = {**params, **item.params}
        try:
            transition.check(actor, assessment, **given)
            _check_transition_values(assessment, given)
        except RoundError as error:
            raise _at_commune(error, assessment) from None
        audit = Recorder(assessment, actor, now=lambda: at)
        notices += transition.execute(actor, assessment, audit=audit, **given)
        recorders.append(audit)
    flush_all(recorders)
    notifications.send(notices, at=at)
    return [locked[pk] for pk in ids]


def _items(items: Iterable[BatchItem | tuple]) -> list[BatchItem]:
    return [item if isinstance(item, BatchItem) else BatchItem(*item) for item in items]


def do_transitions(*, actor, round_: Round, transition_name: str, items: Iterable[BatchItem | tuple], now=None,
                   **params) -> list[Assessment]:
    """Run transition ``transition_name`` for many assessments of ``round_`` at once, all or
    nothing: the outcome is that of :func:`do_transition` run on each in turn, in the
    order given, with ``params`` and each item's own (the same rules and refusals, each
    naming its commune; per commune the same fields, audit entries, one version bump and
    notices).  An item changed since its ``expected_version`` fails the batch with
    :class:`StaleAssessments` naming every stale commune.  Returns the updated assessments
    in the order given."""
    with transaction.atomic():
        return _run_batch(actor=actor, round_=round_, transition_name=transition_name, items=_items(items), now=now,
                          **params)


def _act_problems(round_: Round, texts: Mapping[str, object], dates: Mapping[str, tuple[str, str, object]]
                  ) -> list[Problem]:
    problems = _text_problems(texts)
    for field, (vi, en, value) in dates.items():
        if not isinstance(value, date):
            problems.append(Problem(f"Cần {vi.lower()}", f"the {en} is required", field=field, value=value))
    return problems + _date_problems(dates, round_.year)


def do_open_appraisal_session(*, actor, round_: Round, date: date, members: str = "", minutes: str = "",
                              now=None) -> AppraisalSession:
    """Record a session of the council appraising ``round_`` (its ``date``, ``members`` one
    per line, ``minutes``); the communes are appraised in it by the ``appraise``
    transition (``session=``).  The secretariat only."""
    _check_secretariat(actor, round_, "ghi phiên thẩm định", "record an appraisal session")
    problems = _act_problems(round_, {"members": members, "minutes": minutes},
                             {"date": ("Ngày họp thẩm định", "appraisal date", date)})
    if problems:
        raise ValidationFailed(problems)
    return AppraisalSession.objects.create(round=round_, date=date, members=members.strip(), minutes=minutes.strip(),
                                           created_by=actor, created_at=clock(now)())


def do_appraise_many(*, actor, round_: Round, items: Iterable[BatchItem | tuple], date: date | None = None,
                     members: str = "", minutes: str = "", comment: str = "",
                     session: AppraisalSession | None = None, now=None) -> AppraisalSession:
    """The council's appraisal of many communes of ``round_``: a new session (``date``,
    ``members`` one per line, ``minutes``: :func:`do_open_appraisal_session`) -- or the
    existing ``session`` -- and each commune appraised in it with ``comment`` (its result:
    the engine's, or an item's ``proposed``), as :func:`do_transitions` of ``appraise``,
    all in one transaction.  The secretariat only."""
    _check_secretariat(actor, round_, "thẩm định hồ sơ", "appraise")
    _check_texts({"comment": comment})
    with transaction.atomic():
        if session is None:
            session = do_open_appraisal_session(actor=actor, round_=round_, date=date, members=members,
                                                minutes=minutes, now=now)
        _run_batch(actor=actor, round_=round_, transition_name="appraise", items=_items(items), now=now,
                   session=session, comment=comment)
    return session


def do_decide_many(*, actor, round_: Round, items: Iterable[BatchItem | tuple], number: str, date: date,
                   signer_name: str, signer_title: str = "", issuing_body: str = "", now=None) -> Decision:
    """Put many appraised communes of ``round_`` into one decision: the decision (made, or
    the round's decision of that number when its date and signer match) and, per commune,
    its line -- each item's ``params``: ``recognised`` and, optionally, ``reason`` -- as
    :func:`do_transitions` of ``record_decision``.  The secretariat only."""
    _check_secretariat(actor, round_, "ghi quyết định công nhận", "record a decision")
    texts = {"number": number, "signer": signer_name, "signer_title": signer_title, "issuing_body": issuing_body}
    problems = _act_problems(round_, texts, {"date": ("Ngày quyết định", "decision date", date)})
    for field, text, vi, en in (("number", number, "Cần số quyết định", "the decision number is required"),
                                ("signer", signer_name, "Cần người ký quyết định", "the signer is required")):
        if not (isinstance(text, str) and text.strip()):
            problems.append(Problem(vi, en, field=field))
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        # get_or_create: a concurrent first use of the same number finds the other's row.
        decision, created = Decision.objects.get_or_create(
            round=round_, number=number.strip(),
            defaults={"date": date, "signer_name": signer_name.strip(), "signer_title": signer_title.strip(),
                      "issuing_body": issuing_body.strip(), "created_by": actor, "created_at": clock(now)()})
        if not created and (decision.date != date or decision.signer_name != signer_name.strip()):
            raise ValidationFailed([Problem(
                f"Quyết định số {decision.number} đã được ghi với ngày {decision.date:%d/%m/%Y}, người ký "
                f"{decision.signer_name}",
                f"decision {decision.number} is recorded dated {decision.date.isoformat()}, signed by "
                f"{decision.signer_name}", field="number", value=number)])
        _run_batch(actor=actor, round_=round_, transition_name="record_decision", items=_items(items), now=now,
                   decision=decision)
    return decision


def do_publish_many(*, actor, round_: Round, items: Iterable[BatchItem | tuple], now=None) -> list[Assessment]:
    """Publish the results of many decided communes of ``round_`` (``publish`` for each)."""
    return do_transitions(actor=actor, round_=round_, transition_name="publish", items=items, now=now)
