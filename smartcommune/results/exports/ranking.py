"""The ranking of a province's results as records (the CSV and the API), a CSV and an
Excel workbook, built from :func:`smartcommune.results.selectors.ranking.province_ranking`.

A record holds the ranks (``"3="`` when tied), the commune, the outcome in the set's
terms (points and level only for a set that has them) and whether it is certain.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from smartcommune.core import wording
from smartcommune.criteria.model import points_text
from smartcommune.exchange.long_csv import spreadsheet_text
from smartcommune.results.exports import labels, xlsx
from smartcommune.results.selectors.ranking import RankedCommune, Ranking

SHEET = "Xếp hạng"


def ranking_record(row: RankedCommune) -> dict:
    """One ranked commune as the API and the CSV give it (points as decimal strings)."""
    e = row.result.evaluation
    district = row.result.district
    return {
        "rank": row.rank,
        "tied": row.tied,
        "district_rank": row.district_rank,
        "district_tied": row.district_tied,
        "unit_code": row.result.unit.code,
        "name": row.result.unit.name,
        "district": None if district is None else {"code": district.code, "name": district.name},
        "points": e.points_text if e.criteria_set.scores else None,
        "points_max": points_text(e.points_max) if e.criteria_set.scores else None,
        "level": None if e.level is None else {"code": e.level.code, "name": e.level.name},
        "fields_met": e.fields_met,
        "criteria_met": row.criteria_met,
        "smart_commune": e.smart_commune,
        "eligible": e.eligible,
        "outcome_certain": e.outcome_certain,
        "verdict": wording.short_verdict(e),
    }


def _columns(ranking: Ranking) -> list[tuple[str, str, int]]:
    """(CSV key, Excel header, Excel width) of the columns this set has."""
    criteria_set = ranking.criteria_set
    columns = [("rank", _("Hạng trong tỉnh"), 9)]
    if ranking.districts:
        columns += [("district_rank", _("Hạng trong huyện"), 9)]
    columns += [("unit_code", _("Mã ĐVHC"), 9), ("name", _("Tên đơn vị"), 26)]
    if ranking.districts:
        columns += [("district", _("Huyện"), 22)]
    if criteria_set.scores:
        columns += [("points", _("Điểm"), 10), ("points_max", _("Điểm tối đa"), 10)]
    if criteria_set.levels:
        columns += [("level", _("Mức đạt"), 16)]
    columns += [("fields_met", _("Số lĩnh vực đạt"), 10), ("criteria_met", _("Số tiêu chí đạt"), 10),
                ("verdict", _("Kết quả đánh giá"), 30), ("outcome_certain", _("Kết quả đã chắc chắn"), 16)]
    return columns


def _cells(row: RankedCommune, keys: list[str]) -> list:
    record = ranking_record(row)
    record["rank"] = row.rank_text
    record["district_rank"] = row.district_rank_text
    record["district"] = "" if record["district"] is None else record["district"]["name"]
    record["level"] = "" if record["level"] is None else record["level"]["name"]
    record["outcome_certain"] = labels.certainty_text(row.result.evaluation)
    return [record[key] for key in keys]


def ranking_csv(ranking: Ranking) -> str:
    """The ranking as CSV: one row per commune, best first, columns by machine name."""
    columns = _columns(ranking)
    keys = [key for key, _header, _width in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in ranking.rows:
        writer.writerow([spreadsheet_text(v) if isinstance(v, str) else v for v in _cells(row, keys)])
    return out.getvalue()


def ranking_workbook(ranking: Ranking) -> bytes:
    """The ranking as an Excel workbook with the documents' title block."""
    overview = ranking.overview
    columns = _columns(ranking)
    keys = [key for key, _header, _width in columns]
    subtitle = overview.criteria_set.name
    if ranking.district is not None:
        subtitle += " — " + ranking.district.name
    workbook = xlsx.new_workbook()
    sheet, header = xlsx.table_sheet(
        workbook, SHEET, [(title, width) for _key, title, width in columns],
        title=_("XẾP HẠNG KẾT QUẢ ĐÁNH GIÁ %(name)s NĂM %(year)d") % {
            "name": labels.recognition(overview.criteria_set).upper(), "year": overview.year},
        subtitle=f"{overview.province.name} — {subtitle}", synthetic=overview.synthetic,
    )
    row_number = header
    for row in ranking.rows:
        row_number += 1
        for column, value in enumerate(_cells(row, keys), start=1):
            xlsx.data_cell(sheet, row_number, column, value,
                           align=xlsx.NUMBER if isinstance(value, int) else xlsx.WRAP)
    xlsx.finish_sheet(sheet, header=header, landscape=False)
    return xlsx.workbook_bytes(workbook)
