"""Check a criteria-set file as its author would want (``smartcommune criteria check``).

The loader refuses an invalid file and names each problem by its path in the
document.  This module says the same things in the author's terms: the line of
the file, the criterion (or field, agency…) the problem belongs to, a "did you
mean" for a misspelt key, and warnings for what the loader accepts but is
probably not what was meant (a pass rule that equals "all", an agency nobody
leads, a criterion filed under another field's number…).  Nothing here imports
Django; the web upload and the command line both call :func:`check_text`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from smartcommune.criteria.loader import _Reader
from smartcommune.criteria.locate import Locator, split_path
from smartcommune.criteria.model import CriteriaSet

MAX_BYTES = 2_000_000
"""A criteria set is a few dozen kilobytes; anything this big is not one."""

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")

# What an entry of each array is called, in Vietnamese and English.
_OWNER = {
    "groups": ("lĩnh vực", "field"),
    "criteria": ("tiêu chí", "criterion"),
    "agencies": ("cơ quan", "agency"),
    "preconditions": ("điều kiện tiên quyết", "precondition"),
    "levels": ("mức", "level"),
    "conditions": ("điều kiện", "condition"),
    "options": ("lựa chọn", "option"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One error or warning, placed at a line and named by what it belongs to."""

    severity: str  # "error" or "warning"
    line: int | None
    where_vi: str
    where_en: str
    vi: str
    en: str
    path: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def place_vi(self) -> str:
        return ", ".join(p for p in (f"dòng {self.line}" if self.line else "", self.where_vi) if p)

    @property
    def place_en(self) -> str:
        return ", ".join(p for p in (f"line {self.line}" if self.line else "", self.where_en) if p)

    def describe(self) -> str:
        kind = "lỗi" if self.is_error else "cảnh báo"
        place = f"{self.place_vi}: " if self.place_vi else ""
        place_en = f"{self.place_en}: " if self.place_en else ""
        return f"{kind}: {place}{self.vi} ({place_en}{self.en})"


@dataclass(slots=True)
class CheckReport:
    source: str
    criteria_set: CriteriaSet | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


class _RecordingReader(_Reader):
    """The loader's reader, remembering which keys each table allows (for "did you mean")."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed: dict[str, set[str]] = {}

    def known_keys(self, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        self.allowed[path] = set(allowed)
        super().known_keys(table, path, allowed)


def check_bytes(data: bytes, *, source: str = "<tệp>", expected_code: str | None = None) -> CheckReport:
    """Check raw file content (bounded in size, UTF-8)."""
    if len(data) > MAX_BYTES:
        report = CheckReport(source)
        report.findings.append(Finding(
            "error", None, "", "", f"tệp quá lớn ({len(data):,} byte; tối đa {MAX_BYTES:,})".replace(",", "."),
            f"file too large ({len(data)} bytes; at most {MAX_BYTES})",
        ))
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report = CheckReport(source)
        line = data[: exc.start].count(b"\n") + 1
        report.findings.append(Finding("error", line, "", "", "tệp không phải UTF-8", "file is not UTF-8"))
        return report
    return check_text(text, source=source, expected_code=expected_code)


def check_text(text: str, *, source: str = "<tệp>", expected_code: str | None = None) -> CheckReport:
    """Every problem and warning of one criteria-set document, in line order."""
    report = CheckReport(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        column = f", cột {match.group(2)}" if match else ""
        column_en = f", column {match.group(2)}" if match else ""
        message = _TOML_POSITION.sub("", message)
        report.findings.append(Finding(
            "error", line, "", "", f"không đọc được TOML{column}: {message}", f"not valid TOML{column_en}: {message}",
        ))
        return report
    locator = Locator(text)
    reader = _RecordingReader()
    built = reader.criteria_set(data)
    for problem in reader.problems:
        vi, en = problem.vi, problem.en
        parts = split_path(problem.path) if problem.path != "(gốc)" else ()
        if problem.en == "unknown key" and parts:
            parent = problem.path.rsplit(".", 1)[0] if len(parts) > 1 else ""
            guess = difflib.get_close_matches(str(parts[-1]), sorted(reader.allowed.get(parent, ())), n=1, cutoff=0.6)
            if guess:
                vi, en = f"{vi}; có phải ý bạn là {guess[0]!r}?", f"{en}; did you mean {guess[0]!r}?"
        # The loader may itself flag a problem as a warning (accepted, but probably a slip).
        severity = "warning" if getattr(problem, "warning", False) else "error"
        report.findings.append(_finding(severity, data, locator, parts, vi, en, problem.path))
    if built is not None and not any(f.is_error for f in report.findings):
        report.criteria_set = built
        for parts, vi, en in [*_warnings(data, expected_code), *_reach_warnings(built)]:
            report.findings.append(_finding("warning", data, locator, parts, vi, en, _join(parts)))
    report.findings.sort(key=lambda f: (f.line or 0, not f.is_error))
    return report


def _join(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _finding(severity: str, data: Any, locator: Locator, parts: tuple, vi: str, en: str, path: str) -> Finding:
    where_vi, where_en = _owner(data, parts)
    return Finding(severity, locator.line_of(parts), where_vi, where_en, vi, en, path)


def _owner(data: Any, parts: tuple[str | int, ...]) -> tuple[str, str]:
    """"tiêu chí 4.1, điều kiện 1, threshold": the named entries along ``parts`` and the key."""
    vi: list[str] = []
    en: list[str] = []
    node = data
    key: str | None = None
    for i, part in enumerate(parts):
        if isinstance(part, int):
            name = parts[i - 1] if i else None
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            if name in _OWNER:
                label_vi, label_en = _OWNER[name]
                code = item.get("code") if isinstance(item, dict) else None
                if isinstance(code, str) and code.strip():
                    label = label_en_ = code
                elif name in ("conditions", "options"):
                    label = label_en_ = str(part + 1)
                else:
                    label, label_en_ = f"thứ {part + 1}", f"no. {part + 1}"
                # A criterion's code already names its field: keep the innermost owner only.
                if name == "criteria" and vi and vi[-1].startswith("lĩnh vực"):
                    vi.pop()
                    en.pop()
                vi.append(f"{label_vi} {label}")
                en.append(f"{label_en} {label_en_}")
                key = None
            node = item
        else:
            node = node.get(part) if isinstance(node, dict) else None
            key = part if key is None else f"{key}.{part}"
    if key:
        vi.append(f"khóa {key}")
        en.append(f"key {key}")
    return ", ".join(vi), ", ".join(en)


# -- warnings: accepted by the loader, but probably not what was meant -------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _pass_rule_warning(table: dict, parts: tuple, n: int, what_vi: str, what_en: str):
    rule = table.get("pass_rule")
    if isinstance(rule, dict) and rule.get("at_least") == n and n > 1:
        yield ((*parts, "pass_rule"),
               f"pass_rule = {{ at_least = {n} }} bằng đúng số {what_vi} ({n}): viết \"all\" cho rõ",
               f"at_least = {n} equals the number of {what_en}: write \"all\" to say so")


def _warnings(data: dict, expected_code: str | None):
    if expected_code is not None and data.get("code") != expected_code:
        yield (("code",), f"mã {data.get('code')!r} khác tên tệp {expected_code!r}; danh mục sẽ không nhận tệp này",
               f"code {data.get('code')!r} differs from the file name {expected_code!r}; the registry will refuse it")
    period = data.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if isinstance(start, int) and isinstance(end, int) and end - start + 1 > 10:
        yield (("period",), f"giai đoạn dài {end - start + 1} năm (thường là 5 năm)", f"the period spans {end - start + 1} years (usually 5)")
    groups = data.get("groups") or []
    yield from _pass_rule_warning(data, (), len(groups), "lĩnh vực", "fields")
    used: set[str] = set()
    texts: dict[str, tuple] = {}
    for gi, group in enumerate(groups):
        criteria = group.get("criteria") or []
        gparts = ("groups", gi)
        yield from _pass_rule_warning(group, gparts, len(criteria), "tiêu chí của lĩnh vực", "criteria in the field")
        gcode = str(group.get("code", ""))
        for ci, crit in enumerate(criteria):
            cparts = (*gparts, "criteria", ci)
            code = str(crit.get("code", ""))
            if gcode and code != gcode and not code.startswith(gcode + "."):
                yield ((*cparts, "code"), f"mã tiêu chí {code!r} không thuộc lĩnh vực {gcode!r} (thường là {gcode}.x)",
                       f"criterion code {code!r} is not numbered under field {gcode!r} (usually {gcode}.x)")
            for key in ("lead_agencies", "coordinating_agencies"):
                used.update(a for a in crit.get(key, ()) if isinstance(a, str))
            lead = set(crit.get("lead_agencies") or ())
            both = sorted(lead & set(crit.get("coordinating_agencies") or ()))
            if both:
                yield ((*cparts, "coordinating_agencies"), f"cơ quan {', '.join(both)} vừa chủ trì vừa phối hợp",
                       f"agency {', '.join(both)} both leads and coordinates")
            text = " ".join(str(crit.get("text", "")).split())
            if text in texts:
                yield ((*cparts, "text"), f"nội dung trùng với tiêu chí {texts[text][1]}", f"same text as criterion {texts[text][1]}")
            else:
                texts[text] = (cparts, code)
            conditions = crit.get("conditions") or []
            yield from _pass_rule_warning(crit, cparts, len(conditions), "điều kiện", "conditions")
            for ki, cond in enumerate(conditions):
                yield from _condition_warnings(cond, (*cparts, "conditions", ki))
    for ai, agency in enumerate(data.get("agencies") or []):
        if agency.get("code") not in used:
            yield (("agencies", ai), f"cơ quan {agency.get('code')!r} không chủ trì hay phối hợp tiêu chí nào",
                   f"agency {agency.get('code')!r} neither leads nor coordinates any criterion")


def _condition_warnings(cond: dict, parts: tuple):
    if cond.get("kind") != "ratio":
        return
    threshold = _number(cond.get("threshold"))
    comparator = cond.get("comparator")
    if threshold is not None and threshold == 0 and comparator == ">=":
        yield ((*parts, "threshold"), "ngưỡng >= 0% luôn đạt", "a threshold of >= 0% is always met")
    if threshold is not None and threshold == 0 and comparator == "<":
        yield ((*parts, "threshold"), "ngưỡng < 0% không bao giờ đạt", "a threshold of < 0% is never met")
    numerator, denominator = cond.get("numerator"), cond.get("denominator")
    if isinstance(numerator, str) and numerator.strip() and numerator.strip() == str(denominator).strip():
        yield ((*parts, "denominator"), "tử số và mẫu số có cùng tên", "numerator and denominator have the same label")
    raw = cond.get("threshold")
    if isinstance(raw, str) and threshold is not None and raw.strip() != raw:
        yield ((*parts, "threshold"), "ngưỡng có khoảng trắng thừa", "the threshold has surrounding spaces")


def _reach_warnings(s: CriteriaSet):
    """Bars no commune can reach: a pass rule or a level on more points than can be scored
    (the loader itself refuses levels whose bars do not rise)."""
    def points(value) -> str:
        return format(value.normalize(), "f")

    rules = [((), s.pass_rule, s.points_max, "bộ tiêu chí", "the set")]
    rules += [(("groups", i), g.pass_rule, g.points_max, f"lĩnh vực {g.code}", f"field {g.code}") for i, g in enumerate(s.groups)]
    for parts, rule, most, vi, en in rules:
        bar = rule.points_at_least
        if bar is not None and bar > most:
            yield ((*parts, "pass_rule"), f"cần {points(bar)} điểm nhưng {vi} chỉ có tối đa {points(most)} điểm: không bao giờ đạt",
                   f"needs {points(bar)} points but {en} scores at most {points(most)}: never met")
    for i, level in enumerate(s.levels):
        bar = level.rule.points_at_least
        if bar is not None and bar > s.points_max:
            yield (("levels", i), f"mức {level.name} cần {points(bar)} điểm, quá số điểm tối đa {points(s.points_max)}",
                   f"level {level.name} needs {points(bar)} points, more than the {points(s.points_max)} possible")
