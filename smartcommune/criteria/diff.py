"""What changed between two versions of a criteria set (``smartcommune criteria diff``).

The comparison works on the documents as written (after both were checked),
criterion by criterion: criteria, fields and agencies are matched by code, and
every key of each is compared, so a key a later format adds (points, levels,
options…) is compared too without a change here.  Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    where_vi: str  # "tiêu chí 4.1", "lĩnh vực 3", "bộ tiêu chí"
    where_en: str
    key: str = ""  # the key inside it that changed ("conditions[0].threshold"); "" for a whole entry
    old: Any = None
    new: Any = None

    def describe(self) -> str:
        if self.kind == "added" and not self.key:
            return f"+ {self.where_vi}: thêm mới (added)"
        if self.kind == "removed" and not self.key:
            return f"- {self.where_vi}: bị bỏ (removed)"
        if self.kind == "added":
            return f"~ {self.where_vi}: {self.key} thêm {_show(self.new)} (added)"
        if self.kind == "removed":
            return f"~ {self.where_vi}: {self.key} bỏ {_show(self.old)} (removed)"
        return f"~ {self.where_vi}: {self.key}: {_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}, "c": [{"d": 2}]}`` → ``{"a.b": 1, "c[0].d": 2}``; lists of scalars stay whole."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def _by_code(items: Any) -> dict[str, dict]:
    return {str(i.get("code")): i for i in items or () if isinstance(i, dict)}


def _compare(old: dict, new: dict, where_vi: str, where_en: str, skip: set[str]) -> list[Change]:
    a = flatten({k: v for k, v in old.items() if k not in skip})
    b = flatten({k: v for k, v in new.items() if k not in skip})
    changes = []
    for key in list(a) + [k for k in b if k not in a]:
        if key not in b:
            changes.append(Change("removed", where_vi, where_en, key, old=a[key]))
        elif key not in a:
            changes.append(Change("added", where_vi, where_en, key, new=b[key]))
        elif a[key] != b[key] or type(a[key]) is not type(b[key]):
            changes.append(Change("changed", where_vi, where_en, key, a[key], b[key]))
    return changes


def _entries(old: Any, new: Any, label_vi: str, label_en: str, skip: set[str] = frozenset()) -> list[Change]:
    a, b = _by_code(old), _by_code(new)
    changes = []
    for code in list(a) + [c for c in b if c not in a]:
        where_vi, where_en = f"{label_vi} {code}", f"{label_en} {code}"
        if code not in b:
            changes.append(Change("removed", where_vi, where_en))
        elif code not in a:
            changes.append(Change("added", where_vi, where_en))
        else:
            changes += _compare(a[code], b[code], where_vi, where_en, set(skip))
    return changes


def _criteria(document: dict) -> list[dict]:
    """Every criterion with the code of its field, in the document's order."""
    out = []
    for group in document.get("groups") or ():
        for criterion in group.get("criteria") or ():
            out.append({**criterion, "field": group.get("code")})
    return out


def diff_documents(old: dict, new: dict) -> list[Change]:
    """Every difference from ``old`` to ``new`` (two checked criteria-set documents)."""
    lists = {"agencies", "groups", "preconditions", "levels"}
    changes = _compare(old, new, "bộ tiêu chí", "criteria set", lists)
    changes += _entries(old.get("agencies"), new.get("agencies"), "cơ quan", "agency")
    changes += _entries(old.get("preconditions"), new.get("preconditions"), "điều kiện tiên quyết", "precondition")
    changes += _entries(old.get("levels"), new.get("levels"), "mức", "level")
    changes += _entries(old.get("groups"), new.get("groups"), "lĩnh vực", "field", {"criteria"})
    changes += _entries(_criteria(old), _criteria(new), "tiêu chí", "criterion")
    return changes
