"""The criteria-set library: list, upload, check, read as the regulation's table, compare, make available.

Thin views: parse, call :mod:`.actions` (writes) or :mod:`.store` (reads), render.  Only a
secretariat or an administrator (``rounds.access.can_manage_criteria_sets``) sees these
pages; anyone else signed in gets 403.
"""

from __future__ import annotations

import tomllib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcommune.core.downloads import XLSX, download
from smartcommune.core.language import in_language
from smartcommune.core.wording import pass_rule_text
from smartcommune.criteria import registry
from smartcommune.criteria.check import check_text
from smartcommune.criteria.diff import diff_documents
from smartcommune.criteria.model import CriteriaSet
from smartcommune.criteria.spreadsheet import xlsx_bytes
from smartcommune.criteria.wording import CRITERIA
from smartcommune.criteriasets import store
from smartcommune.criteriasets.actions import MAX_UPLOAD_BYTES, do_make_available, do_upload_set
from smartcommune.criteriasets.models import UploadedSet
from smartcommune.rounds import access
from smartcommune.rounds.exceptions import ValidationFailed
from smartcommune.rounds.models import Round


def _require(request: HttpRequest) -> None:
    if not access.can_manage_criteria_sets(request.user):
        raise PermissionDenied(_("Chỉ Thư ký Hội đồng hoặc quản trị viên mới quản lý bộ tiêu chí."))


def _upload_or_404(upload_id: int) -> UploadedSet:
    upload = UploadedSet.objects.select_related("uploaded_by", "made_available_by").filter(pk=upload_id).first()
    if upload is None:
        raise Http404(_("Không tìm thấy bộ tiêu chí."))
    return upload


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    _require(request)
    used = set(Round.objects.values_list("criteria_set_code", flat=True))
    return render(request, "criteriasets/library.html", {
        "entries": registry.available_sets(store.directory()),
        "uploads": UploadedSet.objects.select_related("uploaded_by").defer("content"),
        "used": used,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    })


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    _require(request)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Chưa chọn tệp để tải lên."))
        return HttpResponseRedirect(reverse("criteriasets:library"), status=303)
    problems = []
    if file.size > MAX_UPLOAD_BYTES:
        problems = [_("Tệp quá lớn (%(size)s byte; tối đa %(max)s).") % {"size": file.size, "max": MAX_UPLOAD_BYTES}]
    else:
        try:
            saved = do_upload_set(actor=request.user, file_name=file.name or "", data=file.read())
        except ValidationFailed as exc:
            problems = [in_language(p) for p in exc.problems]
        else:
            messages.success(request, _("Đã tải lên và kiểm tra bộ tiêu chí %(code)s.") % {"code": saved.code})
            return HttpResponseRedirect(reverse("criteriasets:detail", args=[saved.pk]), status=303)
    return render(request, "criteriasets/refused.html", {"file_name": file.name, "problems": problems}, status=422)


def _conditions(criterion) -> list[str]:
    out = []
    for condition in criterion.conditions:
        if condition.kind == "ratio":
            out.append(f"[{condition.numerator_label}] / [{condition.denominator_label}] "
                       f"{condition.comparator.value} {condition.threshold_text}%")
        elif condition.kind == "boolean":
            out.append(_("Đạt: %(label)s") % {"label": condition.label})
        else:
            out.append(str(getattr(condition, "label", condition.kind)))
    return out


def _table(criteria_set: CriteriaSet) -> list[dict]:
    def names(codes):
        return "; ".join(criteria_set.agency(c).name for c in codes)

    return [
        {"group": g, "rule": pass_rule_text(g.pass_rule, len(g.criteria), CRITERIA), "rows": [
            {"criterion": c, "lead": names(c.lead_agencies), "coordinating": names(c.coordinating_agencies),
             "conditions": _conditions(c)} for c in g.criteria]}
        for g in criteria_set.groups
    ]


def _against(request: HttpRequest, upload: UploadedSet) -> tuple[str, str | None]:
    """The other version chosen to compare with (``?against=upload:ID`` or ``set:CODE``) and its text."""
    choice = request.GET.get("against", "")[:200]
    if choice.startswith("upload:") and choice[7:].isdigit():
        other = UploadedSet.objects.filter(pk=int(choice[7:])).only("content").first()
        return choice, other.content if other else None
    if choice.startswith("set:"):
        entry = registry.find_entry(choice[4:], store.directory())
        if entry is not None:
            try:
                return choice, entry.path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return choice, None
    return "", None


@login_required
@require_GET
def detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    _require(request)
    upload = _upload_or_404(upload_id)
    report = check_text(upload.content, source=upload.file_name)
    choice, other = _against(request, upload)
    changes = None
    if other is not None:
        try:
            changes = diff_documents(tomllib.loads(other), tomllib.loads(upload.content))
        except tomllib.TOMLDecodeError:
            changes = None
    versions = [(f"upload:{u.pk}", f"{u.code} — {u.uploaded_at:%d/%m/%Y %H:%M} ({u.sha256[:12]})")
                for u in UploadedSet.objects.exclude(pk=upload.pk).only("code", "uploaded_at", "sha256")]
    versions += [(f"set:{e.code}", f"{e.code} ({store.ORIGIN_LABELS[e.origin]})")
                 for e in registry.available_sets(store.directory())]
    return render(request, "criteriasets/detail.html", {
        "upload": upload, "report": report, "criteria_set": report.criteria_set,
        "table": _table(report.criteria_set) if report.criteria_set else [],
        "versions": versions, "choice": choice, "changes": changes,
        "rounds": Round.objects.filter(criteria_set_code=upload.code).select_related("province"),
    })


@login_required
@require_GET
def export(request: HttpRequest, upload_id: int) -> HttpResponse:
    _require(request)
    upload = _upload_or_404(upload_id)
    return download(xlsx_bytes(upload.content), filename=f"{upload.code}.xlsx", content_type=XLSX,
                    cache_control="private, no-store")


@login_required
@require_POST
def make_available(request: HttpRequest, upload_id: int) -> HttpResponse:
    _require(request)
    upload = _upload_or_404(upload_id)
    try:
        do_make_available(actor=request.user, upload=upload)
    except ValidationFailed as exc:
        for p in exc.problems:
            messages.error(request, in_language(p))
    else:
        messages.success(request, _("Bộ tiêu chí %(code)s dùng được cho các đợt đánh giá mới.") % {"code": upload.code})
    return HttpResponseRedirect(reverse("criteriasets:detail", args=[upload.pk]), status=303)
