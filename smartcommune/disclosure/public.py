"""The commune's public page: no login, mobile first, nothing personal.

What it shows of a commune: the items published on it (filterable by kind and year, with
their documents), and the questions a moderator chose to show with the commune's public
answer — never a sender's name or contact.  The feedback form is checked without outside
services: a honeypot field people do not see, a minimum time between showing the form and
sending it (a signed timestamp), and a limit per client address counted in the shared
cache (:mod:`smartcommune.core.ratelimit`), per minute.
"""

from __future__ import annotations

import time

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcommune.core import ratelimit
from smartcommune.core.clients import client_address
from smartcommune.disclosure import actions, config, forms, selectors
from smartcommune.disclosure.models import Feedback, FeedbackStatus, Item
from smartcommune.exchange import values as value_rules
from smartcommune.rounds.exceptions import ValidationFailed
from smartcommune.rounds.views.pagination import paginate
from smartcommune.units.models import Level, Unit

SALT = "smartcommune.disclosure.feedback-form"
FORM_MAX_AGE = 24 * 3600


def _commune_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, level=Level.COMMUNE).select_related("parent").first()
    if unit is None:
        raise Http404(_("Không tìm thấy xã."))
    return unit


def _blank_form() -> forms.FeedbackForm:
    return forms.FeedbackForm(initial={"started": signing.dumps(time.time(), salt=SALT)})


def public_questions(unit: Unit, item: Item | None = None):
    """Moderated questions with the commune's answers: the only feedback the public sees."""
    shown = Feedback.objects.filter(unit=unit, shown_publicly=True).exclude(status=FeedbackStatus.CLOSED)
    if item is not None:
        shown = shown.filter(item=item)
    return shown.only("tracking_code", "message", "public_answer", "status", "received_at", "handled_at", "kind")


def page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _commune_or_404(unit_id)
    items = selectors.published_items(unit.pk)
    years = sorted(set(items.values_list("year", flat=True)), reverse=True)
    year = value_rules.parse_year(request.GET.get("year", ""))
    kind = request.GET.get("kind", "")
    if year:
        items = items.filter(year=year)
    if kind in config.kind_labels():
        items = items.filter(kind=kind)
    return render(request, "disclosure/public/page.html", {
        "unit": unit, "page": paginate(request, items.order_by("-published_at", "-pk"), per_page=20),
        "years": years, "year": year, "kind": kind, "kinds": config.kinds(), "labels": config.kind_labels(),
        "questions": public_questions(unit)[:20], "form": _blank_form(),
        "inbound": selectors.inbound_addresses(unit.pk),
    })


def item_page(request: HttpRequest, unit_id: int, item_id: int) -> HttpResponse:
    unit = _commune_or_404(unit_id)
    item = selectors.published_items(unit.pk).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("Không tìm thấy thông tin."))
    return render(request, "disclosure/public/item.html", {
        "unit": unit, "item": item, "label": config.kind_labels().get(item.kind, item.kind),
        "questions": public_questions(unit, item), "form": _blank_form(),
    })


def document(request: HttpRequest, unit_id: int, item_id: int) -> FileResponse:
    item = selectors.published_items(unit_id).filter(pk=item_id).first()
    if item is None or not item.document:
        raise Http404(_("Không tìm thấy tài liệu."))
    try:
        handle = item.document.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tài liệu không còn trong kho lưu trữ.")) from None
    response = FileResponse(handle, as_attachment=True, filename=item.document_name or "tai-lieu",
                            content_type=item.document_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _bot_problem(form: forms.FeedbackForm) -> str | None:
    """Why the submission looks automated, or ``None``."""
    if form.cleaned_data.get("website"):
        return _("Không gửi được: ô cuối biểu mẫu phải để trống.")
    try:
        started = float(signing.loads(form.cleaned_data.get("started", ""), salt=SALT, max_age=FORM_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return _("Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.")
    if time.time() - started < float(config.option("feedback_min_seconds")):
        return _("Gửi quá nhanh; hãy đọc lại nội dung rồi gửi lại.")
    return None


@require_http_methods(["POST"])
def send(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The feedback form (general, or on ``item`` given in the form)."""
    unit = _commune_or_404(unit_id)
    item_id = value_rules.parse_id(request.POST.get("item", ""))
    item = selectors.published_items(unit.pk).filter(pk=item_id).first() if item_id else None
    form = forms.FeedbackForm(request.POST)
    context = {"unit": unit, "item": item, "form": form}
    if not form.is_valid():
        return render(request, "disclosure/public/sent.html", context, status=400)
    problem, status = _bot_problem(form), 400
    if problem is None and ratelimit.hit("disclosure-feedback", client_address(request),
                                         int(config.option("feedback_rate")), 60) is not None:
        problem, status = _("Đã gửi quá nhiều phản hồi trong một phút; hãy thử lại sau."), 429
    if problem is not None:
        context["problem"] = problem
        return render(request, "disclosure/public/sent.html", context, status=status)
    try:
        feedback = actions.do_submit_feedback(unit=unit, item=item, message=form.cleaned_data["message"],
                                              name=form.cleaned_data["name"], contact=form.cleaned_data["contact"])
    except ValidationFailed as err:
        context["problem"] = "; ".join(f"{p.vi} ({p.en})" for p in err.problems)
        return render(request, "disclosure/public/sent.html", context, status=400)
    return HttpResponseRedirect(reverse("disclosure:track") + f"?code={feedback.tracking_code}&sent=1")


def track(request: HttpRequest) -> HttpResponse:
    """A citizen looks up their feedback by its tracking code: its state, deadline and the
    public answer (nothing of the internal note, the sender or the contact)."""
    code = request.GET.get("code", "").strip().upper()[:20]
    feedback = None
    if code:
        feedback = Feedback.objects.filter(tracking_code=code).select_related("unit").only(
            "tracking_code", "status", "due_on", "received_at", "handled_at", "public_answer", "forwarded_to",
            "close_reason", "unit__name", "unit__id", "message",
        ).first()
    return render(request, "disclosure/public/track.html", {
        "code": code, "f": feedback, "sent": bool(request.GET.get("sent")),
    })
