"""Read the long CSV of DESIGN.md "Exchange format", all or nothing.

One row per commune, year and criterion::

    unit_code,year,criterion,numerator,denominator,met
    28756,2024,1.1,12,12,
    28756,2024,1.3,,,true

A set with ``count`` or ``choice`` conditions adds the columns ``count`` (a whole number)
and ``choice`` (an option's code); a condition with a ``key`` has a row of its own whose
criterion cell is ``<code>:<key>`` (``4.1:b``).  A file of the old shape (six columns)
reads as before; the two optional columns, when absent, are empty.  Other extra columns
are ignored. :func:`read_long_csv` either returns every row's
input, grouped by commune-year, or raises :class:`LongCsvError` listing every
problem in the file (line, column, why, in Vietnamese and English); it never
returns part of a file. Nothing here imports Django.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Iterable

from smartcommune.criteria.engine import NOT_REPORTED, CriterionInput, as_input, input_problems
from smartcommune.criteria.model import CriteriaSet
from smartcommune.exchange import values

REQUIRED_COLUMNS = ("unit_code", "year", "criterion", "numerator", "denominator", "met")
OPTIONAL_COLUMNS = ("count", "choice")
"""Read when present; written when the set has a condition that uses them."""


def columns_for(criteria_set: CriteriaSet) -> tuple[str, ...]:
    """The exchange columns of ``criteria_set``: the six, plus ``count``/``choice`` when a
    condition of the set reads them."""
    slots = criteria_set.slots
    extra = tuple(c for c in OPTIONAL_COLUMNS if any(getattr(s, c) is not None for s in slots))
    return (*REQUIRED_COLUMNS, *extra)

# The pass/fail vocabulary and the count rule are those of every channel:
# :mod:`smartcommune.exchange.values`.

# Returned by the cell parsers after they have reported a problem.
_INVALID = object()


@dataclass(frozen=True, slots=True)
class CsvProblem:
    line: int
    """1-based line number in the file (the header is line 1); 0 for the whole file."""
    column: str
    """Column name, or ``""`` for a problem with the whole line or file."""
    column_number: int
    vi: str
    en: str

    def describe(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        if self.column:
            where += f", cột {self.column_number} ({self.column})"
        return f"{where}: {self.vi} | {self.en}"


class LongCsvError(ValueError):
    """A long CSV that cannot be used; ``problems`` lists every reason."""

    def __init__(self, file: str, problems: list[CsvProblem]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(p.describe(file) for p in problems))


@dataclass(slots=True)
class UnitYear:
    """The inputs a file gives for one commune and year."""

    unit_code: str
    year: int
    inputs: dict[str, CriterionInput] = field(default_factory=dict)


def read_long_csv(source: str | Path | bytes, criteria_set: CriteriaSet, *, name: str | None = None) -> list[UnitYear]:
    """Parse a long CSV (a path or its bytes) against ``criteria_set``.

    Returns the commune-years sorted by unit code, then year. Raises
    :class:`LongCsvError` with every problem when any row is invalid.
    """
    if isinstance(source, bytes):
        raw, file = source, name or "<dữ liệu>"
    else:
        raw, file = Path(source).read_bytes(), name or str(source)
    layout = plain_layout(raw)
    if layout is not None:
        units = read_plain_lines(islice(layout[0], 1, None), layout[1], criteria_set)
        if units is not None:
            return units
    return _Parser(criteria_set, file).parse(decode(raw, file))


def decode(raw: bytes, file: str) -> str:
    """The text of a file's bytes (UTF-8, a byte-order mark dropped); :class:`LongCsvError` if not UTF-8."""
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs write.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LongCsvError(file, [CsvProblem(
            line, "", 0,
            f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02x} ở vị trí {exc.start}); hãy lưu lại dưới dạng CSV UTF-8",
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as CSV UTF-8",
        )]) from None


_CHECKED_LIMIT = 50_000


def _start_line(end_line: int, row: list[str]) -> int:
    """The line a record starts on, given the line it ends on.

    The csv module counts lines read so far; a quoted cell may hold line breaks
    (a note over two lines), and people look for the row where it begins.
    """
    breaks = sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row)
    return end_line - breaks


def _canonical(cells: tuple[str, ...], shapes: dict[str, tuple]) -> tuple | None:
    """The input of a canonically written row, or None to take the careful path.

    Canonical: a known row code, counts of ASCII digits (numerator ≤ denominator
    for a share), only on a row that has a ratio (a count), a listed pass/fail
    spelling only on one that has a pass/fail condition, an option's exact code
    only on one that has a choice; surrounding spaces are dropped, as the careful
    path drops them. Called once per distinct cells, so it may be thorough.
    """
    code, n, d, m, k, ch = cells
    n, d, m, k, ch = n.strip(), d.strip(), m.strip(), k.strip(), ch.strip()
    shape = shapes.get(code)
    if shape is None:
        return None
    if n or d:
        if not shape[0] or not (n + d).isascii() or not (n.isdigit() or not n) or not (d.isdigit() or not d):
            return None
        if len(n) > values.MAX_COUNT_DIGITS or len(d) > values.MAX_COUNT_DIGITS:
            return None  # the careful path says why (too large), without int() of a huge string
        n = int(n) if n else None
        d = int(d) if d else None
        if (n is not None and n > values.MAX_COUNT) or (d is not None and d > values.MAX_COUNT):
            return None
        if shape[2] and n is not None and d is not None and n > d:
            return None
    else:
        n = d = None
    if m:
        m = values.MET_WORDS.get(m.lower())
        if m is None or not shape[1]:
            return None
    else:
        m = None
    if k:
        if not shape[3] or not (k.isascii() and k.isdigit()) or len(k) > values.MAX_COUNT_DIGITS or int(k) > values.MAX_COUNT:
            return None
        k = int(k)
    else:
        k = None
    if ch:
        if ch not in shape[4]:
            return None
    else:
        ch = None
    # A plain tuple equal to the CriterionInput, not one: the garbage collector stops
    # tracking a plain tuple of numbers, and a national file holds a million of them.
    return (n, d, m, k, ch)


def _row_shapes(criteria_set: CriteriaSet) -> dict[str, tuple]:
    """Row code → (has a ratio, has a pass/fail condition, the ratio is a share, has a
    count, the choice's option codes): what :func:`_canonical` checks a row against."""
    return {slot.code: (slot.ratio is not None, slot.boolean is not None, slot.ratio is not None and slot.ratio.share,
                        slot.count is not None, {o.code for o in slot.choice.options} if slot.choice else set())
            for slot in criteria_set.slots}


def plain_line_end(data: bytes) -> bytes | None:
    """The line break of a file's bytes when splitting them at commas and line breaks reads
    it exactly as the csv module reads its text, else None.

    That holds when no cell is quoted (no ``"``), nothing could end a line but the line
    breaks (no lone ``\r``) and there is no NUL: then ``b"\n"``, or ``b"\r\n"`` when every
    line ends so.  In UTF-8 these characters are single bytes that never occur inside
    another character's bytes, so the bytes split where their text would."""
    if b'"' in data or b"\x00" in data:
        return None
    if b"\r" in data:
        ends = data.count(b"\r\n")
        return b"\r\n" if ends == data.count(b"\r") == data.count(b"\n") else None
    return b"\n"


def plain_lines(data: bytes, line_end: bytes) -> list[bytes]:
    """The lines of ``data`` split at ``line_end`` (:func:`plain_line_end`); a trailing line
    break ends the last line, as in the csv module."""
    lines = data.split(line_end)
    if lines[-1] == b"":
        lines.pop()
    return lines


def plain_header(header: bytes) -> list[str] | None:
    """The optional columns of a header line (its bytes, without the line break) the plain
    path may read (the six, then ``count``/``choice`` if present, nothing else), or None;
    None too when it is not UTF-8."""
    try:
        text = header.decode("utf-8-sig")  # without the byte-order mark, as decode() drops it
    except UnicodeDecodeError:
        return None
    names = [name.strip().lower() for name in text.split(",")]
    optional = names[len(REQUIRED_COLUMNS):]
    if (tuple(names[:len(REQUIRED_COLUMNS)]) != REQUIRED_COLUMNS
            or optional != [c for c in OPTIONAL_COLUMNS if c in optional]):
        return None
    return optional


_MAX_UNIT_CODE = 20
"""A longer unit code leaves the plain path: the careful one reports what is wrong
with it (the csv module refuses a cell over 128 KiB)."""


class _NotPlain(Exception):
    """A line the plain path leaves to the careful one."""


class _CheckedRows(dict):
    """The bytes of a row after its year (``b"1.1,12,12,"``) → (its row code, its checked
    input), each distinct text checked once (:func:`_canonical`) on first look-up.

    Most of a national file's 1.2 million rows repeat a few thousand such texts.  A
    text that is not UTF-8 or not canonical raises :class:`_NotPlain`.  Past
    :data:`_CHECKED_LIMIT` texts, new ones are checked each time and not kept.
    """

    def __init__(self, shapes: dict[str, tuple], optional: list[str]):
        super().__init__()
        self.shapes = shapes
        self.count_at = 4 + optional.index("count") if "count" in optional else None
        self.choice_at = 4 + optional.index("choice") if "choice" in optional else None
        self.width = 4 + len(optional)

    def __missing__(self, rest: bytes) -> tuple[str, tuple]:
        try:
            cells = rest.decode("utf-8").split(",")
        except UnicodeDecodeError:
            raise _NotPlain from None
        if len(cells) != self.width:
            raise _NotPlain
        count = "" if self.count_at is None else cells[self.count_at]
        choice = "" if self.choice_at is None else cells[self.choice_at]
        given = _canonical((*cells[:4], count, choice), self.shapes)
        if given is None:
            raise _NotPlain
        entry = (cells[0], given)
        if len(self) < _CHECKED_LIMIT:
            self[rest] = entry
        return entry


def plain_layout(raw: bytes) -> tuple[list[bytes], list[str]] | None:
    """``(lines, optional columns)`` of a file's bytes the plain path may read, the header
    being ``lines[0]``; None when the careful path must read it (:func:`plain_line_end`
    refuses it, no data line, a header not UTF-8 or one :func:`plain_header` refuses)."""
    line_end = plain_line_end(raw)
    if line_end is None:
        return None
    lines = plain_lines(raw, line_end)
    if len(lines) < 2:
        return None
    optional = plain_header(lines[0])
    return None if optional is None else (lines, optional)


def read_plain_lines(lines: Iterable[bytes], optional: list[str],
                     criteria_set: CriteriaSet) -> list[UnitYear] | None:
    """The commune-years of some data lines of a file :func:`plain_layout` accepted, sorted
    as :func:`read_long_csv` returns them; None when any of them needs the careful path.

    Every row of a commune lies on a line that starts with its code, so a file's lines
    split by unit code read, part by part, to the parts of what the whole file reads to;
    and the whole file reads the plain way exactly when every part does."""
    return PlainReader(criteria_set, optional).read(lines)


class PlainReader:
    """The fast path of a national file: a file the csv module would read exactly as
    :func:`plain_lines` splits it, with the columns in their usual order (the six,
    then ``count``/``choice`` if present, nothing else), and every row canonical
    (:func:`_canonical`), in a known year, for a digits-only unit code, never twice.

    :meth:`read` gives up (None) at the first line that is anything else, and
    :class:`_Parser` then reads the whole file again with every check and every
    message: a file is either all plain or read the careful way, so both paths
    accept the same files and return the same inputs.  Per line the work is one
    split and one look-up of the text after the year in :class:`_CheckedRows`, which
    a reader keeps from one call of :meth:`read` to the next (the parts of one file).

    The lines are the file's bytes, not its decoded text: a national file's Đạt makes
    its text two bytes a character, every line of it a string to narrow again.  Every
    byte is still checked: the unit code is ASCII digits, the year one of the set's,
    and the rest of the line decodes as UTF-8 (once per distinct text), so the plain
    path takes no file that is not UTF-8.
    """

    def __init__(self, criteria_set: CriteriaSet, optional: list[str]):
        """A reader of the data lines of files whose optional columns are ``optional``."""
        self.entry_of = _CheckedRows(_row_shapes(criteria_set), optional).__getitem__
        self.years = {str(y).encode(): y for y in range(criteria_set.period_start, criteria_set.period_end + 1)}

    def read(self, lines: Iterable[bytes]) -> list[UnitYear] | None:
        """The commune-years of ``lines``, sorted by unit code then year, or None at the
        first line that needs the careful path."""
        entry_of = self.entry_of
        units: dict[tuple[str, int], UnitYear] = {}
        # Rows usually come grouped by commune-year; remember the current one.
        current_unit = current_year = inputs = None
        try:
            for line in lines:
                unit_code, year_text, rest = line.split(b",", 2)  # ValueError: fewer than three cells
                code, given = entry_of(rest)
                if unit_code != current_unit or year_text != current_year:
                    inputs = self._inputs_of(units, unit_code, year_text)
                    current_unit, current_year = unit_code, year_text
                if code in inputs:
                    return None
                inputs[code] = given
        except (_NotPlain, ValueError):
            return None
        return [units[key] for key in sorted(units)]

    def _inputs_of(self, units: dict, unit_code: bytes, year_text: bytes) -> dict:
        """The inputs dict of a commune-year, made on its first row; raises
        :class:`_NotPlain` when the unit code or the year needs the careful path's words."""
        year = self.years.get(year_text)
        if year is None or len(unit_code) > _MAX_UNIT_CODE or not unit_code.isdigit():  # bytes: ASCII digits
            raise _NotPlain
        key = (unit_code.decode("ascii"), year)
        unit = units.get(key)
        if unit is None:
            unit = units[key] = UnitYear(*key)
        return unit.inputs


class _Parser:
    def __init__(self, criteria_set: CriteriaSet, file: str):
        self.set = criteria_set
        self.criteria = {slot.code: slot for slot in criteria_set.slots}
        self.file = file
        self.problems: list[CsvProblem] = []
        self.duplicates: list[tuple[int, str, int, str]] = []
        self.blank_rows = 0

    def fail(self, line: int, column: str, vi: str, en: str) -> None:
        number = self.columns.get(column, -1) + 1 if column else 0
        self.problems.append(CsvProblem(line, column, number, vi, en))

    def parse(self, text: str) -> list[UnitYear]:
        self.columns: dict[str, int] = {}
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(rows, None)
            if header is None or not any(cell.strip() for cell in header):
                raise LongCsvError(self.file, [CsvProblem(0, "", 0, "tệp rỗng, không có dòng tiêu đề", "the file is empty: no header row")])
            self.header(header)
            if self.problems:
                raise LongCsvError(self.file, self.problems)
            units, data_rows = self.rows(rows)
        except csv.Error as exc:
            raise LongCsvError(self.file, [*self.problems, CsvProblem(rows.line_num, "", 0, f"không đọc được CSV: {exc}", f"unreadable CSV: {exc}")]) from None
        if data_rows == 0:
            self.fail(0, "", "tệp không có dòng dữ liệu nào", "the file has no data rows")
        if self.duplicates:
            self.report_duplicates(text)
        if self.problems:
            self.problems.sort(key=lambda p: (p.line, p.column_number))
            raise LongCsvError(self.file, self.problems)
        return [units[key] for key in sorted(units)]

    def rows(self, rows) -> tuple[dict[tuple[str, int], UnitYear], int]:
        """Read every data row; canonical rows take a fast inline path.

        A national file has over a million rows, so the common case (digits,
        a known criterion, a year in the period, a listed pass/fail spelling)
        is checked inline; anything else goes through :meth:`row`, which
        checks every rule and names each problem. Both accept exactly the
        same rows and produce the same inputs.
        """
        c = self.columns
        i_unit, i_year, i_code = c["unit_code"], c["year"], c["criterion"]
        i_num, i_den, i_met = c["numerator"], c["denominator"], c["met"]
        i_count, i_choice = c.get("count"), c.get("choice")
        width = self.width
        years = {str(y): y for y in range(self.set.period_start, self.set.period_end + 1)}
        shapes = _row_shapes(self.set)
        optional = i_count is not None or i_choice is not None
        # (code, numerator, denominator, met) as written → the checked input:
        # most cells repeat ("true", "0", small counts), so each is checked once.
        checked: dict[tuple[str, str, str, str], tuple] = {}
        units: dict[tuple[str, int], UnitYear] = {}
        # Rows usually come grouped by commune-year; remember the current one.
        current_unit = current_year = None
        current: UnitYear | None = None
        seen = 0
        for row in rows:
            seen += 1
            if len(row) != width:
                self.row(rows.line_num, row, units)
                continue
            if optional:
                cells = (row[i_code], row[i_num], row[i_den], row[i_met],
                         "" if i_count is None else row[i_count], "" if i_choice is None else row[i_choice])
            else:
                cells = (row[i_code], row[i_num], row[i_den], row[i_met], "", "")
            given = checked.get(cells)
            if given is None:
                given = _canonical(cells, shapes)
                if given is None:
                    self.row(rows.line_num, row, units)
                    continue
                if len(checked) < _CHECKED_LIMIT:
                    checked[cells] = given
            unit_code, year_text = row[i_unit], row[i_year]
            if unit_code != current_unit or year_text != current_year:
                year = years.get(year_text)
                if year is None or not (unit_code.isdigit() and unit_code.isascii()):
                    self.row(rows.line_num, row, units)
                    continue
                current = units.get((unit_code, year))
                if current is None:
                    current = units[(unit_code, year)] = UnitYear(unit_code, year)
                current_unit, current_year = unit_code, year_text
            if cells[0] in current.inputs:
                self.row(rows.line_num, row, units)
                continue
            current.inputs[cells[0]] = given
        return units, seen - self.blank_rows

    def header(self, header: list[str]) -> None:
        names = [h.strip().lower() for h in header]
        for i, name in enumerate(names):
            if name in self.columns and (name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS):
                self.problems.append(CsvProblem(1, name, i + 1, f"cột {name} xuất hiện hai lần", f"column {name} appears twice"))
            self.columns.setdefault(name, i)
        self.width = len(header)
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            self.problems.append(CsvProblem(
                1, "", 0,
                f"thiếu cột bắt buộc: {', '.join(missing)} (cần có: {','.join(REQUIRED_COLUMNS)})",
                f"missing required column(s): {', '.join(missing)} (expected: {','.join(REQUIRED_COLUMNS)})",
            ))

    def row(self, end_line: int, row: list[str], units: dict[tuple[str, int], UnitYear]) -> None:
        """Check one row against every rule, reporting each problem."""
        if not any(cell.strip() for cell in row):
            self.blank_rows += 1  # a blank line, or a spreadsheet's row of empty cells
            return
        line = _start_line(end_line, row)
        if len(row) != self.width:
            self.fail(line, "", f"dòng có {len(row)} cột, dòng tiêu đề có {self.width}",
                      f"the line has {len(row)} columns, the header has {self.width}")
            return
        c = self.columns
        unit_code = row[c["unit_code"]].strip()
        if not (unit_code.isascii() and unit_code.isdigit()):
            self.fail(line, "unit_code", f"mã đơn vị {unit_code!r} phải là mã số của Tổng cục Thống kê (chỉ gồm chữ số)",
                      f"unit code {unit_code!r} must be the official GSO code (digits only)")
            unit_code = None
        year = self.year(line, row[c["year"]])
        code = row[c["criterion"]].strip()
        criterion = self.criteria.get(code)
        if criterion is None:
            self.fail(line, "criterion", f"tiêu chí {code!r} không có trong bộ {self.set.code}",
                      f"criterion {code!r} is not in the set {self.set.code}")
            criterion = None
        numerator = self.count(line, "numerator", row[c["numerator"]])
        denominator = self.count(line, "denominator", row[c["denominator"]])
        met = self.met(line, row[c["met"]])
        count = self.count(line, "count", row[c["count"]]) if "count" in c else None
        choice = (row[c["choice"]].strip() or None) if "choice" in c else None
        if criterion is None or unit_code is None or year is None or _INVALID in (numerator, denominator, met, count):
            return
        given = CriterionInput(numerator, denominator, met, count, choice)
        where = f"đơn vị {unit_code}, năm {year}, tiêu chí {code}"
        where_en = f"unit {unit_code}, year {year}, criterion {code}"
        for p in input_problems(criterion, given):
            self.fail(line, p.column, f"{p.vi} ({where})", f"{p.en} ({where_en})")
        unit = units.get((unit_code, year))
        if unit is None:
            unit = units[(unit_code, year)] = UnitYear(unit_code, year)
        if code in unit.inputs:
            self.duplicates.append((line, unit_code, year, code))
            return
        unit.inputs[code] = given

    def report_duplicates(self, text: str) -> None:
        """Name, for each repeated row, the line it repeats.

        The fast path keeps no line numbers (a million of them would cost
        memory for a rare error), so the first occurrences are found by
        reading the text again, only when there are duplicates.
        """
        wanted = {(u, y, c) for _, u, y, c in self.duplicates}
        first: dict[tuple[str, int, str], int] = {}
        col = self.columns
        reader = csv.reader(io.StringIO(text, newline=""))
        for row in reader:
            line = _start_line(reader.line_num, row)
            if line == 1 or len(row) != self.width:
                continue
            try:
                key = (row[col["unit_code"]].strip(), int(row[col["year"]].strip()), row[col["criterion"]].strip())
            except ValueError:
                continue
            if key in wanted and key not in first:
                first[key] = line
        for line, unit_code, year, code in self.duplicates:
            where = f"đơn vị {unit_code}, năm {year}, tiêu chí {code}"
            where_en = f"unit {unit_code}, year {year}, criterion {code}"
            line_first = first[(unit_code, year, code)]
            self.fail(line, "criterion", f"trùng dòng {line_first}: cùng {where}", f"duplicates line {line_first}: same {where_en}")

    def year(self, line: int, text: str) -> int | None:
        value = text.strip()
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            self.fail(line, "year", f"năm {text!r} không hợp lệ (cần 4 chữ số, ví dụ 2024)", f"year {text!r} is invalid (4 digits expected, e.g. 2024)")
            return None
        year = int(value)
        if not self.set.covers(year):
            self.fail(line, "year", f"năm {year} nằm ngoài giai đoạn {self.set.period_start}–{self.set.period_end} của bộ tiêu chí",
                      f"year {year} is outside the set's period {self.set.period_start}–{self.set.period_end}")
            return None
        return year

    def count(self, line: int, column: str, text: str):
        """The count, ``None`` when empty, or ``_INVALID`` after reporting a problem."""
        try:
            return values.parse_count(text)
        except values.ValueRefused as refused:
            self.fail(line, column, refused.vi, refused.en)
            return _INVALID

    def met(self, line: int, text: str):
        """True, False, ``None`` when empty, or ``_INVALID`` after reporting a problem."""
        try:
            return values.parse_met(text)
        except values.ValueRefused as refused:
            self.fail(line, "met", refused.vi, refused.en)
            return _INVALID


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a spreadsheet opening a CSV shows it: a text starting with ``= + - @``,
    a tab or a carriage return (which Excel and LibreOffice would evaluate as a formula) gets
    a leading apostrophe (OWASP's advice for CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_long_csv(
    unit_years: Iterable[UnitYear], criteria_set: CriteriaSet, out: IO[str], *, extra: dict[str, dict[str, str]] | None = None
) -> None:
    """Write ``unit_years`` as the long CSV that :func:`read_long_csv` reads back unchanged.

    One row per commune, year and row of ``criteria_set`` (its preconditions, then its
    criteria, each followed by its keyed conditions' rows), in the set's order, including
    rows nothing was reported for (their cells empty), so a reader sees the whole set.
    The columns are :func:`columns_for` the set: the six of today's format, then
    ``count``/``choice`` only for a set that uses them (so a file of today's sets is
    unchanged).  ``met`` is written ``true``/``false``. ``extra`` maps an additional
    column name to ``{unit_code: text}`` (for example a unit name); such columns come
    after the exchange columns and are ignored on reading.  A text in them that a
    spreadsheet would take for a formula (see :func:`spreadsheet_text`) gets a leading
    apostrophe; the exchange columns hold only codes, whole numbers and ``true``/``false``,
    written as they are so that the file stays the exchange format.
    """
    extra = extra or {}
    columns = columns_for(criteria_set)
    optional = len(columns) > len(REQUIRED_COLUMNS)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*columns, *extra])
    codes = [slot.code for slot in criteria_set.slots]
    for unit_year in unit_years:
        tail = [spreadsheet_text(column.get(unit_year.unit_code, "")) for column in extra.values()]
        for code in codes:
            given = as_input(unit_year.inputs.get(code, NOT_REPORTED))
            cells = [
                unit_year.unit_code,
                unit_year.year,
                code,
                "" if given.numerator is None else given.numerator,
                "" if given.denominator is None else given.denominator,
                "" if given.met is None else ("true" if given.met else "false"),
            ]
            if optional:
                values_ = {"count": "" if given.count is None else given.count,
                           "choice": "" if given.choice is None else given.choice}
                cells += [values_[c] for c in columns[len(REQUIRED_COLUMNS):]]
            writer.writerow([*cells, *tail])
