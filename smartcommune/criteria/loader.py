"""Load a criteria-set TOML file into typed objects, refusing anything invalid.

The format is documented in ``docs/criteria-format.md``. Every problem found is
collected, so one run names them all; :class:`CriteriaFileError` carries them,
each with the path inside the file (``groups[2].criteria[0].threshold``) and a
Vietnamese and English explanation. Nothing here imports Django.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from smartcommune.criteria.model import (
    Agency,
    BooleanCondition,
    ChoiceCondition,
    ChoiceOption,
    Comparator,
    Condition,
    CountCondition,
    CriteriaSet,
    Criterion,
    Group,
    Level,
    PassRule,
    RatioCondition,
    Scoring,
    ScoringMethod,
    ZeroDenominator,
)

FORMAT_VERSION = 1
FORMAT_VERSIONS = (1, 2)
"""Format 1: a ratio is a share of a whole unless it says ``share = false``; format 2:
a ratio is not a share unless it says ``share = true``, and ``recognition_name`` is
required.  Everything else is the same."""
_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a file: where (``path`` inside the document, the ``code`` of the
    criterion, group or level it is in, and the ``line`` when the TOML reader knows it),
    and why in Vietnamese and English.  ``criteria check`` looks the line of ``path`` up.
    ``warning`` marks something accepted but unusual (the file still loads)."""

    path: str
    vi: str
    en: str
    code: str | None = None
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"dòng {self.line}" + (f", {where}" if where else "")
        if self.code is not None:
            where += f": tiêu chí {self.code}"
        if self.warning:
            where += ": cảnh báo (warning)"
        return f"{where}: {self.vi} ({self.en})"


class CriteriaFileError(ValueError):
    """A criteria-set file that cannot be used; ``problems`` lists why."""

    def __init__(self, file: str | Path, problems: list[Problem]):
        self.file = str(file)
        self.problems = problems
        lines = "\n".join(f"  {self.file}: {p}" for p in problems)
        super().__init__(
            f"Tệp bộ tiêu chí không hợp lệ (invalid criteria-set file) {self.file}:\n{lines}"
        )


def load_criteria_set(path: str | Path) -> CriteriaSet:
    """Read and validate ``path``; raise :class:`CriteriaFileError` if it is unusable."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise CriteriaFileError(path, [Problem("", "không tìm thấy tệp", "file not found")]) from None
    except UnicodeDecodeError:
        raise CriteriaFileError(path, [Problem("", "tệp không phải UTF-8", "file is not UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(found.group(1)) if found else None
        raise CriteriaFileError(path, [Problem("(cú pháp TOML)", f"không đọc được TOML: {exc}", f"not valid TOML: {exc}",
                                               line=line)]) from None
    return parse_criteria_set(data, source=path)


def parse_criteria_set(data: dict[str, Any], *, source: str | Path = "<data>") -> CriteriaSet:
    """Validate an already-parsed TOML document; raise :class:`CriteriaFileError`."""
    criteria_set, problems = check_criteria_set(data)
    if criteria_set is None:
        raise CriteriaFileError(source, problems)
    return criteria_set


def check_criteria_set(data: dict[str, Any]) -> tuple[CriteriaSet | None, list[Problem]]:
    """The set (``None`` when the document has errors) and every problem, warnings
    (``Problem.warning``) included: what ``criteria check`` shows."""
    reader = _Reader()
    criteria_set = reader.criteria_set(data)
    errors = [p for p in reader.problems if not p.warning]
    return (None if errors else criteria_set), reader.problems


class _Missing:
    pass


_MISSING = _Missing()
_CRITERION_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]*")
_KEY = re.compile(r"[a-z0-9][a-z0-9_\-]*")
_SET_KEYS = {"format", "code", "name", "document", "description", "period", "pass_rule", "preconditions",
             "agencies", "groups", "recognition_name", "levels"}
_CRITERION_KEYS = {"code", "text", "target", "lead_agencies", "coordinating_agencies", "evidence", "note",
                   "pass_rule", "scoring", "conditions"}
_CONDITION_KEYS = {
    "ratio": {"kind", "key", "numerator", "denominator", "comparator", "threshold", "zero_denominator", "share"},
    "boolean": {"kind", "key", "label"},
    "count": {"kind", "key", "label", "comparator", "threshold"},
    "choice": {"kind", "key", "label", "options"},
}
_KINDS_TEXT = '"ratio", "boolean", "count" hoặc "choice"'
_KINDS_TEXT_EN = '"ratio", "boolean", "count" or "choice"'


def _suggest(key: str, allowed: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    return close[0] if close else ""


class _Reader:
    """Walks the document once, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.code: str | None = None  # the criterion being read, named in its problems
        self.format = FORMAT_VERSION

    # -- primitives -------------------------------------------------------

    def fail(self, path: str, vi: str, en: str) -> None:
        self.problems.append(Problem(path or "(gốc)", vi, en, code=self.code))

    def warn(self, path: str, vi: str, en: str) -> None:
        self.problems.append(Problem(path or "(gốc)", vi, en, code=self.code, warning=True))

    def known_keys(self, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in sorted(set(table) - allowed, key=str):
            where = f"{path}.{key}" if path else key
            close = _suggest(str(key), allowed)
            if close:
                self.fail(where, f"khóa không được hỗ trợ; có phải ý bạn là {close!r}?",
                          f"unknown key; did you mean {close!r}?")
            else:
                self.fail(where, "khóa không được hỗ trợ", "unknown key")

    def value(self, table: dict[str, Any], key: str, path: str, kind: type, *, required: bool = True):
        where = f"{path}.{key}" if path else key
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(where, "thiếu khóa bắt buộc", "required key is missing")
            return None
        # bool is an int in Python; an integer field must not accept true/false.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(where, f"phải là {_KIND_VI[kind]}", f"must be {_KIND_EN[kind]}")
            return None
        if kind is str and not value.strip():
            self.fail(where, "không được để trống", "must not be empty")
            return None
        return value

    def flag(self, table: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "phải là true hoặc false", "must be true or false")
            return default
        return value

    def table_list(self, table: dict[str, Any], key: str, path: str, *, required: bool = True) -> list[tuple[str, dict]]:
        items = self.value(table, key, path, list, required=required)
        if items is None:
            return []
        where = f"{path}.{key}" if path else key
        if required and not items:
            self.fail(where, "phải có ít nhất một mục", "must have at least one entry")
        result = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                result.append((f"{where}[{i}]", item))
            else:
                self.fail(f"{where}[{i}]", "phải là một bảng", "must be a table")
        return result

    def unique(self, items: list[tuple[str, str | None]], what_vi: str, what_en: str) -> None:
        seen: dict[str, str] = {}
        for path, code in items:
            if code is None:
                continue
            if code in seen:
                self.fail(path, f"{what_vi} {code!r} trùng với {seen[code]}", f"duplicate {what_en} {code!r}, first at {seen[code]}")
            else:
                seen[code] = path

    def pass_rule(self, table: dict[str, Any], path: str, parts: list[str | None], *, required: bool,
                  points: bool, mandatory: bool = True, key: str = "pass_rule") -> PassRule:
        """A pass rule over ``parts`` (their codes; None for a part without one)."""
        n = len(parts)
        where = f"{path}.{key}" if path else key
        raw = table.get(key, _MISSING)
        if raw is _MISSING:
            if required:
                self.fail(where, "thiếu khóa bắt buộc", "required key is missing")
            return PassRule()
        if raw == "all":
            return PassRule()
        shapes_vi = '"all", { at_least = k }, { points_at_least = p } hoặc { mandatory = [...], at_least = k }'
        shapes_en = '"all", { at_least = k }, { points_at_least = p } or { mandatory = [...], at_least = k }'
        if not isinstance(raw, dict) or not raw or not set(raw) <= {"at_least", "points_at_least", "mandatory"} \
                or ("points_at_least" in raw and len(raw) > 1) or set(raw) == {"mandatory"}:
            self.fail(where, f"phải là {shapes_vi}", f"must be {shapes_en}")
            return PassRule()
        if "points_at_least" in raw:
            if not points:
                self.fail(f"{where}.points_at_least", "không phần nào ở đây được tính điểm (không có khóa scoring)",
                          "no part here scores points (no scoring key)")
                return PassRule()
            p = self.decimal(raw, "points_at_least", where, low=Decimal(0), high=None)
            return PassRule(points_at_least=p) if p is not None else PassRule()
        names: tuple[str, ...] = ()
        if "mandatory" in raw:
            if not mandatory:
                self.fail(f"{where}.mandatory", "các phần ở đây không có mã để nêu là bắt buộc",
                          "the parts here have no codes to name as mandatory")
                return PassRule()
            listed = raw["mandatory"]
            known = [c for c in parts if c is not None]
            if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
                self.fail(f"{where}.mandatory", "phải là danh sách mã (chuỗi), ít nhất một mã",
                          "must be a non-empty array of codes (strings)")
                return PassRule()
            for i, c in enumerate(listed):
                if c not in known:
                    self.fail(f"{where}.mandatory[{i}]", f"không có phần nào mã {c!r} (có: {', '.join(known)})",
                              f"no part has the code {c!r} (known: {', '.join(known)})")
            if len(set(listed)) != len(listed):
                self.fail(f"{where}.mandatory", "có mã lặp lại", "a code is repeated")
            names = tuple(listed)
            n = n - len(set(listed))
            low = 0
        else:
            low = 1
        k = raw.get("at_least", _MISSING)
        if isinstance(k, int) and not isinstance(k, bool) and low <= k <= max(n, low):
            return PassRule(at_least=k, mandatory=names)
        if k is _MISSING:
            self.fail(f"{where}.at_least", "thiếu khóa bắt buộc", "required key is missing")
        else:
            self.fail(f"{where}.at_least", f"phải là số nguyên từ {low} đến {max(n, low)}",
                      f"must be a whole number from {low} to {max(n, low)}")
        return PassRule(mandatory=names)

    def decimal(self, table: dict[str, Any], key: str, path: str, *, low: Decimal, high: Decimal | None,
                required: bool = True) -> Decimal | None:
        where = f"{path}.{key}"
        raw = table.get(key, _MISSING)
        if raw is _MISSING:
            if required:
                self.fail(where, "thiếu khóa bắt buộc", "required key is missing")
            return None
        # Floats are refused: 0.1 in binary is not 0.1, and thresholds must be exact.
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            self.fail(where, 'phải là số nguyên hoặc chuỗi thập phân như "62.5"', 'must be an integer or a decimal string such as "62.5"')
            return None
        text = str(raw).strip()
        try:
            value = Decimal(text) if len(text) <= 30 else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.fail(where, f"{raw!r} không phải là số", f"{raw!r} is not a number")
            return None
        if value < low or (high is not None and value > high):
            bound = f"{low}–{high}" if high is not None else f">= {low}"
            self.fail(where, f"{raw} nằm ngoài khoảng {bound}", f"{raw} is outside {bound}")
            return None
        return value

    def enum(self, raw: dict[str, Any], key: str, path: str, enum: type, *, default):
        value = raw.get(key, _MISSING)
        if value is _MISSING:
            if default is None:
                self.fail(f"{path}.{key}", "thiếu khóa bắt buộc", "required key is missing")
            return default
        try:
            return enum(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(m.value) for m in enum)
            self.fail(f"{path}.{key}", f"phải là một trong {allowed}", f"must be one of {allowed}")
            return None

    # -- structure --------------------------------------------------------

    def criteria_set(self, data: dict[str, Any]) -> CriteriaSet | None:
        self.known_keys(data, "", _SET_KEYS)
        fmt = data.get("format")
        if type(fmt) is not int or fmt not in FORMAT_VERSIONS:  # true == 1 in Python
            self.fail("format", f"phải là 1 hoặc 2 (đang là {fmt!r})", f"must be 1 or 2 (is {fmt!r})")
        else:
            self.format = fmt
        code = self.value(data, "code", "", str)
        if code is not None and not _CODE.fullmatch(code):
            self.fail("code", "chỉ gồm chữ thường không dấu, chữ số và dấu '-'", "only lower-case ASCII letters, digits and '-'")
        name = self.value(data, "name", "", str)
        document = self.value(data, "document", "", str)
        description = self.value(data, "description", "", str, required=False) or ""
        recognition = self.value(data, "recognition_name", "", str, required=self.format >= 2)
        recognition = recognition.strip() if recognition else ""
        start, end = self.period(data)

        agencies = []
        for path, raw in self.table_list(data, "agencies", ""):
            self.known_keys(raw, path, {"code", "name"})
            a_code, a_name = self.value(raw, "code", path, str), self.value(raw, "name", path, str)
            agencies.append((path, Agency(a_code, a_name) if a_code and a_name else None))
        self.unique([(f"{p}.code", a.code if a else None) for p, a in agencies], "mã cơ quan", "agency code")
        agency_codes = {a.code for _, a in agencies if a}

        preconditions = []
        for path, raw in self.table_list(data, "preconditions", "", required=False):
            preconditions.append((path, self.precondition(path, raw, agency_codes)))

        group_entries = self.table_list(data, "groups", "")
        groups = [self.group(path, raw, agency_codes) for path, raw in group_entries]
        built = [(path, g) for (path, _), g in zip(group_entries, groups) if g]
        self.unique([(f"{p}.code", g.code) for p, g in built], "mã lĩnh vực", "group code")
        self.unique(
            [(f"{p}.code", c.code) for p, c in preconditions if c]
            + [(f"{p}.criteria[{i}].code", c.code) for p, g in built for i, c in enumerate(g.criteria)],
            "mã tiêu chí", "criterion code",
        )
        scores = any(c.scoring is not None for _, g in built for c in g.criteria)
        group_codes = [g.code if g else None for g in groups]
        pass_rule = self.pass_rule(data, "", group_codes, required=True, points=scores)
        levels = self.levels(data, group_codes, scores)

        if any(not p.warning for p in self.problems):
            return None
        return CriteriaSet(
            code=code, name=name, document=document, description=description,
            period_start=start, period_end=end, pass_rule=pass_rule,
            agencies=tuple(a for _, a in agencies), groups=tuple(groups),
            preconditions=tuple(c for _, c in preconditions), recognition_name=recognition,
            levels=levels, format=self.format,
        )

    def period(self, data: dict[str, Any]) -> tuple[int | None, int | None]:
        period = self.value(data, "period", "", dict)
        if period is None:
            return None, None
        self.known_keys(period, "period", {"start", "end"})
        start = self.value(period, "start", "period", int)
        end = self.value(period, "end", "period", int)
        for key, year in (("start", start), ("end", end)):
            if year is not None and not 2000 <= year <= 2100:
                self.fail(f"period.{key}", "năm phải từ 2000 đến 2100", "year must be from 2000 to 2100")
        if start is not None and end is not None and start > end:
            self.fail("period", "năm bắt đầu lớn hơn năm kết thúc", "start is after end")
        return start, end

    def levels(self, data: dict[str, Any], group_codes: list[str | None], scores: bool) -> tuple[Level, ...]:
        levels = []
        for path, raw in self.table_list(data, "levels", "", required=False):
            self.known_keys(raw, path, {"code", "name", "rule"})
            code = self.value(raw, "code", path, str)
            name = self.value(raw, "name", path, str)
            if "rule" not in raw:
                self.fail(f"{path}.rule", "thiếu khóa bắt buộc", "required key is missing")
                continue
            rule = self.pass_rule(raw, path, group_codes, required=True, points=scores, key="rule")
            if rule.mandatory:
                self.fail(f"{path}.rule", "mức chỉ xét theo số lĩnh vực đạt hoặc theo điểm",
                          "a level goes by fields met or by points only")
            if code and name:
                levels.append((path, Level(code, name, rule)))
        self.unique([(f"{p}.code", lv.code) for p, lv in levels], "mã mức", "level code")
        kinds = {lv.rule.by_points for _, lv in levels}
        if len(kinds) > 1:
            self.fail("levels", "các mức phải cùng xét theo điểm hoặc cùng xét theo số lĩnh vực",
                      "the levels must all go by points or all by fields met")
        elif levels:
            n = len(group_codes)
            bars = [lv.rule.points_at_least if lv.rule.by_points else lv.rule.required(n) for _, lv in levels]
            for (path, _), before, after in zip(levels[1:], bars, bars[1:]):
                if after is not None and before is not None and after <= before:
                    self.fail(path, "các mức phải xếp từ thấp đến cao, mỗi mức đòi hỏi nhiều hơn mức trước",
                              "levels must be listed lowest first, each asking more than the one before")
        return tuple(lv for _, lv in levels)

    def group(self, path: str, raw: dict[str, Any], agency_codes: set[str]) -> Group | None:
        self.known_keys(raw, path, {"code", "name", "pass_rule", "criteria"})
        code = self.value(raw, "code", path, str)
        name = self.value(raw, "name", path, str)
        entries = self.table_list(raw, "criteria", path)
        criteria = [self.criterion(p, c, agency_codes) for p, c in entries]
        scores = any(c is not None and c.scoring is not None for c in criteria)
        pass_rule = self.pass_rule(raw, path, [c.code if c else None for c in criteria], required=False, points=scores)
        if code is None or name is None or None in criteria or not criteria:
            return None
        return Group(code=code, name=name, criteria=tuple(criteria), pass_rule=pass_rule)

    def agency_list(self, raw: dict[str, Any], key: str, path: str, agency_codes: set[str], *, required: bool) -> tuple[str, ...]:
        codes = self.value(raw, key, path, list, required=required)
        if codes is None:
            return ()
        if required and not codes:
            self.fail(f"{path}.{key}", "phải có ít nhất một cơ quan", "must name at least one agency")
        for i, c in enumerate(codes):
            if not isinstance(c, str):
                self.fail(f"{path}.{key}[{i}]", "phải là mã cơ quan (chuỗi)", "must be an agency code (a string)")
            elif c not in agency_codes:
                self.fail(f"{path}.{key}[{i}]", f"cơ quan {c!r} không có trong [[agencies]]", f"agency {c!r} is not declared in [[agencies]]")
        return tuple(c for c in codes if isinstance(c, str))

    def precondition(self, path: str, raw: dict[str, Any], agency_codes: set[str]) -> Criterion | None:
        """A precondition: a criterion; the short form ``{code, text}`` is one "Đạt"."""
        if set(raw) <= {"code", "text"}:
            code, text = self.value(raw, "code", path, str), self.value(raw, "text", path, str)
            if code is None or text is None:
                return None
            return Criterion(code=code, text=text, target="Đạt", lead_agencies=(), coordinating_agencies=(),
                             evidence="", conditions=(BooleanCondition(text),))
        return self.criterion(path, raw, agency_codes, precondition=True)

    def criterion(self, path: str, raw: dict[str, Any], agency_codes: set[str], *,
                  precondition: bool = False) -> Criterion | None:
        code = self.value(raw, "code", path, str)
        self.code = code
        try:
            return self._criterion(path, raw, agency_codes, code, precondition)
        finally:
            self.code = None

    def _criterion(self, path, raw, agency_codes, code, precondition) -> Criterion | None:
        self.known_keys(raw, path, _CRITERION_KEYS)
        if code is not None and not _CRITERION_CODE.fullmatch(code):
            self.fail(f"{path}.code", "chỉ gồm chữ, số, '.' và '-'", "only letters, digits, '.' and '-'")
        text = self.value(raw, "text", path, str)
        target = self.value(raw, "target", path, str)
        evidence = self.value(raw, "evidence", path, str)
        note = self.value(raw, "note", path, str, required=False) or ""
        lead = self.agency_list(raw, "lead_agencies", path, agency_codes, required=not precondition)
        coordinating = self.agency_list(raw, "coordinating_agencies", path, agency_codes, required=False)
        entries = self.table_list(raw, "conditions", path)
        conditions = [self.condition(p, c) for p, c in entries]
        self.condition_rows(path, entries, conditions)
        built = [c for c in conditions if c is not None]
        scoring = self.scoring(raw, path, built, all_read=len(built) == len(conditions))
        if precondition and scoring is not None:
            self.fail(f"{path}.scoring", "điều kiện tiên quyết không tính điểm", "a precondition scores no points")
        pass_rule = self.pass_rule(raw, path, [getattr(c, "key", None) for c in conditions], required=False, points=False)
        if None in (code, text, target, evidence) or None in conditions or not conditions:
            return None
        return Criterion(
            code=code, text=text, target=target, lead_agencies=lead,
            coordinating_agencies=coordinating, evidence=evidence, note=note,
            conditions=tuple(conditions), pass_rule=pass_rule, scoring=scoring,
        )

    def condition_rows(self, path: str, entries: list[tuple[str, dict]], conditions: list) -> None:
        """A row carries one condition of each kind; others need a ``key`` of their own."""
        own: dict[str, str] = {}
        keys: dict[str, str] = {}
        for (where, _), c in zip(entries, conditions):
            if c is None:
                continue
            if c.key is None:
                if c.kind in own:
                    self.fail(f"{path}.conditions",
                              f"có nhiều hơn một điều kiện loại {c.kind!r} không có key; mỗi dòng trao đổi chỉ mang một "
                              f"điều kiện mỗi loại, hãy đặt key = \"...\" cho điều kiện thêm ({where})",
                              f"more than one {c.kind!r} condition without a key; an exchange row carries one of "
                              f"each kind, give the extra condition a key = \"...\" ({where})")
                own[c.kind] = where
            elif c.key in keys:
                self.fail(f"{where}.key", f"key {c.key!r} trùng với {keys[c.key]}", f"duplicate key {c.key!r}, first at {keys[c.key]}")
            else:
                keys[c.key] = where

    def scoring(self, raw: dict[str, Any], path: str, conditions: list, *, all_read: bool = True) -> Scoring | None:
        """The criterion's ``scoring`` table, given its ``conditions`` that could be read:
        unless ``all_read``, a method is not said to lack a kind of condition (the one
        not read may be it, and its own problem is said)."""
        table = self.value(raw, "scoring", path, dict, required=False)
        if table is None:
            return None
        where = f"{path}.scoring"
        self.known_keys(table, where, {"points", "partial_credit", "method", "full_at", "step", "step_points"})
        partial = self.flag(table, "partial_credit", where, False)
        default = ScoringMethod.PROPORTIONAL if partial else ScoringMethod.FIXED
        method = self.enum(table, "method", where, ScoringMethod, default=default)
        first = {}
        for c in conditions:
            first.setdefault(c.kind, c)
        if method is None:
            return None
        if method is ScoringMethod.OPTION:
            choice = first.get("choice")
            if choice is None:
                if all_read:
                    self.fail(f"{where}.method", 'cách tính "option" cần một điều kiện loại "choice"',
                              'method "option" needs a "choice" condition')
                return None
            points = choice.points_max
            if "points" in table:
                given = self.decimal(table, "points", where, low=Decimal(0), high=None)
                if given is not None and given != points:
                    self.fail(f"{where}.points", f"phải bằng điểm cao nhất của các phương án ({points}) hoặc bỏ trống",
                              f"must equal the highest option's points ({points}) or be left out")
            return Scoring(points=points, method=method)
        points = self.decimal(table, "points", where, low=Decimal(0), high=None)
        if points is None:
            return None
        if points == 0:
            self.warn(f"{where}.points", "tiêu chí tính 0 điểm", "the criterion scores 0 points")
        if method is ScoringMethod.PROPORTIONAL:
            ratio = first.get("ratio")
            full_at = self.decimal(table, "full_at", where, low=Decimal(0), high=None, required=False)
            if full_at is not None and full_at == 0:
                self.fail(f"{where}.full_at", "phải lớn hơn 0", "must be greater than 0")
                full_at = None
            if ratio is None:
                if all_read:
                    self.fail(f"{where}.method", 'cách tính "proportional" cần một điều kiện loại "ratio"',
                              'method "proportional" needs a "ratio" condition')
                return None
            if not ratio.comparator.upward or ratio.comparator is Comparator.EQUAL:
                self.fail(f"{where}.method", 'cách tính "proportional" chỉ dùng với tỷ lệ ">=" hoặc ">"',
                          'method "proportional" goes with a ">=" or ">" ratio only')
            return Scoring(points=points, partial_credit=partial, method=method, full_at=full_at or Decimal(100))
        if method is ScoringMethod.PER_STEP:
            if first.get("count") is None and first.get("ratio") is None and all_read:
                self.fail(f"{where}.method", 'cách tính "per_step" cần một điều kiện "count" (hoặc "ratio")',
                          'method "per_step" needs a "count" (or "ratio") condition')
            step = self.decimal(table, "step", where, low=Decimal(0), high=None)
            step_points = self.decimal(table, "step_points", where, low=Decimal(0), high=None)
            if step is not None and step == 0:
                self.fail(f"{where}.step", "phải lớn hơn 0", "must be greater than 0")
                step = None
            if step is None or step_points is None:
                return None
            return Scoring(points=points, method=method, step=step, step_points=step_points)
        for key in ("full_at", "step", "step_points"):
            if key in table:
                self.fail(f"{where}.{key}", f"chỉ dùng với method khác {method.value!r}",
                          f"not used by method {method.value!r}")
        return Scoring(points=points, partial_credit=partial, method=method)

    def condition(self, path: str, raw: dict[str, Any]) -> Condition | None:
        kind = raw.get("kind")
        if kind not in _CONDITION_KEYS:
            self.fail(f"{path}.kind", f"phải là {_KINDS_TEXT} (đang là {kind!r})", f"must be {_KINDS_TEXT_EN} (is {kind!r})")
            return None
        self.known_keys(raw, path, _CONDITION_KEYS[kind])
        key = self.value(raw, "key", path, str, required=False)
        if key is not None and not _KEY.fullmatch(key):
            self.fail(f"{path}.key", "chỉ gồm chữ thường không dấu, chữ số, '_' và '-'",
                      "only lower-case ASCII letters, digits, '_' and '-'")
            key = None
        if kind == "ratio":
            numerator = self.value(raw, "numerator", path, str)
            denominator = self.value(raw, "denominator", path, str)
            comparator = self.enum(raw, "comparator", path, Comparator, default=None)
            share = self.flag(raw, "share", path, self.format == 1)
            threshold = self.decimal(raw, "threshold", path, low=Decimal(0), high=Decimal(100) if share else None)
            zero = self.enum(raw, "zero_denominator", path, ZeroDenominator, default=ZeroDenominator.NOT_APPLICABLE)
            if None in (numerator, denominator, comparator, threshold, zero):
                return None
            if share and comparator is Comparator.GREATER and threshold == 100:
                self.fail(f"{path}.threshold", "một tỷ lệ trên tổng thể (share) không bao giờ vượt 100%",
                          "a share of a whole never exceeds 100 %")
            if comparator is Comparator.LESS and threshold == 0:
                self.fail(f"{path}.threshold", "không tỷ lệ nào nhỏ hơn 0", "no ratio is below 0")
            return RatioCondition(numerator, denominator, comparator, threshold, zero, share, key)
        if kind == "boolean":
            label = self.value(raw, "label", path, str)
            return BooleanCondition(label, key) if label is not None else None
        label = self.value(raw, "label", path, str)
        if kind == "count":
            comparator = self.enum(raw, "comparator", path, Comparator, default=None)
            threshold = self.value(raw, "threshold", path, int)
            if threshold is not None and not 0 <= threshold <= 2_147_483_647:
                self.fail(f"{path}.threshold", "phải là số nguyên từ 0 trở lên", "must be a whole number, 0 or more")
                threshold = None
            if threshold == 0 and comparator is Comparator.LESS:
                self.fail(f"{path}.threshold", "không số đếm nào nhỏ hơn 0", "no count is below 0")
            if threshold == 0 and comparator is Comparator.AT_LEAST:
                self.warn(f"{path}.threshold", "điều kiện \">= 0\" luôn đạt", "the condition \">= 0\" always holds")
            if None in (label, comparator, threshold):
                return None
            return CountCondition(label, comparator, threshold, key)
        options = []
        for where, option in self.table_list(raw, "options", path):
            self.known_keys(option, where, {"code", "label", "points", "passes"})
            o_code = self.value(option, "code", where, str)
            if o_code is not None and not _KEY.fullmatch(o_code):
                self.fail(f"{where}.code", "chỉ gồm chữ thường không dấu, chữ số, '_' và '-'",
                          "only lower-case ASCII letters, digits, '_' and '-'")
                o_code = None
            o_label = self.value(option, "label", where, str)
            points = self.decimal(option, "points", where, low=Decimal(0), high=None, required=False)
            if "passes" not in option:
                self.fail(f"{where}.passes", "thiếu khóa bắt buộc", "required key is missing")
            passes = self.flag(option, "passes", where, False)
            options.append((where, ChoiceOption(o_code, o_label, points or Decimal(0), passes) if o_code and o_label else None))
        self.unique([(f"{w}.code", o.code if o else None) for w, o in options], "mã phương án", "option code")
        if options and len(options) < 2:
            self.warn(f"{path}.options", "chỉ có một phương án", "only one option")
        if options and not any(o.passes for _, o in options if o):
            self.warn(f"{path}.options", "không phương án nào đạt: điều kiện không bao giờ đạt",
                      "no option passes: the condition never holds")
        if label is None or not options or any(o is None for _, o in options):
            return None
        return ChoiceCondition(label, tuple(o for _, o in options), key)


_KIND_VI = {str: "chuỗi văn bản", int: "số nguyên", list: "một danh sách", dict: "một bảng"}
_KIND_EN = {str: "a string", int: "an integer", list: "an array", dict: "a table"}
