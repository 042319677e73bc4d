"""The import pages: download a template, upload a file, see the preview, confirm.

Thin views: parse the request, call :mod:`.sources`/:mod:`.preview` (reads) and
:mod:`.actions` (writes), render.  Every view needs a login.  A round (or assessment)
none of whose assessments the user may see answers 404; a preview belongs to the user
who uploaded it (404 for anyone else).  What a user may *change* is decided when the
file is previewed and again when it is committed (``rounds.access``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from smartcommune.core.downloads import XLSX, download
from smartcommune.core.language import english
from smartcommune.imports import selectors
from smartcommune.imports.actions import do_discard_import, do_import, do_stage_import
from smartcommune.criteria.engine import STATUS_LABELS_VI
from smartcommune.imports.exceptions import ImportConflict, ImportRefused
from smartcommune.imports.models import ImportBatch
from smartcommune.imports.preview import build_preview
from smartcommune.imports.sources import max_bytes, read_upload, too_large
from smartcommune.imports.template import build_template, template_filename
from smartcommune.rounds.exceptions import IllegalTransition, NotAllowed, ValidationFailed
from smartcommune.rounds.models import Round
from smartcommune.rounds.views.common import error_message, error_text, visible_assessment_or_404

# Room for the multipart envelope around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _round_or_404(request: HttpRequest, round_id: int) -> tuple[Round, list]:
    round_ = Round.objects.select_related("province").filter(pk=round_id).first()
    assessments = selectors.template_assessments(request.user, round_) if round_ is not None else []
    if not assessments:
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    return round_, assessments


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    # A template holds the values of the communes this user may see: never cached.
    return download(data, filename=filename, content_type=XLSX, cache_control="private, no-store")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/index.html", {
        "rounds": selectors.import_rounds(request.user),
        "max_mb": max_bytes() / 1024 / 1024,
    })


@login_required
@require_GET
def round_template(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every assessment of the round the user may see (one sheet row per commune and criterion)."""
    round_, assessments = _round_or_404(request, round_id)
    prefill = request.GET.get("prefill") == "1"
    values = selectors.template_values(assessments) if prefill else None
    data = build_template(round_, assessments, values=values, synthetic=selectors.is_synthetic(round_))
    return _xlsx(data, template_filename(round_, assessments, prefill=prefill))


@login_required
@require_GET
def assessment_template(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = visible_assessment_or_404(request, assessment_id)
    round_ = assessment.round
    prefill = request.GET.get("prefill") == "1"
    values = selectors.template_values([assessment]) if prefill else None
    data = build_template(round_, [assessment], values=values, synthetic=selectors.is_synthetic(round_))
    return _xlsx(data, template_filename(round_, [assessment], prefill=prefill))


def _report(request: HttpRequest, round_: Round, err: ImportRefused, status: int = 400) -> HttpResponse:
    return render(request, "imports/report.html", {"round": round_, "error": err, "english": english()},
                  status=status)


# The CSRF middleware would read the whole body before the view could look at its size;
# the same check is made here, after the size check (as rounds' evidence upload does).
@csrf_exempt
@login_required
@require_POST
def upload(request: HttpRequest, round_id: int) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = max_bytes()
    if length > limit + ENVELOPE_BYTES:
        # Nothing of the body has been read.
        round_, _assessments = _round_or_404(request, round_id)
        return _report(request, round_, too_large("—", length), status=413)
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if refused is not None:
        return refused
    round_, _assessments = _round_or_404(request, round_id)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Chưa chọn tệp để tải lên."))
        return HttpResponseRedirect(reverse("imports:index"), status=303)
    if file.size > limit:
        return _report(request, round_, too_large(file.name, file.size), status=413)
    try:
        plan = read_upload(file.read(), file.name, criteria_set_code=round_.criteria_set_code)
        preview = build_preview(plan, request.user, round_=round_)
    except ImportRefused as err:
        return _report(request, round_, err)
    if not preview.communes:
        messages.info(request, _("Tệp “%(name)s” không làm thay đổi số liệu nào; không có gì để nhập.")
                      % {"name": file.name})
        return HttpResponseRedirect(reverse("imports:index"), status=303)
    batch = do_stage_import(actor=request.user, round_=round_, preview=preview)
    return HttpResponseRedirect(reverse("imports:batch", args=[batch.pk]), status=303)


def _batch_or_404(request: HttpRequest, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("round", "round__province").filter(
        pk=batch_id, user=request.user).first()
    if batch is None:
        raise Http404(_("Không tìm thấy lần nhập dữ liệu."))
    return batch


def _show(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field == "met":
        return _("Đạt") if value else _("Không đạt")
    return str(value)


def _status(status: str) -> str:
    return _(STATUS_LABELS_VI[status])


def _communes(preview: dict) -> list[dict]:
    """The stored preview with values and statuses as people read them."""
    rows = []
    for c in preview.get("communes", []):
        rows.append({
            **c,
            "field_changes": [{"code": code, "name": name, "old": _status(old), "new": _status(new)}
                              for code, name, old, new in c["field_changes"]],
            "criteria": [
                {"code": k["code"],
                 "values": [{"field": f, "old": _show(f, k["old"][f]), "new": _show(f, k["new"][f])} for f in k["fields"]],
                 "old_status": _status(k["status"][0]), "new_status": _status(k["status"][1]),
                 "status_code": k["status"][1], "moved": k["status"][0] != k["status"][1]}
                for k in c["criteria"]
            ],
        })
    return rows


def _batch_page(request: HttpRequest, batch: ImportBatch, *, status: int = 200, errors=(), conflict=None):
    return render(request, "imports/preview.html", {
        "batch": batch, "p": batch.preview, "communes": _communes(batch.preview), "round": batch.round, "errors": list(errors), "conflict": conflict,
        "synthetic": selectors.is_synthetic(batch.round),
    }, status=status)


@login_required
@require_GET
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_page(request, _batch_or_404(request, batch_id))


@login_required
@require_POST
def batch_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    try:
        result = do_import(actor=request.user, changes=batch.changes, versions=batch.versions,
                           file_name=batch.file_name, batch=batch)
    except ImportConflict as err:
        return _batch_page(request, batch, status=409, errors=[error_message(err)],
                           conflict=err)
    except NotAllowed as err:
        return _batch_page(request, batch, status=403, errors=[error_message(err)])
    except (ValidationFailed, IllegalTransition) as err:
        return _batch_page(request, batch, status=400, errors=[error_message(err)])
    messages.success(request, _("Đã nhập “%(name)s”: %(values)s giá trị của %(n)s hồ sơ.") % {
        "name": batch.file_name, "values": result.values, "n": result.assessments})
    return HttpResponseRedirect(reverse("imports:batch", args=[batch.pk]), status=303)


@login_required
@require_POST
def batch_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    try:
        do_discard_import(actor=request.user, batch=batch)
    except IllegalTransition as err:
        return _batch_page(request, batch, status=400, errors=[error_text(err)])
    messages.info(request, _("Đã huỷ lần nhập “%(name)s”; không có gì thay đổi.") % {"name": batch.file_name})
    return HttpResponseRedirect(reverse("imports:index"), status=303)

