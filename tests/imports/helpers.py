"""Helpers of the import tests: templates filled with openpyxl, snapshots of the data."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from smartcommune.imports import layout
from smartcommune.imports.selectors import template_values
from smartcommune.imports.template import build_template
from smartcommune.rounds.models import Assessment, AuditEntry, CriterionValue
from tests.rounds.fixtures import CRITERIA

CODES = [c.code for c in CRITERIA.criteria]
PER_UNIT = len(CODES)


def template(round_, assessments, *, prefill=False) -> bytes:
    assessments = list(assessments)
    return build_template(round_, assessments, values=template_values(assessments) if prefill else None)


def row_of(unit_index: int, code: str) -> int:
    """The data-sheet row of a commune (its index among the template's units, by code) and criterion."""
    return layout.FIRST_DATA_ROW + unit_index * PER_UNIT + CODES.index(code)


def edit(data: bytes, change) -> bytes:
    """``data`` opened with openpyxl, passed to ``change(workbook)``, saved again."""
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill_cells(data: bytes, cells: dict[str, object]) -> bytes:
    def change(wb):
        for ref, value in cells.items():
            wb[layout.DATA_SHEET][ref] = value
    return edit(data, change)


def snapshot() -> tuple:
    """Everything an import may change: values, versions, the audit log's size."""
    values = sorted(CriterionValue.objects.values_list(
        "assessment_id", "criterion_code", "numerator", "denominator", "met", "source", "updated_at"))
    versions = sorted(Assessment.objects.values_list("pk", "version", "status"))
    return values, versions, AuditEntry.objects.count()


def rewrite_part(data: bytes, part: str, change) -> bytes:
    """``data`` (a zip) with entry ``part`` replaced by ``change(bytes)``."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            raw = source.read(info.filename)
            target.writestr(info.filename, change(raw) if info.filename == part else raw)
    return out.getvalue()


def data_sheet_part(data: bytes) -> str:
    """The zip path of the data sheet (openpyxl numbers sheets in order)."""
    return f"xl/worksheets/sheet{layout.SHEETS.index(layout.DATA_SHEET) + 1}.xml"


def encrypt_entry(data: bytes, part: str) -> bytes:
    """``data`` (a zip) with ``part`` marked as encrypted (general purpose bit 0), as a
    password-protecting archiver writes it; Python's zipfile then asks for a password."""
    out = bytearray(data)
    encoded = part.encode()
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            length = int.from_bytes(out[at + name_len_at:at + name_len_at + 2], "little")
            if bytes(out[at + name_at:at + name_at + length]) == encoded:
                out[at + flag_at] |= 0x1
            start = at + 4
    return bytes(out)
