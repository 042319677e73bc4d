"""The shape of an entry template, shared by the writer (:mod:`.template`) and the reader
(:mod:`.workbook`): sheet names, columns, the key sheet's labels, the template version.

A template has three sheets: instructions, the data sheet (one row per commune and
criterion, labels locked, the four input columns unlocked) and a *very hidden* key sheet
that says which set, year and units the rows are for, so an upload is recognised.
Change :data:`TEMPLATE_VERSION` whenever this shape changes: the reader refuses other
versions rather than misreading them.

Two shapes are written and read: version 1 (columns A–M) for a set whose rows hold only
ratios and pass/fail conditions (Bến Tre's), unchanged; version 2 adds the count and the
choice (columns N–Q) and one row per keyed condition (``4.1:b``) and precondition, for a
set that needs them (:func:`version_for`).
"""

from __future__ import annotations

TEMPLATE_VERSION = "2"
VERSIONS = ("1", "2")
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
    ("N", "Số lượng là"),
    ("O", "Số lượng"),
    ("P", "Các phương án (mã = nội dung, điểm)"),
    ("Q", "Lựa chọn (mã phương án)"),
)
UNIT_CODE_COL, CRITERION_COL = "A", "D"
NUMERATOR_COL, DENOMINATOR_COL, MET_COL, SOURCE_COL = "H", "J", "L", "M"
COUNT_COL, CHOICE_COL = "O", "Q"
# The input columns, by the value field they fill.
INPUTS = {"numerator": NUMERATOR_COL, "denominator": DENOMINATOR_COL, "met": MET_COL, "source": SOURCE_COL,
          "count": COUNT_COL, "choice": CHOICE_COL}
COLUMN_OF_FIELD = {field: col for field, col in INPUTS.items()}
# Version 1: the first 13 columns and four inputs.
V1_COLUMNS = COLUMNS[:13]
V1_INPUTS = {f: c for f, c in INPUTS.items() if f not in ("count", "choice")}


def columns_of(version: str) -> tuple[tuple[str, str], ...]:
    return V1_COLUMNS if version == "1" else COLUMNS


def inputs_of(version: str) -> dict[str, str]:
    return V1_INPUTS if version == "1" else INPUTS


def version_for(criteria_set) -> str:
    """The template shape a set needs: 1 when every row is a criterion of a field with
    ratios and pass/fail conditions only, else 2."""
    plain = not criteria_set.preconditions and all(
        len(c.slots) == 1 and c.count is None and c.choice is None for c in criteria_set.criteria)
    return "1" if plain else "2"

MET_TRUE, MET_FALSE = "Đạt", "Không đạt"

# Key sheet: label/value pairs in columns A/B from row 1 ("criteria": the codes in the
# order of each unit's rows, comma-separated), then from KEY_TABLE_ROW one row per unit:
# its first data row (its criteria follow, one row each), code, id and validity start.
KEY_FIELDS = ("marker", "template_version", "criteria_set", "year", "province_code", "prefilled", "units", "criteria")
KEY_TABLE_ROW = 10
KEY_TABLE_HEADERS = ("first_data_row", "unit_code", "unit_id", "unit_valid_from")
# The largest count and the longest data source: smartcommune.exchange.values
# (MAX_COUNT, TEXT_LIMITS), the rules of every channel.
