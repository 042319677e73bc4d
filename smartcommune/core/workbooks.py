"""The product's workbook toolkit: sheets opened the same way, and saved with every cell as
data, never as a formula.

Every workbook (the province and scorecard workbooks, the entry template) is built with
:func:`new_workbook`, its sheets opened by :func:`add_sheet` (a heading the caller
draws, then :func:`header_row`: bold, filled, bordered headers that set the column
widths), closed by :func:`finish_sheet` (frozen panes under the header, header rows
repeated on every printed page, A4, fit to width, page numbers) and saved by
:func:`workbook_bytes`.  The builders take their data from the caller; none of them
reads the database.

Saving:

The product's workbooks (the province and scorecard workbooks, the entry template) carry
text that users typed: data sources, evidence notes, document numbers, decision numbers.
openpyxl stores a string that starts with ``=`` as a formula, so a data source such as
``=HYPERLINK("http://…"&C5,"Bấm để xem")`` would become a live formula in a workbook the
public downloads.  :func:`workbook_bytes` is the one way the product saves a workbook: any
cell openpyxl took for a formula is written as the text it was given (an inline string,
which Excel and LibreOffice show as text and never evaluate).  The product writes no
formula of its own (data validations keep their own formulas, which are not cells).
Strings starting with ``+ - @``, a tab or a carriage return are already stored as text
by openpyxl, which only infers a formula from ``=``; they are marked like the others.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from smartcommune.exchange.long_csv import FORMULA_STARTS


def as_text(workbook: Workbook) -> Workbook:
    """``workbook`` with every formula cell turned into a text cell holding the same string.

    Every text starting like a formula (``= + - @``, tab, carriage return) is also marked
    "quote prefix", as Excel marks text typed after an apostrophe: editing the cell later
    keeps it text.
    """
    for sheet in workbook.worksheets:
        # The stored cells only: iter_rows() would create every empty cell of the range.
        for cell in sheet._cells.values():
            if cell.data_type == "f" or (cell.data_type == "s" and isinstance(cell.value, str)
                                         and cell.value.startswith(FORMULA_STARTS)):
                cell.data_type = "s"
                cell.quotePrefix = True
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The xlsx bytes of ``workbook``, after :func:`as_text`."""
    out = io.BytesIO()
    as_text(workbook).save(out)
    return out.getvalue()


HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FONT = Font(bold=True)


def new_workbook() -> Workbook:
    """A workbook without sheets (openpyxl starts with an empty one named "Sheet")."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def header_row(sheet: Worksheet, row: int, headers: Sequence[tuple[str, float]], *,
               font: Font = HEADER_FONT) -> None:
    """``headers`` (text, column width) from column A on ``row``: bold, wrapped, filled
    and bordered; each sets its column's width."""
    for column, (text, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = font
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[row].height = 45


def add_sheet(workbook: Workbook, name: str, headers: Sequence[tuple[str, float]], *,
              heading: Callable[[Worksheet, int], int], font: Font = HEADER_FONT) -> tuple[Worksheet, int]:
    """A new sheet ``name``: ``heading(sheet, width)`` draws what comes above the table
    (``width`` is the number of columns) and returns the header's row, where
    :func:`header_row` writes ``headers``.  Returns the sheet and its header row."""
    sheet = workbook.create_sheet(name)
    header = heading(sheet, len(headers))
    header_row(sheet, header, headers, font=font)
    return sheet, header


def finish_sheet(sheet: Worksheet, *, header: int, freeze_column: int = 1, landscape: bool = True,
                 filter_to: int | None = None, footer_font: str | None = None) -> None:
    """Freeze the rows down to ``header`` (and the first ``freeze_column - 1`` columns),
    repeat the header row on every printed page, A4, fit to the page width, page numbers
    in the footer; ``filter_to`` puts an auto-filter on the table down to that row."""
    sheet.freeze_panes = sheet.cell(row=header + 1, column=freeze_column)
    sheet.print_title_rows = f"{header}:{header}"
    if filter_to:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(sheet.max_column)}{filter_to}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = _("Trang &P / &N")
    if footer_font:
        sheet.oddFooter.center.font = footer_font
    sheet.evenFooter.center.text = _("Trang &P / &N")
