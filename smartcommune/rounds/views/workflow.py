"""Workflow transitions (POST) and the district and agency queues.

Thin views: the transition's rules live in :mod:`smartcommune.rounds.workflow`; here we
only parse the form, call :func:`~smartcommune.rounds.actions.do_transition` and turn
its errors into messages.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.rounds import access as permissions
from smartcommune.accounts.models import Role
from smartcommune.exchange import values as value_rules
from smartcommune.rounds.actions import StaleItems, do_transition, do_verify_items
from smartcommune.rounds.exceptions import EditConflict, IllegalTransition, RoundError, ValidationFailed
from smartcommune.rounds.models import Assessment
from smartcommune.rounds.selectors import queues
from smartcommune.rounds.views.common import error_text, visible_assessment_or_404
from smartcommune.rounds.views.pagination import paginate
from smartcommune.rounds.workflow import ItemToVerify, get_transition

# -- parsing ------------------------------------------------------------------------------


class BadInput(ValueError):
    pass


def _parse_date(text: str) -> dt.date | str | None:
    """dd/mm/yyyy or yyyy-mm-dd; ``None`` when empty; the text itself when unreadable
    (the transition then refuses it with its own message)."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return text


def _parse_bool(text: str | None) -> bool | None:
    return {"1": True, "0": False, "true": True, "false": False}.get((text or "").strip().lower())


def _params(name: str, post) -> dict:
    """The keyword arguments of transition ``name`` from the submitted form."""
    if name in ("verify_item", "return_item"):
        return {"criterion_code": post.get("criterion_code", "").strip(), "comment": post.get("comment", "")}
    if name == "district_return":
        codes = [c.strip() for c in post.getlist("criterion_code") if c.strip()]
        return {"items": {code: post.get(f"comment-{code}", "") for code in dict.fromkeys(codes)}}
    if name in ("record_decision", "amend_decision"):
        return {
            "number": post.get("number", ""),
            "date": _parse_date(post.get("date", "")),
            "signer": post.get("signer", ""),
            "recognised": _parse_bool(post.get("recognised")),
            "reason": post.get("reason", ""),
        }
    if name == "reopen":
        return {"reason": post.get("reason", "")}
    return {}


def _expected_version(post) -> int | None:
    text = post.get("expected_version", "").strip()
    if not text:
        return None
    version = value_rules.parse_id(text)
    if version is None:
        raise BadInput(text[:40])
    return version


def _back(request: HttpRequest, assessment: Assessment) -> HttpResponseRedirect:
    """303 to ``next`` when it is a local URL, else to the assessment's page."""
    return _next_or(request, reverse("rounds:assessment", args=[assessment.id]))


def _next_or(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return HttpResponseRedirect(target, status=303)


def _success_text(name: str, assessment: Assessment, params: dict) -> str:
    where = f"{assessment.unit.name} ({assessment.round.year})"
    code = params.get("criterion_code", "")
    texts = {
        "submit": _("Đã nộp hồ sơ %(where)s."),
        "district_forward": _("Đã chuyển hồ sơ %(where)s lên các sở."),
        "district_return": _("Đã trả hồ sơ %(where)s về xã (tiêu chí %(codes)s)."),
        "verify_item": _("Đã xác minh tiêu chí %(code)s của %(where)s."),
        "return_item": _("Đã trả lại tiêu chí %(code)s của %(where)s."),
        "appraise": _("Đã thẩm định hồ sơ %(where)s."),
        "record_decision": (_("Đã ghi quyết định số %(number)s: %(where)s được công nhận %(name)s.")
                            if params.get("recognised") else
                            _("Đã ghi quyết định số %(number)s: %(where)s không được công nhận.")),
        "amend_decision": (_("Đã ghi quyết định số %(number)s sửa đổi kết quả: %(where)s được công nhận %(name)s.")
                           if params.get("recognised") else
                           _("Đã ghi quyết định số %(number)s sửa đổi kết quả: %(where)s không được công nhận.")),
        "publish": _("Đã công bố kết quả của %(where)s."),
        "reopen": _("Đã mở lại hồ sơ %(where)s."),
    }
    return texts.get(name, _("Đã thực hiện.")) % {
        "where": where, "code": code, "codes": ", ".join(sorted(params.get("items", {}))),
        "number": assessment.decision_number, "name": _(assessment.round.criteria_set.recognition_name),
    }


# -- the transition -----------------------------------------------------------------------


@login_required
@require_POST
def transition(request: HttpRequest, assessment_id: int, name: str) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    try:
        get_transition(name)
    except IllegalTransition:
        raise Http404(_("Không có bước này.")) from None
    params = _params(name, request.POST)
    try:
        expected_version = _expected_version(request.POST)
    except BadInput as e:
        messages.error(request, _("Phiên bản hồ sơ không hợp lệ: %(v)s") % {"v": e})
        return _back(request, assessment)
    try:
        # NotAllowed is a PermissionDenied: it propagates and Django answers 403.
        assessment = do_transition(actor=request.user, assessment=assessment, transition_name=name,
                                   expected_version=expected_version, **params)
    except (IllegalTransition, ValidationFailed, EditConflict) as e:
        messages.error(request, error_text(e))
        return _back(request, assessment)
    messages.success(request, _success_text(name, assessment, params))
    return _back(request, assessment)


# -- verifying items from the agency queue ---------------------------------------------------


def _items(post) -> list[ItemToVerify]:
    """``item`` fields ``<assessment id>:<criterion code>:<version shown>``, each once."""
    items = []
    for text in dict.fromkeys(post.getlist("item")):
        parts = text.split(":")
        if len(parts) != 3:
            raise BadInput(text[:100])
        # Ids and versions beyond the database's integer are refused here (SQLite raises
        # OverflowError on a number beyond 64 bits).
        assessment_id, version = value_rules.parse_id(parts[0]), value_rules.parse_id(parts[2])
        code = parts[1].strip()
        if assessment_id is None or version is None or not code or len(code) > 20:
            raise BadInput(text[:100])
        items.append(ItemToVerify(assessment_id, code, version))
    return items


def _wants_json(request: HttpRequest) -> bool:
    return not request.htmx and request.accepts("application/json") and not request.accepts("text/html")


def _refuse(request: HttpRequest, status: int, text: str, error: RoundError | None = None) -> HttpResponse:
    """A refusal: JSON or an htmx fragment with ``status``; for a plain form, the message
    and back to the queue (which shows the items as they are now)."""
    if _wants_json(request):
        body = {"error": {"vi": error.vi, "en": error.en} if error else {"vi": text, "en": text}}
        if isinstance(error, StaleItems):
            body["stale"] = [{"assessment": a.id, "criterion_code": code, "expected_version": v,
                              "current_version": a.version} for a, code, v in error.stale]
        return JsonResponse(body, status=status)
    if request.htmx:
        return render(request, "rounds/workflow/_refusal.html", {"text": text}, status=status)
    messages.error(request, text)
    return _back_to_queue(request)


def _back_to_queue(request: HttpRequest) -> HttpResponseRedirect:
    return _next_or(request, reverse("rounds:agency_queue"))


@login_required
@require_POST
def verify_items(request: HttpRequest) -> HttpResponse:
    """Verify the chosen items of the agency queue at once (all or nothing).

    Each ``item`` carries the assessment's version the page showed: an item changed since
    is refused with the commune and criterion named (409 for htmx and JSON requests) and
    nothing is verified.  An assessment the user may not see is 404; an item their agency
    does not lead is 403 (:class:`~smartcommune.rounds.exceptions.NotAllowed`).
    """
    try:
        items = _items(request.POST)
    except BadInput as e:
        return _refuse(request, 400, _("Mục không hợp lệ: %(v)s") % {"v": e})
    if not items:
        return _refuse(request, 400, _("Chưa chọn tiêu chí nào để xác minh."))
    ids = {item.assessment_id for item in items}
    visible = permissions.visible_assessments(request.user).filter(pk__in=ids).count()
    if visible != len(ids):
        raise Http404(_("Không tìm thấy hồ sơ đánh giá."))
    try:
        assessments = do_verify_items(actor=request.user, items=items, comment=request.POST.get("comment", ""))
    except (EditConflict, IllegalTransition) as e:
        return _refuse(request, 409, error_text(e), e)
    except ValidationFailed as e:
        return _refuse(request, 400, error_text(e), e)
    if len(items) == 1:
        a = assessments[0]
        text = _("Đã xác minh tiêu chí %(code)s của %(where)s.") % {
            "code": items[0].criterion_code, "where": f"{a.unit.name} ({a.round.year})"}
    else:
        text = _("Đã xác minh %(n)d tiêu chí của %(m)d hồ sơ.") % {"n": len(items), "m": len(assessments)}
    if _wants_json(request):
        return JsonResponse({"verified": len(items), "assessments": [
            {"id": a.id, "version": a.version, "status": a.status} for a in assessments]})
    messages.success(request, text)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _back_to_queue(request)


# -- queues -------------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    """A filter's id or year; ``None`` (no filter) when it is not a valid one."""
    return value_rules.parse_id(text)


@login_required
def district_queue(request: HttpRequest) -> HttpResponse:
    districts = permissions.units_by_role(request.user)[Role.DISTRICT_REVIEWER]
    if not districts:
        raise PermissionDenied(_("Chỉ cán bộ thẩm định cấp huyện mới có hàng chờ huyện."))
    today = timezone.localdate()
    year = value_rules.parse_year(request.GET.get("year"))
    queue = queues.district_queue(district_ids=districts, year=year, today=today)
    return render(request, "rounds/workflow/district_queue.html", {
        "awaiting": queue.awaiting,
        "returned": queue.returned,
        "reporting": queue.reporting,
        "overdue": queue.overdue,
        "districts": queue.districts,
        "years": queue.years,
        "year": year,
        "today": today,
    })


@login_required
def agency_queue(request: HttpRequest) -> HttpResponse:
    assignments = permissions.agency_assignments(request.user)
    if not assignments:
        raise PermissionDenied(_("Chỉ cán bộ thẩm định của sở mới có hàng chờ của sở."))
    today = timezone.localdate()
    year = value_rules.parse_year(request.GET.get("year"))
    district = _int(request.GET.get("district"))
    get = request.GET
    filters = queues.QueueFilters(
        criterion=get.get("criterion", "")[:20],
        review_status=get.get("review_status", "") if get.get("review_status") in ("pending", "answered") else "",
        result=get.get("result", "") if get.get("result") in ("met", "not_met") else "",
        no_evidence=get.get("no_evidence") == "1",
        order=get.get("order", "") if get.get("order") in queues.QUEUE_ORDERS else "deadline",
    )
    queue = queues.agency_queue(assignments=assignments, year=year, district_id=district, today=today,
                                filters=filters)
    page = paginate(request, queue.values)
    rows = queues.agency_rows(list(page.object_list), today=today)
    openable = permissions.evidence_openable_ids(request.user, {row["assessment"].id for row in rows})
    for row in rows:
        row["evidence_openable"] = row["assessment"].id in openable
    return render(request, "rounds/workflow/agency_queue.html", {
        "rows": rows,
        "filters": filters,
        "criteria": queue.criteria,
        "orders": [("deadline", _("Hạn xác minh")), ("commune", _("Tên xã")), ("criterion", _("Tiêu chí"))],
        "page": page,
        "overdue": queue.overdue,
        "agencies": queue.agencies,
        "years": queue.years,
        "year": year,
        "districts": queue.districts,
        "district": district,
        "queue_url": request.get_full_path(),
        "today": today,
    })
