"""The round's appraisal sessions and decisions, and each with its communes (the minutes'
results, the decision's annex with the lines later decisions amended).  Who sees them: whoever
sees the round (:func:`~smartcommune.rounds.views.rounds.visible_round_or_404`); 404 otherwise."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from smartcommune.rounds.models import AppraisalSession, Decision
from smartcommune.rounds.selectors import rounds as round_selectors
from smartcommune.rounds.views.rounds import visible_round_or_404


@login_required
def round_decisions(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = visible_round_or_404(request, round_id)
    return render(request, "rounds/decisions/list.html", {
        "round": round_,
        "sessions": round_selectors.appraisal_sessions(round_),
        "decisions": round_selectors.decisions(round_),
    })


@login_required
def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = round_selectors.visible_decisions(request.user).filter(pk=decision_id).first()
    if decision is None:
        raise Http404(_("Không tìm thấy quyết định."))
    return render(request, "rounds/decisions/decision.html", {
        "decision": decision,
        "round": decision.round,
        "lines": round_selectors.decision_lines(decision),
    })


@login_required
def appraisal_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = round_selectors.visible_sessions(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404(_("Không tìm thấy phiên thẩm định."))
    criteria_set = session.round.criteria_set
    return render(request, "rounds/decisions/appraisal.html", {
        "session": session,
        "round": session.round,
        "results": round_selectors.appraisal_results(session),
        "fields_total": len(criteria_set.groups),
    })
