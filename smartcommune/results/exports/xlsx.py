"""Styling shared by the Excel workbooks: the official title block, header rows,
status colours, number formats, column widths and print setup (A4, repeated
header rows, page numbers in the footer).

Built on the product's workbook toolkit (:mod:`smartcommune.core.workbooks`): a sheet is
opened with :func:`document_sheet` (the official title block) or :func:`table_sheet` (a
lighter heading), the data written with :func:`data_cell`, and :func:`finish_sheet`
freezes and sets up printing.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from smartcommune.core import workbooks
from smartcommune.criteria.engine import Status
from smartcommune.results.exports import labels

PERCENT = "0.00%"
DATE = "dd/mm/yyyy"
INTEGER = "#,##0"
POINTS = "0.00"
FONT_NAME = "Times New Roman"

# Excel's own "good / bad / neutral" colours, so a reader recognises them.
STATUS_FILLS = {
    Status.MET: PatternFill(fill_type="solid", start_color="FFC6EFCE", end_color="FFC6EFCE"),
    Status.NOT_MET: PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
    Status.NOT_APPLICABLE: PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9"),
    Status.MISSING: PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
}
BORDER = workbooks.BORDER
# How a data cell is aligned (keys of ALIGNMENTS).
WRAP, CENTER, NUMBER = "wrap", "centre", "number"
ALIGNMENTS = {
    WRAP: Alignment(wrap_text=True, vertical="top"),
    CENTER: Alignment(horizontal="center", vertical="center", wrap_text=True),
    NUMBER: Alignment(horizontal="right", vertical="top"),
}


def font(*, bold: bool = False, italic: bool = False, size: int = 11, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size, color=color)


# Made once: a workbook of a province has tens of thousands of cells.
BODY_FONT = font()
BOLD_FONT = font(bold=True)


new_workbook = workbooks.new_workbook


def _merged(sheet: Worksheet, row: int, first: int, last: int, value: str, *, style: Font,
            align: str = "center", height: float | None = None) -> None:
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=value)
    cell.font = style
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if height:
        sheet.row_dimensions[row].height = height


def synthetic_line(sheet: Worksheet, row: int, width: int) -> int:
    """The synthetic-data mark across the sheet; returns the next row."""
    _merged(sheet, row, 1, width, str(labels.SYNTHETIC_MARK), style=font(bold=True, size=13, color="FFC00000"))
    sheet.cell(row=row, column=1).fill = STATUS_FILLS[Status.MISSING]
    return row + 1


def title_block(sheet: Worksheet, *, authority: Sequence[str], date_line: str, title: str, subtitle: str,
                width: int, synthetic: bool) -> int:
    """The heading of an official document; returns the first free row after it.

    Left: the issuing authority (its two lines); right: the national name and motto, then the place and
    date; then the title and subtitle across the sheet. A synthetic round gets its mark
    on the very first row.
    """
    row = 1
    if synthetic:
        row = synthetic_line(sheet, row, width)
    width = max(width, 4)
    left_end = max(1, width * 2 // 5)
    right_start = left_end + 1
    for i, line in enumerate(authority):
        _merged(sheet, row + i, 1, left_end, line, style=font(bold=True))
    _merged(sheet, row, right_start, width, str(labels.NATION), style=font(bold=True))
    _merged(sheet, row + 1, right_start, width, str(labels.MOTTO), style=font(bold=True))
    _merged(sheet, row + 2, right_start, width, date_line, style=font(italic=True))
    _merged(sheet, row + 4, 1, width, title, style=font(bold=True, size=14), height=22)
    _merged(sheet, row + 5, 1, width, subtitle, style=font(italic=True))
    return row + 7


def signature_block(sheet: Worksheet, row: int, width: int, *, right: Sequence[str]) -> int:
    """The signatures under a sheet's table, from ``row`` (leave a row before it): the
    preparer on the left, ``right`` (the signer's lines, e.g. TM. ỦY BAN NHÂN DÂN / KT. CHỦ
    TỊCH / PHÓ CHỦ TỊCH) on the right, each with its hint, and rows left for the
    signatures. Returns the row after it."""
    width = max(width, 4)
    left_end = max(1, width * 2 // 5)
    _merged(sheet, row, 1, left_end, str(labels.PREPARER), style=font(bold=True))
    _merged(sheet, row + 1, 1, left_end, str(labels.SIGN_HINT), style=font(italic=True))
    for i, line in enumerate(right):
        _merged(sheet, row + i, left_end + 1, width, line, style=font(bold=True))
    _merged(sheet, row + len(right), left_end + 1, width, str(labels.HEAD_SIGN_HINT), style=font(italic=True))
    return row + len(right) + 5


def heading(sheet: Worksheet, *, title: str, subtitle: str, width: int, synthetic: bool) -> int:
    """A lighter heading for the workbook's further sheets; returns the next free row."""
    row = synthetic_line(sheet, 1, width) if synthetic else 1
    _merged(sheet, row, 1, width, title, style=font(bold=True, size=13), align="left", height=20)
    _merged(sheet, row + 1, 1, width, subtitle, style=font(italic=True), align="left")
    return row + 3


def document_sheet(workbook: Workbook, name: str, headers: Sequence[tuple[str, float]], *,
                   authority: Sequence[str], date_line: str, title: str, subtitle: str,
                   synthetic: bool) -> tuple[Worksheet, int]:
    """A sheet opened with the official :func:`title_block` and ``headers``; returns the
    sheet and its header row."""
    return workbooks.add_sheet(workbook, name, headers, font=BOLD_FONT, heading=lambda sheet, width: title_block(
        sheet, authority=authority, date_line=date_line, title=title, subtitle=subtitle, width=width,
        synthetic=synthetic))


def table_sheet(workbook: Workbook, name: str, headers: Sequence[tuple[str, float]], *, title: str, subtitle: str,
                synthetic: bool) -> tuple[Worksheet, int]:
    """A further sheet opened with the lighter :func:`heading` and ``headers``; returns the
    sheet and its header row."""
    return workbooks.add_sheet(workbook, name, headers, font=BOLD_FONT, heading=lambda sheet, width: heading(
        sheet, title=title, subtitle=subtitle, width=width, synthetic=synthetic))


def header_row(sheet: Worksheet, row: int, headers: Sequence[tuple[str, float]]) -> None:
    """Headers in the documents' font (see :func:`smartcommune.core.workbooks.header_row`)."""
    workbooks.header_row(sheet, row, headers, font=BOLD_FONT)


def data_cell(sheet: Worksheet, row: int, column: int, value, *, number_format: str | None = None,
              status: str | None = None, align: str = WRAP, bold: bool = False):
    """A bordered data cell; ``status`` colours it (met green, not met red, not
    applicable grey, missing amber)."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.style = _named_style(sheet.parent, align=align, number_format=number_format, status=status, bold=bold)
    return cell


def _named_style(workbook: Workbook, *, align: str, number_format: str | None, status: str | None, bold: bool) -> str:
    """The name of the workbook's style for this look, registered on first use.

    A named style is set on a cell in one step; setting font, border, fill and
    alignment one by one costs a lookup of each in the workbook's lists, which for a
    province's tens of thousands of cells takes seconds.
    """
    name = " ".join(part for part in ("smartcommune", align, number_format, status, "bold" if bold else "") if part)
    if name not in workbook.named_styles:
        style = NamedStyle(name=name, font=BOLD_FONT if bold else BODY_FONT, border=BORDER,
                           alignment=ALIGNMENTS[align], number_format=number_format or "General")
        if status is not None:
            style.fill = STATUS_FILLS[status]
        workbook.add_named_style(style)
    return name


def finish_sheet(sheet: Worksheet, *, header: int, freeze_column: int = 1, landscape: bool = True,
                 filter_to: int | None = None) -> None:
    """:func:`smartcommune.core.workbooks.finish_sheet`, the page numbers in the documents' font."""
    workbooks.finish_sheet(sheet, header=header, freeze_column=freeze_column, landscape=landscape,
                           filter_to=filter_to, footer_font=FONT_NAME)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The xlsx bytes, every cell as data (see :mod:`smartcommune.core.workbooks`)."""
    return workbooks.workbook_bytes(workbook)
