"""Find criteria sets: the ones shipped in ``sets/``, or a file named by path.

The default set is a setting of this module (:data:`DEFAULT_CODE`), not a
special case anywhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from smartcommune.criteria.loader import CriteriaFileError, Problem, load_criteria_set
from smartcommune.criteria.model import CriteriaSet

SETS_DIR = Path(__file__).resolve().parent / "sets"
DEFAULT_CODE = "ben-tre-2021-2025"


class UnknownCriteriaSet(LookupError):
    """No shipped set has that code and no file has that path."""

    def __init__(self, code: str):
        self.code = code
        known = ", ".join(s.code for s in bundled_sets()) or "—"
        super().__init__(
            f"Không có bộ tiêu chí {code!r}; các bộ có sẵn: {known} "
            f"(no criteria set {code!r}; available: {known})"
        )


@cache
def bundled_sets() -> tuple[CriteriaSet, ...]:
    """Every set shipped with the package, in file-name order."""
    sets = tuple(load_criteria_set(p) for p in sorted(SETS_DIR.glob("*.toml")))
    for path, s in zip(sorted(SETS_DIR.glob("*.toml")), sets):
        if path.stem != s.code:
            raise CriteriaFileError(path, [Problem("code", f"phải trùng tên tệp {path.stem!r}", f"must equal the file name {path.stem!r}")])
    return sets


def get_criteria_set(code_or_path: str | None = None) -> CriteriaSet:
    """The shipped set with this code, or the set in the file at this path.

    ``None`` means the default set. Raises :class:`UnknownCriteriaSet` or
    :class:`~smartcommune.criteria.loader.CriteriaFileError`.
    """
    code = code_or_path or DEFAULT_CODE
    for criteria_set in bundled_sets():
        if criteria_set.code == code:
            return criteria_set
    if code.endswith(".toml") or "/" in code:
        return load_criteria_set(code)
    raise UnknownCriteriaSet(code)
