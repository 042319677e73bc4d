"""The writes of the criteria-set library: upload a set, make it available for new rounds.

Both are the secretariat's or an administrator's (:func:`~smartcommune.rounds.access.can_manage_criteria_sets`),
keyword-only, atomic and dated by ``now``; the rows themselves record who did what when
(an upload is never changed, only made available).
"""

from __future__ import annotations

from django.db import transaction

from smartcommune.criteria import registry
from smartcommune.criteria.check import check_bytes
from smartcommune.criteria.spreadsheet import SpreadsheetError, toml_from_xlsx
from smartcommune.criteriasets import store
from smartcommune.criteriasets.models import UploadedSet
from smartcommune.rounds import access
from smartcommune.rounds.audit import clock
from smartcommune.rounds.exceptions import NotAllowed, Problem, ValidationFailed
from smartcommune.rounds.models import Round

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _require(actor) -> None:
    if not access.can_manage_criteria_sets(actor):
        raise NotAllowed("Chỉ Thư ký Hội đồng hoặc quản trị viên mới quản lý bộ tiêu chí",
                         "only a secretariat or an administrator manages criteria sets")


def _used_by_other_content(code: str, sha256: str) -> Round | None:
    """A round that uses ``code`` with different content, if any."""
    return Round.objects.filter(criteria_set_code=code).exclude(criteria_hash=sha256).exclude(criteria_hash="").select_related("province").first()


def read_upload(file_name: str, data: bytes) -> str:
    """The TOML text of an uploaded .toml or .xlsx file; :class:`ValidationFailed` otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed([Problem(f"tệp quá lớn ({len(data)} byte; tối đa {MAX_UPLOAD_BYTES})",
                                        f"file too large ({len(data)} bytes; at most {MAX_UPLOAD_BYTES})", field="file")])
    if file_name.lower().endswith(".xlsx"):
        try:
            return toml_from_xlsx(data)
        except SpreadsheetError as exc:
            raise ValidationFailed([Problem(vi, en, field="file") for vi, en in exc.problems]) from None
    if not file_name.lower().endswith(".toml"):
        raise ValidationFailed([Problem("chỉ nhận tệp .toml hoặc .xlsx", "only .toml or .xlsx files", field="file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed([Problem("tệp không phải UTF-8", "file is not UTF-8", field="file")]) from None


def do_upload_set(*, actor, file_name: str, data: bytes, now=None) -> UploadedSet:
    """Store a checked set file (TOML, or a workbook from ``criteria export``); the same
    content uploaded again is the same row.  Refused, storing nothing: an invalid file
    (every problem with its line and criterion), a code of a shipped or directory set,
    and a new content under a code a round already uses."""
    _require(actor)
    file_name = file_name[-255:]
    text = read_upload(file_name, data)
    encoded = text.encode("utf-8")
    report = check_bytes(encoded, source=file_name)
    if not report.ok:
        raise ValidationFailed([Problem(f"{f.place_vi}: {f.vi}" if f.place_vi else f.vi,
                                        f"{f.place_en}: {f.en}" if f.place_en else f.en, field="file") for f in report.errors])
    criteria_set = report.criteria_set
    code, sha256 = criteria_set.code, registry.content_hash(encoded)
    if registry.find_entry(code, store.directory()) is not None:
        raise ValidationFailed([Problem(
            f"mã {code!r} là của một bộ tiêu chí có sẵn; hãy đặt mã khác", f"code {code!r} belongs to an installed set; use another code",
            field="file", value=code)])
    with transaction.atomic():
        used = _used_by_other_content(code, sha256)
        if used is not None:
            raise ValidationFailed([Problem(
                f"bộ tiêu chí {code!r} đang được đợt đánh giá năm {used.year} của {used.province.name} sử dụng; "
                f"không được đổi nội dung dưới cùng mã. Hãy đặt mã mới (ví dụ {code}-v2)",
                f"set {code!r} is used by the {used.year} round of {used.province.name}; its content cannot change "
                f"under the same code. Give it a new code (e.g. {code}-v2)", field="file", value=code)])
        upload, _ = UploadedSet.objects.get_or_create(code=code, sha256=sha256, defaults={
            "name": criteria_set.name[:500], "content": text, "file_name": file_name,
            "uploaded_by": actor, "uploaded_at": clock(now)(),
        })
    return upload


def do_make_available(*, actor, upload: UploadedSet, now=None) -> UploadedSet:
    """Make ``upload`` the version of its code that new rounds may use (the code's other
    versions stop being offered; rounds already opened keep theirs)."""
    _require(actor)
    with transaction.atomic():
        upload = UploadedSet.objects.select_for_update().get(pk=upload.pk)
        if upload.available:
            return upload
        used = _used_by_other_content(upload.code, upload.sha256)
        if used is not None:
            raise ValidationFailed([Problem(
                f"bộ tiêu chí {upload.code!r} đang được đợt đánh giá năm {used.year} của {used.province.name} "
                "sử dụng với nội dung khác; không thể thay phiên bản",
                f"set {upload.code!r} is used by the {used.year} round of {used.province.name} with other content",
                value=upload.code)])
        UploadedSet.objects.filter(code=upload.code, available=True).update(available=False)
        upload.available = True
        upload.made_available_by = actor
        upload.made_available_at = clock(now)()
        upload.save(update_fields=["available", "made_available_by", "made_available_at"])
    return upload
