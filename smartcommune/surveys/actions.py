"""Every write of a survey: one ``do_*`` function per use case, with the contract of
:mod:`smartcommune.rounds.actions` (keyword-only arguments, the actor checked against
:mod:`smartcommune.surveys.access`, one transaction, the survey row locked, an event in
the survey's append-only log for every change, refusals as
:mod:`smartcommune.rounds.exceptions` errors that change nothing, ``now`` the clock).
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F

from smartcommune.exchange import values as value_rules
from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.audit import clock
from smartcommune.rounds.exceptions import NotAllowed, Problem, ValidationFailed
from smartcommune.rounds.actions import do_add_evidence, do_feed_values, do_release_feed
from smartcommune.rounds.models import FROZEN, Assessment, Evidence, EvidenceKind
from smartcommune.surveys import access, answer_file, registry, report, sampling, selectors
from smartcommune.surveys.models import (
    Answer, AnswerCount, Channel, EventKind, FrameKind, Hamlet, Survey, SurveyEvent, SurveyStatus, TopicCount,
    identity_hash, identity_hasher,
)
from smartcommune.surveys.questionnaire import Questionnaire

MAX_HAMLETS = 200
MAX_HAMLET_NAME = 100
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud, typed from paper
OFFICER_CHANNELS = (Channel.PAPER, Channel.PHONE)


def _refuse(vi: str, en: str, **where) -> ValidationFailed:
    return ValidationFailed([Problem(vi, en, **where)])


def _event(survey: Survey, actor, at, kind: str, *, old=None, new=None, reason: str = "") -> None:
    SurveyEvent.objects.create(survey=survey, actor=actor if actor is not None and actor.is_authenticated else None,
                               at=at, kind=kind, old_value=old, new_value=new, reason=reason)


def _lock(survey: Survey) -> Survey:
    return (Survey.objects.select_for_update(of=("self",))
            .select_related("assessment", "assessment__round", "assessment__round__province", "assessment__unit")
            .get(pk=survey.pk))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def do_open_survey(*, actor, assessment: Assessment, questionnaire_code: str = registry.DEFAULT_CODE,
                   synthetic: bool = False, now=None) -> Survey:
    """Open the survey of ``assessment`` from a questionnaire template (its copy is kept)."""
    if not access.may_open_survey(actor, assessment):
        raise NotAllowed(
            f"Chỉ Thư ký Hội đồng của tỉnh hoặc cán bộ của {assessment.unit.name} mới được mở khảo sát, và chỉ khi hồ "
            "sơ chưa có quyết định",
            f"only the province's secretariat or officers of {assessment.unit.name} may open a survey, and only "
            "before the decision",
        )
    templates = registry.available()
    if questionnaire_code not in templates:
        raise _refuse(f"Không có mẫu phiếu “{questionnaire_code}”", f"no questionnaire {questionnaire_code!r}",
                      field="questionnaire", value=questionnaire_code)
    template = templates[questionnaire_code]
    if Survey.objects.filter(assessment=assessment).exists():
        raise _refuse(f"{assessment.unit.name} đã có khảo sát năm {assessment.round.year}",
                      f"{assessment.unit.name} already has a survey for {assessment.round.year}")
    at = clock(now)()
    with transaction.atomic():
        survey = Survey.objects.create(
            assessment=assessment, code=new_code(), questionnaire_code=template.code,
            questionnaire_version=template.version, questionnaire=template.data, opened_by=actor, opened_at=at,
            synthetic=synthetic,
        )
        _event(survey, actor, at, EventKind.OPENED, new={"questionnaire": template.label})
    return survey


def do_open_round_surveys(*, actor, round_, questionnaire_code: str = registry.DEFAULT_CODE, now=None) -> int:
    """The secretariat opens, for a whole round, the survey of every commune that has none
    and whose assessment is not decided; returns how many were opened."""
    if not rounds_access.is_secretariat_of(actor, round_.province):
        raise NotAllowed(f"Chỉ Thư ký Hội đồng của {round_.province.name} mới được mở khảo sát cho cả đợt",
                         f"only the secretariat of {round_.province.name} may open the surveys of a round")
    assessments = (Assessment.objects.filter(round=round_, survey__isnull=True).exclude(status__in=FROZEN)
                   .select_related("round", "round__province", "unit").order_by("unit__code"))
    with transaction.atomic():
        return sum(1 for a in assessments
                   if do_open_survey(actor=actor, assessment=a, questionnaire_code=questionnaire_code, now=now))


def plan_summary(survey: Survey) -> dict:
    """The plan as the event log keeps it."""
    return {
        "frame_kind": survey.frame_kind, "method": survey.method, "margin": str(survey.margin),
        "confidence": survey.confidence, "population": survey.population, "planned": survey.planned,
        "hamlets": [[h.name, h.size, h.quota] for h in survey.hamlets.all()],
    }


def do_set_plan(*, actor, survey: Survey, frame_kind: str, hamlets: Sequence[tuple[str, int]], margin,
                method: str = sampling.YAMANE, confidence: int = 95, now=None) -> Survey:
    """Set the sampling frame (hamlets and their sizes) and the sample: size from the
    formula, quotas by largest remainder.  Refused once answers exist (the plan is then
    frozen).  The change is an event with the old and new plan."""
    if not access.may_run_survey(actor, survey):
        raise NotAllowed("Không có quyền lập kế hoạch mẫu của khảo sát này",
                         "you may not set this survey's sampling plan")
    problems = []
    if frame_kind not in FrameKind.values:
        problems.append(Problem(f"Khung mẫu không hợp lệ: {frame_kind!r}", f"invalid frame: {frame_kind!r}",
                                field="frame_kind"))
    if not hamlets or len(hamlets) > MAX_HAMLETS:
        problems.append(Problem(f"Cần từ 1 đến {MAX_HAMLETS} ấp / khu phố", f"1 to {MAX_HAMLETS} hamlets are needed",
                                field="hamlets"))
    names = set()
    for i, (name, size) in enumerate(hamlets, start=1):
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > MAX_HAMLET_NAME or "\x00" in name:
            problems.append(Problem(f"Dòng {i}: tên ấp phải có từ 1 đến {MAX_HAMLET_NAME} ký tự",
                                    f"line {i}: a hamlet's name must have 1 to {MAX_HAMLET_NAME} characters",
                                    field="hamlets"))
        elif name.casefold() in names:
            problems.append(Problem(f"Dòng {i}: ấp “{name}” bị trùng", f"line {i}: hamlet {name!r} is repeated",
                                    field="hamlets"))
        names.add(name.casefold())
        if not (isinstance(size, int) and not isinstance(size, bool) and 0 <= size <= value_rules.MAX_COUNT):
            problems.append(Problem(f"Dòng {i}: quy mô phải là số nguyên từ 0 đến {value_rules.MAX_COUNT}",
                                    f"line {i}: the size must be a whole number from 0 to {value_rules.MAX_COUNT}",
                                    field="hamlets", value=str(size)[:40]))
    try:
        margin = Decimal(str(margin))
        if not (Decimal("0.001") <= margin <= Decimal("0.5")) or margin != margin.quantize(Decimal("0.001")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(Problem("Sai số cho phép phải từ 0,001 đến 0,5 (tối đa 3 chữ số thập phân)",
                                "the margin of error must be from 0.001 to 0.5 (at most 3 decimals)", field="margin"))
        margin = None
    if problems:
        raise ValidationFailed(problems)
    sizes = [size for _, size in hamlets]
    try:
        planned = sampling.sample_size(sum(sizes), margin, method=method, confidence=confidence)
        quotas = sampling.allocate(planned, sizes)
    except sampling.SamplingError as exc:
        raise _refuse(exc.vi, exc.en, field="plan") from None
    with transaction.atomic():
        locked = _lock(survey)
        if not locked.is_open:
            raise _refuse("Khảo sát đã đóng, không sửa kế hoạch mẫu được", "the survey is closed; its plan is final")
        if locked.answers.exists():
            raise _refuse("Kế hoạch mẫu đã cố định vì khảo sát đã có phiếu trả lời",
                          "the sampling plan is frozen: the survey already has answers", field="plan")
        old = plan_summary(locked)
        locked.hamlets.all().delete()
        Hamlet.objects.bulk_create([
            Hamlet(survey=locked, name=name.strip(), size=size, quota=quota, position=i)
            for i, ((name, size), quota) in enumerate(zip(hamlets, quotas))
        ])
        locked.frame_kind, locked.method, locked.margin, locked.confidence = frame_kind, method, margin, confidence
        locked.population, locked.planned = sum(sizes), planned
        locked.save(update_fields=["frame_kind", "method", "margin", "confidence", "population", "planned"])
        new = plan_summary(locked)
        if new != old:
            _event(locked, actor, clock(now)(), EventKind.PLAN_SET, old=old, new=new)
    return locked


def normalise_identity(identity: str) -> str | None:
    """A phone number or citizen-ID as digits (``+84…`` as ``0…``), ``None`` if it is not
    one: 9 to 12 digits once spaces, dots and dashes are dropped."""
    text = "".join(ch for ch in identity.strip() if ch not in " .-")
    if text.startswith("+84"):
        text = "0" + text[3:]
    if not (text.isascii() and text.isdigit() and 9 <= len(text) <= 12):
        return None
    return text


def answer_problems(q: Questionnaire, hamlets: Mapping[int, Hamlet], *, level, topics, hamlet_id, age_band, sex,
                    where: str = "", where_en: str = "") -> list[Problem]:
    """What is wrong with one answer, against the questionnaire and the survey's hamlets."""
    problems = []
    if not (isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= len(q.levels)):
        problems.append(Problem(f"{where}Cần chọn một trong {len(q.levels)} mức độ tiến bộ",
                                f"{where_en}one of the {len(q.levels)} progress levels must be chosen", field="level",
                                value=str(level)[:40]))
    if not isinstance(topics, Mapping):
        topics = {}
    for key, option in topics.items():
        topic = q.topic(key)
        if topic is None or option not in {o.key for o in topic.options}:
            problems.append(Problem(f"{where}Câu hỏi “{str(key)[:30]}”: lựa chọn không có trong phiếu",
                                    f"{where_en}question {str(key)[:30]!r}: not an option of the questionnaire",
                                    field=str(key)[:30], value=str(option)[:40]))
    if hamlet_id is not None and hamlet_id not in hamlets:
        problems.append(Problem(f"{where}Ấp / khu phố không thuộc khảo sát này", f"{where_en}not a hamlet of this survey",
                                field="hamlet", value=str(hamlet_id)[:40]))
    for field, value, options, vi, en in (("age_band", age_band, q.age_bands, "Nhóm tuổi", "age band"),
                                          ("sex", sex, q.sexes, "Giới tính", "sex")):
        if value and value not in {o.key for o in options}:
            problems.append(Problem(f"{where}{vi} không có trong phiếu", f"{where_en}{en} is not an option",
                                    field=field, value=str(value)[:40]))
    return problems


def _closed() -> ValidationFailed:
    return _refuse("Khảo sát đã đóng, không nhận thêm phiếu trả lời", "the survey is closed and takes no answers",
                   field="survey")


def duplicate_refusal() -> ValidationFailed:
    return _refuse("Số điện thoại / CCCD này đã trả lời khảo sát; mỗi người chỉ trả lời một lần",
                   "this phone or citizen-ID number has already answered; one answer per person", field="identity")


def _status_while_answering(survey_id: int) -> str:
    """The survey's status, read so that it cannot close before this transaction ends.  On
    PostgreSQL a shared row lock (``FOR SHARE``): answers arriving together do not wait for
    one another, while closing (``FOR UPDATE`` in :func:`_lock`) waits for the answers in
    flight and every later answer reads the closed status.  SQLite has one writer at a
    time (transactions begin ``IMMEDIATE``): a plain read suffices."""
    connection = transaction.get_connection()
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {Survey._meta.db_table} WHERE id = %s{lock}", [survey_id])
        return cursor.fetchone()[0]


def do_submit_answer(*, actor=None, survey: Survey, channel: str, level, topics: Mapping[str, str] | None = None,
                     hamlet_id: int | None = None, age_band: str = "", sex: str = "", identity: str = "",
                     now=None) -> Answer:
    """Record one answer.  ``channel`` web: anyone (the public form, no actor); paper or
    phone: an officer of the commune or the secretariat, who is recorded as its enterer.
    ``identity``, optional, is kept only as its keyed hash; a second answer with the same
    number is refused."""
    if channel == Channel.WEB:
        actor = None
    elif channel in OFFICER_CHANNELS:
        if not access.may_run_survey(actor, survey):
            raise NotAllowed("Chỉ cán bộ của xã hoặc Thư ký Hội đồng mới được nhập phiếu giấy / điện thoại",
                             "only the commune's officers or the secretariat may enter paper or phone answers")
    else:
        raise _refuse(f"Kênh không hợp lệ: {channel!r}", f"invalid channel: {channel!r}", field="channel")
    q = registry.of_survey(survey)
    topics = {k: v for k, v in (topics or {}).items() if v}
    # Only the hamlet named, if any, is looked up: most answers name none.
    named = isinstance(hamlet_id, int) and not isinstance(hamlet_id, bool)
    hamlets = {h.pk: h for h in survey.hamlets.filter(pk=hamlet_id)} if named else {}
    problems = answer_problems(q, hamlets, level=level, topics=topics, hamlet_id=hamlet_id, age_band=age_band,
                               sex=sex)
    digest = None
    if identity:
        digits = normalise_identity(identity)
        if digits is None:
            problems.append(Problem("Số điện thoại / CCCD phải có từ 9 đến 12 chữ số (hoặc để trống)",
                                    "the phone or citizen-ID number must have 9 to 12 digits (or be left empty)",
                                    field="identity"))
        else:
            digest = identity_hash(survey.code, digits)
    if problems:
        raise ValidationFailed(problems)
    try:
        with transaction.atomic():
            if _status_while_answering(survey.pk) != SurveyStatus.OPEN:
                raise _closed()
            if digest is not None and Answer.objects.filter(survey_id=survey.pk, identity_hash=digest).exists():
                raise duplicate_refusal()
            answer = Answer.objects.create(
                survey_id=survey.pk, level=level, topics=topics, hamlet_id=hamlet_id, age_band=age_band, sex=sex,
                channel=channel, identity_hash=digest, entered_by=actor, created_at=clock(now)(),
            )
            # Last: the counts' row locks are held the shortest.
            _count(survey.pk, {(hamlet_id, channel, level): 1}, _topic_changes([topics]))
            return answer
    except IntegrityError:
        raise duplicate_refusal() from None


def _reason(reason, missing_vi: str, missing_en: str) -> str:
    """A required reason, stripped; refused when empty or not plain text."""
    reason = reason.strip() if isinstance(reason, str) else ""
    refused = value_rules.text_problem("reason", reason)
    if refused is not None:
        raise _refuse(refused.vi, refused.en, field="reason")
    if not reason:
        raise _refuse(missing_vi, missing_en, field="reason")
    return reason


def do_void_answer(*, actor, answer: Answer, reason: str, now=None) -> Answer:
    """The secretariat voids an answer (a duplicate, a test, a fraud), with a reason; the
    answer stays, out of every count."""
    survey = answer.survey
    if not access.may_void_answers(actor, survey):
        raise NotAllowed("Chỉ Thư ký Hội đồng của tỉnh mới được huỷ phiếu trả lời",
                         "only the province's secretariat may void an answer")
    reason = _reason(reason, "Cần ghi lý do huỷ phiếu", "a reason is required to void an answer")
    with transaction.atomic():
        locked = _lock(survey)
        if not locked.is_open:
            raise _refuse("Khảo sát đã đóng và số liệu đã chốt; không huỷ phiếu được",
                          "the survey is closed and its counts final; answers cannot be voided")
        row = Answer.objects.select_for_update().get(pk=answer.pk)
        if row.voided_at is not None:
            raise _refuse("Phiếu này đã bị huỷ trước đó", "this answer was already voided")
        at = clock(now)()
        row.voided_at, row.voided_by, row.void_reason = at, actor, reason
        row.save(update_fields=["voided_at", "voided_by", "void_reason"])
        _count(locked.pk, {(row.hamlet_id, row.channel, row.level): -1}, _topic_changes([row.topics], -1))
        _event(locked, actor, at, EventKind.VOIDED, old={"answer": row.pk, "level": row.level}, reason=reason)
    return row


def _count(survey_id: int, levels: Mapping[tuple[int | None, str, int], int],
           topics: Mapping[tuple[str, str], int]) -> None:
    """Add to the survey's counts, in the caller's transaction (an answer +1, a void -1, an
    import its rows): ``levels`` ``{(hamlet id, channel, level): n}``
    (:class:`~smartcommune.surveys.models.AnswerCount`) and ``topics`` ``{(question,
    option): n}`` (:class:`~smartcommune.surveys.models.TopicCount`)."""
    changes = [(AnswerCount, dict(hamlet_id=h, channel=c, level=level), n) for (h, c, level), n in levels.items()]
    # Sorted: concurrent answers take the rows' locks in one order (no deadlock).
    changes += [(TopicCount, dict(topic=t, option=o), n) for (t, o), n in sorted(topics.items())]
    for model, key, n in changes:
        row = model.objects.filter(survey_id=survey_id, **key)
        if not n or row.update(n=F("n") + n):
            continue
        try:
            with transaction.atomic():
                model.objects.create(survey_id=survey_id, n=n, **key)
        except IntegrityError:  # another answer created the row meanwhile
            row.update(n=F("n") + n)


def _topic_changes(answers, sign: int = 1) -> Counter:
    """``{(question, option): ±n}`` of the optional questions' answers in ``answers``."""
    chosen = Counter(item for topics in answers for item in topics.items())
    return Counter({key: sign * n for key, n in chosen.items()})


def recount_answers(*, survey: Survey) -> None:
    """Count the survey's valid answers again from the answers themselves and replace its
    counts: for answers written in bulk outside these actions (the synthetic demo's
    generator)."""
    with transaction.atomic():
        locked = _lock(survey)
        valid = Answer.objects.filter(survey=locked, voided_at__isnull=True)
        rows = valid.values_list("hamlet_id", "channel", "level").annotate(n=Count("*")).order_by()
        AnswerCount.objects.filter(survey=locked).delete()
        AnswerCount.objects.bulk_create([AnswerCount(survey=locked, hamlet_id=h, channel=c, level=level, n=n)
                                         for h, c, level, n in rows])
        TopicCount.objects.filter(survey=locked).delete()
        TopicCount.objects.bulk_create([
            TopicCount(survey=locked, topic=t, option=o, n=n)
            for (t, o), n in _topic_changes(valid.values_list("topics", flat=True).iterator()).items()])


def max_import_bytes() -> int:
    """The largest answer file: ``SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES`` (default 64 MB,
    about two million answers)."""
    return int(getattr(settings, "SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES", 64 * 1024 * 1024))


def do_import_answers(*, actor, survey: Survey, data: bytes, name: str, now=None) -> int:
    """Import paper or phone answers from a CSV file (:mod:`.answer_file`): every row or
    none.  A number (phone, citizen ID) already used in the survey, or twice in the file,
    refuses the file.  Returns how many answers were recorded."""
    if not access.may_run_survey(actor, survey):
        raise NotAllowed("Chỉ cán bộ của xã hoặc Thư ký Hội đồng mới được nhập phiếu từ tệp",
                         "only the commune's officers or the secretariat may import answers")
    if len(data) > max_import_bytes():
        raise answer_file.refused(name, [Problem(
            f"tệp {len(data) / 1024 / 1024:.1f} MB, quá giới hạn {max_import_bytes() / 1024 / 1024:.1f} MB; chưa "
            "nhập gì", f"the file is {len(data)} bytes, over the limit of {max_import_bytes()}; nothing imported")])
    q = registry.of_survey(survey)
    rows = answer_file.read_answers(data, name, q, dict(survey.hamlets.values_list("name", "pk")))
    problems, digests = [], []
    seen: dict[str, int] = {}
    hasher = identity_hasher(survey.code)
    for row in rows:
        digest = None
        if row.identity:
            digits = normalise_identity(row.identity)
            if digits is None:
                problems.append(Problem(f"dòng {row.line}, cột identity: phải có 9–12 chữ số",
                                        f"line {row.line}, identity: must have 9 to 12 digits", field="identity"))
            else:
                digest = hasher(digits)
                if digest in seen:
                    problems.append(Problem(f"dòng {row.line}, cột identity: trùng với dòng {seen[digest]}",
                                            f"line {row.line}, identity: same as line {seen[digest]}",
                                            field="identity"))
                seen.setdefault(digest, row.line)
        digests.append(digest)
    at = clock(now)()
    with transaction.atomic():
        locked = _lock(survey)
        if not locked.is_open:
            raise _closed()
        if seen:
            used = set()
            keys = list(seen)
            for i in range(0, len(keys), 5000):
                used.update(Answer.objects.filter(survey=locked, identity_hash__in=keys[i:i + 5000])
                            .values_list("identity_hash", flat=True))
            problems += [Problem(f"dòng {seen[d]}, cột identity: số này đã trả lời khảo sát",
                                 f"line {seen[d]}, identity: this number has already answered", field="identity")
                         for d in sorted(used, key=seen.get)]
        if problems:
            raise answer_file.refused(name, problems)
        _insert_answers(locked, [
            (row.level, row.topics, row.hamlet_id, row.age_band, row.sex, row.channel, digest)
            for row, digest in zip(rows, digests)
        ], entered_by_id=actor.pk, created_at=at)
        _count(locked.pk, Counter((row.hamlet_id, row.channel, row.level) for row in rows),
               _topic_changes(row.topics for row in rows))
        _event(locked, actor, at, EventKind.IMPORTED, new={"file": name[-200:], "answers": len(rows)})
    return len(rows)


ANSWER_COLUMNS = ("level", "topics", "hamlet_id", "age_band", "sex", "channel", "identity_hash")


def _insert_answers(survey: Survey, rows: list[tuple], *, entered_by_id: int, created_at) -> None:
    """Insert answers: PostgreSQL's ``COPY`` (a million rows in seconds; the rows written
    as COPY text in large chunks), ``bulk_create`` elsewhere."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        Answer.objects.bulk_create([Answer(survey=survey, entered_by_id=entered_by_id, created_at=created_at,
                                           **dict(zip(ANSWER_COLUMNS, row))) for row in rows], batch_size=2000)
        return
    columns = ", ".join(("survey_id",) + ANSWER_COLUMNS + ("entered_by_id", "created_at", "void_reason"))
    tail = f"\t{entered_by_id}\t{created_at.isoformat()}\t\n"
    # A million rows repeat a few dozen distinct texts (topics, facts): each is escaped once.
    texts: dict = {}

    def text(value) -> str:
        found = texts.get(value)
        if found is None:
            raw = json.dumps(dict(value), ensure_ascii=False) if isinstance(value, tuple) else value
            found = texts[value] = _copy_text(raw)
        return found

    with connection.cursor() as cursor:
        # A file of up to SMARTCOMMUNE_SURVEY_IMPORT_MAX_BYTES may take longer than the
        # statement timeout of a page (SMARTCOMMUNE_DB_STATEMENT_TIMEOUT): ten minutes here.
        cursor.execute("SET LOCAL statement_timeout = '600s'")
        with cursor.cursor.copy(f"COPY {Answer._meta.db_table} ({columns}) FROM STDIN") as copy:
            for start in range(0, len(rows), COPY_CHUNK):
                copy.write("".join(
                    f"{survey.pk}\t{level}\t{text(tuple(topics.items()))}\t{NULL if hamlet_id is None else hamlet_id}"
                    f"\t{text(age_band)}\t{text(sex)}\t{text(channel)}\t{NULL if digest is None else digest}{tail}"
                    for level, topics, hamlet_id, age_band, sex, channel, digest in rows[start:start + COPY_CHUNK]))


COPY_CHUNK = 20_000
NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    """``value`` as a field of PostgreSQL's COPY text format."""
    return value.translate(_COPY_ESCAPES)


# -- closing, feeding the round ----------------------------------------------------------------

CRITERION = "4"
TOPICS_CRITERION = "3.4"
FEEDER = "survey"
FEED_SOURCE = "Khảo sát trong hệ thống"


@dataclass(frozen=True, slots=True)
class Fed:
    """What feeding did: the counts given to criterion 4 (``None``: not fed, ``reason``
    says why) and the criteria that received the survey's reports as evidence."""

    survey: Survey
    counts: tuple[int, int] | None
    evidence: tuple[str, ...] = ()
    reason: str = ""

    @property
    def message(self) -> str:
        if self.counts is None:
            return self.reason
        text = (f"Tiêu chí {CRITERION} nhận {self.counts[0]}/{self.counts[1]} (phiếu hợp lệ / cỡ mẫu kế hoạch), "
                f"nguồn “{FEED_SOURCE}”.")
        if self.evidence:
            text += f" Báo cáo khảo sát đã thành minh chứng của tiêu chí {', '.join(self.evidence)}."
        return text


def do_close_survey(*, actor, survey: Survey, now=None) -> Fed:
    """Close an open survey (it takes no more answers) and feed the round
    (:func:`do_feed_round`) when the assessment takes values now; otherwise the survey
    closes and says why nothing was fed (it can be fed later, when the assessment takes
    values again).  A survey without a sampling plan cannot close."""
    if not access.may_run_survey(actor, survey):
        raise NotAllowed("Chỉ cán bộ của xã hoặc Thư ký Hội đồng mới được đóng khảo sát",
                         "only the commune's officers or the secretariat may close the survey")
    at = clock(now)()
    with transaction.atomic():
        locked = _lock(survey)
        if not locked.is_open:
            raise _refuse("Khảo sát đã đóng trước đó", "the survey is already closed")
        if locked.planned == 0:
            raise _refuse("Chưa có kế hoạch mẫu (cỡ mẫu bằng 0): lập kế hoạch mẫu trước khi đóng khảo sát",
                          "there is no sampling plan (sample size 0): set one before closing", field="plan")
        valid = selectors.valid_count(locked)
        locked.status, locked.closed_at, locked.closed_by = SurveyStatus.CLOSED, at, actor
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        _event(locked, actor, at, EventKind.CLOSED, new={"valid": valid, "planned": locked.planned})
        why_not = feed_refusal(locked)
        if why_not is not None:
            return Fed(locked, None, reason=why_not)
        return do_feed_round(actor=actor, survey=locked, now=lambda: at)


def do_reopen_survey(*, actor, survey: Survey, reason: str, now=None) -> Survey:
    """The province's secretariat reopens a closed survey, with a reason (an event), while
    the commune's assessment is not decided or published: the survey takes answers again
    and no longer feeds criterion 4 (:func:`~smartcommune.rounds.actions.do_release_feed`:
    the values stay, the officer may edit them by hand again), until it closes again and
    feeds them anew (:func:`do_close_survey`)."""
    assessment = survey.assessment
    if not access.may_reopen_survey(actor, survey):
        raise NotAllowed(f"Chỉ Thư ký Hội đồng của {assessment.round.province.name} mới được mở lại khảo sát",
                         f"only the secretariat of {assessment.round.province.name} may reopen a survey")
    reason = _reason(reason, "Cần ghi lý do mở lại khảo sát", "a reason is required to reopen a survey")
    with transaction.atomic():
        locked = _lock(survey)
        if locked.is_open:
            raise _refuse("Khảo sát đang mở, không cần mở lại", "the survey is open already")
        assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=locked.assessment_id)
        if assessment.frozen:
            raise _refuse(f"Hồ sơ của {locked.assessment.unit.name} đã ở trạng thái “{assessment.status_text}”: "
                          "số liệu tiêu chí 4 đã chốt, không mở lại khảo sát được",
                          f"the assessment is {assessment.status}: criterion {CRITERION}'s counts are final and the "
                          "survey cannot be reopened")
        at = clock(now)()
        old = {"closed_at": locked.closed_at.isoformat() if locked.closed_at else None,
               "valid": selectors.valid_count(locked)}
        locked.status, locked.closed_at, locked.closed_by = SurveyStatus.OPEN, None, None
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        _event(locked, actor, at, EventKind.REOPENED, old=old, reason=reason)
        if CRITERION in {c.code for c in locked.assessment.round.criteria_set.criteria}:
            do_release_feed(actor=actor, assessment=locked.assessment, criterion_code=CRITERION, feeder=FEEDER,
                            now=lambda: at)
    return locked


def feed_refusal(survey: Survey) -> str | None:
    """Why a closed survey cannot feed its assessment now, or ``None`` when it can."""
    assessment = survey.assessment
    if CRITERION not in {c.code for c in assessment.round.criteria_set.criteria}:
        return f"Bộ tiêu chí của đợt không có tiêu chí {CRITERION}: không đưa kết quả vào hồ sơ."
    if CRITERION not in rounds_access.feedable_criteria(assessment):
        return (f"Hồ sơ đang ở trạng thái “{assessment.status_text}”, tiêu chí {CRITERION} không nhận số liệu "
                "lúc này; kết quả sẽ được đưa vào khi hồ sơ nhận số liệu trở lại (nút “Đưa kết quả vào tiêu chí 4”).")
    return None


def do_feed_round(*, actor, survey: Survey, now=None) -> Fed:
    """Give a closed survey's counts to criterion 4 of the commune's assessment through
    :func:`~smartcommune.rounds.actions.do_feed_values` (numerator: the valid answers, at
    most the planned sample; denominator: the planned sample; source "Khảo sát trong hệ
    thống"; hand edits refused while fed), then attach the survey's reports as evidence,
    once per closing: the results report (PDF) to criterion 4, the answers on public services,
    planning and budget (PDF) to criterion 3.4 when the questionnaire asks them and 3.4
    takes evidence now (again after each reopening, with the counts of the new closing).
    Refusals (role, the assessment's state) change nothing."""
    if not access.may_run_survey(actor, survey):
        raise NotAllowed("Chỉ cán bộ của xã hoặc Thư ký Hội đồng mới được đưa kết quả khảo sát vào hồ sơ",
                         "only the commune's officers or the secretariat may feed the survey's results")
    with transaction.atomic():
        locked = _lock(survey)
        if locked.is_open:
            raise _refuse("Đóng khảo sát trước khi đưa kết quả vào hồ sơ", "close the survey before feeding its results")
        why_not = feed_refusal(locked)
        if why_not is not None:
            raise _refuse(why_not, f"criterion {CRITERION} takes no values now")
        results = selectors.results(locked)
        counts = (results.fed_numerator, locked.planned)
        assessment = locked.assessment
        do_feed_values(actor=actor, assessment=assessment, criterion_code=CRITERION, feeder=FEEDER,
                       source=FEED_SOURCE, numerator=counts[0], denominator=counts[1], now=now)
        evidence = ()
        if not _fed_since_reopened(locked):
            evidence = tuple(e.criterion_code for e in _attach_reports(actor, locked, results, now))
        at = clock(now)()
        _event(locked, actor, at, EventKind.FED, new={"numerator": counts[0], "denominator": counts[1],
                                                      "evidence": list(evidence)})
    return Fed(locked, counts, evidence)


def _fed_since_reopened(survey: Survey) -> bool:
    """Whether the survey fed the round since it was last reopened (or ever, if never
    reopened): its reports are attached as evidence once per closing."""
    events = survey.events.filter(kind=EventKind.FED)
    reopened = survey.events.filter(kind=EventKind.REOPENED).order_by("-pk").values_list("pk", flat=True).first()
    if reopened is not None:
        events = events.filter(pk__gt=reopened)
    return events.exists()


def _attach_reports(actor, survey: Survey, results, now) -> list[Evidence]:
    year = survey.assessment.round.year
    wanted = [(CRITERION, report.report_pdf, f"bao-cao-khao-sat-hai-long-{year}.pdf",
               f"Báo cáo kết quả khảo sát trong hệ thống: {results.valid} phiếu hợp lệ / {survey.planned} kế hoạch")]
    if results.questionnaire.topics:
        wanted.append((TOPICS_CRITERION, report.topics_pdf, f"phan-hoi-dich-vu-cong-quy-hoach-ngan-sach-{year}.pdf",
                       f"Dữ liệu điện tử phản hồi của người dân từ khảo sát trong hệ thống ({results.valid} phiếu)"))
    feedable = rounds_access.feedable_criteria(survey.assessment)
    return [do_add_evidence(actor=actor, assessment=survey.assessment, criterion_code=code, kind=EvidenceKind.FILE,
                            file=ContentFile(build(results), name=name), note=note, feeder=FEEDER, now=now)
            for code, build, name, note in wanted if code in feedable]
