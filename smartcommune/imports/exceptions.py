"""Why an import is refused, cell by cell, in Vietnamese and English.

::

    ImportRefused      the file (or what it would change) is refused; ``problems`` lists
                       every reason with its sheet, row and column; nothing changed
    ImportConflict     an assessment changed after the preview; ``stale`` names each one;
                       nothing changed
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcommune.rounds.exceptions import EditConflict, RoundError


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One reason a file is refused.  ``sheet`` is the worksheet's name (``""`` for a CSV
    or the whole file), ``row`` the 1-based row or line (0: the whole file/sheet),
    ``column`` the column's letter or name (``""``: the whole row)."""

    vi: str
    en: str
    sheet: str = ""
    row: int = 0
    column: str = ""

    @property
    def where_vi(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"trang “{self.sheet}”")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts) or "toàn tệp"

    @property
    def where_en(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) or "whole file"

    def describe(self) -> str:
        return f"{self.where_vi}: {self.vi} | {self.where_en}: {self.en}"


class ImportRefused(RoundError):
    def __init__(self, file_name: str, problems: list[ImportProblem]):
        self.file_name = file_name
        self.problems = sorted(problems, key=lambda p: (p.sheet, p.row, p.column))
        super().__init__(
            f"Không nhập tệp “{file_name}”: {len(problems)} lỗi; không có gì thay đổi",
            f"file {file_name!r} not imported: {len(problems)} problem(s); nothing changed",
        )


class ImportConflict(EditConflict):
    """Assessments whose version moved since the preview: ``stale`` lists
    ``(assessment, version at preview)``; ``changes`` the audit entries written since."""

    def __init__(self, stale: list, changes: list):
        self.stale = stale
        self.expected_version, self.current_version, self.changes = stale[0][1], stale[0][0].version, changes
        names = "; ".join(f"{a.unit.name} ({a.unit.code}): phiên bản {v} → {a.version}" for a, v in stale)
        names_en = "; ".join(f"{a.unit.name} ({a.unit.code}): version {v} → {a.version}" for a, v in stale)
        RoundError.__init__(
            self,
            f"Không nhập gì: số liệu đã thay đổi sau khi xem trước ở {names}. Hãy tải tệp lên lại để xem trước",
            f"nothing imported: the data changed after the preview at {names_en}; upload the file again to preview",
        )
