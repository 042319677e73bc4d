"""The officer's register and feedback desk, and what the district, the agencies and the
secretariat read of them.  Views parse, call an action, render; access is
:mod:`smartcommune.disclosure.access` (a commune the user may not read answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcommune.core.downloads import PDF, XLSX, download
from smartcommune.disclosure import access, actions, config, forms, report, selectors
from smartcommune.disclosure.feed import do_feed_register, do_release_register, fed_criteria
from smartcommune.disclosure.models import Feedback, FeedbackStatus, Item, Posting
from smartcommune.disclosure.register_import import read_register, register_template
from smartcommune.exchange import values as value_rules
from smartcommune.imports.exceptions import ImportRefused
from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.exceptions import RoundError, ValidationFailed
from smartcommune.rounds.models import Assessment
from smartcommune.rounds.views.common import error_text
from smartcommune.rounds.views.pagination import paginate
from smartcommune.units.models import Level, Unit


def _unit_or_404(request: HttpRequest, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, level=Level.COMMUNE).select_related("parent").first()
    if unit is None or not access.may_read(request.user, unit):
        raise Http404(_("Không tìm thấy xã."))
    return unit


def _item_or_404(request: HttpRequest, item_id: int) -> Item:
    item = Item.objects.filter(pk=item_id).select_related("unit").first()
    if item is None or not access.may_read(request.user, item.unit):
        raise Http404(_("Không tìm thấy thông tin."))
    return item


def _year(request: HttpRequest, unit: Unit) -> int:
    """The year asked for, else the latest year of the commune's register, else this year."""
    latest = Item.objects.filter(unit=unit).order_by("-year").values_list("year", flat=True).first()
    return value_rules.parse_year(request.GET.get("year", "")) or latest or timezone.localdate().year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The communes whose register the user reads (their own first)."""
    managed = set(access.managed_unit_ids(request.user))
    units = Unit.objects.filter(access.unit_scope(request.user, ""), level=Level.COMMUNE).order_by("name")
    if not managed and not units.exists():
        raise PermissionDenied(_("Sổ công khai dành cho cán bộ xã và cán bộ thẩm định."))
    page = paginate(request, units, per_page=50)
    return render(request, "disclosure/index.html", {"page": page, "managed": managed})


@login_required
def register(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    year = _year(request, unit)
    kind = request.GET.get("kind", "")
    items = selectors.with_channels(Item.objects.filter(unit=unit, year=year)).prefetch_related("links")
    if kind in config.kind_labels():
        items = items.filter(kind=kind)
    counts = selectors.register_counts([unit.pk], year, selectors.criteria_set_code_of(unit))[unit.pk]
    return render(request, "disclosure/register.html", {
        "unit": unit, "year": year, "kind": kind, "kinds": config.kinds(), "labels": config.kind_labels(),
        "page": paginate(request, items.order_by("kind", "pk"), per_page=50), "counts": counts.values(),
        "may_manage": access.may_manage(request.user, unit), "form": forms.ItemForm(),
        "import_form": forms.ImportForm(), "feeding": _feeding(request, unit, year),
    })


def _feeding(request: HttpRequest, unit: Unit, year: int) -> dict | None:
    """The year's assessment, if the user may feed it, and which of its criteria are fed."""
    assessment = rounds_access.assessments_in_scope(request.user).filter(unit=unit, round__year=year).select_related(
        "round", "unit").first()
    if assessment is None or not rounds_access.may_feed_values(request.user, assessment):
        return None
    codes = fed_criteria(assessment)
    fed = assessment.values.filter(criterion_code__in=codes, fed_by=config.FEEDER).exists()
    return {"assessment": assessment, "codes": codes, "fed": fed} if codes else None


def _refused(request: HttpRequest, err: RoundError) -> None:
    if isinstance(err, ValidationFailed):
        for p in err.problems:
            messages.error(request, f"{p.vi} ({p.en})")
    else:
        messages.error(request, error_text(err))


@login_required
@require_POST
def item_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    year = value_rules.parse_year(request.POST.get("year", "")) or timezone.localdate().year
    form = forms.ItemForm(request.POST, request.FILES)
    target = reverse("disclosure:register", args=[unit.pk]) + f"?year={year}"
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
        return HttpResponseRedirect(target)
    try:
        item = actions.do_create_item(actor=request.user, unit=unit, year=year, **form.cleaned_data)
    except RoundError as err:
        _refused(request, err)
        return HttpResponseRedirect(target)
    messages.success(request, _("Đã thêm thông tin “%(title)s”.") % {"title": item.title})
    return HttpResponseRedirect(reverse("disclosure:item", args=[item.pk]))


@login_required
@require_POST
def copy_year(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    year = value_rules.parse_year(request.POST.get("year", "")) or timezone.localdate().year
    try:
        n = actions.do_copy_year(actor=request.user, unit=unit, from_year=year - 1, to_year=year)
    except RoundError as err:
        _refused(request, err)
    else:
        messages.success(request, _("Đã chép %(n)d thông tin từ năm %(y)d.") % {"n": n, "y": year - 1})
    return HttpResponseRedirect(reverse("disclosure:register", args=[unit.pk]) + f"?year={year}")


@login_required
@require_POST
def import_register(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    if not access.may_manage(request.user, unit):
        raise PermissionDenied(_("Chỉ cán bộ xã nhập được sổ công khai."))
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp."))
        return HttpResponseRedirect(reverse("disclosure:register", args=[unit.pk]))
    upload = form.cleaned_data["file"]
    try:
        rows = read_register(upload.read(), upload.name)
        n = actions.do_import_register(actor=request.user, rows=rows, file_name=upload.name)
    except ImportRefused as err:
        return render(request, "disclosure/import_refused.html", {"unit": unit, "error": err}, status=400)
    messages.success(request, _("Đã nhập %(n)d thông tin.") % {"n": n})
    return HttpResponseRedirect(reverse("disclosure:register", args=[unit.pk]))


@login_required
def import_template(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The empty register workbook to fill and import."""
    unit = _unit_or_404(request, unit_id)
    return download(register_template(), filename=f"so-cong-khai-{unit.code}.xlsx", content_type=XLSX)


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    return render(request, "disclosure/item.html", {
        "item": item, "label": config.kind_labels().get(item.kind, item.kind),
        "broadcasts": item.broadcasts.all(), "postings": item.postings.all(), "links": item.links.all(),
        "channels": config.other_channels(), "may_manage": access.may_manage(request.user, item.unit),
        "broadcast_form": forms.BroadcastForm(), "posting_form": forms.PostingForm(), "link_form": forms.LinkForm(),
        "feedback": item.feedback.all()[:50],
    })


@login_required
@require_POST
def item_channel(request: HttpRequest, item_id: int, channel: str) -> HttpResponse:
    """Publish on the public page, or record a broadcast, a posting or a link."""
    item = _item_or_404(request, item_id)
    form_class = {"broadcast": forms.BroadcastForm, "posting": forms.PostingForm, "link": forms.LinkForm}.get(channel)
    try:
        if channel == "web":
            actions.do_publish_item(actor=request.user, item=item)
        elif form_class is None:
            raise Http404(_("Không có kênh này."))
        else:
            form = form_class(request.POST, request.FILES)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {' '.join(errors)}")
                return HttpResponseRedirect(reverse("disclosure:item", args=[item.pk]))
            action = {"broadcast": actions.do_record_broadcast, "posting": actions.do_record_posting,
                      "link": actions.do_add_link}[channel]
            action(actor=request.user, item=item, **form.cleaned_data)
    except RoundError as err:
        _refused(request, err)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return HttpResponseRedirect(reverse("disclosure:item", args=[item.pk]))


def _file_response(field, name: str, content_type: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from None
    response = FileResponse(handle, as_attachment=True, filename=name or "tep",
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def posting_photo(request: HttpRequest, posting_id: int) -> FileResponse:
    posting = Posting.objects.filter(pk=posting_id).select_related("item__unit").first()
    if posting is None or not posting.photo or not access.may_read(request.user, posting.item.unit):
        raise Http404(_("Không tìm thấy ảnh."))
    return _file_response(posting.photo, posting.photo_name, posting.photo_type)


# -- into the assessment -------------------------------------------------------------------


def _assessment_or_404(request: HttpRequest, unit: Unit, year: int) -> Assessment:
    assessment = rounds_access.visible_assessments(request.user).filter(unit=unit, round__year=year).select_related(
        "round", "round__province", "unit").first()
    if assessment is None:
        raise Http404(_("Xã không có hồ sơ đánh giá năm này."))
    return assessment


@login_required
@require_POST
def feed(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Write the computed 3.1–3.4 into the commune's assessment of the year (or stop)."""
    unit = _unit_or_404(request, unit_id)
    year = value_rules.parse_year(request.POST.get("year", "")) or timezone.localdate().year
    assessment = _assessment_or_404(request, unit, year)
    try:
        if request.POST.get("release"):
            do_release_register(actor=request.user, assessment=assessment)
            messages.success(request, _("Đã thôi điền tự động; xã có thể sửa tay các tiêu chí 3.1–3.4."))
        else:
            fed = do_feed_register(actor=request.user, assessment=assessment)
            messages.success(request, _("Đã đưa số liệu 3.1–3.3 vào hồ sơ đánh giá.") + (
                " " + _("Đã lập báo cáo phản hồi năm và ghi 3.4 đạt.") if fed.report else
                " " + _("3.4 được ghi sau khi hết năm, khi lập báo cáo phản hồi năm.")))
    except RoundError as err:
        _refused(request, err)
    return HttpResponseRedirect(reverse("disclosure:register", args=[unit.pk]) + f"?year={year}")


@login_required
def feedback_report(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The yearly feedback report (PDF) as it stands today."""
    unit = _unit_or_404(request, unit_id)
    year = _year(request, unit)
    return download(report.feedback_report_pdf(unit, year), filename=report.report_filename(unit, year),
                    content_type=PDF, cache_control="private, no-store")


# -- the feedback desk ---------------------------------------------------------------------


@login_required
def desk(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    today = timezone.localdate()
    feedback = Feedback.objects.filter(unit=unit).select_related("item")
    status = request.GET.get("status", "")
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    if request.GET.get("overdue"):
        feedback = feedback.filter(status=FeedbackStatus.OPEN, due_on__lt=today)
    year = _year(request, unit)
    stats = selectors.feedback_stats(Feedback.objects.filter(unit=unit, year=year), today)
    return render(request, "disclosure/desk.html", {
        "unit": unit, "year": year, "today": today, "status": status, "statuses": FeedbackStatus.choices,
        "page": paginate(request, feedback.order_by("due_on", "pk") if not status else feedback, per_page=50),
        "stats": stats, "may_manage": access.may_manage(request.user, unit),
        "record_form": forms.RecordFeedbackForm(), "labels": config.kind_labels(),
    })


@login_required
@require_POST
def desk_record(request: HttpRequest, unit_id: int) -> HttpResponse:
    """An officer records an e-mail or SMS message."""
    unit = _unit_or_404(request, unit_id)
    form = forms.RecordFeedbackForm(request.POST)
    if form.is_valid():
        try:
            f = actions.do_submit_feedback(actor=request.user, unit=unit, **form.cleaned_data)
        except RoundError as err:
            _refused(request, err)
        else:
            messages.success(request, _("Đã ghi nhận phản hồi, mã tra cứu %(code)s.") % {"code": f.tracking_code})
    else:
        messages.error(request, _("Cần nhập nội dung phản hồi."))
    return HttpResponseRedirect(reverse("disclosure:desk", args=[unit.pk]))


def _feedback_or_404(request: HttpRequest, feedback_id: int) -> Feedback:
    feedback = Feedback.objects.filter(pk=feedback_id).select_related("unit", "item").first()
    if feedback is None or not access.may_read(request.user, feedback.unit):
        raise Http404(_("Không tìm thấy phản hồi."))
    return feedback


@login_required
def feedback_detail(request: HttpRequest, feedback_id: int) -> HttpResponse:
    feedback = _feedback_or_404(request, feedback_id)
    return render(request, "disclosure/feedback.html", {
        "f": feedback, "today": timezone.localdate(), "may_manage": access.may_manage(request.user, feedback.unit),
        "answer_form": forms.AnswerForm(initial={"public_answer": feedback.public_answer,
                                                 "internal_note": feedback.internal_note}),
        "forward_form": forms.ForwardForm(), "close_form": forms.CloseForm(),
        "label": config.kind_labels().get(feedback.kind, ""),
    })


@login_required
@require_POST
def feedback_act(request: HttpRequest, feedback_id: int, step: str) -> HttpResponse:
    feedback = _feedback_or_404(request, feedback_id)
    steps = {
        "answer": (forms.AnswerForm, actions.do_answer_feedback, {}),
        "forward": (forms.ForwardForm, actions.do_forward_feedback, {}),
        "close": (forms.CloseForm, actions.do_close_feedback, {"close_reason": "reason", "close_note": "note"}),
    }
    try:
        if step in ("show", "hide"):
            actions.do_moderate_feedback(actor=request.user, feedback=feedback, show=step == "show")
        elif step in steps:
            form_class, action, rename = steps[step]
            form = form_class(request.POST)
            if not form.is_valid():
                for field, errors in form.errors.items():
                    messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
                return HttpResponseRedirect(reverse("disclosure:feedback", args=[feedback.pk]))
            action(actor=request.user, feedback=feedback,
                   **{rename.get(k, k): v for k, v in form.cleaned_data.items()})
        else:
            raise Http404(_("Không có thao tác này."))
    except RoundError as err:
        _refused(request, err)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return HttpResponseRedirect(reverse("disclosure:feedback", args=[feedback.pk]))
