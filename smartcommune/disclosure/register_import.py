"""Read a register file (CSV or Excel .xlsx) into rows to import, refusing the whole file
on any problem (every problem listed by line and column, in Vietnamese and English).

The file is read with the imports app's hardening: a size limit, and for .xlsx the zip and
XML checks of :mod:`smartcommune.imports.workbook` (no zip bomb, no DTD or entity, bounded
rows).  A formula is refused: a register holds typed facts.

Columns (header row, in any order; the names of :data:`COLUMNS`); one row per item:
``ma_xa`` (GSO code of the commune), ``nam``, ``loai`` (a kind's code), ``tieu_de``,
``so_van_ban``, ``ngay_van_ban``, ``dang_trang_xa`` (x: publish on the commune's public
page), ``ngay_phat_loa``, ``ap_khu_pho``, ``noi_dung_loa``, ``ngay_niem_yet``, ``ngay_go``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from smartcommune.disclosure import config
from smartcommune.disclosure.actions import text_problems
from smartcommune.exchange import values as value_rules
from smartcommune.imports import workbook
from smartcommune.imports.exceptions import ImportProblem, ImportRefused
from smartcommune.imports.sources import max_bytes, too_large

COLUMNS = ("ma_xa", "nam", "loai", "tieu_de", "so_van_ban", "ngay_van_ban", "dang_trang_xa", "ngay_phat_loa",
           "ap_khu_pho", "noi_dung_loa", "ngay_niem_yet", "ngay_go")
REQUIRED_COLUMNS = ("ma_xa", "nam", "loai", "tieu_de")
MEANINGS = {
    "ma_xa": "Mã xã (mã ĐVHC của Tổng cục Thống kê)",
    "nam": "Năm (4 chữ số)",
    "loai": "Mã loại thông tin (xem bảng dưới)",
    "tieu_de": "Tiêu đề thông tin",
    "so_van_ban": "Số văn bản (nếu có)",
    "ngay_van_ban": "Ngày văn bản, dd/mm/yyyy (nếu có)",
    "dang_trang_xa": "x nếu đăng ngay trên trang công khai của xã (ngày đăng là lúc nhập)",
    "ngay_phat_loa": "Ngày phát trên loa, dd/mm/yyyy",
    "ap_khu_pho": "Các ấp, khu phố đã phát (bắt buộc khi có ngày phát)",
    "noi_dung_loa": "Nội dung đã đọc (bắt buộc khi có ngày phát)",
    "ngay_niem_yet": "Ngày niêm yết tại trụ sở UBND xã, dd/mm/yyyy (ảnh chụp thêm trên trang của từng thông tin)",
    "ngay_go": "Ngày gỡ niêm yết, dd/mm/yyyy",
}
MAX_ROWS = 100_000
_TEXTS = {"tieu_de": "title", "so_van_ban": "document_number", "ap_khu_pho": "hamlets", "noi_dung_loa": "text_read"}


@dataclass(slots=True)
class Row:
    line: int
    unit_code: str
    year: int
    kind: str
    title: str
    document_number: str = ""
    document_date: date | None = None
    publish: bool = False
    broadcast_date: date | None = None
    hamlets: str = ""
    text_read: str = ""
    posted_on: date | None = None
    taken_down_on: date | None = None


def _date(value: object) -> date | None | str:
    """A cell as a date (dd/mm/yyyy, yyyy-mm-dd or an Excel serial day); the text when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and 1 <= value <= 2958465:
        return date(1899, 12, 30) + timedelta(days=value)
    text = str(value).strip()
    parts = text.split("/") if len(text) == 10 and text[2] == "/" else text.split("-") if len(text) == 10 else ()
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
        day, month, year = (parts[0], parts[1], parts[2]) if "/" in text else (parts[2], parts[1], parts[0])
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            return text
    return text


def _table_of_csv(data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(name, [ImportProblem("tệp không phải UTF-8", "the file is not UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        raise ImportRefused(name, [ImportProblem("tệp trống", "the file is empty")])
    header = [h.strip().lower() for h in rows[0]]
    table = _check_header(header, name, "")
    blank = dict.fromkeys(COLUMNS, "")
    for number, cells in enumerate(rows[1:], start=2):
        stripped = [c.strip() for c in cells]
        if any(stripped):
            # Every column, as stripped text: what read_register reads of a row.
            table.append((number, {**blank, **dict(zip(header, stripped))}))
    return table


def _table_of_xlsx(data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    sheet, cells = workbook.read_first_sheet(data, name, max_column=len(COLUMNS) + 5)
    problems: list[ImportProblem] = []
    letters = sorted({c for row in cells.values() for c in row}, key=lambda c: (len(c), c))
    header_cells = cells.get(1, {})
    header = {c: str(header_cells[c].value).strip().lower() for c in letters if c in header_cells}
    table = _check_header(list(header.values()), name, sheet)
    for number in sorted(n for n in cells if n > 1):
        row: dict[str, object] = {}
        for letter, cell in cells[number].items():
            if cell.formula:
                problems.append(ImportProblem("ô chứa công thức; sổ công khai chỉ nhận giá trị gõ vào",
                                              "a cell holds a formula; the register takes typed values only",
                                              sheet=sheet, row=number, column=letter))
            elif letter in header:
                row[header[letter]] = cell.value
        if any(v not in (None, "") for v in row.values()):
            table.append((number, row))
    if problems:
        raise ImportRefused(name, problems)
    return table


def _check_header(header: list[str], name: str, sheet: str) -> list:
    problems = [ImportProblem(f"thiếu cột “{c}”", f"column {c!r} is missing", sheet=sheet, row=1)
                for c in REQUIRED_COLUMNS if c not in header]
    problems += [ImportProblem(f"cột “{c[:40]}” không có trong mẫu (các cột: {', '.join(COLUMNS)})",
                               f"unknown column {c[:40]!r} (columns: {', '.join(COLUMNS)})", sheet=sheet, row=1)
                 for c in header if c and c not in COLUMNS]
    if problems:
        raise ImportRefused(name, problems)
    return []


def read_register(data: bytes, name: str) -> list[Row]:
    """Every row of the file, checked; :class:`ImportRefused` listing every problem."""
    if len(data) > max_bytes():
        raise too_large(name, len(data))
    from_csv = not workbook.is_zip(data)
    table = _table_of_csv(data, name) if from_csv else _table_of_xlsx(data, name)
    if len(table) > MAX_ROWS:
        raise ImportRefused(name, [ImportProblem(f"tệp có hơn {MAX_ROWS} dòng", f"over {MAX_ROWS} rows")])
    kinds = config.kind_labels()
    problems: list[ImportProblem] = []
    rows: list[Row] = []
    # A province's file repeats a few years, dates and marks tens of thousands of times:
    # each distinct cell is parsed and checked once.
    years: dict[str, int | None] = {}
    parsed: dict[object, date | None | str] = {}
    refusals: dict[tuple[str, date, int], object] = {}
    marks: dict[str, bool | None] = {}
    date_columns = ("ngay_van_ban", "ngay_phat_loa", "ngay_niem_yet", "ngay_go")
    for line, cells in table:
        def problem(column: str, vi: str, en: str) -> None:
            problems.append(ImportProblem(vi, en, row=line, column=column))

        text = cells if from_csv else {c: "" if cells.get(c) is None else str(cells.get(c)).strip() for c in COLUMNS}
        if text["nam"] not in years:
            years[text["nam"]] = value_rules.parse_year(text["nam"])
        year = years[text["nam"]]
        if year is None:
            problem("nam", f"năm “{text['nam'][:20]}” không hợp lệ", f"invalid year {text['nam'][:20]!r}")
        if text["loai"] not in kinds:
            problem("loai", f"loại “{text['loai'][:40]}” không có; dùng: {', '.join(kinds)}",
                    f"unknown kind {text['loai'][:40]!r}; use: {', '.join(kinds)}")
        if not text["ma_xa"]:
            problem("ma_xa", "thiếu mã xã", "the commune code is missing")
        for p in text_problems({field: text[c] for c, field in _TEXTS.items()}):
            column = next(c for c, f in _TEXTS.items() if f == p.field)
            if p.field in ("hamlets", "text_read") and not text[column]:
                continue  # required only with a broadcast date (below)
            problem(column, p.vi, p.en)
        dates = {}
        for column in date_columns:
            raw = cells.get(column)
            if raw not in parsed:
                parsed[raw] = _date(raw)
            value = parsed[raw]
            if isinstance(value, str):
                problem(column, f"ngày “{value[:20]}” không hợp lệ (dd/mm/yyyy)",
                        f"invalid date {value[:20]!r} (dd/mm/yyyy)")
                value = None
            elif value is not None and year is not None:
                key = (column, value, year)
                if key not in refusals:
                    refusals[key] = value_rules.date_problem(column, column, value, year,
                                                             earlier_years=value_rules.EARLIEST_YEARS_BEFORE)
                refused = refusals[key]
                if refused is not None:
                    problem(column, refused.vi, refused.en)
            dates[column] = value
        if dates["ngay_phat_loa"] and not (text["ap_khu_pho"] and text["noi_dung_loa"]):
            problem("ap_khu_pho", "phát loa cần ghi ấp, khu phố và nội dung đã đọc",
                    "a broadcast needs its hamlets and the text read")
        if dates["ngay_go"] and not dates["ngay_niem_yet"]:
            problem("ngay_go", "có ngày gỡ nhưng thiếu ngày niêm yết", "a take-down date without a posting date")
        elif dates["ngay_go"] and dates["ngay_go"] < dates["ngay_niem_yet"]:
            problem("ngay_go", "ngày gỡ trước ngày niêm yết", "the take-down date precedes the posting")
        publish = text["dang_trang_xa"]
        if publish not in marks:
            try:
                marks[publish] = bool(publish) and value_rules.parse_met(publish)
            except ValueError:
                marks[publish] = None
        published = marks[publish]
        if publish and published is None:
            problem("dang_trang_xa", f"“{publish[:20]}” không phải x/có/không", f"{publish[:20]!r} is not x/yes/no")
        if year is not None:
            rows.append(Row(line, text["ma_xa"], year, text["loai"], text["tieu_de"], text["so_van_ban"],
                            dates["ngay_van_ban"], bool(published), dates["ngay_phat_loa"], text["ap_khu_pho"],
                            text["noi_dung_loa"], dates["ngay_niem_yet"], dates["ngay_go"]))
    if not table:
        problems.append(ImportProblem("tệp không có dòng dữ liệu nào", "the file has no data row"))
    if problems:
        raise ImportRefused(name, problems)
    return rows


def register_template() -> bytes:
    """An empty register workbook: the columns on the first sheet (the one read), what each
    means and the kinds' codes on the second."""
    from smartcommune.core.workbooks import header_row, new_workbook, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.create_sheet("So cong khai")
    header_row(sheet, 1, [(c, 18) for c in COLUMNS])
    guide = workbook.create_sheet("Huong dan")
    header_row(guide, 1, [("Cột", 18), ("Ý nghĩa", 90)])
    for row, column in enumerate(COLUMNS, start=2):
        guide.cell(row=row, column=1, value=column)
        guide.cell(row=row, column=2, value=MEANINGS[column])
    start = len(COLUMNS) + 3
    header_row(guide, start, [("loai", 18), ("Loại thông tin — tiêu chí", 90)])
    for row, kind in enumerate(config.kinds(), start=start + 1):
        guide.cell(row=row, column=1, value=kind.code)
        guide.cell(row=row, column=2, value=f"{kind.label} — tiêu chí {kind.criterion}")
    return workbook_bytes(workbook)
