"""Read one province's units and their 2025 lineage from the ``vietnamadminunits`` package.

Contract: :func:`read_reform` takes the GSO code of a pre-reform province (63-province
era) and of the post-1 July 2025 province it was merged into, and returns a
:class:`ReformSource`: the old province, its districts and communes, the new province
and all its communes, and one :class:`SuccessionRecord` per (old commune, new commune)
pair that the package's converter lists.  It raises :class:`SourceError` when the
package's data do not hold together (an old commune with no successor or with other
than one default one, a converter key that names no row, a code used twice), so the
caller never writes half-checked data.

The package is the source of truth; nothing here corrects it.  Nothing here imports
Django.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any

from vietnamadminunits.database import query

# converter_2025.json maps the units before the 2025 reform to those after it; the new
# provinces and communes took office on this day (the districts were abolished).
REFORM_DAY = date(2025, 7, 1)
# Coordinates are stored with 6 decimals (about 0.1 m), the precision of the package.
_COORDINATE_STEP = Decimal("0.000001")
# The package's query() takes no parameters, so codes are checked before they are
# put into SQL text.
_CODE_PATTERN = re.compile(r"[0-9]{1,5}")


class SourceError(ValueError):
    """The package's data for the requested provinces are missing or inconsistent."""


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit as the package gives it; ``parent_code`` is ``None`` for a province."""

    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(frozen=True, slots=True)
class SuccessionRecord:
    """An old commune (code) whose territory went, wholly or partly, to a new one."""

    predecessor_code: str
    successor_code: str
    is_default: bool


@dataclass(frozen=True, slots=True)
class ReformSource:
    """Everything needed to load one old province and the new province it joined."""

    old_province: UnitRecord
    old_districts: tuple[UnitRecord, ...]
    old_communes: tuple[UnitRecord, ...]
    new_province: UnitRecord
    new_communes: tuple[UnitRecord, ...]
    successions: tuple[SuccessionRecord, ...]


def read_reform(*, old_province_code: str, new_province_code: str) -> ReformSource:
    """Read the old province ``old_province_code`` and the new ``new_province_code``."""
    old_rows = _rows("admin_units_legacy", old_province_code)
    new_rows = _rows("admin_units", new_province_code)
    old_province = _province(old_rows[0])
    new_province = _province(new_rows[0])
    old_communes = tuple(_commune(row, parent_code=row["districtCode"]) for row in old_rows)
    new_communes = tuple(_commune(row, parent_code=new_province.code) for row in new_rows)
    _require_unique_codes(old_communes, new_communes)
    return ReformSource(
        old_province=old_province,
        old_districts=_districts(old_rows, province_code=old_province.code),
        old_communes=old_communes,
        new_province=new_province,
        new_communes=new_communes,
        successions=_successions(old_rows=old_rows, new_rows=new_rows),
    )


def _rows(table: str, province_code: str) -> list[dict[str, Any]]:
    if not _CODE_PATTERN.fullmatch(province_code):
        raise SourceError(f"Mã tỉnh không hợp lệ: {province_code!r}")
    rows = query(
        f"SELECT * FROM [{table}] WHERE provinceCode = '{province_code}' ORDER BY wardCode"
    )
    if not rows:
        raise SourceError(f"Không có tỉnh mã {province_code} trong bảng {table}")
    return rows


def _province(row: dict[str, Any]) -> UnitRecord:
    # The tables have no province type column: the type is the name less the short name
    # ("Tỉnh Bến Tre" - "Bến Tre"), as for every other level.
    name, short_name = row["province"], row["provinceShort"]
    if not name.endswith(" " + short_name):
        raise SourceError(f"Không tách được loại đơn vị từ tên {name!r}")
    return UnitRecord(
        code=row["provinceCode"],
        name=name,
        short_name=short_name,
        kind=name[: -len(short_name)].strip(),
        parent_code=None,
        latitude=_coordinate(row["provinceLat"]),
        longitude=_coordinate(row["provinceLon"]),
    )


def _districts(rows: list[dict[str, Any]], *, province_code: str) -> tuple[UnitRecord, ...]:
    by_code = {
        row["districtCode"]: UnitRecord(
            code=row["districtCode"],
            name=row["district"],
            short_name=row["districtShort"],
            kind=_required(row, "districtType"),
            parent_code=province_code,
            latitude=_coordinate(row["districtLat"]),
            longitude=_coordinate(row["districtLon"]),
        )
        for row in rows
    }
    return tuple(by_code[code] for code in sorted(by_code))


def _commune(row: dict[str, Any], *, parent_code: str) -> UnitRecord:
    return UnitRecord(
        code=row["wardCode"],
        name=row["ward"],
        short_name=row["wardShort"],
        kind=_required(row, "wardType"),
        parent_code=parent_code,
        latitude=_coordinate(row["wardLat"]),
        longitude=_coordinate(row["wardLon"]),
    )


def _successions(
    *, old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]
) -> tuple[SuccessionRecord, ...]:
    """Pair every old commune with its new commune(s) through ``converter_2025.json``.

    The converter names units by keys, not codes: an old commune is
    ``"<provinceKey>_<districtKey>_<wardKey>"`` (ward keys repeat across districts), a
    new one is its ``wardKey`` within the new province.
    """
    converter = json.loads(
        files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    old_province_key = old_rows[0]["provinceKey"]
    new_province_key = new_rows[0]["provinceKey"]
    if old_province_key not in converter["DICT_PROVINCE"].get(new_province_key, []):
        raise SourceError(f"{old_rows[0]['province']} không sáp nhập vào {new_rows[0]['province']}")
    old_code_by_key = {
        f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}": row["wardCode"]
        for row in old_rows
    }
    new_code_by_key = {row["wardKey"]: row["wardCode"] for row in new_rows}

    def new_code(key: str) -> str:
        if key not in new_code_by_key:
            raise SourceError(f"Khóa đơn vị mới {key!r} không có trong {new_rows[0]['province']}")
        return new_code_by_key[key]

    # Keys of other old provinces merged into the same new one are skipped.
    ours = old_province_key + "_"
    pairs: list[tuple[str, str, bool]] = [
        (old_key, new_code(new_key), True)
        for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"][new_province_key].items()
        for old_key in old_keys
        if old_key.startswith(ours)
    ]
    pairs += [
        (old_key, new_code(part["newWardKey"]), bool(part["isDefaultNewWard"]))
        for old_key, parts in converter["DICT_PROVINCE_WARD_DIVIDED"][new_province_key].items()
        if old_key.startswith(ours)
        for part in parts
    ]

    defaults: dict[str, int] = defaultdict(int)
    records = []
    for old_key, successor_code, is_default in pairs:
        if old_key not in old_code_by_key:
            raise SourceError(f"Khóa đơn vị cũ {old_key!r} không có trong {old_rows[0]['province']}")
        defaults[old_key] += is_default
        records.append(SuccessionRecord(old_code_by_key[old_key], successor_code, is_default))
    wrong = sorted(key for key in old_code_by_key if defaults[key] != 1)
    if wrong:
        raise SourceError(f"Đơn vị cũ không có đúng một đơn vị kế thừa mặc định: {wrong}")
    if len({(r.predecessor_code, r.successor_code) for r in records}) != len(records):
        raise SourceError("Một cặp đơn vị cũ - đơn vị mới được liệt kê hai lần")
    return tuple(sorted(records, key=lambda r: (r.predecessor_code, r.successor_code)))


def _require_unique_codes(*generations: tuple[UnitRecord, ...]) -> None:
    # Codes are reused across the reform but must be unique within one generation, or
    # successions (which name units by code) would be ambiguous.
    for units in generations:
        codes = [unit.code for unit in units]
        if len(set(codes)) != len(codes):
            raise SourceError("Mã đơn vị lặp lại trong cùng một thời kỳ")


def _required(row: dict[str, Any], column: str) -> str:
    if not row[column]:
        raise SourceError(f"Thiếu {column} cho đơn vị {row.get('wardCode')}")
    return row[column]


def _coordinate(value: float | None) -> Decimal | None:
    # Through str() so the decimal is the one printed in the package, not the binary float.
    return None if value is None else Decimal(str(value)).quantize(_COORDINATE_STEP)
