"""The survey pages of the people who run and check it (a login; a survey the user's roles
do not reach answers 404): the list, opening, the survey page (plan, quotas and progress,
results, history), officer entry of paper and phone answers, the import of an answer file,
the answers list (voiding, for the secretariat), closing, and the downloads (results as
CSV, Excel, PDF; the 3.4 report; the QR poster).  Views parse, call an action, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartcommune.core.downloads import CSV, PDF, XLSX, download
from smartcommune.results.exports.labels import file_name
from smartcommune.rounds import access as rounds_access
from smartcommune.rounds.exceptions import RoundError
from smartcommune.rounds.models import FROZEN, Round
from smartcommune.rounds.views.common import error_text
from smartcommune.surveys import access, registry, report, sampling, selectors
from smartcommune.surveys.actions import (
    do_close_survey, do_feed_round, do_import_answers, do_open_round_surveys, do_open_survey, do_reopen_survey, do_set_plan, do_submit_answer, do_void_answer,
    feed_refusal, max_import_bytes,
)
from smartcommune.surveys.charts import results_charts
from smartcommune.surveys.models import Answer, Channel, FrameKind
from smartcommune.surveys.views.common import answer_fields, problem_fields, visible_survey_or_404

MAX_FRAME_TEXT = 20_000
MAX_FRAME_FILE = 1024 * 1024
ANSWERS_PER_PAGE = 50
OPENABLE_SHOWN = 500
# Room for the multipart envelope and the other fields around the file itself.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = (access.visible_surveys(request.user)
               .select_related("assessment__round", "assessment__unit")
               .annotate(valid=Coalesce(Sum("counts__n"), 0))
               .order_by("-assessment__round__year", "assessment__unit__code"))
    roles = rounds_access.units_by_role(request.user)
    openable = (rounds_access.assessments_in_scope(request.user)
                .filter(survey__isnull=True).exclude(status__in=FROZEN)
                .filter(Q(round__province_id__in=roles["secretariat"]) | Q(unit_id__in=roles["commune_officer"]))
                .select_related("round", "unit").order_by("-round__year", "unit__code"))
    rounds = (Round.objects.filter(province_id__in=roles["secretariat"], assessments__in=openable)
              .select_related("province").distinct().order_by("-year"))
    return render(request, "surveys/list.html", {
        "surveys": surveys, "openable": openable[:OPENABLE_SHOWN], "templates": registry.available(),
        "rounds": rounds,
    })


@login_required
@require_POST
def survey_open(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = rounds_access.assessments_in_scope(request.user).select_related("round", "round__province",
                                                                                  "unit").filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404("Không tìm thấy hồ sơ đánh giá (assessment not found).")
    try:
        survey = do_open_survey(actor=request.user, assessment=assessment,
                                questionnaire_code=request.POST.get("questionnaire", registry.DEFAULT_CODE)[:100])
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
        return redirect("surveys:list")
    messages.success(request, _("Đã mở khảo sát. Hãy lập kế hoạch mẫu trước khi phát phiếu."))
    return redirect("surveys:detail", survey_id=survey.pk)


@login_required
@require_POST
def round_open(request: HttpRequest, round_id: int) -> HttpResponse:
    """The secretariat opens the surveys of every commune of a round at once."""
    round_ = Round.objects.select_related("province").filter(pk=round_id).first()
    if round_ is None or not rounds_access.is_secretariat_of(request.user, round_.province):
        raise Http404("Không tìm thấy đợt đánh giá (round not found).")
    try:
        n = do_open_round_surveys(actor=request.user, round_=round_,
                                  questionnaire_code=request.POST.get("questionnaire", registry.DEFAULT_CODE)[:100])
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã mở %(n)d khảo sát.") % {"n": n})
    return redirect("surveys:list")


def _public_url(request: HttpRequest, survey) -> str:
    return request.build_absolute_uri(reverse("surveys:public_form", args=[survey.code]))


@login_required
@require_GET
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = visible_survey_or_404(request, survey_id)
    results = selectors.results(survey, with_topics=False)
    hamlets = list(survey.hamlets.all())
    return render(request, "surveys/detail.html", {
        "survey": survey, "results": results, "charts": results_charts(results),
        "may_run": access.may_run_survey(request.user, survey),
        "may_void": access.may_void_answers(request.user, survey),
        "may_reopen": not survey.is_open and not survey.assessment.frozen
        and access.may_reopen_survey(request.user, survey),
        "feed_refusal": None if survey.is_open else feed_refusal(survey),
        "plan_frozen": survey.answers.exists() or not survey.is_open,
        "frame_text": "\n".join(f"{h.name}; {h.size}" for h in hamlets),
        "frame_kinds": FrameKind.choices, "methods": sampling.METHODS,
        "confidences": sorted(sampling.Z_OF_CONFIDENCE),
        "public_url": _public_url(request, survey),
        "events": survey.events.select_related("actor").order_by("-at", "-pk")[:50],
        "max_import_mb": max_import_bytes() // (1024 * 1024),
    })


@login_required
@require_GET
def survey_topics(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The answers on public services, planning and budget (criterion 3.4): a fragment the
    survey page loads after itself (htmx), or a page of its own without script."""
    survey = visible_survey_or_404(request, survey_id)
    topics = selectors.topic_counts(survey, registry.of_survey(survey))
    if request.htmx:
        return render(request, "surveys/_topics.html", {"topics": topics})
    return render(request, "surveys/topics.html", {"survey": survey, "topics": topics})


def parse_frame(text: str) -> list[tuple[str, int | str]]:
    """Lines ``name; size`` (or ``name,size``, or a tab), a header line without a number
    skipped; a size that is not a number is kept as text for the action to refuse."""
    hamlets = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for separator in (";", "\t", ","):
            if separator in line:
                name, _sep, size = line.rpartition(separator)
                break
        else:
            name, size = line, ""
        size = size.strip().replace(".", "").replace(" ", "")
        if not hamlets and not size.isdigit():
            continue  # a header line
        hamlets.append((name.strip().strip('"'), int(size) if size.isascii() and size.isdigit() and len(size) < 12
                        else size[:20]))
    return hamlets


@login_required
@require_POST
def survey_plan(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = visible_survey_or_404(request, survey_id)
    upload = request.FILES.get("frame_file")
    if upload is not None:
        if upload.size > MAX_FRAME_FILE:
            messages.error(request, _("Tệp khung mẫu quá lớn (tối đa 1 MB); chưa lưu gì."))
            return redirect("surveys:detail", survey_id=survey.pk)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            messages.error(request, _("Tệp khung mẫu phải là CSV UTF-8; chưa lưu gì."))
            return redirect("surveys:detail", survey_id=survey.pk)
    else:
        text = request.POST.get("frame", "")[:MAX_FRAME_TEXT]
    try:
        margin = Decimal(request.POST.get("margin", "").strip().replace(",", ".")[:10])
    except InvalidOperation:
        margin = request.POST.get("margin", "")[:10]
    confidence = request.POST.get("confidence", "95")
    try:
        do_set_plan(actor=request.user, survey=survey, frame_kind=request.POST.get("frame_kind", "")[:20],
                    hamlets=parse_frame(text), margin=margin, method=request.POST.get("method", "")[:20],
                    confidence=int(confidence) if confidence.isdigit() and len(confidence) < 4 else 0)
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã lưu kế hoạch mẫu."))
    return redirect("surveys:detail", survey_id=survey.pk)


def _may_run_or_403(request: HttpRequest, survey) -> None:
    if not access.may_run_survey(request.user, survey):
        raise PermissionDenied("Không có quyền (not allowed).")


@login_required
@require_http_methods(["GET", "POST"])
def survey_entry(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Officer entry of one paper or phone answer; the form comes back empty for the next."""
    survey = visible_survey_or_404(request, survey_id)
    _may_run_or_403(request, survey)
    q = registry.of_survey(survey)
    errors, given, status = {}, {}, 200
    if request.method == "POST":
        given = answer_fields(request.POST, q)
        channel = request.POST.get("channel", "")[:10]
        try:
            do_submit_answer(actor=request.user, survey=survey, channel=channel, **given)
        except RoundError as error:
            if isinstance(error, PermissionDenied):
                raise
            errors, status = problem_fields(error), 400
        else:
            messages.success(request, _("Đã ghi phiếu (%(channel)s).") % {"channel": Channel(channel).label})
            return redirect("surveys:entry", survey_id=survey.pk)
    return render(request, "surveys/entry.html", {
        "survey": survey, "q": q, "hamlets": list(survey.hamlets.all()), "errors": errors, "given": given,
        "channels": [(c.value, c.label) for c in (Channel.PAPER, Channel.PHONE)],
    }, status=status)


# The CSRF middleware would read the body (and so store the whole upload) before the view
# could look at its size: the same check is made here, after the size check (as for evidence).
@csrf_exempt
@login_required
@require_POST
def survey_import(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    survey = visible_survey_or_404(request, survey_id)
    if length > max_import_bytes() + UPLOAD_ENVELOPE_BYTES:
        messages.error(request, _("Tệp quá lớn: %(size).1f MB, giới hạn %(limit).1f MB; chưa nhập gì.") % {
            "size": length / 1024 / 1024, "limit": max_import_bytes() / 1024 / 1024})
        return redirect("surveys:detail", survey_id=survey.pk)
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if refused is not None:
        return refused
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chưa chọn tệp; chưa nhập gì."))
    elif upload.size > max_import_bytes():
        messages.error(request, _("Tệp quá lớn: %(size).1f MB, giới hạn %(limit).1f MB; chưa nhập gì.") % {
            "size": upload.size / 1024 / 1024, "limit": max_import_bytes() / 1024 / 1024})
    else:
        try:
            n = do_import_answers(actor=request.user, survey=survey, data=upload.read(), name=upload.name[-200:])
        except RoundError as error:
            if isinstance(error, PermissionDenied):
                raise
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Đã nhập %(n)d phiếu.") % {"n": n})
    return redirect("surveys:detail", survey_id=survey.pk)


@login_required
@require_GET
def survey_answers(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The answers one by one (no personal data is stored), newest first."""
    survey = visible_survey_or_404(request, survey_id)
    _may_run_or_403(request, survey)
    answers = Answer.objects.filter(survey=survey).select_related("hamlet", "entered_by").order_by("-pk")
    page = Paginator(answers, ANSWERS_PER_PAGE).get_page(request.GET.get("page", "1")[:10])
    return render(request, "surveys/answers.html", {
        "survey": survey, "q": registry.of_survey(survey), "page": page,
        "may_void": access.may_void_answers(request.user, survey) and survey.is_open,
    })


@login_required
@require_POST
def answer_void(request: HttpRequest, survey_id: int, answer_id: int) -> HttpResponse:
    survey = visible_survey_or_404(request, survey_id)
    answer = Answer.objects.filter(survey=survey, pk=answer_id).select_related("survey").first()
    if answer is None:
        raise Http404("Không tìm thấy phiếu (answer not found).")
    try:
        do_void_answer(actor=request.user, answer=answer, reason=request.POST.get("reason", "")[:2000])
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã huỷ phiếu số %(id)d.") % {"id": answer.pk})
    return redirect("surveys:answers", survey_id=survey.pk)


def _feeding(request: HttpRequest, survey_id: int, action, prefix: str) -> HttpResponse:
    survey = visible_survey_or_404(request, survey_id)
    try:
        outcome = action(actor=request.user, survey=survey)
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, (prefix + " " + outcome.message).strip())
    return redirect("surveys:detail", survey_id=survey.pk)


@login_required
@require_POST
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Close the survey; its results feed criterion 4 when the assessment takes values."""
    return _feeding(request, survey_id, do_close_survey, _("Đã đóng khảo sát."))


@login_required
@require_POST
def survey_feed(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Feed a closed survey's results to criterion 4 (when closing could not: the
    assessment took no values then)."""
    return _feeding(request, survey_id, do_feed_round, "")


@login_required
@require_POST
def survey_reopen(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The secretariat reopens a closed survey with a reason; criterion 4 is no longer fed."""
    survey = visible_survey_or_404(request, survey_id)
    try:
        do_reopen_survey(actor=request.user, survey=survey, reason=request.POST.get("reason", "")[:2000])
    except RoundError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Đã mở lại khảo sát; tiêu chí 4 không còn được điền tự động cho đến khi khảo sát "
                                    "đóng lại."))
    return redirect("surveys:detail", survey_id=survey.pk)


EXPORTS = {"csv": (CSV, "csv"), "xlsx": (XLSX, "xlsx"), "pdf": (PDF, "pdf"), "topics": (PDF, "pdf")}


@login_required
@require_GET
def survey_export(request: HttpRequest, survey_id: int, fmt: str) -> HttpResponse:
    survey = visible_survey_or_404(request, survey_id)
    if fmt not in EXPORTS:
        raise Http404
    results = selectors.results(survey)
    content_type, extension = EXPORTS[fmt]
    build = {"csv": report.results_csv, "xlsx": report.results_xlsx, "pdf": report.report_pdf,
             "topics": report.topics_pdf}[fmt]
    title = (_("Phản hồi dịch vụ công, quy hoạch, ngân sách %(unit)s %(year)d") if fmt == "topics"
             else _("Kết quả khảo sát %(unit)s %(year)d")) % {
        "unit": survey.assessment.unit.name, "year": survey.assessment.round.year}
    return download(build(results), filename=file_name(title, synthetic=survey.synthetic, extension=extension),
                    content_type=content_type, cache_control="private, no-store")


@login_required
@require_GET
def survey_poster(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The A4 poster with the survey's QR code, to print and put up at the commune."""
    survey = visible_survey_or_404(request, survey_id)
    title = _("Áp phích khảo sát %(unit)s %(year)d") % {"unit": survey.assessment.unit.name,
                                                         "year": survey.assessment.round.year}
    pdf = report.poster_pdf(survey, _public_url(request, survey), registry.of_survey(survey))
    return download(pdf, filename=file_name(title, synthetic=survey.synthetic, extension="pdf"), content_type=PDF,
                    cache_control="private, no-store")
