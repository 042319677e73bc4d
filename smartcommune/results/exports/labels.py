"""The words of an official Vietnamese document, shared by the Excel and PDF exports.

Title block (issuing authority on the left, the national motto on the right), the
place-and-date line, status labels, the synthetic-data mark and file names. Labels are
Vietnamese msgids marked for translation: an export follows the request's language.
A verdict, a rule, a gap or points in words are :mod:`smartcommune.core.wording`'s.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import numberformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcommune.core import wording
from smartcommune.criteria.engine import STATUS_LABELS_VI, Status
from smartcommune.criteria.wording import rule_is_count
from smartcommune.rounds.models import status_label
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


def date_words(day: dt.date) -> str:
    """``ngày 05 tháng 02 năm 2025``, ``ngày 10 tháng 3 năm 2025``: as Nghị định
    30/2020/NĐ-CP writes a date, a 0 before a day below 10 and before the months 1 and 2."""
    return _("ngày %(day)s tháng %(month)s năm %(year)d") % {
        "day": f"{day.day:02d}", "month": f"{day.month:02d}" if day.month < 3 else str(day.month), "year": day.year}


def date_line(province: Unit, day: dt.date | None = None) -> str:
    """``Bến Tre, ngày 10 tháng 02 năm 2025`` (the day of the export by default)."""
    return _("%(place)s, %(date)s") % {"place": place_name(province), "date": date_words(day or today())}


def count_text(value: int) -> str:
    """A count grouped by thousands in the active language's way: ``1.234`` in Vietnamese,
    ``1,234`` in English (Django's Vietnamese formats group nothing by default)."""
    return numberformat.format(value, get_format("DECIMAL_SEPARATOR"), grouping=3,
                               thousand_sep=get_format("THOUSAND_SEPARATOR"), force_grouping=True)


def number_line(symbol: str) -> str:
    """``Số: …/BC-UBND``: the number is left for the office to give when it issues."""
    return _("Số: …/%(symbol)s") % {"symbol": symbol}


def unit_authority(unit: Unit) -> tuple[str, str]:
    """The people's committee of ``unit`` on two lines: ``("ỦY BAN NHÂN DÂN", "XÃ TÂN THẠCH")``."""
    return _("ỦY BAN NHÂN DÂN"), unit.name.upper()


def committee_signature() -> tuple[str, ...]:
    """A people's committee's signature lines, signed by a vice-chairman for the chairman
    on behalf of the committee (the office changes them in the DOCX when another signs)."""
    return _("TM. ỦY BAN NHÂN DÂN"), _("KT. CHỦ TỊCH"), _("PHÓ CHỦ TỊCH")


def recognition(criteria_set) -> str:
    """What ``criteria_set`` recognises, in the active language: "xã thông minh", "smart
    commune" (the set's ``recognition_name``, whose translation the catalogue carries); the
    set's own name for a set of the first format that names nothing."""
    return _(criteria_set.recognition_name) if criteria_set.recognition_name else criteria_set.name


def rule_facts(criteria_set) -> list[tuple[str, str]]:
    """The row a document's facts add to state the rule ("Điều kiện công nhận: Có tổng
    điểm từ 50,00 trở lên"); none for a set that recognises by a plain count of fields,
    whose "(cần 7)" beside the fields met says it (:func:`fields_met_text`)."""
    if rule_is_count(criteria_set):
        return []
    text = wording.rule_text(criteria_set)
    return [(_("Điều kiện công nhận"), text[:1].upper() + text[1:])]


def fields_met_of(evaluation) -> str:
    """:func:`fields_met_text` of an evaluation: ``"8/10 (cần 7)"``, or ``"2/3"`` for a set
    whose rule is not a plain count of fields (its rule is stated apart, :func:`rule_facts`)."""
    required = evaluation.fields_required if rule_is_count(evaluation.criteria_set) else 0
    return fields_met_text(evaluation.fields_met, len(evaluation.fields), required)


def results_title(year: int, criteria_set) -> str:
    """``KẾT QUẢ ĐÁNH GIÁ XÃ THÔNG MINH NĂM 2024``, in the set's words."""
    return _("KẾT QUẢ ĐÁNH GIÁ %(name)s NĂM %(year)d") % {"name": recognition(criteria_set).upper(), "year": year}


def scorecard_title(year: int, criteria_set) -> str:
    return _("PHIẾU KẾT QUẢ ĐÁNH GIÁ %(name)s NĂM %(year)d") % {
        "name": recognition(criteria_set).upper(), "year": year}


def level_text(evaluation) -> str:
    """The level reached (its name from the set), or empty."""
    return "" if evaluation.level is None else evaluation.level.name


def certainty_text(evaluation) -> str:
    """``"Kết quả đã chắc chắn"`` or ``"còn có thể thay đổi"`` (a value still missing could
    change recognition or level)."""
    return _("Kết quả đã chắc chắn") if evaluation.outcome_certain else _("còn có thể thay đổi")


def outcome_facts(evaluation) -> list[tuple[str, str]]:
    """The rows a set with points, levels or preconditions adds, and the certainty of an
    incomplete result; none for a complete result of a set like Bến Tre's."""
    criteria_set = evaluation.criteria_set
    facts = []
    if criteria_set.scores:
        facts.append((_("Điểm"), points_of(evaluation)))
        facts += [(_("Điểm lĩnh vực %(code)s") % {"code": f.group.code},
                   f"{wording.points(f.points)}/{wording.points(f.points_max)}")
                  for f in evaluation.fields]
    if criteria_set.levels:
        facts.append((_("Mức đạt"), level_text(evaluation) or "—"))
        facts.append((_("Mức tiếp theo"), wording.next_level_text(evaluation) or "—"))
    if criteria_set.preconditions:
        facts.append((_("Điều kiện tiên quyết"), wording.eligibility_text(evaluation) or _("Đủ điều kiện")))
    if not evaluation.complete:
        facts.append((_("Kết quả"), certainty_text(evaluation)))
    return facts


def points_of(evaluation) -> str:
    """``"26,67/100,00"``: the points scored of the most the set gives, in the active
    language's way."""
    return f"{wording.points(evaluation.points)}/{wording.points(evaluation.points_max)}"


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


def fields_met_text(met: int, total: int, required: int) -> str:
    """``"8/10 (cần 7)"``; ``"2/3"`` for a set that recognises by points (it asks for no
    number of fields: no "(cần 0)")."""
    if not required:
        return f"{met}/{total}"
    return _("%(met)d/%(total)d (cần %(required)d)") % {"met": met, "total": total, "required": required}


def workflow_label(status: str, *, districts: bool = True) -> str:
    """An assessment's workflow status in words (Đã nộp, Đã công bố, …); without a district
    level, "district reviewed" reads "Chờ sở xác minh" (:func:`~smartcommune.rounds.models.status_label`)."""
    return status_label(status, districts=districts)


def file_name(title: str, *, synthetic: bool, extension: str) -> str:
    """A download's name from a Vietnamese title; a synthetic round says so in it."""
    if synthetic:
        title = _("%(title)s (dữ liệu mô phỏng)") % {"title": title}
    title = re.sub(r'[\\/:*?"<>|\s]+', " ", title).strip()
    return f"{title}.{extension}"
