"""Find a criteria set by code: shipped, in the administrator's directory, or uploaded.

The web app's one way to turn a code into a set (:func:`get_criteria_set`) and, for a
round, into the very set the round was opened with (:func:`for_round`): a round stores
the SHA-256 of its set's file when it is opened, and a set whose content has changed
since under the same code is refused with :class:`CriteriaSetChanged`, never evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from smartcommune.criteria import registry
from smartcommune.criteria.check import check_text
from smartcommune.criteria.loader import CriteriaFileError, Problem
from smartcommune.criteria.model import CriteriaSet
from smartcommune.criteriasets.models import UploadedSet
from smartcommune.rounds.exceptions import RoundError

ORIGIN_LABELS = {"package": "có sẵn", "directory": "thư mục quản trị", "upload": "tải lên"}


class CriteriaSetChanged(RoundError):
    """The set under a round's code is not the one the round was opened with."""

    def __init__(self, code: str, expected: str, found: str):
        self.code = code
        super().__init__(
            f"Bộ tiêu chí {code!r} đã bị thay đổi sau khi mở đợt đánh giá (mã băm {found[:12]} khác {expected[:12]} "
            f"đã lưu với đợt); không dùng được. Hãy khôi phục tệp cũ, hoặc đặt bộ mới dưới một mã mới",
            f"criteria set {code!r} changed after the round was opened (hash {found[:12]}, not {expected[:12]}); "
            f"restore the old file, or give the new version a new code",
        )


@dataclass(frozen=True, slots=True)
class Found:
    criteria_set: CriteriaSet
    sha256: str
    origin: str  # "package", "directory" or "upload"


_PARSED: dict[str, CriteriaSet | None] = {}
"""Uploaded sets already parsed, by content hash (content-addressed: never stale)."""


def directory() -> str | None:
    """The administrator's directory of set files (setting ``SMARTCOMMUNE_CRITERIA_DIR``)."""
    return getattr(settings, "SMARTCOMMUNE_CRITERIA_DIR", "") or None


def parsed(upload: UploadedSet) -> CriteriaSet | None:
    if upload.sha256 not in _PARSED:
        _PARSED[upload.sha256] = check_text(upload.content, source=upload.file_name).criteria_set
    return _PARSED[upload.sha256]


def find(code: str, *, sha256: str = "") -> Found | None:
    """The usable set with ``code`` (an upload: the available one, or the one with ``sha256``).

    Raises :class:`~smartcommune.criteria.loader.CriteriaFileError` for an invalid file.
    """
    entry = registry.find_entry(code, directory())
    if entry is not None:
        if entry.criteria_set is None:
            raise CriteriaFileError(entry.path, [Problem(f.place_vi or f.path, f.vi, f.en) for f in entry.errors])
        return Found(entry.criteria_set, entry.sha256, entry.origin)
    uploads = UploadedSet.objects.filter(code=code)
    upload = (uploads.filter(sha256=sha256).first() if sha256 else None) or uploads.filter(available=True).first()
    if upload is None:
        return None
    criteria_set = parsed(upload)
    if criteria_set is None:
        raise CriteriaFileError(upload.file_name, [Problem("", "tệp đã lưu không còn hợp lệ", "the stored file is no longer valid")])
    return Found(criteria_set, upload.sha256, "upload")


def get_criteria_set(code: str | None = None) -> CriteriaSet:
    """Like :func:`smartcommune.criteria.registry.get_criteria_set` (a code or a file path),
    the administrator's directory and the uploaded sets included."""
    code = code or registry.DEFAULT_CODE
    found = find(code)
    if found is None:
        return registry.get_criteria_set(code, directory=directory())
    return found.criteria_set


def for_round(code: str, sha256: str) -> CriteriaSet:
    """The set a round was opened with; :class:`CriteriaSetChanged` if its content changed.

    A round opened before hashes were stored (``sha256`` empty) gets the set by code.
    """
    found = find(code, sha256=sha256)
    if found is None:
        raise registry.UnknownCriteriaSet(code, directory=directory())
    if sha256 and found.sha256 != sha256:
        raise CriteriaSetChanged(code, sha256, found.sha256)
    return found.criteria_set


def for_new_rounds() -> list[Found]:
    """Every set a new round may use: the valid shipped and directory sets, then the available uploads."""
    out = [Found(e.criteria_set, e.sha256, e.origin) for e in registry.available_sets(directory()) if e.valid]
    taken = {f.criteria_set.code for f in out}
    for upload in UploadedSet.objects.filter(available=True).order_by("code"):
        criteria_set = parsed(upload)
        if criteria_set is not None and upload.code not in taken:
            out.append(Found(criteria_set, upload.sha256, "upload"))
    return out
