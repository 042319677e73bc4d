"""Submitting a commune's assessment in three steps: a check page (what is missing, which
criteria have no evidence, the result the commune claims, the next deadline and who acts
next), a confirmation on it, and a receipt (what was sent, when, a reference).

Who: the ``submit`` transition's guard -- an officer of the commune, while the file is a
draft or returned; its refusal (:class:`~smartcommune.rounds.exceptions.NotAllowed`) is a
403.  The receipt: whoever may see the assessment.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from smartcommune.rounds.actions import do_transition
from smartcommune.rounds.exceptions import EditConflict, IllegalTransition, ValidationFailed
from smartcommune.rounds.models import Assessment
from smartcommune.rounds.selectors.submission import receipt_reference, submission_check
from smartcommune.rounds.views.common import error_message, visible_assessment_or_404
from smartcommune.rounds.views.entry_form import expected_version
from smartcommune.rounds.workflow import get_transition


def _redirect(name: str, assessment: Assessment) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, args=[assessment.pk]), status=303)


def _check_page(request: HttpRequest, assessment: Assessment, *, errors=(), status: int = 200) -> HttpResponse:
    check = submission_check(assessment, timezone.localdate())
    return render(request, "rounds/assessment/submit.html", {
        "a": assessment,
        "check": check,
        "summary": check.evaluation,
        "errors": list(errors),
        "resubmit": assessment.status == "returned",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    submit = get_transition("submit")
    submit.check_actor(request.user, assessment)  # NotAllowed: 403
    try:
        submit.check_state(assessment)
    except IllegalTransition as err:
        if assessment.submitted_at is not None:
            return _redirect("rounds:assessment_receipt", assessment)
        messages.error(request, error_message(err))
        return _redirect("rounds:assessment", assessment)
    if request.method == "GET":
        return _check_page(request, assessment)
    if request.POST.get("confirm") != "1":
        return _check_page(request, assessment, status=400, errors=[
            _("Hãy đánh dấu ô xác nhận trước khi nộp.")])
    try:
        do_transition(actor=request.user, assessment=assessment, transition_name="submit",
                      expected_version=expected_version(request))
    except EditConflict as err:
        return _check_page(request, assessment, status=409, errors=[
            error_message(err), _("Hồ sơ vừa thay đổi: hãy xem lại trang kiểm tra này rồi nộp lại.")])
    except (IllegalTransition, ValidationFailed) as err:
        problems = err.problems if isinstance(err, ValidationFailed) else [err]
        return _check_page(request, assessment, status=400, errors=[error_message(p) for p in problems])
    messages.success(request, _("Đã nộp hồ sơ."))
    return _redirect("rounds:assessment_receipt", assessment)


@login_required
@require_GET
def assessment_receipt(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    if assessment.submitted_at is None:
        return _redirect("rounds:assessment", assessment)
    check = submission_check(assessment, timezone.localdate())
    return render(request, "rounds/assessment/receipt.html", {
        "a": assessment,
        "check": check,
        "reference": receipt_reference(assessment),
    })
