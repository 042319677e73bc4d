"""Answers typed from paper forms, imported from a CSV file or an Excel workbook (its first
sheet, values only: a formula refuses the file; the archive checked as the assessment
import checks it): all or nothing.

One header row, then one answer per row (CSV: UTF-8, comma-separated; the header names the
columns, in any order; unknown columns are refused so that a misspelt one is not silently
lost)::

    level,hamlet,age_band,sex,channel,identity,dich_vu_cong,quy_hoach,ngan_sach
    4,Ấp 1,30_44,nu,paper,,hai_long,ro_rang,
    2,Ấp 2,,,phone,0912345678,,,

``level`` (required) is the level's number (1 = thụt lùi … 4 = tiến bộ rõ rệt), its key or
its label; ``hamlet`` a hamlet of the plan by name; ``age_band``, ``sex`` and the
questionnaire's topic columns the keys of their options; ``channel`` ``paper`` (default)
or ``phone``; ``identity`` an optional phone or citizen-ID number, kept only as its keyed
hash.  A file with any problem (each named by line and column) imports nothing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from smartcommune.imports.exceptions import ImportRefused
from smartcommune.imports.workbook import is_zip, open_checked_zip, refuse_dtd
from smartcommune.rounds.exceptions import Problem, ValidationFailed
from smartcommune.surveys.questionnaire import Questionnaire

BASE_COLUMNS = ("level", "hamlet", "age_band", "sex", "channel", "identity")
CHANNELS = {"paper": "paper", "giay": "paper", "phone": "phone", "dien_thoai": "phone", "": "paper"}
MAX_PROBLEMS_SHOWN = 50
MAX_CELL = 200


@dataclass(slots=True)
class Row:
    line: int
    level: int
    hamlet_id: int | None
    age_band: str
    sex: str
    channel: str
    identity: str
    topics: dict[str, str]


def _fold(text: str) -> str:
    text = text.strip().casefold().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def refused(name: str, problems: list[Problem]) -> ValidationFailed:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if len(problems) > len(shown):
        more = len(problems) - len(shown)
        shown.append(Problem(f"… và {more} lỗi khác", f"… and {more} more problems"))
    return ValidationFailed([Problem(f"Tệp “{name}”: {p.vi}", f"file {name!r}: {p.en}", field=p.field, value=p.value)
                             for p in shown])


def read_answers(data: bytes, name: str, q: Questionnaire, hamlets: dict[str, int]) -> list[Row]:
    """The rows of ``data`` (a CSV, or an Excel workbook named ``.xlsx``: its first sheet);
    :class:`ValidationFailed` naming every problem otherwise.  ``hamlets``: the survey's
    hamlet ids by name."""
    if not data.strip():
        raise refused(name, [Problem("tệp rỗng", "the file is empty")])
    if name.lower().endswith(".xlsx") or is_zip(data):
        lines = workbook_lines(data, name)
    else:
        lines = csv_lines(data, name)
    header = [h.strip().lower() for h in next(lines, (1, []))[1]]
    return _rows(header, lines, name, q, hamlets)


def csv_lines(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    if b"\x00" in data[:4096]:
        raise refused(name, [Problem("tệp không phải CSV (dữ liệu nhị phân)", "not a CSV file (binary data)")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refused(name, [Problem(f"tệp không phải UTF-8 (byte {exc.start})", f"not UTF-8 (byte {exc.start})")])
    reader = csv.reader(io.StringIO(text, newline=""))
    return ((reader.line_num, values) for values in reader)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_lines(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, after the import pipeline's checks of the archive (sizes,
    entry count, compression ratio, no password; no XML part declaring a DTD or an entity)
    and without formulas: a formula cell refuses the file."""
    if not is_zip(data):
        raise refused(name, [Problem("tên tệp là .xlsx nhưng nội dung không phải bảng tính Excel",
                                     "named .xlsx but not an Excel workbook")])
    try:
        archive = open_checked_zip(data, name)
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                refuse_dtd(archive.read(info.filename), info.filename, name)
    except ImportRefused as exc:
        raise refused(name, [Problem(p.vi, p.en) for p in exc.problems]) from None
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a damaged part
        raise refused(name, [Problem(f"không đọc được bảng tính ({type(exc).__name__})",
                                     f"the workbook cannot be read ({type(exc).__name__})")]) from None
    problems, lines = [], []
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1].strip():
            cells.pop()
        for column, text in enumerate(cells, start=1):
            if text.startswith("="):
                problems.append(Problem(f"dòng {number}, cột {column}: công thức không được nhận, chỉ nhận giá trị",
                                        f"line {number}, column {column}: formulas are refused, values only"))
        lines.append((number, cells))
    if problems:
        raise refused(name, problems)
    return iter(lines)


def _rows(header: list[str], lines, name: str, q: Questionnaire, hamlets: dict[str, int]) -> list[Row]:
    topic_columns = [t.key for t in q.topics]
    known = set(BASE_COLUMNS) | set(topic_columns)
    problems = []
    unknown = [h for h in header if h not in known]
    if unknown:
        problems.append(Problem(f"dòng 1: cột không có trong mẫu: {', '.join(unknown)[:200]} (các cột được nhận: "
                                f"{', '.join(BASE_COLUMNS + tuple(topic_columns))})",
                                f"line 1: unknown columns: {', '.join(unknown)[:200]}", field="header"))
    if "level" not in header:
        problems.append(Problem("dòng 1: thiếu cột level (mức độ tiến bộ)", "line 1: the level column is missing",
                                field="header"))
    if len(set(header)) != len(header):
        problems.append(Problem("dòng 1: có cột bị lặp", "line 1: a column is repeated", field="header"))
    if problems:
        raise refused(name, problems)
    levels = {}
    for i, o in enumerate(q.levels, start=1):
        levels[str(i)] = levels[_fold(o.key)] = levels[_fold(o.label)] = i
    folded_hamlets = {_fold(h): pk for h, pk in hamlets.items()}
    options = {t.key: {o.key for o in t.options} for t in q.topics}
    ages, sexes = {o.key for o in q.age_bands}, {o.key for o in q.sexes}
    at = {column: i for i, column in enumerate(header)}
    width = len(header)
    pad = not name.lower().endswith(".csv")
    # A million rows repeat a few dozen distinct cells: each is folded once.
    folded: dict[str, str] = {}

    def fold(text: str) -> str:
        found = folded.get(text)
        if found is None:
            found = folded[text] = _fold(text)
        return found

    i_level, i_hamlet, i_channel = at["level"], at.get("hamlet"), at.get("channel")
    i_age, i_sex, i_identity = at.get("age_band"), at.get("sex"), at.get("identity")
    i_topics = [(key, at[key]) for key in topic_columns if key in at]
    rows = []
    for line, values in lines:
        if len(values) != width:
            if not any(v.strip() for v in values):
                continue
            if len(values) < width and pad:
                values = values + [""] * (width - len(values))  # a sheet's empty cells at the end of a row
            else:
                problems.append(Problem(f"dòng {line}: có {len(values)} ô, tiêu đề có {width} cột",
                                        f"line {line}: {len(values)} cells for {width} columns"))
                continue
        elif not any(v.strip() for v in values):
            continue
        text = values[i_level].strip()[:MAX_CELL]
        level = levels.get(fold(text))
        if level is None:
            problems.append(Problem(f"dòng {line}, cột level: “{text[:40]}” không phải mức độ 1–"
                                    f"{len(q.levels)}", f"line {line}, level: {text[:40]!r} is not a level",
                                    field="level"))
        hamlet = values[i_hamlet].strip()[:MAX_CELL] if i_hamlet is not None else ""
        hamlet_id = folded_hamlets.get(fold(hamlet)) if hamlet else None
        if hamlet and hamlet_id is None:
            problems.append(Problem(f"dòng {line}, cột hamlet: “{hamlet[:40]}” không có trong kế hoạch mẫu",
                                    f"line {line}, hamlet: {hamlet[:40]!r} is not in the plan", field="hamlet"))
        channel = CHANNELS.get(fold(values[i_channel].strip()[:MAX_CELL])) if i_channel is not None else "paper"
        if channel is None:
            problems.append(Problem(f"dòng {line}, cột channel: chỉ nhận paper hoặc phone",
                                    f"line {line}, channel: only paper or phone", field="channel"))
        facts = []
        for column, index, allowed in (("age_band", i_age, ages), ("sex", i_sex, sexes)):
            value = values[index].strip()[:MAX_CELL] if index is not None else ""
            if value and value not in allowed:
                problems.append(Problem(f"dòng {line}, cột {column}: “{value[:40]}” không có trong mẫu phiếu",
                                        f"line {line}, {column}: {value[:40]!r} is not an option", field=column))
            facts.append(value)
        topics = {}
        for key, index in i_topics:
            value = values[index].strip()[:MAX_CELL]
            if value:
                if value not in options[key]:
                    problems.append(Problem(f"dòng {line}, cột {key}: “{value[:40]}” không có trong mẫu phiếu",
                                            f"line {line}, {key}: {value[:40]!r} is not an option", field=key))
                topics[key] = value
        identity = values[i_identity].strip()[:MAX_CELL] if i_identity is not None else ""
        rows.append(Row(line, level or 0, hamlet_id, facts[0], facts[1], channel or "", identity, topics))
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng phiếu nào", "the file holds no answer"))
    if problems:
        raise refused(name, problems)
    return rows
