"""The history of an assessment: its audit entries as people read them, and the history
page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from smartcommune.rounds import access as permissions
from smartcommune.rounds import selectors
from smartcommune.rounds.models import EvidenceKind, ReturnStage, ReviewStatus, Status, audit_value_shown
from smartcommune.rounds.views.common import visible_assessment_or_404
from smartcommune.rounds.views.entry_form import field_label, parse_date
from smartcommune.rounds.views.pagination import paginate


def _person(user) -> str:
    if user is None:
        return _("hệ thống")
    return user.get_full_name() or user.get_username()


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
            parsed = parse_date(value["document_date"])
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
        parsed = parse_date(value)
        return parsed.strftime("%d/%m/%Y") if parsed else value
    return str(value)


def audit_rows(entries, *, evidence_openable: bool) -> list[dict]:
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
            "field": field_label(entry.field) if entry.field else "",
            "old": shown(entry.field, entry.old_value),
            "new": shown(entry.field, entry.new_value),
            "has_old": entry.old_value not in (None, ""),
            "reason": entry.reason,
            "version": entry.version,
        }
        for entry in entries
    ]


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
        "rows": audit_rows(page.object_list,
                            evidence_openable=permissions.may_open_evidence(request.user, assessment)),
        "page": page,
    })
