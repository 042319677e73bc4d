"""Read a filled entry template safely: bounded, without trusting anything in the file.

Before any XML is parsed the zip is checked from its central directory: at most
:data:`MAX_ENTRIES` entries, each at most :data:`MAX_ENTRY_BYTES` and all together at
most :data:`MAX_TOTAL_BYTES` uncompressed, and no entry above :data:`MAX_RATIO` times
its compressed size (a zip bomb is refused without being inflated; Python's ``zipfile``
never inflates past an entry's declared size and checks its CRC, so the declared sizes
hold); an entry encrypted with a password is refused.  Every XML part is refused if it
declares a DTD or an entity (OOXML never does; this shuts out entity expansion and external
entities), as defusedxml sees it after decoding (so re-encoding as UTF-16 does not hide
it), then parsed with the standard library's expat.

The data sheet is read straight from its SpreadsheetML (the standard library's C
parser, then only the needed cells in Python) rather than with openpyxl: a province's
template is read several times faster, and one pass sees each cell's formula and its
cached value together (openpyxl needs two loads, ``data_only`` on and off).  The parts
are bounded before parsing (a province's data sheet is ~3.5 MB of XML, the limit 16 MB).  A formula
in an input cell is accepted through its cached value, and refused when it has none.

:func:`read_template` returns the key and every input cell, or raises
:class:`~smartcommune.imports.exceptions.ImportRefused` listing every problem by sheet,
row and column.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.utils import get_column_letter

from smartcommune.exchange import values as value_rules
from smartcommune.imports import layout
from smartcommune.imports.exceptions import ImportProblem, ImportRefused

MAX_ENTRIES = 100
MAX_ENTRY_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_RATIO = 100
# Small parts may compress extremely well (a run of empty tags); the ratio is checked
# above this size.
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 30

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RANGE = re.compile(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?")


@dataclass(slots=True)
class Cell:
    value: object
    """str, int, Decimal, bool or None (empty)."""
    formula: bool = False
    cached: bool = True
    error: str = ""


@dataclass(slots=True)
class TemplateEntry:
    row: int
    unit_code: str
    unit_id: int | None
    unit_valid_from: date
    criterion: str
    given: dict[str, object]
    """The fields the row sets: ``numerator``, ``denominator``, ``met``, ``source`` (and
    ``count``, ``choice`` in a version 2 template)."""


@dataclass(slots=True)
class TemplateFile:
    criteria_set_code: str
    year: int
    province_code: str
    prefilled: bool
    entries: list[TemplateEntry] = field(default_factory=list)
    version: str = layout.TEMPLATE_VERSION


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def open_checked_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The archive, after the size, count and ratio checks; :class:`ImportRefused` otherwise."""
    def refuse(vi: str, en: str):
        return ImportRefused(name, [ImportProblem(vi, en)])

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(f"tệp xlsx hỏng, không mở được (zip: {exc})", f"the xlsx file is corrupt (zip: {exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise refuse(f"tệp có {len(infos)} thành phần, quá giới hạn {MAX_ENTRIES}; không phải mẫu nhập liệu",
                     f"the archive has {len(infos)} entries, over the limit of {MAX_ENTRIES}")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise refuse(f"nội dung giải nén {total} byte, quá giới hạn {MAX_TOTAL_BYTES} byte (nghi “bom zip”)",
                     f"it inflates to {total} bytes, over the limit of {MAX_TOTAL_BYTES} (zip bomb?)")
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            raise refuse(f"thành phần {info.filename} giải nén {info.file_size} byte, quá giới hạn {MAX_ENTRY_BYTES}",
                         f"entry {info.filename} inflates to {info.file_size} bytes, over {MAX_ENTRY_BYTES}")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(
                f"thành phần {info.filename} nén {info.file_size // max(info.compress_size, 1)} lần, quá giới hạn "
                f"{MAX_RATIO} lần (nghi “bom zip”)",
                f"entry {info.filename} has a compression ratio over {MAX_RATIO} (zip bomb?)")
    encrypted = [i.filename for i in infos if i.flag_bits & 0x1]
    if encrypted:
        raise refuse(f"tệp có thành phần được mã hóa bằng mật khẩu ({encrypted[0]}); hãy lưu lại bảng tính không "
                     "đặt mật khẩu rồi nhập lại",
                     f"the archive has a password-encrypted entry ({encrypted[0]}); save the workbook without a "
                     "password and import it again")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse("tệp zip này không phải bảng tính Excel (.xlsx)", "this zip is not an Excel workbook (.xlsx)")
    return archive


def _xml(archive: zipfile.ZipFile, part: str, name: str) -> bytes:
    try:
        raw = archive.read(part)
    except KeyError:
        raise ImportRefused(name, [ImportProblem(f"thiếu thành phần {part} của tệp xlsx",
                                                 f"the xlsx lacks its part {part}")]) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ImportRefused(name, [ImportProblem(f"tệp xlsx hỏng ở {part} ({exc})",
                                                 f"the xlsx is corrupt at {part} ({exc})")]) from None
    refuse_dtd(raw, part, name)
    return raw


class _RootReached(Exception):
    """The prolog is over: no DTD can follow."""


class _StopAtRoot:
    def start(self, tag, attrib):
        raise _RootReached

    def close(self):
        return None


_PROLOG_CHUNK = 64 * 1024


def refuse_dtd(raw: bytes, part: str, name: str) -> None:
    """:class:`ImportRefused` when ``raw`` declares a DTD or an entity, whatever its encoding.

    defusedxml's parser reads the document as expat decodes it (UTF-8, UTF-16 with or
    without a byte-order mark, any declared encoding) and refuses a document type
    declaration, entity declarations and external references.  A DTD may only come before
    the root element, so the check stops there: the part is then parsed once more, in C.
    """
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        for start in range(0, len(raw), _PROLOG_CHUNK):
            parser.feed(raw[start:start + _PROLOG_CHUNK])
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException:
        raise ImportRefused(name, [ImportProblem(
            f"{part} khai báo DTD/thực thể XML, điều bảng tính Excel không bao giờ có; không đọc",
            f"{part} declares an XML DTD or entity, which Excel never writes; not read")]) from None
    except ET.ParseError:
        pass  # reported with its position by _parse_xml


def _parse_xml(raw: bytes, part: str, name: str) -> ET.Element:
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ImportRefused(name, [ImportProblem(f"{part} không phải XML hợp lệ ({exc})",
                                                 f"{part} is not well-formed XML ({exc})")]) from None


def _sheet_parts(archive: zipfile.ZipFile, name: str) -> tuple[dict[str, tuple[str, str]], str | None]:
    """``{sheet name: (part path, state)}`` and the shared strings part, from the workbook."""
    workbook = _parse_xml(_xml(archive, "xl/workbook.xml", name), "xl/workbook.xml", name)
    rels = _parse_xml(_xml(archive, "xl/_rels/workbook.xml.rels", name), "xl/_rels/workbook.xml.rels", name)
    targets, shared = {}, None
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
        if rel.get("Type", "").endswith("/sharedStrings"):
            shared = path
    sheets = {}
    for sheet in workbook.iter(f"{_NS}sheet"):
        sheets[sheet.get("name", "")] = (targets.get(sheet.get(f"{_REL_NS}id"), ""), sheet.get("state", "visible"))
    return sheets, shared


def _shared_strings(archive: zipfile.ZipFile, part: str | None, name: str) -> list[str]:
    if part is None or part not in archive.namelist():
        return []
    root = _parse_xml(_xml(archive, part, name), part, name)
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


# A numeric cell longer than this is kept as its text (a number has at most 17
# significant digits and an exponent in Excel); the value rules then refuse it by its
# shape, so no huge text reaches Decimal() and no huge exponent reaches int().
_NUMBER_TEXT_LIMIT = 40


def _number(text: str):
    if len(text) > _NUMBER_TEXT_LIMIT:
        return text
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    # adjusted(): the power of ten of the leading digit; int() only of a modest number.
    if value.is_finite() and value.adjusted() < 20 and value == value.to_integral_value():
        return int(value)
    return value


_DIGITS = "0123456789"


def _read_cells(raw: bytes, strings: list[str], sheet: str, name: str, problems: list[ImportProblem],
                *, max_column: int, keep: frozenset[str] | None = None,
                full_rows: frozenset[int] = frozenset()) -> tuple[dict[int, dict[str, Cell]], list[str]]:
    """The non-empty cells of a sheet as ``{row: {column letter: Cell}}``, and its merged ranges.

    ``keep``: the only columns returned (all when ``None``), except in ``full_rows``.
    More than :data:`MAX_ROWS` rows is a problem (and nothing is read); a cell right of
    ``max_column`` holding a value is reported.  Hot loop: a province's data sheet has
    ~40,000 cells.
    """
    rows: dict[int, dict[str, Cell]] = {}
    c_tag = f"{_NS}c"
    v_tag, f_tag, is_tag, t_tag = f"{_NS}v", f"{_NS}f", f"{_NS}is", f"{_NS}t"
    allowed = {get_column_letter(i) for i in range(1, max_column + 1)}
    # The whole part is parsed in C (it is bounded by MAX_ENTRY_BYTES): several times
    # faster than a streaming parse whose every element passes through Python.
    root = _parse_xml(raw, sheet, name)
    merge_cells = root.find(f"{_NS}mergeCells")
    merged = [m.get("ref", "") for m in merge_cells] if merge_cells is not None else []
    sheet_data = root.find(f"{_NS}sheetData")
    row_elements = list(sheet_data) if sheet_data is not None else []
    if len(row_elements) > MAX_ROWS:
        problems.append(ImportProblem(f"trang có hơn {MAX_ROWS} dòng, quá lớn so với mẫu",
                                      f"the sheet has over {MAX_ROWS} rows, far too large", sheet=sheet))
        return rows, merged
    for el in row_elements:
        for c in el:
            if c.tag != c_tag:
                continue
            ref = c.get("r")
            if ref is None:
                # Excel, LibreOffice and openpyxl always name the cell; a cell without a
                # reference cannot be placed, so it is refused rather than guessed.
                if _cell(c, strings, v_tag, f_tag, is_tag, t_tag) is not None:
                    problems.append(ImportProblem("ô không có địa chỉ (tệp không do Excel tạo?)",
                                                  "a cell without a reference (not written by Excel?)",
                                                  sheet=sheet, row=int(el.get("r") or 0)))
                continue
            letters = ref.rstrip(_DIGITS)
            try:
                number = int(ref[len(letters):])
            except ValueError:
                continue
            if keep is not None and letters not in keep and letters in allowed and number not in full_rows:
                continue
            cell = _cell(c, strings, v_tag, f_tag, is_tag, t_tag)
            if cell is None:
                continue
            if letters not in allowed:
                problems.append(ImportProblem(
                    "ô có dữ liệu nằm ngoài các cột của mẫu (thêm cột?)",
                    "a cell outside the template's columns holds data (an added column?)",
                    sheet=sheet, row=number, column=letters))
                continue
            rows.setdefault(number, {})[letters] = cell
    return rows, merged


def _cell(c: ET.Element, strings: list[str], v_tag: str, f_tag: str, is_tag: str, t_tag: str) -> Cell | None:
    """One ``<c>`` element's value, formula flag and cached value; ``None`` when empty."""
    kind = c.get("t", "n")
    v, f = c.find(v_tag), c.find(f_tag)
    text = v.text if v is not None else None
    if kind == "inlineStr":
        inline = c.find(is_tag)
        text = "".join(t.text or "" for t in inline.iter(t_tag)) if inline is not None else None
    cell = Cell(None, formula=f is not None, cached=text is not None)
    if text is None:
        pass
    elif kind == "s":
        try:
            cell.value = strings[int(text)]
        except (ValueError, IndexError):
            cell.error = "chuỗi dùng chung không tồn tại"
    elif kind in ("str", "inlineStr"):
        cell.value = text
    elif kind == "b":
        cell.value = text.strip() == "1"
    elif kind == "e":
        cell.error = text
    elif kind == "n":
        cell.value = _number(text)
    else:
        cell.value = text
    if cell.value is None and not cell.formula and not cell.error:
        return None
    return cell


def read_first_sheet(data: bytes, name: str, *, max_column: int) -> tuple[str, dict[int, dict[str, Cell]]]:
    """The first visible sheet of any ``.xlsx`` as ``(sheet name, {row: {column letter:
    Cell}})``, its non-empty cells only, read with this module's hardening (the zip checks
    of :func:`open_checked_zip`, no DTD or entity, at most :data:`MAX_ROWS` rows).

    For the other apps' tables (the disclosure register): a cell right of ``max_column``
    holding a value, a workbook without a visible sheet and every check above raise
    :class:`ImportRefused` listing the problems by sheet, row and column.  A formula is
    returned as it is (``Cell.formula``): the caller decides whether it takes one.
    """
    archive = open_checked_zip(data, name)
    sheets, shared_part = _sheet_parts(archive, name)
    visible = [(sheet, part) for sheet, (part, state) in sheets.items() if state == "visible"]
    if not visible:
        raise ImportRefused(name, [ImportProblem("bảng tính không có trang nào", "the workbook has no sheet")])
    sheet, part = visible[0]
    problems: list[ImportProblem] = []
    cells, _merged = _read_cells(_xml(archive, part, name), _shared_strings(archive, shared_part, name), sheet, name,
                                 problems, max_column=max_column)
    if problems:
        raise ImportRefused(name, problems)
    return sheet, cells


# The data sheet's columns the reader needs (labels are checked against the key by unit
# code and criterion code; the other labels are the template's own text).
_KEEP = frozenset({layout.UNIT_CODE_COL, layout.CRITERION_COL, *layout.INPUTS.values()})


def read_template(data: bytes, name: str) -> TemplateFile:
    """Read and check a filled template (see the module's docstring)."""
    archive = open_checked_zip(data, name)
    sheets, shared_part = _sheet_parts(archive, name)
    problems: list[ImportProblem] = []
    missing = [s for s in layout.SHEETS if s not in sheets]
    extra = [s for s in sheets if s not in layout.SHEETS]
    if layout.KEY_SHEET not in sheets:
        problems.append(ImportProblem(
            "không có trang khoá ẩn: tệp không phải mẫu nhập liệu của hệ thống (hãy tải mẫu ở mục Nhập dữ liệu)",
            "no hidden key sheet: this is not one of the system's entry templates (download one under Nhập dữ liệu)"))
    for s in missing:
        if s != layout.KEY_SHEET:
            problems.append(ImportProblem(f"thiếu trang “{s}”", f"sheet {s!r} is missing", sheet=s))
    for s in extra:
        problems.append(ImportProblem(f"trang “{s}” không có trong mẫu", f"sheet {s!r} is not part of the template",
                                      sheet=s))
    if problems:
        raise ImportRefused(name, problems)
    strings = _shared_strings(archive, shared_part, name)
    key_rows, _ = _read_cells(_xml(archive, sheets[layout.KEY_SHEET][0], name), strings, layout.KEY_SHEET, name,
                              problems, max_column=MAX_COLUMNS)
    key = _read_key(key_rows, name)
    template, table = key
    columns = layout.columns_of(template.version)
    data_rows, merged = _read_cells(_xml(archive, sheets[layout.DATA_SHEET][0], name), strings, layout.DATA_SHEET,
                                    name, problems, max_column=len(columns), keep=_KEEP,
                                    full_rows=frozenset({layout.HEADER_ROW}))
    sheet = layout.DATA_SHEET
    for ref in merged:
        m = _RANGE.fullmatch(ref)
        if m and int(m.group(4) or m.group(2)) >= layout.HEADER_ROW:
            problems.append(ImportProblem(f"ô bị gộp ({ref}) trong vùng bảng số liệu; hãy bỏ gộp ô",
                                          f"merged cells ({ref}) in the data table; unmerge them",
                                          sheet=sheet, row=int(m.group(2)), column=m.group(1)))
    header = data_rows.get(layout.HEADER_ROW, {})
    for letter, expected in columns:
        found = header.get(letter)
        text = str(found.value).strip() if found is not None and found.value is not None else ""
        if text != expected:
            problems.append(ImportProblem(
                f"tiêu đề cột phải là “{expected}”, đang là “{text}” (thiếu, thêm hoặc đổi chỗ cột?)",
                f"the column header must be {expected!r}, found {text!r} (a missing, added or moved column?)",
                sheet=sheet, row=layout.HEADER_ROW, column=letter))
    expected_rows = {r for r, *_ in table}
    last = max(expected_rows, default=layout.HEADER_ROW)
    for number in sorted(data_rows):
        if number > last or (number > layout.HEADER_ROW and number not in expected_rows):
            problems.append(ImportProblem("dòng thừa, không có trong mẫu (thêm dòng?)",
                                          "an extra row that is not in the template (an added row?)",
                                          sheet=sheet, row=number))
    for number, unit_code, unit_id, valid_from, criterion in table:
        cells = data_rows.get(number, {})
        shown_unit = _text(cells.get(layout.UNIT_CODE_COL))
        shown_code = _text(cells.get(layout.CRITERION_COL))
        if shown_unit != unit_code or shown_code != criterion:
            problems.append(ImportProblem(
                f"dòng phải là đơn vị {unit_code}, tiêu chí {criterion} nhưng đang là {shown_unit or '(trống)'}, "
                f"{shown_code or '(trống)'} (dòng bị xoá, chèn hay sắp xếp lại?)",
                f"the row must be unit {unit_code}, criterion {criterion}, found {shown_unit or '(empty)'}, "
                f"{shown_code or '(empty)'} (a row deleted, inserted or sorted?)",
                sheet=sheet, row=number))
            continue
        given = _inputs(cells, number, template.prefilled, problems, template.version)
        if given:
            template.entries.append(TemplateEntry(number, unit_code, unit_id, valid_from, criterion, given))
    if problems:
        raise ImportRefused(name, problems)
    return template


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return str(cell.value).strip()


def _read_key(rows: dict[int, dict[str, Cell]], name: str):
    refuse = ImportRefused(name, [ImportProblem(
        "trang khoá ẩn bị sửa hoặc không đúng định dạng; hãy tải lại mẫu", "the hidden key sheet is altered or "
        "malformed; download the template again", sheet=layout.KEY_SHEET)])
    values = {_text(rows.get(i, {}).get("A")): _text(rows.get(i, {}).get("B")) for i in range(1, len(layout.KEY_FIELDS) + 1)}
    if values.get("marker") != layout.MARKER:
        raise refuse
    version = values.get("template_version")
    if version not in layout.VERSIONS:
        known = " và ".join(layout.VERSIONS)
        raise ImportRefused(name, [ImportProblem(
            f"mẫu phiên bản {version!r}, hệ thống đọc phiên bản {known}; "
            "hãy tải mẫu mới", f"template version {version!r}; this system reads versions "
            f"{', '.join(layout.VERSIONS)}; download a new template", sheet=layout.KEY_SHEET)])
    try:
        template = TemplateFile(values["criteria_set"], int(values["year"]), values["province_code"],
                                values["prefilled"] == "1", version=version)
        criteria = values["criteria"].split(",")
        table = []
        for i in range(layout.KEY_TABLE_ROW + 1, layout.KEY_TABLE_ROW + 1 + int(values["units"])):
            cells = rows.get(i, {})
            first, code = int(_text(cells.get("A"))), _text(cells.get("B"))
            unit_id, valid_from = int(_text(cells.get("C")) or 0) or None, date.fromisoformat(_text(cells.get("D")))
            table += [(first + j, code, unit_id, valid_from, criterion) for j, criterion in enumerate(criteria)]
    except (KeyError, ValueError):
        raise refuse from None
    if (not all(criteria) or len({r for r, *_ in table}) != len(table)
            or any(r < layout.FIRST_DATA_ROW for r, *_ in table)):
        raise refuse
    return template, table


def _inputs(cells: dict[str, Cell], row: int, prefilled: bool, problems: list[ImportProblem],
            version: str) -> dict[str, object]:
    """The fields the row sets; in a blank template only the filled cells."""
    sheet = layout.DATA_SHEET
    given: dict[str, object] = {}
    for field_name, letter in layout.inputs_of(version).items():
        cell = cells.get(letter)

        def bad(vi: str, en: str) -> None:
            problems.append(ImportProblem(vi, en, sheet=sheet, row=row, column=letter))

        if cell is not None and cell.error:
            bad(f"ô báo lỗi {cell.error}", f"the cell shows the error {cell.error}")
            continue
        if cell is not None and cell.formula and not cell.cached:
            bad("ô có công thức nhưng tệp không lưu giá trị đã tính; hãy nhập số (hoặc mở bằng Excel và lưu lại)",
                "the cell holds a formula without a cached value; type the number (or open and save it in Excel)")
            continue
        value = None if cell is None else cell.value
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if prefilled:
                given[field_name] = "" if field_name == "source" else None
            continue
        if field_name in ("numerator", "denominator", "count"):
            try:
                value = value_rules.count_of(value)
            except value_rules.ValueRefused as refused:
                bad(refused.vi, refused.en)
                continue
        elif field_name == "met":
            try:
                value = value_rules.met_of(value)
            except value_rules.ValueRefused as refused:
                bad(refused.vi, refused.en)
                continue
        elif field_name == "choice":
            # An option's code; whether the row's condition has it is the engine's to
            # say (the preview names the options).
            value = str(value).strip()
            if len(value) > 50:
                bad("mã phương án dài quá 50 ký tự", "an option's code is at most 50 characters")
                continue
        else:
            value = str(value).strip()
            refused = value_rules.text_problem("source", value)
            if refused is not None:
                bad(refused.vi, refused.en)
                continue
        given[field_name] = value
    numerator, denominator = given.get("numerator"), given.get("denominator")
    # Version 2 may hold ratios that are not shares (110 %): the preview checks them with
    # the set.
    if version == "1" and isinstance(numerator, int) and isinstance(denominator, int) and numerator > denominator:
        # Checked here too (the preview checks it with the engine) so that it is listed
        # with every other cell problem of the file, not only once they are fixed.
        problems.append(ImportProblem(f"tử số {numerator} lớn hơn mẫu số {denominator}",
                                      f"numerator {numerator} is greater than denominator {denominator}",
                                      sheet=sheet, row=row, column=layout.NUMERATOR_COL))
    return given
