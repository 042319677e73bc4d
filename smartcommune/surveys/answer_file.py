"""Answers typed from paper forms, imported from a CSV file: all or nothing.

One header row, then one answer per row (UTF-8, comma-separated; the header names the
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
from dataclasses import dataclass

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
    """The rows of ``data``; :class:`ValidationFailed` naming every problem otherwise.
    ``hamlets``: the survey's hamlet ids by name."""
    if not data.strip():
        raise refused(name, [Problem("tệp rỗng", "the file is empty")])
    if b"\x00" in data[:4096]:
        raise refused(name, [Problem("tệp không phải CSV (dữ liệu nhị phân)", "not a CSV file (binary data)")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refused(name, [Problem(f"tệp không phải UTF-8 (byte {exc.start})", f"not UTF-8 (byte {exc.start})")])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
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
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != width:
            problems.append(Problem(f"dòng {line}: có {len(values)} ô, tiêu đề có {width} cột",
                                    f"line {line}: {len(values)} cells for {width} columns"))
            continue
        cell = {column: values[i].strip()[:MAX_CELL] for column, i in at.items()}
        level = levels.get(_fold(cell["level"]))
        if level is None:
            problems.append(Problem(f"dòng {line}, cột level: “{cell['level'][:40]}” không phải mức độ 1–"
                                    f"{len(q.levels)}", f"line {line}, level: {cell['level'][:40]!r} is not a level",
                                    field="level"))
        hamlet = cell.get("hamlet", "")
        hamlet_id = folded_hamlets.get(_fold(hamlet)) if hamlet else None
        if hamlet and hamlet_id is None:
            problems.append(Problem(f"dòng {line}, cột hamlet: “{hamlet[:40]}” không có trong kế hoạch mẫu",
                                    f"line {line}, hamlet: {hamlet[:40]!r} is not in the plan", field="hamlet"))
        channel = CHANNELS.get(_fold(cell.get("channel", "")))
        if channel is None:
            problems.append(Problem(f"dòng {line}, cột channel: chỉ nhận paper hoặc phone",
                                    f"line {line}, channel: only paper or phone", field="channel"))
        for column, allowed in (("age_band", ages), ("sex", sexes)):
            if cell.get(column) and cell[column] not in allowed:
                problems.append(Problem(f"dòng {line}, cột {column}: “{cell[column][:40]}” không có trong mẫu phiếu",
                                        f"line {line}, {column}: {cell[column][:40]!r} is not an option",
                                        field=column))
        topics = {}
        for key in topic_columns:
            if cell.get(key):
                if cell[key] not in options[key]:
                    problems.append(Problem(f"dòng {line}, cột {key}: “{cell[key][:40]}” không có trong mẫu phiếu",
                                            f"line {line}, {key}: {cell[key][:40]!r} is not an option", field=key))
                topics[key] = cell[key]
        rows.append(Row(line, level or 0, hamlet_id, cell.get("age_band", ""), cell.get("sex", ""), channel or "",
                        cell.get("identity", ""), topics))
    if not rows and not problems:
        problems.append(Problem("tệp không có dòng phiếu nào", "the file holds no answer"))
    if problems:
        raise refused(name, problems)
    return rows
