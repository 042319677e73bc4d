"""A criteria set as a spreadsheet, and back (``criteria export --format xlsx`` / ``criteria import``).

For people who do not write TOML.  The workbook's sheet "Bộ tiêu chí" holds the
document one value per row, in the file's order: the entry it belongs to
(``groups[2].criteria[0]``, empty for the set itself), its key
(``threshold``, ``period.start``, ``lead_agencies[1]``), the value, always as
text, and its kind (chuỗi, số nguyên, số thực, đúng/sai, danh sách rỗng, bảng
rỗng).  Any key a later format adds (points, levels, options…) is one more row,
so it survives the round trip without a change here.  The file's opening
comment block (its source and approximations) travels as rows of entry ``#``.
A second sheet, "Bảng", shows the regulation's table for reading; importing
ignores it.

Reading back gives TOML text whose parsed document equals the original one
exactly (values and their kinds).  Cells are written as text and never as
formulas; a workbook to read is bounded before any XML is parsed (its size,
number of parts and their inflated size) and parsed by openpyxl, which uses
defusedxml when it is installed (it is a dependency).  Nothing here imports Django.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from smartcommune.criteria.locate import split_path

DATA_SHEET = "Bộ tiêu chí"
TABLE_SHEET = "Bảng"
HEADERS = ("Mục (entry)", "Khóa (key)", "Giá trị (value)", "Kiểu (kind)")
MAX_BYTES = 5 * 1024 * 1024
MAX_PARTS = 100
MAX_INFLATED = 50 * 1024 * 1024
MAX_ROWS = 20_000

KINDS = {"chuỗi": str, "số nguyên": int, "số thực": float, "đúng/sai": bool}
EMPTY_LIST, EMPTY_TABLE, COMMENT = "danh sách rỗng", "bảng rỗng", "#"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
# Characters a worksheet cell cannot hold (or XML would turn into another: CR becomes LF).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SpreadsheetError(ValueError):
    """A workbook that is not a criteria set; ``problems`` says where (sheet, row) and why."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{vi} ({en})" for vi, en in problems))


# -- writing ------------------------------------------------------------------


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if not _BARE.fullmatch(key):
        raise SpreadsheetError([(f"khóa {key!r} không viết được vào bảng tính (chỉ chữ, số, '_' và '-')",
                                 f"key {key!r} cannot be written to the workbook (letters, digits, '_' and '-' only)")])
    return f"{prefix}.{key}" if prefix else key


def _kind(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return "true" if value else "false", "đúng/sai"
    if isinstance(value, int):
        return str(value), "số nguyên"
    if isinstance(value, float):
        return repr(value), "số thực"
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise SpreadsheetError([(f"chuỗi {value[:40]!r} chứa ký tự điều khiển, bảng tính không lưu được",
                                     f"the string {value[:40]!r} holds a control character a workbook cannot store")])
        return value, "chuỗi"
    raise SpreadsheetError([(f"giá trị {value!r} không có trong bộ tiêu chí (ngày, giờ…)",
                             f"value {value!r} has no place in a criteria set (dates, times…)")])


def rows_of(document: dict[str, Any], comments: list[str] = ()) -> list[tuple[str, str, str, str]]:
    """The data sheet's rows (entry, key, value, kind) for a parsed document."""
    rows = [(COMMENT, "", line, "") for line in comments]

    def table(entry: str, value: dict) -> None:
        if not value and entry:
            rows.append((entry, "", "", EMPTY_TABLE))
        later = []
        for key, item in value.items():
            if _is_table_array(item):
                later.append((key, item))
            else:
                leaf(entry, _join("", key), item)
        for key, items in later:
            for i, item in enumerate(items):
                table(_join(_join(entry, key), i), item)

    def leaf(entry: str, key: str, value: Any) -> None:
        if isinstance(value, dict):
            if not value:
                rows.append((entry, key, "", EMPTY_TABLE))
            for k, v in value.items():
                leaf(entry, _join(key, k), v)
        elif isinstance(value, list):
            if not value:
                rows.append((entry, key, "", EMPTY_LIST))
            for i, v in enumerate(value):
                leaf(entry, _join(key, i), v)
        else:
            rows.append((entry, key, *_kind(value)))

    table("", document)
    return rows


def leading_comments(text: str) -> list[str]:
    """The comment lines at the top of a TOML file (blank lines kept as empty comments)."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            out.append(stripped[1:].removeprefix(" "))
        elif not stripped:
            out.append("") if out else None
        else:
            break
    while out and not out[-1]:
        out.pop()
    return out


def _text_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    # Never a formula: openpyxl infers one from "="; the others are marked text too.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def workbook_of(text: str) -> Workbook:
    """The workbook for the TOML text of a criteria set."""
    document = tomllib.loads(text)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    for column, header in enumerate(HEADERS, start=1):
        _text_cell(sheet, 1, column, header)
    for r, row in enumerate(rows_of(document, leading_comments(text)), start=2):
        for column, value in enumerate(row, start=1):
            if value:
                _text_cell(sheet, r, column, value)
    for column, width in zip("ABCD", (32, 28, 80, 14)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    _regulation_table(workbook.create_sheet(TABLE_SHEET), document)
    return workbook


def _regulation_table(sheet: Worksheet, document: dict) -> None:
    headers = ("Lĩnh vực", "Tiêu chí", "Nội dung", "Chỉ tiêu", "Cơ quan chủ trì", "Cơ quan phối hợp", "Minh chứng")
    for column, header in enumerate(headers, start=1):
        _text_cell(sheet, 1, column, header)
    _text_cell(sheet, 1, len(headers) + 1, "(chỉ để xem; khi nhập, trang này được bỏ qua)")
    agencies = {a.get("code"): a.get("name", "") for a in document.get("agencies") or () if isinstance(a, dict)}
    row = 2
    for group in document.get("groups") or ():
        for criterion in group.get("criteria") or () if isinstance(group, dict) else ():
            if not isinstance(criterion, dict):
                continue
            values = (
                f"{group.get('code', '')}. {group.get('name', '')}", str(criterion.get("code", "")),
                str(criterion.get("text", "")), str(criterion.get("target", "")),
                "; ".join(str(agencies.get(a, a)) for a in criterion.get("lead_agencies") or ()),
                "; ".join(str(agencies.get(a, a)) for a in criterion.get("coordinating_agencies") or ()),
                str(criterion.get("evidence", "")),
            )
            for column, value in enumerate(values, start=1):
                _text_cell(sheet, row, column, value)
            row += 1
    for column, width in zip("ABCDEFG", (30, 10, 60, 16, 30, 30, 50)):
        sheet.column_dimensions[column].width = width


def xlsx_bytes(text: str) -> bytes:
    out = io.BytesIO()
    workbook_of(text).save(out)
    return out.getvalue()


# -- TOML text ----------------------------------------------------------------


def _toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _toml_string(key)


def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"not a TOML value: {value!r}")


def toml_text(document: dict[str, Any], comments: list[str] = ()) -> str:
    """TOML text whose parsed document equals ``document``."""
    lines = [f"# {c}" if c else "#" for c in comments]
    if lines:
        lines.append("")

    def table(value: dict, prefix: list[str]) -> None:
        later = []
        for key, item in value.items():
            if _is_table_array(item):
                later.append((key, item))
            else:
                lines.append(f"{_toml_key(key)} = {_toml_value(item)}")
        for key, items in later:
            header = ".".join(_toml_key(k) for k in [*prefix, key])
            for item in items:
                lines.append("")
                lines.append(f"[[{header}]]")
                table(item, [*prefix, key])

    table(document, [])
    return "\n".join(lines) + "\n"


# -- reading ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    entry: str
    key: str
    value: str
    kind: str


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise SpreadsheetError([(f"tệp quá lớn ({len(data)} byte; tối đa {MAX_BYTES})", f"file too large ({len(data)} bytes; at most {MAX_BYTES})")])
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise SpreadsheetError([("tệp không phải bảng tính .xlsx", "not an .xlsx workbook")]) from None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_INFLATED:
        raise SpreadsheetError([("bảng tính quá lớn khi giải nén (nghi “bom zip”)", "the workbook inflates too much (zip bomb?)")])
    if any(i.flag_bits & 0x1 for i in infos):
        raise SpreadsheetError([("bảng tính có đặt mật khẩu; hãy lưu lại không mật khẩu", "the workbook is password-protected")])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(data: bytes) -> list[_Row]:
    """The data sheet's rows of an xlsx file, bounded; :class:`SpreadsheetError` otherwise."""
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError([(f"không mở được bảng tính ({type(exc).__name__})", f"cannot open the workbook ({type(exc).__name__})")]) from None
    try:
        if DATA_SHEET not in workbook.sheetnames:
            raise SpreadsheetError([(f"thiếu trang “{DATA_SHEET}”", f"the sheet {DATA_SHEET!r} is missing")])
        rows = []
        for number, values in enumerate(workbook[DATA_SHEET].iter_rows(min_row=2, max_col=4, values_only=True), start=2):
            if number > MAX_ROWS:
                raise SpreadsheetError([(f"quá {MAX_ROWS} dòng", f"more than {MAX_ROWS} rows")])
            cells = [_cell_text(v) for v in (*values, None, None, None, None)[:4]]
            if any(cells):
                rows.append(_Row(number, *cells))
        return rows
    finally:
        workbook.close()


def _convert(row: _Row) -> Any:
    if row.kind == EMPTY_LIST:
        return []
    if row.kind == EMPTY_TABLE:
        return {}
    if row.kind == "chuỗi":
        return row.value
    if row.kind == "số nguyên" and re.fullmatch(r"[+-]?\d+", row.value.strip()):
        return int(row.value)
    if row.kind == "số thực":
        try:
            return float(row.value)
        except ValueError:
            pass
    if row.kind == "đúng/sai" and row.value.strip().lower() in ("true", "false"):
        return row.value.strip().lower() == "true"
    kinds = ", ".join([*KINDS, EMPTY_LIST, EMPTY_TABLE])
    raise ValueError((f"giá trị {row.value!r} không hợp với kiểu {row.kind!r} (các kiểu: {kinds})",
                      f"value {row.value!r} does not fit kind {row.kind!r}"))


def document_of_rows(rows: list[_Row]) -> tuple[dict[str, Any], list[str]]:
    """The document and leading comments the rows describe; :class:`SpreadsheetError` lists every bad row."""
    document: dict[str, Any] = {}
    comments: list[str] = []
    problems: list[tuple[str, str]] = []
    for row in rows:
        if row.entry == COMMENT:
            comments.append(row.value)
            continue
        try:
            value = _convert(row)
            path = split_path(row.entry) + (split_path(row.key) if row.key else ())
            if not path or (row.key and not row.kind):
                raise ValueError(("thiếu khóa hoặc kiểu", "missing key or kind"))
            _put(document, path, value)
        except ValueError as exc:
            vi, en = exc.args[0] if isinstance(exc.args[0], tuple) else (str(exc), str(exc))
            problems.append((f"trang “{DATA_SHEET}”, dòng {row.number}: {vi}", f"sheet {DATA_SHEET!r}, row {row.number}: {en}"))
    if problems:
        raise SpreadsheetError(problems)
    return document, comments


def _put(document: dict, path: tuple[str | int, ...], value: Any) -> None:
    node: Any = document
    for i, part in enumerate(path):
        last = i == len(path) - 1
        fresh = value if last else ([] if isinstance(path[i + 1], int) else {})
        if isinstance(part, int):
            if not isinstance(node, list) or part > len(node):
                raise ValueError((f"chỉ số [{part}] không liền sau mục trước", f"index [{part}] does not follow the previous entry"))
            if part == len(node):
                node.append(fresh)
            elif last:
                raise ValueError(("giá trị bị lặp lại", "value given twice"))
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise ValueError((f"khóa {part!r} đặt trong một danh sách", f"key {part!r} inside a list"))
            if part in node and (last or not isinstance(node[part], (dict, list))):
                raise ValueError((f"khóa {part!r} bị lặp lại", f"key {part!r} given twice"))
            node = node.setdefault(part, fresh)
        if not last and not isinstance(node, (dict, list)):
            raise ValueError(("một giá trị đơn lại có mục con", "a plain value has children"))


def toml_from_xlsx(data: bytes) -> str:
    """The TOML text of a criteria-set workbook (not yet checked as a set)."""
    document, comments = document_of_rows(read_rows(data))
    return toml_text(document, comments)
