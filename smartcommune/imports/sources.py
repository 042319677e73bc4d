"""Tell an uploaded file's kind from its bytes and name, and parse it into one neutral
:class:`Plan`: which commune-years and criteria it speaks about, and the value fields
it sets for each (a field left out keeps its value).

Accepted: a filled entry template (``.xlsx``, read by :mod:`.workbook`) and the long
CSV of DESIGN.md "Exchange format" (``.csv``, read by
:func:`~smartcommune.exchange.long_csv.read_long_csv`, all or nothing).  The content
decides, and the name's extension must agree: a PDF named ``.xlsx`` or a workbook named
``.csv`` is refused.  A CSV row sets ``numerator``, ``denominator`` and ``met`` (and
``count``, ``choice`` for a set that has them; an empty cell: not reported) and never the
data source, which the format does not carry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.conf import settings

from smartcommune.criteria.registry import DEFAULT_CODE, UnknownCriteriaSet
from smartcommune.criteriasets.store import get_criteria_set
from smartcommune.exchange.long_csv import REQUIRED_COLUMNS, LongCsvError, columns_for, read_long_csv
from smartcommune.imports import layout
from smartcommune.imports.exceptions import ImportProblem, ImportRefused
from smartcommune.imports.workbook import is_zip, read_template

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
XLSX, CSV = "xlsx", "csv"

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 (xls/doc)"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"PK\x03\x04", "zip/xlsx"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "chương trình (ELF)"),
    (b"MZ", "chương trình (exe)"),
)


def max_bytes() -> int:
    """The largest file accepted: ``SMARTCOMMUNE_IMPORT_MAX_BYTES`` (10 MB by default, a
    province's template is about 0.3 MB), never above the evidence limit."""
    limit = getattr(settings, "SMARTCOMMUNE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return min(limit, getattr(settings, "SMARTCOMMUNE_UPLOAD_MAX_BYTES", limit))


@dataclass(slots=True)
class Entry:
    """What the file sets for one commune, year and criterion."""

    unit_code: str
    year: int
    criterion: str
    given: dict[str, object]
    sheet: str
    row: int
    unit_valid_from: date | None = None
    """From a template's key (codes were reused at the 2025 reform); ``None`` from a CSV."""

    def column(self, field_name: str) -> str:
        if self.sheet:
            return layout.COLUMN_OF_FIELD[field_name]
        return field_name


@dataclass(slots=True)
class Plan:
    kind: str
    file_name: str
    criteria_set_code: str
    province_code: str | None
    entries: list[Entry] = field(default_factory=list)
    prefilled: bool = False
    years: tuple[int, ...] = ()


def too_large(name: str, size: int) -> ImportRefused:
    """The refusal of a file over :func:`max_bytes` (made before reading it, where possible)."""
    limit = max_bytes()
    return _refuse(name, f"tệp {size / 1024 / 1024:.1f} MB, quá giới hạn {limit / 1024 / 1024:.1f} MB; chưa đọc, "
                   "chưa lưu gì", f"the file is {size} bytes, over the limit of {limit}; nothing was read or saved")


def _refuse(name: str, vi: str, en: str) -> ImportRefused:
    return ImportRefused(name, [ImportProblem(vi, en)])


def read_upload(data: bytes, name: str, *, criteria_set_code: str | None = None) -> Plan:
    """Detect, bound and parse ``data`` (named ``name``); :class:`ImportRefused` otherwise.

    ``criteria_set_code`` is the set a CSV is read against (a template names its own).
    """
    if len(data) > max_bytes():
        raise too_large(name, len(data))
    if not data:
        raise _refuse(name, "tệp rỗng", "the file is empty")
    extension = PurePath(name).suffix.lower()
    detected = next((label for magic, label in _MAGIC if data.startswith(magic)), None)
    if extension not in (".xlsx", ".csv"):
        raise _refuse(name, f"chỉ nhận tệp .xlsx (mẫu nhập liệu) hoặc .csv (dạng dài); tệp này có đuôi "
                      f"“{extension or '(không có)'}”", f"only .xlsx (entry template) or .csv (long CSV) files "
                      f"are accepted; this one is {extension or '(no extension)'!r}")
    if extension == ".xlsx":
        if not is_zip(data):
            raise _refuse(name, f"tên tệp là .xlsx nhưng nội dung {('là ' + detected) if detected else 'không phải bảng tính Excel'}",
                          f"named .xlsx but its content is {detected or 'not an Excel workbook'}")
        template = read_template(data, name)
        return _plan_of_template(template, name)
    if detected is not None or b"\x00" in data[:4096]:
        raise _refuse(name, f"tên tệp là .csv nhưng nội dung {('là ' + detected) if detected else 'là dữ liệu nhị phân'}",
                      f"named .csv but its content is {detected or 'binary data'}")
    return _plan_of_csv(data, name, criteria_set_code or DEFAULT_CODE)


def _plan_of_template(template, name: str) -> Plan:
    entries = [
        Entry(e.unit_code, template.year, e.criterion, e.given, layout.DATA_SHEET, e.row, e.unit_valid_from)
        for e in template.entries
    ]
    return Plan(XLSX, name, template.criteria_set_code, template.province_code, entries,
                prefilled=template.prefilled, years=(template.year,))


def _plan_of_csv(data: bytes, name: str, criteria_set_code: str) -> Plan:
    try:
        criteria_set = get_criteria_set(criteria_set_code)
    except UnknownCriteriaSet as exc:
        raise _refuse(name, str(exc), str(exc)) from None
    try:
        unit_years = read_long_csv(data, criteria_set, name=name)
    except LongCsvError as exc:
        raise ImportRefused(name, [
            ImportProblem(p.vi, p.en, row=p.line, column=p.column) for p in exc.problems
        ]) from None
    # Rows carry no line numbers once read; a problem found later names the commune,
    # year and criterion, and the first line of the commune-year in the file.
    lines = _first_lines(data)
    # count and choice only for a set that has them (a file of today's sets sets three).
    fields = columns_for(criteria_set)[3:]
    entries = [
        Entry(u.unit_code, u.year, code, dict(zip(fields, given)), "", lines.get((u.unit_code, str(u.year)), 0))
        for u in unit_years for code, given in u.inputs.items()
    ]
    return Plan(CSV, name, criteria_set.code, None, entries, prefilled=True,
                years=tuple(sorted({u.year for u in unit_years})))


def _first_lines(data: bytes) -> dict[tuple[str, str], int]:
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    try:
        i_unit, i_year = header.index(REQUIRED_COLUMNS[0]), header.index(REQUIRED_COLUMNS[1])
    except ValueError:
        return {}
    first: dict[tuple[str, str], int] = {}
    for row in reader:
        if len(row) > max(i_unit, i_year):
            first.setdefault((row[i_unit].strip(), row[i_year].strip()), reader.line_num)
    return first
