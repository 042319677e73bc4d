"""The shape of an entry template, shared by the writer (:mod:`.template`) and the reader
(:mod:`.workbook`): sheet names, columns, the key sheet's labels, the template version.

A template has three sheets: instructions, the data sheet (one row per commune and
criterion, labels locked, the four input columns unlocked) and a *very hidden* key sheet
that says which set, year and units the rows are for, so an upload is recognised.
Change :data:`TEMPLATE_VERSION` whenever this shape changes: the reader refuses other
versions rather than misreading them.
"""

from __future__ import annotations

TEMPLATE_VERSION = "1"
MARKER = "smartcommune-mau-nhap-lieu"

INSTRUCTIONS_SHEET = "Hướng dẫn"
DATA_SHEET = "Số liệu"
KEY_SHEET = "_khoa"
SHEETS = (INSTRUCTIONS_SHEET, DATA_SHEET, KEY_SHEET)

# Row of the column headers on the data sheet; data starts on the next row.
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

# (letter, header) of every data-sheet column, in order.
COLUMNS = (
    ("A", "Mã ĐVHC"),
    ("B", "Tên đơn vị"),
    ("C", "Lĩnh vực"),
    ("D", "Mã tiêu chí"),
    ("E", "Nội dung tiêu chí"),
    ("F", "Chỉ tiêu"),
    ("G", "Tử số là"),
    ("H", "Tử số"),
    ("I", "Mẫu số là"),
    ("J", "Mẫu số"),
    ("K", "Điều kiện Đạt"),
    ("L", "Đạt/Không đạt"),
    ("M", "Nguồn số liệu"),
)
HEADERS = tuple(h for _, h in COLUMNS)
UNIT_CODE_COL, CRITERION_COL = "A", "D"
NUMERATOR_COL, DENOMINATOR_COL, MET_COL, SOURCE_COL = "H", "J", "L", "M"
# The input columns, by the value field they fill.
INPUTS = {"numerator": NUMERATOR_COL, "denominator": DENOMINATOR_COL, "met": MET_COL, "source": SOURCE_COL}
COLUMN_OF_FIELD = {field: col for field, col in INPUTS.items()}

MET_TRUE, MET_FALSE = "Đạt", "Không đạt"

# Key sheet: label/value pairs in columns A/B from row 1 ("criteria": the codes in the
# order of each unit's rows, comma-separated), then from KEY_TABLE_ROW one row per unit:
# its first data row (its criteria follow, one row each), code, id and validity start.
KEY_FIELDS = ("marker", "template_version", "criteria_set", "year", "province_code", "prefilled", "units", "criteria")
KEY_TABLE_ROW = 10
KEY_TABLE_HEADERS = ("first_data_row", "unit_code", "unit_id", "unit_valid_from")
# The largest count and the longest data source: smartcommune.exchange.values
# (MAX_COUNT, TEXT_LIMITS), the rules of every channel.
