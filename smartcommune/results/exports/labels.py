"""The words of an official Vietnamese document, shared by the Excel and PDF exports.

Title block (issuing authority on the left, the national motto on the right), the
place-and-date line, status labels, the synthetic-data mark and file names. Labels are
Vietnamese msgids marked for translation: an export follows the request's language.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcommune.criteria import wording
from smartcommune.criteria.engine import STATUS_LABELS_VI, Status
from smartcommune.rounds.models import Status as Workflow
from smartcommune.units.models import Unit

NATION = gettext_lazy("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = gettext_lazy("Độc lập - Tự do - Hạnh phúc")
SYNTHETIC_MARK = gettext_lazy("DỮ LIỆU MÔ PHỎNG — không phải số liệu thật")
PREPARER = gettext_lazy("NGƯỜI LẬP BIỂU")
HEAD = gettext_lazy("THỦ TRƯỞNG ĐƠN VỊ")
SIGN_HINT = gettext_lazy("(Ký, ghi rõ họ tên)")
HEAD_SIGN_HINT = gettext_lazy("(Ký, ghi rõ họ tên, đóng dấu)")

# A province's name without its kind: "Tỉnh Bến Tre" → "Bến Tre".
_KINDS = re.compile(r"^(Tỉnh|Thành phố|TP\.?)\s+", re.IGNORECASE)


def place_name(province: Unit) -> str:
    """Where a document is signed: the province's name without "Tỉnh"/"Thành phố"."""
    return _KINDS.sub("", province.name).strip()


def authority(province: Unit) -> tuple[str, str]:
    """The issuing authority of the title block, on its two lines as an official document
    sets it: ``("ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE")``."""
    return _("ỦY BAN NHÂN DÂN"), province.name.upper()


def today() -> dt.date:
    return timezone.localdate()


def date_line(province: Unit, day: dt.date | None = None) -> str:
    """``Bến Tre, ngày 29 tháng 11 năm 2026`` (the day of the export by default)."""
    day = day or today()
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "place": place_name(province), "day": day.day, "month": day.month, "year": day.year,
    }


def results_title(year: int) -> str:
    return _("KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM %(year)d") % {"year": year}


def scorecard_title(year: int) -> str:
    return _("PHIẾU KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM %(year)d") % {"year": year}


def criterion_status(status: str) -> str:
    """A criterion's status in words: Đạt, Chưa đạt, Không áp dụng, Thiếu dữ liệu."""
    return _(STATUS_LABELS_VI[status])


def field_status(status: str) -> str:
    """A field's cell in the matrix: Đạt, Không đạt, or — when data is missing."""
    if status == Status.MET:
        return _("Đạt")
    if status == Status.NOT_MET:
        return _("Không đạt")
    return "—"


def verdict(smart_commune: bool, fields_short: int | None = None) -> str:
    """"Đạt xã thông minh", "Chưa đạt (thiếu 2 lĩnh vực)" or, without ``fields_short``,
    "Chưa đạt", in the active language (:func:`smartcommune.criteria.wording.verdict`)."""
    return wording.verdict(smart_commune, fields_short, _=_)


def met_text(met: bool | None) -> str:
    """A reported pass/fail answer: Đạt, Không đạt, or empty when not reported."""
    if met is None:
        return ""
    return _("Đạt") if met else _("Không đạt")


def threshold_text(criterion) -> str:
    """``≥ 90%`` / ``= 100%``; empty for a pass/fail criterion."""
    ratio = criterion.ratio
    if ratio is None:
        return ""
    sign = "≥" if ratio.comparator.value == ">=" else "="
    return f"{sign} {ratio.threshold_text}%"


def decision_text(assessment) -> str:
    """The recognition decision: ``15/QĐ-UBND ngày 01/03/2025`` (empty before one is recorded)."""
    if not assessment.decision_number:
        return ""
    if not assessment.decision_date:
        return assessment.decision_number
    return _("%(number)s ngày %(date)s") % {
        "number": assessment.decision_number, "date": assessment.decision_date.strftime("%d/%m/%Y")}


def commune_line(unit: Unit, district: Unit | None) -> str:
    """``Phường Phú Tân (28759) — Thành phố Bến Tre``."""
    text = f"{unit.name} ({unit.code})"
    if district is not None:
        text += f" — {district.name}"
    return text


def workflow_label(status: str) -> str:
    """An assessment's workflow status in words (Đã nộp, Đã công bố, …)."""
    return str(Workflow(status).label)


def file_name(title: str, *, synthetic: bool, extension: str) -> str:
    """A download's name from a Vietnamese title; a synthetic round says so in it."""
    if synthetic:
        title = _("%(title)s (dữ liệu mô phỏng)") % {"title": title}
    title = re.sub(r'[\\/:*?"<>|\s]+', " ", title).strip()
    return f"{title}.{extension}"
