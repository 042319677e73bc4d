"""Build an entry template (xlsx) from a round's criteria set, for one commune or many.

:func:`build_template` writes the three sheets of :mod:`.layout`: Vietnamese
instructions; the data sheet with the regulation's wording, the numerator and
denominator labels and the pass/fail condition of every criterion, input cells checked
by data validation (whole numbers ≥ 0; the list "Đạt,Không đạt") and left unlocked in a
protected sheet; and the very hidden key sheet (set, year, province, template version,
and each data row's unit code, id and validity start and criterion) by which
:mod:`.workbook` recognises an upload.  Given ``values``, the template is pre-filled with
them.  The sheets are opened and finished with the workbook toolkit
(:mod:`smartcommune.core.workbooks`).

The builder reads no database: the caller decides which assessments the user may see
(``imports.selectors.template_assessments, through ``rounds.access````) and passes their current values
(``imports.selectors.template_values``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from smartcommune.core import workbooks
from smartcommune.exchange import values as value_rules
from smartcommune.imports import layout
from smartcommune.rounds.models import Assessment, CriterionValue, Round

_LOCKED_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFFF9DB", end_color="FFFFF9DB")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {"A": 9, "B": 22, "C": 7, "D": 8, "E": 60, "F": 14, "G": 30, "H": 10, "I": 30, "J": 10,
           "K": 30, "L": 13, "M": 30, "N": 30, "O": 10, "P": 40, "Q": 16}
# The field column of a precondition's rows (it belongs to no field).
PRECONDITION_GROUP = "ĐKTQ"

INSTRUCTIONS = (
    "HƯỚNG DẪN NHẬP SỐ LIỆU TỰ ĐÁNH GIÁ XÃ THÔNG MINH",
    "",
    "1. Chỉ nhập vào các ô màu vàng trên trang “Số liệu”: Tử số, Mẫu số (số nguyên từ 0 trở lên), "
    "Đạt/Không đạt (chọn trong danh sách) và Nguồn số liệu. Các ô khác được khoá.",
    "2. Tử số không được lớn hơn mẫu số. Mẫu số bằng 0 nghĩa là không có gì để tính (thường được tính là "
    "không áp dụng).",
    "3. Không thêm, xoá, gộp ô, đổi tên hay sắp xếp lại các dòng, cột, trang; không nhập công thức "
    "(nếu có công thức, hệ thống dùng giá trị đã tính sẵn lưu trong tệp, không có thì từ chối).",
    "4. Với mẫu trống: ô để trống nghĩa là giữ nguyên số liệu đang có. Với mẫu có sẵn số liệu hiện tại: "
    "tệp là số liệu mới, ô bị xoá trống nghĩa là xoá số liệu đó.",
    "5. Tải tệp lên ở mục “Nhập dữ liệu” (hoặc lệnh `smartcommune import TỆP --user TÊN`). Hệ thống kiểm tra "
    "mọi ô, cho xem trước thay đổi (cũ → mới, kết quả từng tiêu chí, lĩnh vực và của xã), rồi mới ghi khi "
    "bạn xác nhận. Tệp có bất kỳ lỗi nào thì không ghi gì và liệt kê mọi lỗi theo trang, dòng, cột.",
    "6. Chỉ sửa được hồ sơ mình được phép sửa (hồ sơ nháp, hoặc các tiêu chí bị trả lại) của xã mình.",
    "",
    "Mẫu của bộ tiêu chí có số lượng, câu hỏi lựa chọn, điều kiện tiên quyết hoặc dòng riêng: Số lượng là số "
    "nguyên từ 0 trở lên; Lựa chọn là mã một phương án (chọn trong danh sách, cột bên cạnh ghi nội dung và "
    "điểm của từng phương án); dòng có lĩnh vực “ĐKTQ” là điều kiện tiên quyết (không đạt thì xã không đủ điều "
    "kiện xét công nhận); dòng có mã dạng “4.1:b” là một điều kiện riêng của tiêu chí 4.1.",
    "",
    "Instructions (English): fill only the yellow cells of the sheet “Số liệu” (numerator, denominator: whole "
    "numbers ≥ 0; Đạt/Không đạt from the list; data source). Do not add, remove, merge or reorder rows, columns "
    "or sheets, and do not use formulas. In a blank template an empty cell keeps the current value; in a "
    "pre-filled one the file is the new data. Upload under “Nhập dữ liệu” or with `smartcommune import`; "
    "every cell is checked and a preview shown before anything is saved.",
)


def _rows(criteria_set, version: str):
    """``(field code, slot)`` of each data row of one unit: in version 1 the fields'
    criteria; in version 2 the preconditions' rows, then every field criterion's rows
    (its own, then one per keyed condition)."""
    if version == "1":
        return [(g.code, c.slots[0]) for g in criteria_set.groups for c in g.criteria]
    rows = [(PRECONDITION_GROUP, s) for c in criteria_set.preconditions for s in c.slots]
    return rows + [(g.code, s) for g in criteria_set.groups for c in g.criteria for s in c.slots]


def _slots(criteria_set, version: str):
    return [slot for _, slot in _rows(criteria_set, version)]


def template_filename(round_: Round, assessments: Sequence[Assessment], *, prefill: bool) -> str:
    what = assessments[0].unit.code if len(assessments) == 1 else f"tinh-{round_.province.code}"
    return f"mau-nhap-lieu-{round_.year}-{what}{'-co-so-lieu' if prefill else ''}.xlsx"


def build_template(
    round_: Round, assessments: Sequence[Assessment], *,
    values: Mapping[tuple[int, str], CriterionValue] | None = None, synthetic: bool = False,
) -> bytes:
    """The template for ``assessments`` (all of ``round_``), as xlsx bytes.

    ``values`` (by assessment id and criterion code) makes a pre-filled template: the
    file is then the new data, and a value missing from ``values`` is an empty cell.
    Without it (``None``) the template is blank: an empty cell keeps the current value.
    """
    criteria_set = round_.criteria_set
    assessments = sorted(assessments, key=lambda a: a.unit.code)
    prefill = values is not None
    values = values or {}
    wb = workbooks.new_workbook()
    info = wb.create_sheet(layout.INSTRUCTIONS_SHEET)

    lines = list(INSTRUCTIONS)
    head = (f"Bộ tiêu chí: {criteria_set.name} ({criteria_set.code}); năm {round_.year}; {round_.province.name}; "
            f"{len(assessments)} đơn vị; {'có sẵn số liệu hiện tại' if prefill else 'mẫu trống'}.")
    lines.insert(1, head)
    if synthetic:
        lines.insert(1, "DỮ LIỆU MÔ PHỎNG (synthetic demo data) — không phải số liệu thật.")
    for i, line in enumerate(lines, start=1):
        cell = info.cell(row=i, column=1, value=line)
        cell.alignment = _WRAP
    info["A1"].font = Font(bold=True, size=13)
    info.column_dimensions["A"].width = 120
    info.protection.sheet = True

    title = f"Số liệu tự đánh giá năm {round_.year} — {round_.province.name} — {criteria_set.code}"
    if synthetic:
        title += " — DỮ LIỆU MÔ PHỎNG (synthetic demo data)"

    def heading(sheet, width: int) -> int:
        sheet["A1"] = title
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A2"] = ("Chỉ nhập vào các ô màu vàng (Tử số, Mẫu số, Đạt/Không đạt, Nguồn số liệu). "
                       "Xem trang “Hướng dẫn”.")
        return layout.HEADER_ROW

    version = layout.version_for(criteria_set)
    headers = [(header, _WIDTHS[letter]) for letter, header in layout.columns_of(version)]
    data, _header = workbooks.add_sheet(wb, layout.DATA_SHEET, headers, heading=heading)
    key = wb.create_sheet(layout.KEY_SHEET)
    key.sheet_state = "veryHidden"

    for label, value in zip(layout.KEY_FIELDS, (
        layout.MARKER, version, criteria_set.code, round_.year, round_.province.code,
        1 if prefill else 0, len(assessments), ",".join(s.code for s in _slots(criteria_set, version)),
    )):
        key.append([label, value])
    for _ in range(layout.KEY_TABLE_ROW - 1 - key.max_row):
        key.append([])
    key.append(list(layout.KEY_TABLE_HEADERS))

    row = layout.FIRST_DATA_ROW
    choices: dict[str, tuple[object, list[str]]] = {}
    for a in assessments:
        unit = a.unit
        key.append([row, unit.code, unit.pk, unit.valid_from.isoformat()])
        for group_code, slot in _rows(criteria_set, version):
            c = slot.criterion
            ratio, boolean, count, choice = slot.ratio, slot.boolean, slot.count, slot.choice
            v = values.get((a.pk, c.code))
            given = v.given(slot.code) if v is not None else {}
            cells = [
                unit.code, unit.name, group_code, slot.code, c.text, c.target,
                ratio.numerator_label if ratio else "",
                given.get("numerator") if ratio else None,
                ratio.denominator_label if ratio else "",
                given.get("denominator") if ratio else None,
                boolean.label if boolean else "",
                (layout.MET_TRUE if given["met"] else layout.MET_FALSE) if given.get("met") is not None else None,
                given.get("source") or None,
            ]
            if version != "1":
                cells += [
                    f"{count.label} ({count.comparator.value} {count.threshold})" if count else "",
                    given.get("count") if count else None,
                    "; ".join(f"{o.code} = {o.label} ({o.points} điểm)" for o in choice.options) if choice else "",
                    given.get("choice") if choice else None,
                ]
            data.append(cells)
            inputs = [(layout.NUMERATOR_COL, ratio), (layout.DENOMINATOR_COL, ratio), (layout.MET_COL, boolean),
                      (layout.SOURCE_COL, True)]
            if version != "1":
                inputs += [(layout.COUNT_COL, count), (layout.CHOICE_COL, choice)]
            for letter, enabled in inputs:
                cell = data[f"{letter}{row}"]
                if enabled:
                    cell.protection = _UNLOCKED
                    cell.fill = _INPUT_FILL
                else:
                    cell.fill = _LOCKED_FILL
            if choice is not None:
                choices.setdefault(slot.code, (choice, []))[1].append(f"{layout.CHOICE_COL}{row}")
            row += 1
    last = row - 1
    counts = DataValidation(
        type="whole", operator="between", formula1="0", formula2=str(value_rules.MAX_COUNT), allow_blank=True,
        showErrorMessage=True, errorTitle="Số không hợp lệ",
        error="Nhập số nguyên từ 0 trở lên (a whole number, 0 or more).",
    )
    met = DataValidation(
        type="list", formula1=f'"{layout.MET_TRUE},{layout.MET_FALSE}"', allow_blank=True,
        showErrorMessage=True, errorTitle="Giá trị không hợp lệ", error="Chọn Đạt hoặc Không đạt.",
    )
    if last >= layout.FIRST_DATA_ROW:
        counts.add(f"{layout.NUMERATOR_COL}{layout.FIRST_DATA_ROW}:{layout.NUMERATOR_COL}{last}")
        counts.add(f"{layout.DENOMINATOR_COL}{layout.FIRST_DATA_ROW}:{layout.DENOMINATOR_COL}{last}")
        met.add(f"{layout.MET_COL}{layout.FIRST_DATA_ROW}:{layout.MET_COL}{last}")
        if version != "1":
            counts.add(f"{layout.COUNT_COL}{layout.FIRST_DATA_ROW}:{layout.COUNT_COL}{last}")
    # One list per choice: its options' codes (the column beside names them with points).
    for code, (choice, cells) in choices.items():
        listed = DataValidation(
            type="list", formula1='"' + ",".join(o.code for o in choice.options) + '"', allow_blank=True,
            showErrorMessage=True, errorTitle="Phương án không hợp lệ",
            error=f"Chọn mã một phương án của {code}: " + ", ".join(o.code for o in choice.options),
        )
        for ref in cells:
            listed.add(ref)
        data.add_data_validation(listed)
    data.add_data_validation(counts)
    data.add_data_validation(met)
    workbooks.finish_sheet(data, header=layout.HEADER_ROW, freeze_column=5)  # E: the first input column
    # Labels are protected against slips (no password: the reader checks every label
    # against the key anyway); input cells are unlocked above.
    data.protection.sheet = True
    data.protection.formatRows = False
    data.protection.formatColumns = False
    key.protection.sheet = True
    wb.active = 1
    return workbooks.workbook_bytes(wb)
