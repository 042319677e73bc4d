"""Load a criteria-set TOML file into typed objects, refusing anything invalid.

The format is documented in ``docs/criteria-format.md``. Every problem found is
collected, so one run names them all; :class:`CriteriaFileError` carries them,
each with the path inside the file (``groups[2].criteria[0].threshold``) and a
Vietnamese and English explanation. Nothing here imports Django.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from smartcommune.criteria.model import (
    Agency,
    BooleanCondition,
    Comparator,
    Condition,
    CriteriaSet,
    Criterion,
    Group,
    PassRule,
    Precondition,
    RatioCondition,
    Scoring,
    ZeroDenominator,
)

FORMAT_VERSION = 1
_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.vi} ({self.en})"


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
        raise CriteriaFileError(path, [Problem("", f"không đọc được TOML: {exc}", f"not valid TOML: {exc}")]) from None
    return parse_criteria_set(data, source=path)


def parse_criteria_set(data: dict[str, Any], *, source: str | Path = "<data>") -> CriteriaSet:
    """Validate an already-parsed TOML document; raise :class:`CriteriaFileError`."""
    reader = _Reader()
    criteria_set = reader.criteria_set(data)
    if reader.problems:
        raise CriteriaFileError(source, reader.problems)
    assert criteria_set is not None
    return criteria_set


class _Missing:
    pass


_MISSING = _Missing()


class _Reader:
    """Walks the document once, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    # -- primitives -------------------------------------------------------

    def fail(self, path: str, vi: str, en: str) -> None:
        self.problems.append(Problem(path or "(gốc)", vi, en))

    def known_keys(self, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in sorted(set(table) - allowed):
            where = f"{path}.{key}" if path else key
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

    def pass_rule(self, table: dict[str, Any], path: str, n: int, *, required: bool) -> PassRule:
        where = f"{path}.pass_rule" if path else "pass_rule"
        raw = table.get("pass_rule", _MISSING)
        if raw is _MISSING:
            if required:
                self.fail(where, "thiếu khóa bắt buộc", "required key is missing")
            return PassRule()
        if raw == "all":
            return PassRule()
        if isinstance(raw, dict) and set(raw) == {"at_least"}:
            k = raw["at_least"]
            if isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= max(n, 1):
                return PassRule(at_least=k)
            self.fail(f"{where}.at_least", f"phải là số nguyên từ 1 đến {n}", f"must be a whole number from 1 to {n}")
            return PassRule()
        self.fail(where, 'phải là "all" hoặc { at_least = k }', 'must be "all" or { at_least = k }')
        return PassRule()

    def decimal(self, table: dict[str, Any], key: str, path: str, *, low: Decimal, high: Decimal | None) -> Decimal | None:
        where = f"{path}.{key}"
        raw = table.get(key, _MISSING)
        if raw is _MISSING:
            self.fail(where, "thiếu khóa bắt buộc", "required key is missing")
            return None
        # Floats are refused: 0.1 in binary is not 0.1, and thresholds must be exact.
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            self.fail(where, 'phải là số nguyên hoặc chuỗi thập phân như "62.5"', 'must be an integer or a decimal string such as "62.5"')
            return None
        try:
            value = Decimal(str(raw).strip())
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

    # -- structure --------------------------------------------------------

    def criteria_set(self, data: dict[str, Any]) -> CriteriaSet | None:
        self.known_keys(data, "", {"format", "code", "name", "document", "description", "period", "pass_rule", "preconditions", "agencies", "groups"})
        fmt = data.get("format")
        if type(fmt) is not int or fmt != FORMAT_VERSION:  # true == 1 in Python
            self.fail("format", f"phải là {FORMAT_VERSION} (đang là {fmt!r})", f"must be {FORMAT_VERSION} (is {fmt!r})")
        code = self.value(data, "code", "", str)
        if code is not None and not _CODE.fullmatch(code):
            self.fail("code", "chỉ gồm chữ thường không dấu, chữ số và dấu '-'", "only lower-case ASCII letters, digits and '-'")
        name = self.value(data, "name", "", str)
        document = self.value(data, "document", "", str)
        description = self.value(data, "description", "", str, required=False) or ""
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
            self.known_keys(raw, path, {"code", "text"})
            p_code, p_text = self.value(raw, "code", path, str), self.value(raw, "text", path, str)
            if p_code and p_text:
                preconditions.append(Precondition(p_code, p_text))

        group_entries = self.table_list(data, "groups", "")
        groups = [self.group(path, raw, agency_codes) for path, raw in group_entries]
        built = [(path, g) for (path, _), g in zip(group_entries, groups) if g]
        self.unique([(f"{p}.code", g.code) for p, g in built], "mã lĩnh vực", "group code")
        self.unique(
            [(f"{p}.criteria[{i}].code", c.code) for p, g in built for i, c in enumerate(g.criteria)],
            "mã tiêu chí", "criterion code",
        )
        pass_rule = self.pass_rule(data, "", len(groups), required=True)

        if self.problems:
            return None
        return CriteriaSet(
            code=code, name=name, document=document, description=description,
            period_start=start, period_end=end, pass_rule=pass_rule,
            agencies=tuple(a for _, a in agencies), groups=tuple(groups),
            preconditions=tuple(preconditions),
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

    def group(self, path: str, raw: dict[str, Any], agency_codes: set[str]) -> Group | None:
        self.known_keys(raw, path, {"code", "name", "pass_rule", "criteria"})
        code = self.value(raw, "code", path, str)
        name = self.value(raw, "name", path, str)
        entries = self.table_list(raw, "criteria", path)
        criteria = [self.criterion(p, c, agency_codes) for p, c in entries]
        pass_rule = self.pass_rule(raw, path, len(criteria), required=False)
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

    def criterion(self, path: str, raw: dict[str, Any], agency_codes: set[str]) -> Criterion | None:
        self.known_keys(raw, path, {"code", "text", "target", "lead_agencies", "coordinating_agencies", "evidence", "note", "pass_rule", "scoring", "conditions"})
        code = self.value(raw, "code", path, str)
        if code is not None and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-]*", code):
            self.fail(f"{path}.code", "chỉ gồm chữ, số, '.' và '-'", "only letters, digits, '.' and '-'")
        text = self.value(raw, "text", path, str)
        target = self.value(raw, "target", path, str)
        evidence = self.value(raw, "evidence", path, str)
        note = self.value(raw, "note", path, str, required=False) or ""
        lead = self.agency_list(raw, "lead_agencies", path, agency_codes, required=True)
        coordinating = self.agency_list(raw, "coordinating_agencies", path, agency_codes, required=False)
        scoring = self.scoring(raw, path)
        entries = self.table_list(raw, "conditions", path)
        conditions = [self.condition(p, c) for p, c in entries]
        kinds = [c.kind for c in conditions if c is not None]
        for kind in ("ratio", "boolean"):
            if kinds.count(kind) > 1:
                self.fail(f"{path}.conditions", f"có nhiều hơn một điều kiện loại {kind!r}; định dạng trao đổi chỉ mang một", f"more than one {kind!r} condition; the exchange format carries one")
        pass_rule = self.pass_rule(raw, path, len(conditions), required=False)
        if None in (code, text, target, evidence) or None in conditions or not conditions:
            return None
        return Criterion(
            code=code, text=text, target=target, lead_agencies=lead,
            coordinating_agencies=coordinating, evidence=evidence, note=note,
            conditions=tuple(conditions), pass_rule=pass_rule, scoring=scoring,
        )

    def scoring(self, raw: dict[str, Any], path: str) -> Scoring | None:
        table = self.value(raw, "scoring", path, dict, required=False)
        if table is None:
            return None
        where = f"{path}.scoring"
        self.known_keys(table, where, {"points", "partial_credit"})
        points = self.decimal(table, "points", where, low=Decimal(0), high=None)
        partial = table.get("partial_credit", False)
        if not isinstance(partial, bool):
            self.fail(f"{where}.partial_credit", "phải là true hoặc false", "must be true or false")
            partial = False
        return Scoring(points=points, partial_credit=partial) if points is not None else None

    def condition(self, path: str, raw: dict[str, Any]) -> Condition | None:
        kind = raw.get("kind")
        if kind == "ratio":
            self.known_keys(raw, path, {"kind", "numerator", "denominator", "comparator", "threshold", "zero_denominator"})
            numerator = self.value(raw, "numerator", path, str)
            denominator = self.value(raw, "denominator", path, str)
            comparator = self.enum(raw, "comparator", path, Comparator, default=None)
            threshold = self.decimal(raw, "threshold", path, low=Decimal(0), high=Decimal(100))
            zero = self.enum(raw, "zero_denominator", path, ZeroDenominator, default=ZeroDenominator.NOT_APPLICABLE)
            if None in (numerator, denominator, comparator, threshold, zero):
                return None
            return RatioCondition(numerator, denominator, comparator, threshold, zero)
        if kind == "boolean":
            self.known_keys(raw, path, {"kind", "label"})
            label = self.value(raw, "label", path, str)
            return BooleanCondition(label) if label is not None else None
        self.fail(f"{path}.kind", f'phải là "ratio" hoặc "boolean" (đang là {kind!r})', f'must be "ratio" or "boolean" (is {kind!r})')
        return None

    def enum(self, raw: dict[str, Any], key: str, path: str, enum: type, *, default):
        value = raw.get(key, _MISSING)
        if value is _MISSING:
            if default is None:
                self.fail(f"{path}.{key}", "thiếu khóa bắt buộc", "required key is missing")
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum)
            self.fail(f"{path}.{key}", f"phải là một trong {allowed}", f"must be one of {allowed}")
            return None


_KIND_VI = {str: "chuỗi văn bản", int: "số nguyên", list: "một danh sách", dict: "một bảng"}
_KIND_EN = {str: "a string", int: "an integer", list: "an array", dict: "a table"}
