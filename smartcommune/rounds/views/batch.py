"""The secretariat's acts over many communes of a round, from its overview: appraise with
one comment, put into a decision, publish.

Two steps: the overview's selection (ticked communes ``item=<id>:<version shown>``, or
``all=1`` with the overview's filters) is posted to :func:`batch_confirm`, which names
what will happen to how many communes (and which chosen communes are not at that step and
are left out); its form is posted to :func:`batch_run`, which calls one ``do_*`` action:
one transaction, one audit entry per commune, nothing done when any commune changed since
the confirmation page showed it.  Only the round's secretariat: a round the user may not
see is 404, anyone else 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from smartcommune.exchange import values as value_rules
from smartcommune.rounds import access as permissions
from smartcommune.rounds.actions import BatchItem, do_appraise_many, do_decide_many, do_publish_many
from smartcommune.rounds.exceptions import EditConflict, IllegalTransition, ValidationFailed
from smartcommune.rounds.models import Assessment, Round, Status
from smartcommune.rounds.selectors import rounds as round_selectors
from smartcommune.rounds.views.common import error_text
from smartcommune.rounds.views.rounds import overview_filters, visible_round_or_404
from smartcommune.rounds.views.workflow import _parse_date
from smartcommune.rounds.workflow import issuing_body

MAX_ITEMS = 5000
"""More ticked communes than any province has: the request is refused unread."""


@dataclass(frozen=True)
class BatchAction:
    key: str
    verb: Promise
    """What happens to each commune, for "… 12 xã"."""
    sources: frozenset[str]


ACTIONS = {
    a.key: a for a in (
        BatchAction("appraise", gettext_lazy("Thẩm định"), frozenset({Status.AGENCY_VERIFIED})),
        BatchAction("decide", gettext_lazy("Đưa vào quyết định công nhận"), frozenset({Status.APPRAISED})),
        BatchAction("publish", gettext_lazy("Công bố kết quả của"),
                    frozenset({Status.RECOGNISED, Status.NOT_RECOGNISED})),
    )
}


class BadInput(ValueError):
    pass


def _secretariat_round(request: HttpRequest, round_id: int) -> Round:
    round_ = visible_round_or_404(request, round_id)
    if not permissions.is_secretariat_of(request.user, round_.province):
        raise PermissionDenied(_("Chỉ Thư ký Hội đồng cấp tỉnh mới được thẩm định, ghi quyết định và công bố."))
    return round_


def _chosen(post) -> dict[int, int]:
    """``item`` fields ``<assessment id>:<version shown>`` → ``{id: version}``, in order."""
    texts = post.getlist("item")
    if len(texts) > MAX_ITEMS:
        raise BadInput(_("chọn quá %(n)d xã") % {"n": MAX_ITEMS})
    chosen = {}
    for text in texts:
        parts = text.split(":")
        ids = [value_rules.parse_id(p) for p in parts] if len(parts) == 2 else [None]
        if None in ids:
            raise BadInput(text[:100])
        chosen.setdefault(ids[0], ids[1])
    return chosen


def _overview_url(round_: Round, filters: dict[str, str] | None = None) -> str:
    query = urlencode({k: v for k, v in (filters or {}).items() if v})
    return reverse("rounds:round_overview", args=[round_.id]) + (f"?{query}" if query else "")


def _assessments(round_: Round, ids) -> list[Assessment]:
    by_id = {a.pk: a for a in round_.assessments.select_related("unit", "unit__parent").filter(pk__in=list(ids))}
    for a in by_id.values():
        a.round = round_
    return [by_id[i] for i in ids if i in by_id]


def _evaluated(round_: Round, assessments: list[Assessment]) -> None:
    """Each assessment's ``result`` (the engine's, for the decision's suggestion)."""
    shown = {a.pk: a for a, _ in round_selectors.round_overview(round_, district="", today=timezone.localdate()).shown}
    for a in assessments:
        a.result = shown[a.pk].result if a.pk in shown else None


def _confirmation(request: HttpRequest, round_: Round, action: BatchAction, chosen: dict[int, int],
                  *, errors=(), status: int = 200) -> HttpResponse:
    assessments = _assessments(round_, chosen)
    eligible = [a for a in assessments if a.status in action.sources]
    skipped = [a for a in assessments if a.status not in action.sources]
    if action.key == "decide":
        _evaluated(round_, eligible)
        for a in eligible:
            # The engine's result is the suggestion; what the user chose is kept on a refusal.
            given = {"1": True, "0": False}.get(request.POST.get(f"recognised-{a.pk}", "") if errors else "")
            a.chosen = given if given is not None else bool(a.result and a.result.smart_commune)
            a.reason = request.POST.get(f"reason-{a.pk}", "")[:2000] if errors else ""
    criteria_set = round_.criteria_set
    return render(request, "rounds/rounds/batch_confirm.html", {
        "round": round_,
        "action": action,
        "eligible": [(a, chosen[a.pk]) for a in eligible],
        "skipped": skipped,
        "fields_total": len(criteria_set.groups),
        "fields_required": criteria_set.fields_required,
        "errors": errors,
        "form": request.POST if errors else {},
        "default_body": issuing_body(round_.province),
        "back": request.POST.get("back", "") if errors else _overview_url(round_, overview_filters(request.POST)),
    }, status=status)


@login_required
@require_POST
def batch_confirm(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _secretariat_round(request, round_id)
    filters = overview_filters(request.POST)
    back = _overview_url(round_, filters)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Chọn việc cần làm với các xã đã chọn."))
        return HttpResponseRedirect(back, status=303)
    if request.POST.get("all") == "1":
        overview = round_selectors.round_overview(round_, today=timezone.localdate(), **filters)
        chosen = {a.pk: a.version for a, _step in overview.shown}
    else:
        try:
            chosen = _chosen(request.POST)
        except BadInput as e:
            messages.error(request, _("Lựa chọn không hợp lệ: %(v)s") % {"v": e})
            return HttpResponseRedirect(back, status=303)
    if not chosen:
        messages.error(request, _("Chưa chọn xã nào: đánh dấu các xã, hoặc chọn tất cả các xã khớp bộ lọc."))
        return HttpResponseRedirect(back, status=303)
    if not any(a.status in action.sources for a in _assessments(round_, chosen)):
        messages.error(request, _("Không xã nào trong các xã đã chọn ở bước “%(step)s”: không có gì để làm.") % {
            "step": ", ".join(str(Status(s).label) for s in sorted(action.sources))})
        return HttpResponseRedirect(back, status=303)
    return _confirmation(request, round_, action, chosen)


def _text(post, name: str) -> str:
    return post.get(name, "")


def _decision_items(post, chosen: dict[int, int]) -> list[BatchItem]:
    items = []
    for pk, version in chosen.items():
        recognised = {"1": True, "0": False}.get(post.get(f"recognised-{pk}", ""))
        items.append(BatchItem(pk, version, {"recognised": recognised, "reason": post.get(f"reason-{pk}", "")}))
    return items


@login_required
@require_POST
def batch_run(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _secretariat_round(request, round_id)
    action = ACTIONS.get(request.POST.get("action", ""))
    back = request.POST.get("back", "")
    if not back.startswith(reverse("rounds:round_overview", args=[round_.id])):
        back = _overview_url(round_)
    try:
        chosen = _chosen(request.POST)
    except BadInput as e:
        messages.error(request, _("Lựa chọn không hợp lệ: %(v)s") % {"v": e})
        return HttpResponseRedirect(back, status=303)
    if action is None or not chosen:
        messages.error(request, _("Chưa chọn xã nào hoặc chưa chọn việc cần làm."))
        return HttpResponseRedirect(back, status=303)
    post = request.POST
    items = [BatchItem(pk, version) for pk, version in chosen.items()]
    try:
        if action.key == "appraise":
            session = do_appraise_many(actor=request.user, round_=round_, items=items,
                                       date=_parse_date(_text(post, "date")), members=_text(post, "members"),
                                       minutes=_text(post, "minutes"), comment=_text(post, "comment"))
            messages.success(request, ngettext("Đã thẩm định %(n)d xã (phiên họp ngày %(date)s).",
                                               "Đã thẩm định %(n)d xã (phiên họp ngày %(date)s).", len(items)) % {
                "n": len(items), "date": f"{session.date:%d/%m/%Y}"})
            return HttpResponseRedirect(reverse("rounds:appraisal", args=[session.id]), status=303)
        if action.key == "decide":
            items = _decision_items(post, chosen)
            decision = do_decide_many(actor=request.user, round_=round_, items=items,
                                      number=_text(post, "number"), date=_parse_date(_text(post, "date")),
                                      signer_name=_text(post, "signer"), signer_title=_text(post, "signer_title"),
                                      issuing_body=_text(post, "issuing_body"))
            recognised = sum(1 for item in items if item.params["recognised"])
            messages.success(request, _(
                "Đã ghi quyết định số %(number)s: %(yes)d xã được công nhận, %(no)d xã không được công nhận.") % {
                "number": decision.number, "yes": recognised, "no": len(items) - recognised})
            return HttpResponseRedirect(reverse("rounds:decision", args=[decision.id]), status=303)
        do_publish_many(actor=request.user, round_=round_, items=items)
        messages.success(request, ngettext("Đã công bố kết quả của %(n)d xã.", "Đã công bố kết quả của %(n)d xã.",
                                           len(items)) % {"n": len(items)})
        return HttpResponseRedirect(back, status=303)
    except ValidationFailed as e:
        return _confirmation(request, round_, action, chosen, errors=[f"{p.vi} ({p.en})" for p in e.problems],
                             status=400)
    except (EditConflict, IllegalTransition) as e:
        messages.error(request, error_text(e))
        return HttpResponseRedirect(back, status=303)
