"""What each official document says, as the placeholders of its templates
(:mod:`smartcommune.documents.kinds`): plain strings, lists of strings and lists of rows,
the same for the DOCX and the PDF. Every figure is the engine's, as the results selectors
carry it; numbers in the active language's format (Vietnamese: 1.234; 86,30%)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.documents.kinds import (
    APPRAISAL_MINUTES, DISTRICT_PROPOSAL, DRAFT_DECISION, PROVINCE_REPORT, SELF_ASSESSMENT, Kind)
from smartcommune.results.exports import labels, reports
from smartcommune.results.selectors.common import district_of, is_synthetic
from smartcommune.results.selectors.overview import Overview
from smartcommune.results.selectors.scorecard import Scorecard
from smartcommune.rounds.evaluation import evaluations_of
from smartcommune.rounds.models import AppraisalResult, AppraisalSession, Decision, DecisionLine, Round
from smartcommune.units.models import Unit

# Placeholders holding a list of lines (the others: text, or lists of rows).
LINE_LISTS = frozenset({"noi_nhan", "ky_thay", "thanh_phan", "can_cu_list"})
_UNIT_KINDS = re.compile(r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Xã|Phường|Thị trấn)\s+", re.IGNORECASE)


count = labels.count_text


def place_of(unit: Unit) -> str:
    """Where a unit's documents are signed: its name without its kind ("Xã Tân Thạch" → "Tân Thạch")."""
    return _UNIT_KINDS.sub("", unit.name).strip()


def committee(unit: Unit) -> str:
    """``Ủy ban nhân dân xã Tân Thạch``: the committee named inside a sentence."""
    return _("Ủy ban nhân dân %(unit)s") % {"unit": unit.name[:1].lower() + unit.name[1:]}


def bar_text(overview: Overview) -> str:
    """What recognition asks, after "đạt từ … trở lên": ``"7/9 lĩnh vực"``, or for a set on
    points ``"50,00 điểm"``."""
    s = overview.criteria_set
    if s.pass_rule.by_points:
        return _("%(points)s điểm") % {"points": wording.points(s.pass_rule.points_at_least)}
    return _("%(required)d/%(total)d lĩnh vực") % {"required": s.fields_required, "total": len(s.groups)}


def near_text(overview: Overview) -> str:
    """How far the communes closest to recognition may be, after "còn thiếu":
    ``"một hoặc hai lĩnh vực"``, or for a set on points ``"không quá 10,00 điểm"``."""
    near = overview.closest_points
    if near is None:
        return _("một hoặc hai lĩnh vực")
    return _("không quá %(points)s điểm") % {"points": wording.points(near)}


def _name(round_: Round) -> str:
    """What the round's set recognises, in the active language ("xã thông minh")."""
    return labels.recognition(round_.criteria_set)


def _common(kind: Kind, *, unit: Unit, authority: tuple[str, str], round_: Round, summary: str, kind_name: str,
            recipients: list[str], day: dt.date | None, parent: str = "", signature: tuple[str, ...] | None = None,
            ending: str = "", synthetic: bool | None = None) -> dict:
    return {
        "quoc_hieu": str(labels.NATION), "tieu_ngu": str(labels.MOTTO),
        "co_quan_chu_quan": parent, "co_quan_1": authority[0], "co_quan_2": authority[1],
        "co_quan_ten": committee(unit),
        "so_ky_hieu": labels.number_line(kind.symbol),
        "dia_danh_ngay": _("%(place)s, %(date)s") % {"place": place_of(unit),
                                                     "date": labels.date_words(day or labels.today())},
        "ten_loai": kind_name, "trich_yeu": summary,
        "noi_nhan": recipients, "ky_thay": list(signature or labels.committee_signature()), "nguoi_ky": "",
        "ket_thuc": ending, "nam": str(round_.year), "bo_tieu_chi": round_.criteria_set.name,
        "danh_hieu": _name(round_),
        "du_lieu_mo_phong": is_synthetic(round_) if synthetic is None else synthetic,
    }


def _annex_note(kind_name: str, kind: Kind, day: dt.date | None, issuer: str) -> str:
    return _("(Kèm theo %(kind)s số …/%(symbol)s %(date)s của %(issuer)s)") % {
        "kind": kind_name, "symbol": kind.symbol, "date": labels.date_words(day or labels.today()), "issuer": issuer}


# -- the commune's self-assessment report ------------------------------------------------


def self_assessment(card: Scorecard, *, day: dt.date | None = None) -> dict:
    evaluation, round_, unit = card.evaluation, card.round, card.unit
    district = card.district
    recipients = ([_("- %(district)s;") % {"district": committee(district)}] if district else []) + [
        _("- Thường trực Đảng ủy, HĐND xã;"), _("- Lưu: VT.")]
    context = _common(
        SELF_ASSESSMENT, unit=unit, authority=labels.unit_authority(unit), round_=round_, kind_name=_("BÁO CÁO"),
        summary=_("Kết quả tự đánh giá %(name)s năm %(year)d") % {"name": _name(round_), "year": round_.year},
        recipients=recipients, day=day, synthetic=card.synthetic,
        ending=_("Trên đây là báo cáo kết quả tự đánh giá %(name)s năm %(year)d của %(issuer)s./.") % {"name": _name(round_),
            "year": round_.year, "issuer": committee(unit)},
    )
    rows = []
    for line in card.lines:
        item = reports.scorecard_line(line)
        rows.append({
            "ma": line.criterion.code, "linh_vuc": line.field.code, "noi_dung": line.criterion.text,
            "chi_tieu": item["threshold"], "so_lieu": " ".join(x for x in (item["value"], item["met"]) if x),
            "ty_le": item["ratio"], "ket_qua": item["status_label"], "con_thieu": line.gap_text,
            "minh_chung": "; ".join(e.title + (f" ({e.document_number})" if e.document_number and
                                               e.document_number != e.title else "") for e in line.evidence),
        })
    verdict = wording.verdict_of(evaluation)
    return context | {
        "can_cu": _("kế hoạch đánh giá %(name)s năm %(year)d của %(province)s") % {"name": _name(round_),
            "year": round_.year, "province": committee(round_.province)},
        "don_vi": f"{unit.name} ({unit.code})", "huyen": district.name if district else "",
        "so_linh_vuc_dat": labels.fields_met_text(evaluation.fields_met, len(evaluation.fields), evaluation.fields_required),
        "ket_qua": verdict,
        "kien_nghi": (_("Đề nghị %(district)s xem xét, trình thẩm định và công nhận %(unit)s đạt chuẩn %(name)s "
                        "năm %(year)d.") if evaluation.smart_commune else
                      _("%(unit)s tiếp tục hoàn thiện các tiêu chí chưa đạt để đề nghị công nhận %(name)s "
                        "trong năm tiếp theo.")) % {"name": _name(round_),
            "district": committee(district) if district else committee(round_.province), "unit": committee(unit),
            "year": round_.year},
        "linh_vuc": [{"ma": f.group.code, "ten": f.group.name, "ket_qua": labels.field_status(f.status)}
                     for f in evaluation.fields],
        "tieu_chi": rows,
    }


# -- the district's Tờ trình ---------------------------------------------------------------


def district_proposal(overview: Overview, *, day: dt.date | None = None) -> dict:
    district, round_, province = overview.district, overview.round, overview.province
    required = overview.criteria_set.fields_required
    total = len(overview.groups)
    smart = [r for r in overview.rows if r.evaluation.smart_commune]
    context = _common(
        DISTRICT_PROPOSAL, unit=district, authority=labels.unit_authority(district), round_=round_,
        kind_name=_("TỜ TRÌNH"), synthetic=overview.synthetic,
        summary=_("Đề nghị thẩm định, công nhận xã đạt chuẩn %(name)s năm %(year)d") % {"name": _name(round_), "year": round_.year},
        recipients=[_("- Như trên;"), _("- Hội đồng thẩm định tỉnh;"), _("- Lưu: VT.")], day=day,
        ending=_("%(issuer)s kính trình %(to)s xem xét, quyết định./.") % {
            "issuer": committee(district), "to": committee(province)},
    )
    return context | {
        "can_cu": _("kế hoạch đánh giá %(name)s năm %(year)d của %(province)s") % {"name": _name(round_),
            "year": round_.year, "province": committee(province)},
        "kinh_gui": committee(province)[:1].upper() + committee(province)[1:],
        "so_xa": count(len(overview.rows)), "so_xa_dat": count(len(smart)), "so_can_dat": f"{required}/{total}",
        "muc_dat": bar_text(overview),
        "de_nghi": ", ".join(r.unit.name for r in smart) or _("không có xã nào đủ điều kiện"),
        "xa": [{"stt": str(i), "ma": r.unit.code, "ten": r.unit.name,
                "so_linh_vuc_dat": labels.fields_met_text(r.evaluation.fields_met, total, required),
                "ket_qua": wording.verdict_of(r.evaluation),
                "trang_thai": r.assessment.status_text} for i, r in enumerate(overview.rows, start=1)],
    }


# -- the council's appraisal minutes -------------------------------------------------------


def council(province: Unit) -> tuple[str, str]:
    return _("ỦY BAN NHÂN DÂN %(province)s") % {"province": province.name.upper()}, _("HỘI ĐỒNG THẨM ĐỊNH")


def appraisal_minutes(session: AppraisalSession, *, day: dt.date | None = None) -> dict:
    round_ = session.round
    province = round_.province
    results = list(session.results.select_related("assessment__unit__parent").order_by("assessment__unit__code"))
    context = _common(
        APPRAISAL_MINUTES, unit=province, authority=council(province), round_=round_, kind_name=_("BIÊN BẢN"),
        summary=_("Thẩm định kết quả đánh giá %(name)s năm %(year)d") % {"name": _name(round_), "year": round_.year},
        recipients=[_("- Ủy ban nhân dân tỉnh (để báo cáo);"), _("- Thành viên Hội đồng;"), _("- Lưu: VT, HĐTĐ.")],
        day=day or session.date, signature=(_("TM. HỘI ĐỒNG THẨM ĐỊNH"), _("CHỦ TỊCH")),
        ending=_("Biên bản kết thúc cùng ngày, đã thông qua các thành viên Hội đồng./."),
    )
    context["co_quan_ten"] = _("Hội đồng thẩm định")
    return context | {
        "ngay_hop": labels.date_words(session.date), "thanh_phan": session.member_list,
        "noi_dung": session.minutes, "so_xa": count(len(results)),
        "so_de_nghi": count(sum(r.proposed for r in results)),
        "xa": [_appraised_row(i, r) for i, r in enumerate(results, start=1)],
    }


def _appraised_row(i: int, result: AppraisalResult) -> dict:
    unit = result.assessment.unit
    district = district_of(unit)
    return {"stt": str(i), "ma": unit.code, "ten": unit.name, "huyen": district.name if district else "",
            "so_linh_vuc_dat": labels.fields_met_text(result.fields_met, result.fields_total, result.fields_required),
            "ket_luan": _("Đề nghị công nhận") if result.proposed else _("Không đề nghị công nhận"),
            "y_kien": result.comment}


# -- the draft recognition decision --------------------------------------------------------


def latest_appraisals(round_: Round) -> list[AppraisalResult]:
    """Each appraised commune's latest appraisal in ``round_`` (by session date), by code."""
    latest: dict[int, AppraisalResult] = {}
    for result in (AppraisalResult.objects.filter(session__round=round_)
                   .select_related("assessment__unit__parent", "session")
                   .order_by("session__date", "session_id", "pk")):
        latest[result.assessment_id] = result
    return sorted(latest.values(), key=lambda r: r.assessment.unit.code)


def draft_decision(round_: Round, *, day: dt.date | None = None) -> dict:
    province = round_.province
    results = latest_appraisals(round_)
    proposed = [r for r in results if r.proposed]
    refused = [r for r in results if not r.proposed]
    issuer = committee(province)
    context = _common(
        DRAFT_DECISION, unit=province, authority=labels.authority(province), round_=round_, kind_name=_("QUYẾT ĐỊNH"),
        summary=_("Về việc công nhận xã đạt chuẩn %(name)s năm %(year)d") % {"name": _name(round_), "year": round_.year},
        recipients=[_("- Như Điều 3;"), _("- Bộ Khoa học và Công nghệ;"), _("- Chủ tịch, các Phó Chủ tịch UBND tỉnh;"),
                    _("- Lưu: VT.")], day=day,
    )
    rows = [_annex_row(i, r, _("Công nhận")) for i, r in enumerate(proposed, start=1)]
    return context | {
        "tham_quyen": _("ỦY BAN NHÂN DÂN %(province)s") % {"province": province.name.upper()},
        "can_cu_list": [
            _("Căn cứ Luật Tổ chức chính quyền địa phương;"),
            _("Căn cứ %(set)s;") % {"set": round_.criteria_set.name},
            _("Căn cứ kết quả thẩm định của Hội đồng thẩm định %(name)s năm %(year)d;") % {"name": _name(round_), "year": round_.year},
            _("Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ."),
        ],
        "so_xa": count(len(proposed)),
        "dieu_1": _("Công nhận %(n)s xã đạt chuẩn %(name)s năm %(year)d (có danh sách kèm theo).") % {"name": _name(round_),
            "n": count(len(proposed)), "year": round_.year},
        "dieu_2": _("Quyết định này có hiệu lực kể từ ngày ký."),
        "dieu_3": _("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Khoa học và Công nghệ, Chủ tịch Ủy ban nhân "
                    "dân các huyện, thành phố và các xã có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."),
        "tieu_de_phu_luc": _("DANH SÁCH XÃ ĐẠT CHUẨN %(name)s NĂM %(year)d") % {
            "name": _name(round_).upper(), "year": round_.year},
        "ghi_chu_phu_luc": _annex_note(_("Quyết định"), DRAFT_DECISION, day, issuer),
        "cong_nhan": rows,
        "khong_cong_nhan": [_annex_row(i, r, r.comment) for i, r in enumerate(refused, start=1)],
    }


def recorded_decision(decision: Decision) -> dict:
    """A recorded decision as its document: the draft's text with the decision's number,
    date, signer and annex -- the communes it recognises, and those it does not (or whose
    recognition it revokes) with the reason."""
    round_ = decision.round
    context = draft_decision(round_, day=decision.date)
    lines = list(decision.lines.select_related("assessment__unit__parent", "assessment__round", "amends__decision")
                 .order_by("assessment__unit__code"))
    results = evaluations_of([(line.assessment_id, line.assessment.version, round_, line.assessment.unit.code)
                              for line in lines])
    recognised = [line for line in lines if line.recognised]
    others = [line for line in lines if not line.recognised]
    signature = [_("TM. ỦY BAN NHÂN DÂN")] + [part.strip() for part in decision.signer_title.split("—") if part.strip()]
    return context | {
        "so_ky_hieu": _("Số: %(number)s") % {"number": decision.number},
        "ky_thay": signature if decision.signer_title else list(labels.committee_signature()),
        "nguoi_ky": decision.signer_name, "so_xa": count(len(recognised)),
        "dieu_1": _("Công nhận %(n)s xã đạt chuẩn %(name)s năm %(year)d (có danh sách kèm theo).") % {"name": _name(round_),
            "n": count(len(recognised)), "year": round_.year},
        "ghi_chu_phu_luc": _("(Kèm theo Quyết định số %(number)s %(date)s của %(issuer)s)") % {
            "number": decision.number, "date": labels.date_words(decision.date),
            "issuer": decision.issuing_body or committee(round_.province)},
        "cong_nhan": [_line_row(i, line, results, line.kind_label) for i, line in enumerate(recognised, start=1)],
        "khong_cong_nhan": [_line_row(i, line, results, f"{line.kind_label}: {line.reason}" if line.reason
                                      else line.kind_label) for i, line in enumerate(others, start=1)],
    }


def _line_row(i: int, line: DecisionLine, results: dict, note: str) -> dict:
    unit = line.assessment.unit
    district = district_of(unit)
    e = results[line.assessment_id]
    return {"stt": str(i), "ma": unit.code, "ten": unit.name, "huyen": district.name if district else "",
            "so_linh_vuc_dat": labels.fields_met_text(e.fields_met, len(e.fields), e.fields_required), "ghi_chu": note}


def _annex_row(i: int, result: AppraisalResult, note: str) -> dict:
    row = _appraised_row(i, result)
    return {k: row[k] for k in ("stt", "ma", "ten", "huyen", "so_linh_vuc_dat")} | {"ghi_chu": note}


# -- the province's yearly report ----------------------------------------------------------


def province_report(overview: Overview, *, day: dt.date | None = None) -> dict:
    """The DOCX of :func:`smartcommune.results.exports.reports.province_report_pdf`: the same
    report, the same figures."""
    province, round_ = overview.province, overview.round
    rows = overview.rows
    issuer = committee(province)
    context = _common(
        PROVINCE_REPORT, unit=province, authority=labels.authority(province), round_=round_, kind_name=_("BÁO CÁO"),
        summary=_("Kết quả đánh giá %(name)s năm %(year)d") % {"name": _name(round_), "year": round_.year},
        recipients=reports.province_report_recipients(), day=day, synthetic=overview.synthetic,
        ending=_("Trên đây là báo cáo kết quả đánh giá %(name)s năm %(year)d của %(issuer)s./.") % {"name": _name(round_),
            "year": round_.year, "issuer": issuer},
    )
    total = len(overview.groups)
    required = overview.criteria_set.fields_required
    return context | {
        "tinh": province.name, "so_don_vi": count(len(rows)),
        "so_dat": count(sum(r.evaluation.smart_commune for r in rows)), "so_can_dat": f"{required}/{total}",
        "muc_dat": bar_text(overview), "muc_gan_dat": near_text(overview),
        "so_cong_nhan": count(sum(r.recognised for r in rows)), "so_gan_dat": count(len(overview.closest)),
        "ghi_chu_phu_luc": _annex_note(_("Báo cáo"), PROVINCE_REPORT, day, issuer),
        "theo_huyen": [{"huyen": c.district.name if c.district else _("Không thuộc huyện"),
                        "so_don_vi": count(c.communes), "so_dat": count(c.smart),
                        "so_cong_nhan": count(c.recognised), "binh_quan": number_format(c.average_fields_met, 1)}
                       for c in overview.district_counts],
        "chua_dat": [{"ma": m.code, "noi_dung": m.name, "linh_vuc": f"{m.field.code}. {m.field.name}",
                      "so_chua_dat": count(m.count), "thieu_du_lieu": count(m.missing)}
                     for m in overview.most_missed[:10]],
        "phu_luc": [{"stt": str(i), "ma": r.unit.code, "ten": r.unit.name,
                     "huyen": r.district.name if r.district else "",
                     "linh_vuc_dat": ", ".join(f.group.code for f in r.evaluation.fields if f.status == "met"),
                     "so_linh_vuc_dat": labels.fields_met_text(r.evaluation.fields_met, total, required),
                     "ket_qua": wording.short_verdict(r.evaluation), "trang_thai": r.assessment.status_text}
                    for i, r in enumerate(rows, start=1)],
    }


def sample(kind: Kind) -> dict:
    """A context of ``kind`` with every placeholder filled and one row in each list: what a
    replacement template must render with."""
    context: dict[str, object] = {name: name for name in kind.placeholders}
    for name in LINE_LISTS & kind.placeholders:
        context[name] = [name]
    for name, cells in kind.rows.items():
        context[name] = [{cell: cell for cell in cells}]
    context["du_lieu_mo_phong"] = False
    return context
