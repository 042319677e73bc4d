"""Save an Excel workbook with every cell as data, never as a formula.

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

from openpyxl import Workbook

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
