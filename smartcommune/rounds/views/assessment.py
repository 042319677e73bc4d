"""The self-assessment page of one commune for one round, its live evaluation, saving,
evidence (add, download, remove), answers to returned items and the history.

Thin views: they parse the request, call :mod:`smartcommune.rounds.actions` (writes),
:mod:`smartcommune.rounds.selectors` and :mod:`smartcommune.rounds.access` (reads)
and the criteria engine, and render.

Who: every view needs a login; an assessment the user may not see answers 404
(:func:`~smartcommune.rounds.views.common.visible_assessment_or_404`); an action the
user's roles do not allow on a visible assessment answers 403 with the reason.

Form fields of the entry form, per criterion code ``C`` (e.g. ``1.2``):
``numerator-C``, ``denominator-C`` (whole numbers), ``met-C`` (``1``, ``0`` or empty) and
``source-C`` (text); an empty field means "not reported".  Only fields present in the
request are changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from smartcommune.rounds import access as permissions
from smartcommune.criteria import engine
from smartcommune.exchange import values as value_rules
from smartcommune.rounds import selectors
from smartcommune.rounds.actions import do_add_evidence, do_answer_item, do_remove_evidence, do_save_values
from smartcommune.rounds.exceptions import EditConflict, NotAllowed, RoundError, UploadRejected, ValidationFailed
from smartcommune.rounds.models import (
    Assessment,
    audit_value_shown,
    criterion_slug,
    Evidence,
    EvidenceKind,
    ReturnStage,
    ReviewStatus,
    Status,
)
from smartcommune.rounds.uploads import ACCEPTED_EXTENSIONS, max_bytes
from smartcommune.rounds.views.common import error_text, visible_assessment_or_404
from smartcommune.rounds.views.pagination import paginate
from smartcommune.rounds.workflow import available_transitions

VALUE_FIELDS = ("numerator", "denominator", "met", "source")
COUNT_FIELDS = ("numerator", "denominator")
# Room for the multipart envelope and the other fields around the file itself.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")



def _field_label(field: str) -> str:
    return {
        "numerator": _("Tử số"),
        "denominator": _("Mẫu số"),
        "met": _("Đạt/Không đạt"),
        "source": _("Nguồn số liệu"),
        "status": _("Trạng thái"),
        "review_status": _("Tình trạng xác minh"),
        "review_comment": _("Ý kiến thẩm định"),
        "answer": _("Giải trình"),
        "submitted_at": _("Nộp lúc"),
        "late": _("Nộp trễ hạn"),
        "returned_stage": _("Bị trả lại từ"),
        "decision_number": _("Số quyết định"),
        "decision_date": _("Ngày quyết định"),
        "decision_signer": _("Người ký"),
        "decision_recognised": _("Được công nhận"),
        "published_at": _("Công bố lúc"),
    }.get(field, field)


def _person(user) -> str:
    if user is None:
        return _("hệ thống")
    return user.get_full_name() or user.get_username()


def _domain_label(obj, vi: str = "label_vi", en: str = "label_en") -> str:
    """A workflow object's label in the current language (Vietnamese unless English)."""
    language = (get_language() or "vi").split("-")[0]
    return getattr(obj, en if language == "en" else vi)


def _message(err: RoundError) -> str:
    language = (get_language() or "vi").split("-")[0]
    return err.en if language == "en" else error_text(err)


# -- parsing -------------------------------------------------------------------------------


def _refused_text(refused: value_rules.ValueRefused) -> str:
    language = (get_language() or "vi").split("-")[0]
    return refused.en if language == "en" else refused.vi


def _parse_count(code: str, field: str, raw: str):
    """``(value, problem)``: ``None`` for an empty field, an int, or a message
    (the rule of every channel: :func:`smartcommune.exchange.values.parse_count`)."""
    try:
        return value_rules.parse_count(raw), None
    except value_rules.ValueRefused as refused:
        return None, _("Tiêu chí %(code)s, %(field)s: %(why)s") % {
            "code": code, "field": _field_label(field).lower(), "why": _refused_text(refused)}


def _parse_met(code: str, raw: str):
    """``(value, problem)``, by :func:`smartcommune.exchange.values.parse_met`."""
    try:
        return value_rules.parse_met(raw), None
    except value_rules.ValueRefused as refused:
        return None, _("Tiêu chí %(code)s: %(why)s") % {"code": code, "why": _refused_text(refused)}


def _posted_values(post, criteria_set):
    """What the entry form posted: ``(values, typed, problems)``.

    ``values`` maps a criterion code to the fields given (parsed), ``typed`` to the text
    typed (to show again), ``problems`` to the messages of fields that did not parse.
    Criteria without any field in the request are left out.
    """
    values, typed, problems = {}, {}, defaultdict(list)
    for criterion in criteria_set.criteria:
        code = criterion.code
        given, text = {}, {}
        for field in VALUE_FIELDS:
            key = f"{field}-{code}"
            if key not in post:
                continue
            raw = post.get(key, "")
            text[field] = raw
            if field in COUNT_FIELDS:
                value, problem = _parse_count(code, field, raw)
            elif field == "met":
                value, problem = _parse_met(code, raw)
            else:
                value, problem = raw.strip(), None
            if problem:
                problems[code].append(problem)
            else:
                given[field] = value
        if text:
            values[code], typed[code] = given, text
    return values, typed, dict(problems)


def _expected_version(request: HttpRequest) -> int | None:
    return value_rules.parse_id(request.POST.get("expected_version", ""))


def _parse_date(raw: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


# -- evaluation ------------------------------------------------------------------------------


def _live_evaluation(assessment: Assessment, editable: set[str], posted: dict | None = None,
                     parse_problems: dict | None = None):
    """The engine's result for the stored values with the posted editable values over
    them: ``(evaluation, problems by criterion)``.

    A criterion whose input is invalid is evaluated as not reported and its problems are
    returned; nothing raises on bad input.
    """
    criteria_set = assessment.round.criteria_set
    inputs = selectors.inputs_of(assessment)
    problems: dict[str, list[str]] = defaultdict(list)
    for code, messages_ in (parse_problems or {}).items():
        problems[code] += messages_
    for code, given in (posted or {}).items():
        if code not in editable:
            continue
        current = inputs.get(code, engine.NOT_REPORTED)
        inputs[code] = current._replace(**{f: v for f, v in given.items() if f != "source"})
    valid = {}
    for code, given in inputs.items():
        try:
            criterion = criteria_set.criterion(code)
        except KeyError:
            continue
        if code in problems:
            continue
        found = engine.input_problems(criterion, given)
        if found:
            problems[code] += [f"{_field_label(p.column)} = {p.value}: {p.vi}" for p in found]
            continue
        valid[code] = given
    evaluation = engine.evaluate(
        criteria_set, valid, unit_code=assessment.unit.code, year=assessment.round.year
    )
    return evaluation, dict(problems)


def _summary(evaluation: engine.Evaluation) -> dict:
    """What the summary panel shows, including the fields closest to being met."""
    total = len(evaluation.fields)
    closest = []
    for field in evaluation.fields:
        if field.status == engine.Status.MET:
            continue
        lacking = [
            {"code": c.criterion.code, "slug": criterion_slug(c.criterion.code), "status": c.status, "gap": c.gap,
             "label": engine.STATUS_LABELS_VI[c.status]}
            for c in field.criteria
            if c.status not in (engine.Status.MET, engine.Status.NOT_APPLICABLE)
        ]
        gaps = sum(x["gap"] or 0 for x in lacking)
        closest.append({"group": field.group, "slug": criterion_slug(field.group.code), "status": field.status, "lacking": lacking,
                        "key": (len(lacking), gaps)})
    closest.sort(key=lambda x: x["key"])
    missing = sum(1 for c in evaluation.criteria() if c.status == engine.Status.MISSING)
    return {
        "fields_met": evaluation.fields_met,
        "fields_total": total,
        "fields_required": evaluation.fields_required,
        "fields_short": evaluation.fields_short,
        "smart_commune": evaluation.smart_commune,
        "complete": evaluation.complete,
        "criteria_missing": missing,
        "closest": closest[:3],
    }


def _result_rows(evaluation: engine.Evaluation, problems: dict[str, list[str]]) -> list[dict]:
    rows = []
    for field in evaluation.fields:
        for result in field.criteria:
            code = result.criterion.code
            rows.append(_result(result, problems.get(code, [])))
    return rows


def _result(result: engine.CriterionResult, problems: list[str]) -> dict:
    return {
        "code": result.criterion.code,
        "slug": criterion_slug(result.criterion.code),
        "status": result.status,
        "label": engine.STATUS_LABELS_VI[result.status],
        "ratio": result.ratio,
        "threshold": result.threshold,
        "gap": result.gap,
        "problems": problems,
    }


# -- audit entries as people read them ---------------------------------------------------------


def _show_value(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        # An evidence item's summary.
        if value.get("original_name"):
            return value["original_name"]
        if value.get("url"):
            return value["url"]
        if value.get("kind") == EvidenceKind.LINK:
            return _("Liên kết")  # its address is not shown to this viewer
        text = value.get("document_number") or ""
        if value.get("document_date"):
            parsed = _parse_date(value["document_date"])
            text += " " + _("ngày %(date)s") % {"date": parsed.strftime("%d/%m/%Y") if parsed else value["document_date"]}
        return text or "—"
    if isinstance(value, bool):
        if field == "met":
            return _("Đạt") if value else _("Không đạt")
        if field == "decision_recognised":
            return _("Công nhận") if value else _("Không công nhận")
        return _("Có") if value else _("Không")
    choices = {"status": Status, "review_status": ReviewStatus, "returned_stage": ReturnStage}
    if field in choices:
        try:
            return str(choices[field](value).label)
        except ValueError:
            return str(value)
    if field.endswith("_at") and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    if field.endswith("_date") and isinstance(value, str):
        parsed = _parse_date(value)
        return parsed.strftime("%d/%m/%Y") if parsed else value
    return str(value)


def _audit_rows(entries, *, evidence_openable: bool) -> list[dict]:
    """The rows of a history table; evidence addresses only for viewers who may open the
    evidence (see ``audit_value_shown``)."""
    def shown(field, value):
        return _show_value(field, audit_value_shown(value, evidence_openable=evidence_openable))

    return [
        {
            "at": entry.at,
            "who": _person(entry.actor),
            "action": entry.get_action_display(),
            "action_code": entry.action,
            "criterion": entry.criterion_code,
            "field": _field_label(entry.field) if entry.field else "",
            "old": shown(entry.field, entry.old_value),
            "new": shown(entry.field, entry.new_value),
            "has_old": entry.old_value not in (None, ""),
            "reason": entry.reason,
            "version": entry.version,
        }
        for entry in entries
    ]


# -- the page -----------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    status: int = 200,
    typed: dict | None = None,
    posted: dict | None = None,
    problems: dict | None = None,
    errors: list[str] | None = None,
    conflict: EditConflict | None = None,
    answers: dict | None = None,
) -> HttpResponse:
    """Render the assessment page; after a refused POST, with what the user typed."""
    user = request.user
    criteria_set = assessment.round.criteria_set
    editable = permissions.editable_criteria(user, assessment)
    verifiable = permissions.verifiable_criteria(user, assessment)
    evidence_openable = permissions.may_open_evidence(user, assessment)
    evaluation, live_problems = _live_evaluation(assessment, editable, posted, problems)
    results = {r.criterion.code: r for r in evaluation.criteria()}
    field_status = {f.group.code: f.status for f in evaluation.fields}
    values = {v.criterion_code: v for v in assessment.values.select_related("reviewed_by", "updated_by")}
    flags = selectors.anomalies(assessment)
    evidence = defaultdict(list)
    for item in assessment.evidence.filter(removed_at__isnull=True).select_related("uploaded_by"):
        evidence[item.criterion_code].append(item)
    typed = typed or {}
    answers = answers or {}

    def agency_names(codes):
        names = []
        for code in codes:
            try:
                names.append(criteria_set.agency(code).name)
            except KeyError:
                names.append(code)
        return names

    groups = []
    for group in criteria_set.groups:
        rows = []
        for criterion in group.criteria:
            code = criterion.code
            value = values.get(code)
            shown = {
                "numerator": "" if value is None or value.numerator is None else str(value.numerator),
                "denominator": "" if value is None or value.denominator is None else str(value.denominator),
                "met": "" if value is None or value.met is None else ("1" if value.met else "0"),
                "source": "" if value is None else value.source,
            }
            shown.update(typed.get(code, {}))
            rows.append({
                "criterion": criterion,
                "code": code,
                "slug": criterion_slug(code),
                "value": value,
                "shown": shown,
                "editable": code in editable,
                "verifiable": code in verifiable,
                "answerable": (assessment.status == Status.RETURNED and value is not None
                               and value.review_status == ReviewStatus.RETURNED and code in editable),
                "answer_typed": answers.get(code),
                "result": _result(results[code], live_problems.get(code, [])),
                "anomaly": flags.get(code, ""),
                "evidence": evidence.get(code, []),
                "lead_agencies": agency_names(criterion.lead_agencies),
            })
        groups.append({"group": group, "slug": criterion_slug(group.code), "status": field_status[group.code],
                       "status_label": engine.STATUS_LABELS_VI[field_status[group.code]], "rows": rows})

    transitions = [
        {"name": t.name, "label": _domain_label(t)} for t in available_transitions(user, assessment)
    ]
    context = {
        "a": assessment,
        "criteria_set": criteria_set,
        "district": assessment.unit.parent if assessment.unit.parent_id else None,
        "groups": groups,
        "summary": _summary(evaluation),
        "editable": editable,
        "any_editable": bool(editable),
        "transitions": transitions,
        "all_criteria": criteria_set.criteria,
        "errors": errors or [],
        "conflict": conflict,
        "conflict_rows": _audit_rows(conflict.changes, evidence_openable=evidence_openable) if conflict else [],
        "flags_count": len(flags),
        "max_upload_mb": max_bytes() // (1024 * 1024),
        "accept": ",".join(sorted(ACCEPTED_EXTENSIONS)),
        "unsaved": bool(typed),
        "evidence_openable": evidence_openable,
    }
    return render(request, "rounds/assessment/detail.html", context, status=status)


def _redirect(assessment: Assessment, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("rounds:assessment", args=[assessment.pk])
    response = HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))
    response.status_code = 303
    return response


def _problems_by_criterion(err: ValidationFailed) -> tuple[dict[str, list[str]], list[str]]:
    by_code, general = defaultdict(list), []
    for problem in err.problems:
        if problem.criterion:
            by_code[problem.criterion].append(problem.vi)
        else:
            general.append(str(problem))
    return dict(by_code), general


@login_required
@require_GET
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    return _page(request, assessment)


@login_required
@require_POST
def assessment_evaluate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The live result of what is typed (htmx): nothing is saved."""
    assessment = visible_assessment_or_404(request, assessment_id)
    criteria_set = assessment.round.criteria_set
    editable = permissions.editable_criteria(request.user, assessment)
    posted, _typed, parse_problems = _posted_values(request.POST, criteria_set)
    parse_problems = {c: p for c, p in parse_problems.items() if c in editable}
    evaluation, problems = _live_evaluation(assessment, editable, posted, parse_problems)
    context = {
        "a": assessment,
        "summary": _summary(evaluation),
        "results": _result_rows(evaluation, problems),
        "fields": [
            {"slug": criterion_slug(f.group.code), "status": f.status, "status_label": engine.STATUS_LABELS_VI[f.status]}
            for f in evaluation.fields
        ],
        "problem_count": sum(len(p) for p in problems.values()),
        "evaluated_at": timezone.localtime(),
    }
    return render(request, "rounds/assessment/_evaluate.html", context)


@login_required
@require_POST
def assessment_save(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    criteria_set = assessment.round.criteria_set
    values, typed, parse_problems = _posted_values(request.POST, criteria_set)
    keep = {"typed": typed, "posted": values}
    version = _expected_version(request)
    if version is None:
        return _page(request, assessment, status=400, errors=[_("Thiếu phiên bản hồ sơ; hãy tải lại trang.")], **keep)
    if parse_problems:
        general = [p for ps in parse_problems.values() for p in ps]
        # Every problem at once: also those of the values that did parse.
        editable = permissions.editable_criteria(request.user, assessment)
        _evaluation, found = _live_evaluation(assessment, editable, values)
        general += [_("Tiêu chí %(code)s: %(why)s") % {"code": code, "why": why}
                    for code, whys in found.items() if code not in parse_problems for why in whys]
        conflict = None
        if assessment.version != version:
            # Say so now too, rather than after the numbers are fixed.
            conflict = EditConflict(expected_version=version, current_version=assessment.version,
                                    changes=list(selectors.changes_since(assessment, version)))
            general.append(_message(conflict))
        return _page(request, assessment, status=400, problems=parse_problems, errors=general, conflict=conflict,
                     **keep)
    if not values:
        messages.info(request, _("Không có số liệu nào để lưu."))
        return _redirect(assessment)
    try:
        saved = do_save_values(actor=request.user, assessment=assessment, expected_version=version, values=values)
    except EditConflict as err:
        return _page(request, assessment, status=409, conflict=err, errors=[_message(err)], **keep)
    except NotAllowed as err:
        return _page(request, assessment, status=403, errors=[_message(err)], **keep)
    except ValidationFailed as err:
        by_code, general = _problems_by_criterion(err)
        return _page(request, assessment, status=400, problems=by_code,
                     errors=general + [p.vi for p in err.problems if p.criterion], **keep)
    # The version this save produced (another user may have saved since).
    messages.success(request, _("Đã lưu số liệu. Phiên bản hồ sơ: %(version)d.") % {"version": saved.version})
    return _redirect(assessment)


@login_required
@require_POST
def item_answer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The commune's explanation for a returned criterion."""
    assessment = visible_assessment_or_404(request, assessment_id)
    code = request.POST.get("criterion_code", "")
    answer = request.POST.get("answer", "")
    keep = {"answers": {code: answer}}
    version = _expected_version(request)
    if version is None:
        return _page(request, assessment, status=400, errors=[_("Thiếu phiên bản hồ sơ; hãy tải lại trang.")], **keep)
    try:
        do_answer_item(actor=request.user, assessment=assessment, expected_version=version,
                       criterion_code=code, answer=answer)
    except EditConflict as err:
        return _page(request, assessment, status=409, conflict=err, errors=[_message(err)], **keep)
    except NotAllowed as err:
        return _page(request, assessment, status=403, errors=[_message(err)], **keep)
    except ValidationFailed as err:
        return _page(request, assessment, status=400, errors=[p.vi for p in err.problems], **keep)
    messages.success(request, _("Đã gửi giải trình cho tiêu chí %(code)s.") % {"code": code})
    return _redirect(assessment, f"crit-{criterion_slug(code)}")


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check the middleware skipped for a view marked ``csrf_exempt``."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


# The CSRF middleware would read the body (and so store the whole upload) before the
# view could look at its size; the same check is made in the view, after the size check.
@csrf_exempt
@login_required
@require_POST
def evidence_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = max_bytes()
    if length > limit + UPLOAD_ENVELOPE_BYTES:
        # Nothing of the body has been read: refuse before Django stores the upload.
        assessment = visible_assessment_or_404(request, assessment_id)
        messages.error(request, _("Tệp quá lớn: %(size).1f MB, giới hạn %(limit).1f MB; chưa lưu gì.") % {
            "size": length / 1024 / 1024, "limit": limit / 1024 / 1024})
        return _redirect(assessment)
    refused = _csrf_failure(request)
    if refused is not None:
        return refused
    assessment = visible_assessment_or_404(request, assessment_id)
    code = request.POST.get("criterion_code", "")
    file = request.FILES.get("file")
    url = request.POST.get("url", "").strip()
    number = request.POST.get("document_number", "").strip()
    kind = request.POST.get("kind", "")
    if not kind:
        filled = [k for k, given in ((EvidenceKind.FILE, file), (EvidenceKind.LINK, url),
                                     (EvidenceKind.DOCUMENT, number)) if given]
        if len(filled) != 1:
            messages.error(request, _("Tiêu chí %(code)s: chọn một tệp, hoặc nhập một đường dẫn, hoặc một số văn "
                                      "bản (mỗi lần một loại).") % {"code": code})
            return _redirect(assessment, f"crit-{criterion_slug(code)}")
        kind = filled[0]
    raw_date = request.POST.get("document_date", "").strip()
    document_date = _parse_date(raw_date) if raw_date else None
    if raw_date and document_date is None:
        messages.error(request, _("Ngày văn bản “%(raw)s” không hợp lệ (dd/mm/yyyy).") % {"raw": raw_date})
        return _redirect(assessment, f"crit-{criterion_slug(code)}")
    try:
        do_add_evidence(actor=request.user, assessment=assessment, criterion_code=code, kind=kind, file=file,
                        url=url, document_number=number, document_date=document_date,
                        note=request.POST.get("note", ""))
    except NotAllowed as err:
        return _page(request, assessment, status=403, errors=[_message(err)])
    except UploadRejected as err:
        messages.error(request, _("Không nhận minh chứng cho tiêu chí %(code)s: %(why)s") % {
            "code": code, "why": "; ".join(p.vi for p in err.problems)})
        return _redirect(assessment, f"crit-{criterion_slug(code)}")
    except ValidationFailed as err:
        messages.error(request, _("Không nhận minh chứng cho tiêu chí %(code)s: %(why)s") % {
            "code": code, "why": "; ".join(p.vi for p in err.problems)})
        return _redirect(assessment, f"crit-{criterion_slug(code)}")
    messages.success(request, _("Đã thêm minh chứng cho tiêu chí %(code)s.") % {"code": code})
    return _redirect(assessment, f"crit-{criterion_slug(code)}")


def _visible_evidence_or_404(request: HttpRequest, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=evidence_id, removed_at__isnull=True).first()
    if evidence is None:
        raise Http404(_("Không tìm thấy minh chứng."))
    evidence.assessment = visible_assessment_or_404(request, evidence.assessment_id)
    return evidence


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _visible_evidence_or_404(request, evidence_id)
    # Publication makes a result public, not its evidence (files may hold personal data):
    # only people whose roles reach the assessment download it.
    if not permissions.may_open_evidence(request.user, evidence.assessment):
        raise Http404(_("Không tìm thấy minh chứng."))
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404(_("Minh chứng này không có tệp."))
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp minh chứng không còn trong kho lưu trữ.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _visible_evidence_or_404(request, evidence_id)
    assessment = evidence.assessment
    try:
        do_remove_evidence(actor=request.user, evidence=evidence, reason=request.POST.get("reason", ""))
    except NotAllowed as err:
        return _page(request, assessment, status=403, errors=[_message(err)])
    except ValidationFailed as err:
        messages.error(request, "; ".join(p.vi for p in err.problems))
        return _redirect(assessment, f"crit-{criterion_slug(evidence.criterion_code)}")
    messages.success(request, _("Đã gỡ minh chứng “%(name)s” của tiêu chí %(code)s.") % {
        "name": str(evidence), "code": evidence.criterion_code})
    return _redirect(assessment, f"crit-{criterion_slug(evidence.criterion_code)}")


HISTORY_PER_PAGE = 100
"""A filled assessment has about a hundred changes: a page holds a step or two of them."""


@login_required
@require_GET
def assessment_history(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    page = paginate(request, selectors.history(assessment), HISTORY_PER_PAGE)
    return render(request, "rounds/assessment/history.html", {
        "a": assessment,
        "criteria_set": assessment.round.criteria_set,
        "rows": _audit_rows(page.object_list,
                            evidence_openable=permissions.may_open_evidence(request.user, assessment)),
        "page": page,
    })
