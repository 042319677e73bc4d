"""Downloads of the official documents (DOCX and PDF) and the page listing them with the
province's templates. Thin: parse, ask :mod:`smartcommune.documents.access`, build the
context (:mod:`smartcommune.documents.contexts`), render. Whoever may not take a document
is answered 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcommune.core import downloads
from smartcommune.documents import access, actions, contexts
from smartcommune.documents import templates as docx_templates
from smartcommune.documents.kinds import (
    APPRAISAL_MINUTES, DISTRICT_PROPOSAL, DRAFT_DECISION, KINDS, PROVINCE_REPORT, SELF_ASSESSMENT, Kind)
from smartcommune.results.exports import labels, reports
from smartcommune.results.exports.pdf import render_pdf
from smartcommune.results.selectors.overview import province_overview
from smartcommune.results.selectors.scorecard import commune_scorecard
from smartcommune.rounds.exceptions import RoundError
from smartcommune.rounds.models import AppraisalSession, Assessment, Decision, Round
from smartcommune.units.models import Level, Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("docx", "pdf")
# An uploaded template is read whole; larger ones are refused before reading.
MAX_UPLOAD = docx_templates.MAX_TEMPLATE_BYTES


def pdf_context(context: dict) -> dict:
    """The PDF template's context: the heading and closing of ``exports/base_pdf.html``
    from the placeholders, and the placeholders themselves as ``d``."""
    return {
        "document_title": context["ten_loai"], "summary": context["trich_yeu"],
        "parent_authority": context["co_quan_chu_quan"], "authority": (context["co_quan_1"], context["co_quan_2"]),
        "nation": context["quoc_hieu"], "motto": context["tieu_ngu"], "number_line": context["so_ky_hieu"],
        "date_line": context["dia_danh_ngay"], "recipients": context["noi_nhan"], "signature": context["ky_thay"],
        "signer_name": context["nguoi_ky"], "ending": context["ket_thuc"],
        "synthetic": context["du_lieu_mo_phong"], "synthetic_mark": labels.SYNTHETIC_MARK,
        "annex_note": context.get("ghi_chu_phu_luc", ""), "d": context,
    }


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404(_("Không có định dạng %(fmt)s.") % {"fmt": fmt[:10]})


def _document(province: Unit, kind: Kind, context: dict, fmt: str, title: str) -> HttpResponse:
    if fmt == "docx":
        content = docx_templates.render_docx(docx_templates.template_bytes(province, kind), context)
    else:
        content = render_pdf(kind.pdf_template, pdf_context(context))
    name = labels.file_name(title, synthetic=context["du_lieu_mo_phong"], extension=fmt)
    return downloads.download(content, filename=name, content_type=DOCX if fmt == "docx" else downloads.PDF,
                              cache_control="private, no-store")


def _round_for_province_documents(request: HttpRequest, round_id: int) -> Round:
    round_ = Round.objects.select_related("province").filter(pk=round_id).first()
    if round_ is None or not access.may_take_province_documents(request.user, round_.province):
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    return round_


def _of_round(request: HttpRequest, model, pk: int, missing: str):
    """The session or decision ``pk`` when the viewer may take its province's documents; else 404."""
    found = model.objects.select_related("round__province").filter(pk=pk).first()
    if found is None or not access.may_take_province_documents(request.user, found.round.province):
        raise Http404(missing)
    return found


@login_required
@require_GET
def self_assessment(request: HttpRequest, assessment_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    assessment = Assessment.objects.select_related("round__province", "unit").filter(pk=assessment_id).first()
    if assessment is None or not access.may_take_self_assessment(request.user, assessment):
        raise Http404(_("Không tìm thấy hồ sơ."))
    card = commune_scorecard(viewer=request.user, unit=assessment.unit, year=assessment.round.year,
                             criteria_set_code=assessment.round.criteria_set_code)
    title = _("Báo cáo tự đánh giá %(unit)s %(year)d") % {"unit": assessment.unit.name, "year": assessment.round.year}
    return _document(assessment.round.province, SELF_ASSESSMENT, contexts.self_assessment(card), fmt, title)


@login_required
@require_GET
def district_proposal(request: HttpRequest, round_id: int, district_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=round_id)
    district = Unit.objects.filter(pk=district_id, level=Level.DISTRICT, parent=round_.province).first()
    if district is None or not access.may_take_district_proposal(request.user, district):
        raise Http404(_("Không tìm thấy huyện."))
    overview = province_overview(viewer=request.user, province=round_.province, year=round_.year, district=district,
                                 criteria_set_code=round_.criteria_set_code)
    title = _("Tờ trình %(district)s %(year)d") % {"district": district.name, "year": round_.year}
    return _document(round_.province, DISTRICT_PROPOSAL, contexts.district_proposal(overview), fmt, title)


@login_required
@require_GET
def appraisal_minutes(request: HttpRequest, session_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    session = _of_round(request, AppraisalSession, session_id, _("Không tìm thấy phiên thẩm định."))
    title = _("Biên bản thẩm định %(date)s") % {"date": session.date.strftime("%d-%m-%Y")}
    return _document(session.round.province, APPRAISAL_MINUTES, contexts.appraisal_minutes(session), fmt, title)


@login_required
@require_GET
def draft_decision(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    round_ = _round_for_province_documents(request, round_id)
    title = _("Dự thảo quyết định công nhận %(name)s %(year)d") % {
        "name": labels.recognition(round_.criteria_set), "year": round_.year}
    return _document(round_.province, DRAFT_DECISION, contexts.draft_decision(round_), fmt, title)


@login_required
@require_GET
def decision(request: HttpRequest, decision_id: int, fmt: str) -> HttpResponse:
    """A recorded decision (number, date, signer, its annex) in the draft's form."""
    _check_format(fmt)
    recorded = _of_round(request, Decision, decision_id, _("Không tìm thấy quyết định."))
    title = _("Quyết định %(number)s") % {"number": recorded.number}
    return _document(recorded.round.province, DRAFT_DECISION, contexts.recorded_decision(recorded), fmt, title)


@login_required
@require_GET
def province_report(request: HttpRequest, round_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    round_ = _round_for_province_documents(request, round_id)
    overview = province_overview(viewer=request.user, province=round_.province, year=round_.year,
                                 criteria_set_code=round_.criteria_set_code)
    title = _("Báo cáo %(name)s %(province)s %(year)d") % {
        "name": labels.recognition(round_.criteria_set), "province": round_.province.name, "year": round_.year}
    if fmt == "pdf":  # the province report's one PDF (also the results' export)
        name = labels.file_name(title, synthetic=overview.synthetic, extension="pdf")
        return downloads.download(reports.province_report_pdf(overview), filename=name, content_type=downloads.PDF,
                                  cache_control="private, no-store")
    return _document(round_.province, PROVINCE_REPORT, contexts.province_report(overview), fmt, title)


@login_required
@require_GET
def documents_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's documents the viewer may take, and (secretariat) the province's templates."""
    round_ = get_object_or_404(Round.objects.select_related("province"), pk=round_id)
    province_level = access.may_take_province_documents(request.user, round_.province)
    districts = [d for d in Unit.objects.filter(level=Level.DISTRICT, parent=round_.province).order_by("code")
                 if access.may_take_district_proposal(request.user, d)]
    assessments = [a for a in round_.assessments.select_related("unit").order_by("unit__code")
                   if province_level or access.may_take_self_assessment(request.user, a)]
    if not (province_level or districts or assessments):
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    return render(request, "documents/index.html", {
        "round": round_, "province_level": province_level, "districts": districts, "assessments": assessments,
        "sessions": round_.appraisal_sessions.order_by("date", "pk") if province_level else [],
        "decisions": round_.decisions.order_by("date", "pk") if province_level else [],
        "kinds": [(k, docx_templates.current(round_.province, k)) for k in KINDS.values()] if province_level else [],
        "max_upload_mb": MAX_UPLOAD // 1024 // 1024,
    })


@login_required
@require_GET
def template_download(request: HttpRequest, round_id: int, kind_code: str) -> HttpResponse:
    """The template in use (the province's or the shipped one), to edit and upload again."""
    round_ = _round_for_province_documents(request, round_id)
    kind = KINDS.get(kind_code)
    if kind is None:
        raise Http404(_("Không có loại văn bản này."))
    return downloads.download(docx_templates.template_bytes(round_.province, kind), filename=f"{kind.code}.docx",
                              content_type=DOCX, cache_control="private, no-store")


@login_required
@require_POST
def template_upload(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round_for_province_documents(request, round_id)
    kind_code = request.POST.get("kind", "")[:40]
    upload = request.FILES.get("file")
    reset = request.POST.get("reset") == "1"
    if not reset and upload is None:
        messages.error(request, _("Chọn tệp mẫu (.docx) để tải lên."))
        return redirect("documents:round", round_id=round_.pk)
    if upload is not None and upload.size > MAX_UPLOAD:
        messages.error(request, _("Tệp “%(name)s” lớn hơn %(limit)d MB.") % {
            "name": upload.name, "limit": MAX_UPLOAD // 1024 // 1024})
        return redirect("documents:round", round_id=round_.pk)
    try:
        actions.do_replace_template(actor=request.user, province=round_.province, kind_code=kind_code,
                                    file_name=upload.name if upload is not None and not reset else "",
                                    content=None if reset else upload.read())
    except RoundError as error:
        messages.error(request, error.vi)
    else:
        messages.success(request, _("Đã dùng mẫu mặc định.") if reset else _("Đã lưu mẫu văn bản mới."))
    return redirect("documents:round", round_id=round_.pk)
