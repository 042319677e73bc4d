"""Find criteria sets: the ones shipped in ``sets/``, those in a directory the
administrator configures, or a file named by path.

The default set is a setting of this module (:data:`DEFAULT_CODE`), not a
special case anywhere else.  The administrator's directory is passed in by the
caller (the command line reads ``SMARTCOMMUNE_CRITERIA_DIR``, the web app its
setting of the same name): this module reads no environment.  A file that
cannot be used is listed as invalid, with its problems, and never hides or
breaks another set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from smartcommune.criteria.check import CheckReport, Finding, check_bytes
from smartcommune.criteria.loader import CriteriaFileError, Problem, load_criteria_set
from smartcommune.criteria.model import CriteriaSet

SETS_DIR = Path(__file__).resolve().parent / "sets"
DEFAULT_CODE = "ben-tre-2021-2025"
ENV_DIR = "SMARTCOMMUNE_CRITERIA_DIR"
"""The environment variable naming the administrator's directory of sets."""


class UnknownCriteriaSet(LookupError):
    """No available set has that code and no file has that path."""

    def __init__(self, code: str, *, directory: str | Path | None = None):
        self.code = code
        known = ", ".join(e.code for e in available_sets(directory) if e.valid) or "—"
        super().__init__(
            f"Không có bộ tiêu chí {code!r}; các bộ có sẵn: {known} "
            f"(no criteria set {code!r}; available: {known})"
        )


@dataclass(frozen=True, slots=True)
class SetEntry:
    """One file of sets: its code (the file name), where it is from, and whether it can be used."""

    code: str
    path: Path
    origin: str  # "package" or "directory"
    sha256: str
    criteria_set: CriteriaSet | None
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return self.criteria_set is not None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)


def content_hash(data: bytes) -> str:
    """The SHA-256 of a set file's bytes, as stored with a round that uses it."""
    return hashlib.sha256(data).hexdigest()


def _entry(path: Path, origin: str) -> SetEntry:
    try:
        data = path.read_bytes()
    except OSError as exc:
        finding = Finding("error", None, "", "", f"không đọc được tệp: {exc.strerror}", f"cannot read the file: {exc.strerror}")
        return SetEntry(path.stem, path, origin, "", None, (finding,))
    report: CheckReport = check_bytes(data, source=str(path), expected_code=path.stem)
    criteria_set = report.criteria_set
    findings = tuple(report.findings)
    if criteria_set is not None and criteria_set.code != path.stem:
        # A set is found by its file name: a file whose code differs would be unreachable.
        findings = tuple(
            Finding("error", f.line, f.where_vi, f.where_en, f.vi, f.en, f.path) if f.path == "code" else f
            for f in findings
        )
        criteria_set = None
    return SetEntry(path.stem, path, origin, content_hash(data), criteria_set, findings)


@cache
def _package_entries() -> tuple[SetEntry, ...]:
    return tuple(_package_entry(p) for p in sorted(SETS_DIR.glob("*.toml")))


@cache
def _package_entry(path: Path) -> SetEntry:
    return _entry(path, "package")


_DIRECTORY_CACHE: dict[tuple[str, int, int], SetEntry] = {}


def _directory_entries(directory: str | Path) -> tuple[SetEntry, ...]:
    root = Path(directory)
    try:
        paths = sorted(p for p in root.glob("*.toml") if p.is_file())
    except OSError:
        return ()
    return tuple(entry for entry in map(_directory_entry, paths) if entry is not None)


def _directory_entry(path: Path) -> SetEntry | None:
    """The entry of a file of the directory, read again only when it changed; None when it
    went away."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _DIRECTORY_CACHE:
        _DIRECTORY_CACHE[key] = _entry(path, "directory")
    return _DIRECTORY_CACHE[key]


def available_sets(directory: str | Path | None = None) -> tuple[SetEntry, ...]:
    """Every set file: the package's, then the directory's; invalid ones included.

    A file in the directory whose code is already shipped is listed as invalid
    (a shipped set cannot be replaced behind the package's back).
    """
    package = _package_entries()
    if not directory:
        return package
    shipped = {e.code for e in package}
    entries = list(package)
    for entry in _directory_entries(directory):
        if entry.code in shipped:
            clash = Finding("error", None, "", "", f"trùng mã với bộ tiêu chí có sẵn {entry.code!r}",
                            f"same code as the shipped set {entry.code!r}", "code")
            entry = SetEntry(entry.code, entry.path, entry.origin, entry.sha256, None, (clash, *entry.findings))
        entries.append(entry)
    return tuple(entries)


def bundled_sets() -> tuple[CriteriaSet, ...]:
    """Every usable set shipped with the package, in file-name order."""
    return tuple(e.criteria_set for e in _package_entries() if e.criteria_set is not None)


def find_entry(code: str, directory: str | Path | None = None) -> SetEntry | None:
    """The entry (valid or not) with this code, or ``None``: the one :func:`available_sets`
    lists first, reading only its file (a command that evaluates with one set checks no
    other)."""
    name = f"{code}.toml"
    if not code or Path(name).name != name:  # not a file name: no file has this stem
        return None
    if (SETS_DIR / name).is_file():
        return _package_entry(SETS_DIR / name)
    path = Path(directory) / name if directory else None
    return _directory_entry(path) if path is not None and path.is_file() else None


def get_criteria_set(code_or_path: str | None = None, *, directory: str | Path | None = None) -> CriteriaSet:
    """The available set with this code, or the set in the file at this path.

    ``None`` means the default set. Raises :class:`UnknownCriteriaSet` or
    :class:`~smartcommune.criteria.loader.CriteriaFileError` (an invalid file,
    with its problems).
    """
    code = code_or_path or DEFAULT_CODE
    entry = find_entry(code, directory)
    if entry is not None:
        if entry.criteria_set is None:
            raise CriteriaFileError(entry.path, [
                Problem(f.place_vi or f.path, f.vi, f.en) for f in entry.errors
            ])
        return entry.criteria_set
    if code.endswith(".toml") or "/" in code:
        return load_criteria_set(code)
    raise UnknownCriteriaSet(code, directory=directory)
