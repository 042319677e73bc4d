"""Evidence of an assessment: adding (file, link or document), downloading and removing.

Who: a login; an assessment the user may not see answers 404; evidence is downloaded only
by people whose roles reach the assessment (publication makes a result public, not its
evidence).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from smartcommune.core.language import in_language
from smartcommune.rounds import access as permissions
from smartcommune.rounds.actions import do_add_evidence, do_remove_evidence
from smartcommune.rounds.exceptions import NotAllowed, UploadRejected, ValidationFailed
from smartcommune.rounds.models import Evidence, EvidenceKind, criterion_slug
from smartcommune.rounds.uploads import max_bytes
from smartcommune.rounds.views.assessment import EVIDENCE_FIELDS, redirect_to, render_page
from smartcommune.rounds.views.common import error_message, visible_assessment_or_404
from smartcommune.rounds.views.entry_form import parse_date

# Room for the multipart envelope and the other fields around the file itself.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check the middleware skipped for a view marked ``csrf_exempt``."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


# The CSRF middleware would read the body (and so store the whole upload) before the
# view could look at its size; the same check is made in the view, after the size check.
@csrf_exempt
@login_required
@require_POST
def evidence_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = max_bytes()
    if length > limit + UPLOAD_ENVELOPE_BYTES:
        # Nothing of the body has been read: refuse before Django stores the upload.
        assessment = visible_assessment_or_404(request, assessment_id)
        messages.error(request, _("Tệp quá lớn: %(size).1f MB, giới hạn %(limit).1f MB; chưa lưu gì.") % {
            "size": length / 1024 / 1024, "limit": limit / 1024 / 1024})
        return redirect_to(assessment)
    refused = _csrf_failure(request)
    if refused is not None:
        return refused
    assessment = visible_assessment_or_404(request, assessment_id)
    code = request.POST.get("criterion_code", "")
    file = request.FILES.get("file")
    url = request.POST.get("url", "").strip()
    number = request.POST.get("document_number", "").strip()
    typed = {"url": url, "document_number": number, "document_date": request.POST.get("document_date", "").strip(),
             "note": request.POST.get("note", "")}

    def refuse(problems: list[tuple[str, str]], status: int = 400) -> HttpResponse:
        """The page again, each problem beside its field and listed at the top."""
        return render_page(request, assessment, status=status,
                           evidence_form={"code": code, "typed": typed, "problems": problems})

    kind = request.POST.get("kind", "")
    if not kind:
        # A file or a link may come with its document's number and date; a number alone
        # is a document.  A file and a link are two entries.
        if file and url:
            return refuse([("url", _("Mỗi lần thêm một tệp hoặc một đường dẫn, không cả hai."))])
        kind = EvidenceKind.FILE if file else EvidenceKind.LINK if url else EvidenceKind.DOCUMENT
        if kind == EvidenceKind.DOCUMENT and not number:
            return refuse([("file", _("Chọn một tệp, hoặc nhập một đường dẫn, hoặc số văn bản."))])
    raw_date = typed["document_date"]
    document_date = parse_date(raw_date) if raw_date else None
    if raw_date and document_date is None:
        return refuse([("document_date", _("Ngày văn bản “%(raw)s” không hợp lệ (dd/mm/yyyy).") % {"raw": raw_date})])
    try:
        do_add_evidence(actor=request.user, assessment=assessment, criterion_code=code, kind=kind, file=file,
                        url=url, document_number=number, document_date=document_date, note=typed["note"])
    except NotAllowed as err:
        return render_page(request, assessment, status=403, errors=[error_message(err)])
    except (UploadRejected, ValidationFailed) as err:
        default = "file" if isinstance(err, UploadRejected) else "kind"
        return refuse([(p.field if p.field in EVIDENCE_FIELDS else default, in_language(p)) for p in err.problems])
    messages.success(request, _("Đã thêm minh chứng cho tiêu chí %(code)s.") % {"code": code})
    return redirect_to(assessment, f"crit-{criterion_slug(code)}")


def _visible_evidence_or_404(request: HttpRequest, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=evidence_id, removed_at__isnull=True).first()
    if evidence is None:
        raise Http404(_("Không tìm thấy minh chứng."))
    evidence.assessment = visible_assessment_or_404(request, evidence.assessment_id)
    return evidence


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _visible_evidence_or_404(request, evidence_id)
    # Publication makes a result public, not its evidence (files may hold personal data):
    # only people whose roles reach the assessment download it.
    if not permissions.may_open_evidence(request.user, evidence.assessment):
        raise Http404(_("Không tìm thấy minh chứng."))
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404(_("Minh chứng này không có tệp."))
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp minh chứng không còn trong kho lưu trữ.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _visible_evidence_or_404(request, evidence_id)
    assessment = evidence.assessment
    try:
        do_remove_evidence(actor=request.user, evidence=evidence, reason=request.POST.get("reason", ""))
    except NotAllowed as err:
        return render_page(request, assessment, status=403, errors=[error_message(err)])
    except ValidationFailed as err:
        messages.error(request, "; ".join(p.vi for p in err.problems))
        return redirect_to(assessment, f"crit-{criterion_slug(evidence.criterion_code)}")
    messages.success(request, _("Đã gỡ minh chứng “%(name)s” của tiêu chí %(code)s.") % {
        "name": str(evidence), "code": evidence.criterion_code})
    return redirect_to(assessment, f"crit-{criterion_slug(evidence.criterion_code)}")
