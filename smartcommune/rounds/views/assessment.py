"""The self-assessment page of one commune for one round: showing it, its live result
(htmx), saving the values and answering returned items.  Evidence is
:mod:`~smartcommune.rounds.views.evidence`, the history
:mod:`~smartcommune.rounds.views.history`, the form's fields
:mod:`~smartcommune.rounds.views.entry_form`, the live evaluation
:mod:`~smartcommune.rounds.views.live_evaluation`.

Thin views: they parse the request, call :mod:`smartcommune.rounds.actions` (writes),
:mod:`smartcommune.rounds.selectors` and :mod:`smartcommune.rounds.access` (reads)
and the criteria engine, and render.

Who: every view needs a login; an assessment the user may not see answers 404
(:func:`~smartcommune.rounds.views.common.visible_assessment_or_404`); an action the
user's roles do not allow on a visible assessment answers 403 with the reason.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcommune.core.language import english, in_language
from smartcommune.rounds import access as permissions
from smartcommune.criteria import engine
from smartcommune.rounds import selectors
from smartcommune.rounds.actions import do_answer_item, do_save_values
from smartcommune.rounds.exceptions import EditConflict, NotAllowed, ValidationFailed
from smartcommune.rounds.models import Assessment, ReviewStatus, Status, criterion_of_slot, criterion_slug
from smartcommune.rounds.selectors import rounds as round_selectors
from smartcommune.rounds.uploads import ACCEPTED_EXTENSIONS, max_bytes
from smartcommune.rounds.views.common import error_message, visible_assessment_or_404
from smartcommune.rounds.views.entry_form import expected_version, posted_values
from smartcommune.rounds.views.history import audit_rows
from smartcommune.rounds.views.live_evaluation import (
    criterion_problems, live_evaluation, preconditions_status, result_row, result_rows, summary,
)
from smartcommune.rounds.selectors.rounds import overdue_step
from smartcommune.rounds.selectors.submission import submission_check
from smartcommune.rounds.workflow import available_transitions


def _domain_label(obj, vi: str = "label_vi", en: str = "label_en") -> str:
    """A workflow object's label in the current language (Vietnamese unless English)."""
    return getattr(obj, en if english() else vi)


# The fields of the evidence form, by the name a refusal gives them: the element's id is
# "ev-<name>-<criterion slug>".
EVIDENCE_FIELDS = {"file": "file", "url": "url", "document_number": "number", "document_date": "date", "note": "note"}


# -- the page -----------------------------------------------------------------------------------


def render_page(
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
    evidence_form: dict | None = None,
) -> HttpResponse:
    """Render the assessment page; after a refused POST, with what the user typed."""
    user = request.user
    criteria_set = assessment.round.criteria_set
    editable = permissions.editable_criteria(user, assessment)
    verifiable = permissions.verifiable_criteria(user, assessment)
    evidence_openable = permissions.may_open_evidence(user, assessment)
    evaluation, live_problems = live_evaluation(assessment, editable, posted, problems)
    results = {r.criterion.code: r for r in (*evaluation.preconditions, *evaluation.criteria())}
    field_status = {f.group.code: f.status for f in evaluation.fields}
    values = {v.criterion_code: v for v in assessment.values.select_related("reviewed_by", "updated_by")}
    flags = selectors.anomalies(assessment)
    evidence = defaultdict(list)
    for item in assessment.evidence.filter(removed_at__isnull=True).select_related("uploaded_by"):
        evidence[item.criterion_code].append(item)
    typed = typed or {}
    answers = answers or {}
    # A refused evidence entry: what was typed, each problem beside its field (the
    # summary at the top links to them).
    evidence_form = evidence_form or {}
    evidence_problems, error_links = defaultdict(list), []
    for name, text in evidence_form.get("problems", []):
        field = EVIDENCE_FIELDS.get(name, "file")
        evidence_problems[field].append(text)
        anchor = f"ev-{field}-{criterion_slug(evidence_form['code'])}"
        error_links.append({"text": _("Minh chứng tiêu chí %(code)s: %(why)s") % {"code": evidence_form["code"], "why": text},
                            "href": f"#{anchor}"})

    def agency_names(codes):
        names = []
        for code in codes:
            try:
                names.append(criteria_set.agency(code).name)
            except KeyError:
                names.append(code)
        return names

    def row_of(criterion):
        code = criterion.code
        value = values.get(code)
        slots = []
        for slot in criterion.slots:
            given = value.given(slot.code) if value is not None else {}
            shown = {
                "numerator": "" if given.get("numerator") is None else str(given["numerator"]),
                "denominator": "" if given.get("denominator") is None else str(given["denominator"]),
                "met": "" if given.get("met") is None else ("1" if given["met"] else "0"),
                "count": "" if given.get("count") is None else str(given["count"]),
                "choice": "" if given.get("choice") is None else given["choice"],
                "source": given.get("source") or "",
            }
            shown.update(typed.get(slot.code, {}))
            slots.append({"code": slot.code, "slug": criterion_slug(slot.code), "shown": shown,
                          "ratio": slot.ratio, "boolean": slot.boolean, "count": slot.count, "choice": slot.choice,
                          "scores": criterion.scoring is not None})
        return {
            "criterion": criterion,
            "code": code,
            "slug": criterion_slug(code),
            "value": value,
            "slots": slots,
            "editable": code in editable,
            # A process kept in the product fills these values (do_feed_values):
            # shown, not typed; evidence may still be added.
            "values_editable": code in editable and not (value is not None and value.fed_by),
            "verifiable": code in verifiable,
            "answerable": (assessment.status == Status.RETURNED and value is not None
                           and value.review_status == ReviewStatus.RETURNED and code in editable),
            "answer_typed": answers.get(code),
            "evidence_typed": evidence_form.get("typed", {}) if evidence_form.get("code") == code else None,
            "evidence_problems": dict(evidence_problems) if evidence_form.get("code") == code else {},
            "result": result_row(results[code], criterion_problems(live_problems, criterion)),
            "anomaly": in_language(flags[code]) if code in flags else "",
            "evidence": evidence.get(code, []),
            "lead_agencies": agency_names(criterion.lead_agencies),
        }

    groups = []
    if criteria_set.preconditions:
        # Preconditions are criteria of their own, shown first: without them the
        # commune is not eligible whatever else it meets.
        eligibility = preconditions_status(evaluation)
        groups.append({"group": None, "preconditions": True, "slug": "dk-tien-quyet", "status": eligibility,
                       "status_label": engine.STATUS_LABELS_VI[eligibility],
                       "rows": [row_of(c) for c in criteria_set.preconditions]})
    for group in criteria_set.groups:
        groups.append({"group": group, "slug": criterion_slug(group.code), "status": field_status[group.code],
                       "status_label": engine.STATUS_LABELS_VI[field_status[group.code]],
                       "rows": [row_of(c) for c in group.criteria]})

    today = timezone.localdate()
    # The officer's task list: for whoever may submit the file now.
    available = available_transitions(user, assessment)
    tasks = None
    if any(t.name == "submit" for t in available):
        tasks = submission_check(assessment, today, evaluation=evaluation, values=values.values(),
                                 evidence=[e for items in evidence.values() for e in items])
    # The district's review: actions beside each criterion, the forward step with a
    # summary at the end of the page.
    district_review = None
    if any(t.name == "district_forward" for t in available):
        district_review = submission_check(assessment, today, evaluation=evaluation, values=values.values(),
                                           evidence=[e for items in evidence.values() for e in items])
    transitions = [{"name": t.name, "label": _domain_label(t)} for t in available]
    context = {
        "a": assessment,
        "criteria_set": criteria_set,
        "district": assessment.unit.district,
        "groups": groups,
        "summary": summary(evaluation),
        "editable": editable,
        "any_editable": bool(editable),
        "transitions": transitions,
        "all_criteria": criteria_set.criteria,
        "errors": errors or [],
        "error_links": error_links,
        "conflict": conflict,
        "conflict_rows": audit_rows(conflict.changes, evidence_openable=evidence_openable) if conflict else [],
        "flags_count": len(flags),
        # The anomaly link goes to the first flagged criterion, in the page's order.
        "first_flag": next((criterion_slug(c.code) for c in criteria_set.criteria if c.code in flags), ""),
        "max_upload_mb": max_bytes() // (1024 * 1024),
        "accept": ",".join(sorted(ACCEPTED_EXTENSIONS)),
        "unsaved": bool(typed),
        "evidence_openable": evidence_openable,
        "decision_lines": round_selectors.assessment_decision_lines(user, assessment),
        "tasks": tasks,
        "district_review": district_review,
        "overdue": overdue_step(assessment, today),
    }
    return render(request, "rounds/assessment/detail.html", context, status=status)


def redirect_to(assessment: Assessment, anchor: str = "") -> HttpResponseRedirect:
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
    return render_page(request, assessment)


@login_required
@require_POST
def assessment_evaluate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The live result of what is typed (htmx): nothing is saved."""
    assessment = visible_assessment_or_404(request, assessment_id)
    criteria_set = assessment.round.criteria_set
    editable = permissions.editable_criteria(request.user, assessment)
    posted, _typed, parse_problems = posted_values(request.POST, criteria_set)
    parse_problems = {c: p for c, p in parse_problems.items() if criterion_of_slot(c) in editable}
    evaluation, problems = live_evaluation(assessment, editable, posted, parse_problems)
    context = {
        "a": assessment,
        "summary": summary(evaluation),
        "results": result_rows(evaluation, problems),
        "fields": [
            {"slug": criterion_slug(f.group.code), "status": f.status, "status_label": engine.STATUS_LABELS_VI[f.status]}
            for f in evaluation.fields
        ] + ([{"slug": "dk-tien-quyet", "status": (status := preconditions_status(evaluation)),
               "status_label": engine.STATUS_LABELS_VI[status]}] if evaluation.preconditions else []),
        "problem_count": sum(len(p) for p in problems.values()),
        "evaluated_at": timezone.localtime(),
    }
    return render(request, "rounds/assessment/_evaluate.html", context)


@login_required
@require_POST
def assessment_save(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    criteria_set = assessment.round.criteria_set
    values, typed, parse_problems = posted_values(request.POST, criteria_set)
    keep = {"typed": typed, "posted": values}
    version = expected_version(request)
    if version is None:
        return render_page(request, assessment, status=400, errors=[_("Thiếu phiên bản hồ sơ; hãy tải lại trang.")], **keep)
    if parse_problems:
        general = [p for ps in parse_problems.values() for p in ps]
        # Every problem at once: also those of the values that did parse.
        editable = permissions.editable_criteria(request.user, assessment)
        _evaluation, found = live_evaluation(assessment, editable, values)
        general += [_("Tiêu chí %(code)s: %(why)s") % {"code": code, "why": why}
                    for code, whys in found.items() if code not in parse_problems for why in whys]
        conflict = None
        if assessment.version != version:
            # Say so now too, rather than after the numbers are fixed.
            conflict = EditConflict(expected_version=version, current_version=assessment.version,
                                    changes=list(selectors.changes_since(assessment, version)))
            general.append(error_message(conflict))
        return render_page(request, assessment, status=400, problems=parse_problems, errors=general, conflict=conflict,
                     **keep)
    if not values:
        messages.info(request, _("Không có số liệu nào để lưu."))
        return redirect_to(assessment)
    try:
        saved = do_save_values(actor=request.user, assessment=assessment, expected_version=version, values=values)
    except EditConflict as err:
        return render_page(request, assessment, status=409, conflict=err, errors=[error_message(err)], **keep)
    except NotAllowed as err:
        return render_page(request, assessment, status=403, errors=[error_message(err)], **keep)
    except ValidationFailed as err:
        by_code, general = _problems_by_criterion(err)
        return render_page(request, assessment, status=400, problems=by_code,
                     errors=general + [p.vi for p in err.problems if p.criterion], **keep)
    # The version this save produced (another user may have saved since).
    messages.success(request, _("Đã lưu số liệu. Phiên bản hồ sơ: %(version)d.") % {"version": saved.version})
    return redirect_to(assessment)


@login_required
@require_POST
def item_answer(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The commune's explanation for a returned criterion."""
    assessment = visible_assessment_or_404(request, assessment_id)
    code = request.POST.get("criterion_code", "")
    answer = request.POST.get("answer", "")
    keep = {"answers": {code: answer}}
    version = expected_version(request)
    if version is None:
        return render_page(request, assessment, status=400, errors=[_("Thiếu phiên bản hồ sơ; hãy tải lại trang.")], **keep)
    try:
        do_answer_item(actor=request.user, assessment=assessment, expected_version=version,
                       criterion_code=code, answer=answer)
    except EditConflict as err:
        return render_page(request, assessment, status=409, conflict=err, errors=[error_message(err)], **keep)
    except NotAllowed as err:
        return render_page(request, assessment, status=403, errors=[error_message(err)], **keep)
    except ValidationFailed as err:
        return render_page(request, assessment, status=400, errors=[p.vi for p in err.problems], **keep)
    if submission_check(assessment, timezone.localdate()).ready:
        # The last returned item is dealt with: straight on to re-submitting it.
        messages.success(request, _("Đã gửi giải trình cho tiêu chí %(code)s. Mọi tiêu chí bị trả lại đã được "
                                    "giải trình hoặc sửa: kiểm tra và nộp lại hồ sơ để gửi đi.") % {"code": code})
        return HttpResponseRedirect(reverse("rounds:assessment_submit", args=[assessment.pk]), status=303)
    messages.success(request, _("Đã gửi giải trình cho tiêu chí %(code)s.") % {"code": code})
    return redirect_to(assessment, f"crit-{criterion_slug(code)}")
