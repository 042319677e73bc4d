"""Write one old province, the new province it joined, and their lineage into the database.

Contract: :func:`do_load_units` reads the ``vietnamadminunits`` package through
:mod:`smartcommune.units.source` and, in one transaction, creates or updates

- the old province, its districts and its communes, valid from :data:`OLD_VALID_FROM`
  to the day before the reform (communes under their district);
- the new province and *all* its communes, valid from the reform day, still in force
  (communes under the province) -- all of them, so that "the communes of Vĩnh Long
  today" is never a silently partial list; those that succeed the old province's
  communes are the ones with a succession;
- one :class:`~smartcommune.units.models.UnitSuccession` per (old commune, new commune)
  pair, effective on the reform day.

Units are matched on ``(level, code, valid_from)`` and successions on
``(predecessor, successor)``; the package is the source of truth for every other field,
so running it again changes nothing.  Units are never deleted (results point at
them); a succession of a loaded old commune that the package no longer lists is
removed, so each old commune keeps exactly one default successor.  A package error
(:class:`~smartcommune.units.source.SourceError`) is raised before anything is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from smartcommune.units.models import Level, Unit, UnitSuccession
from smartcommune.units.source import REFORM_DAY, SuccessionRecord, UnitRecord, read_reform

# The package gives the units as they stood on 30 June 2025, without creation dates.
# The old units are therefore dated from the first day this product needs them -- the
# start of the 2021-2025 regulation period -- rather than from a creation date we do not
# know.  (Nor does the package know the communes merged away before the reform, e.g. in
# the 2023-2025 arrangement; results for those would need another generation of units.)
# This date is part of every old unit's identity: changing it would load a second
# generation instead of updating the first.
OLD_VALID_FROM = date(2021, 1, 1)
OLD_VALID_TO = REFORM_DAY - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Counts:
    """How many rows a load created, updated (some field changed) or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one :func:`do_load_units` call did; ``successions_removed`` counts stale links."""

    units: Counts
    successions: Counts
    successions_removed: int

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything."""
        return bool(
            self.units.created
            or self.units.updated
            or self.successions.created
            or self.successions.updated
            or self.successions_removed
        )


def do_load_units(*, old_province_code: str = "83", new_province_code: str = "86") -> LoadReport:
    """Load old province ``old_province_code`` (default Bến Tre) and new ``new_province_code``
    (default Vĩnh Long) with their lineage; see the module docstring for the contract."""
    source = read_reform(old_province_code=old_province_code, new_province_code=new_province_code)
    with transaction.atomic():
        writer = _UnitWriter(
            codes=[
                source.old_province.code,
                source.new_province.code,
                *(unit.code for unit in (*source.old_districts, *source.old_communes, *source.new_communes)),
            ]
        )
        # Parents are written before children: each write returns the units by code.
        old = {"valid_from": OLD_VALID_FROM, "valid_to": OLD_VALID_TO}
        old_province = writer.write((source.old_province,), level=Level.PROVINCE, parents={}, **old)
        districts = writer.write(source.old_districts, level=Level.DISTRICT, parents=old_province, **old)
        old_communes = writer.write(source.old_communes, level=Level.COMMUNE, parents=districts, **old)
        new = {"valid_from": REFORM_DAY, "valid_to": None}
        new_province = writer.write((source.new_province,), level=Level.PROVINCE, parents={}, **new)
        new_communes = writer.write(source.new_communes, level=Level.COMMUNE, parents=new_province, **new)
        successions, removed = _sync_successions(source.successions, old=old_communes, new=new_communes)
    return LoadReport(units=_counts(writer.tally), successions=successions, successions_removed=removed)


class _UnitWriter:
    """Creates or updates units matched on ``(level, code, valid_from)``, tallying outcomes."""

    def __init__(self, *, codes: list[str]) -> None:
        # One query for every candidate row instead of one per unit.
        self._existing = {
            (unit.level, unit.code, unit.valid_from): unit for unit in Unit.objects.filter(code__in=codes)
        }
        self.tally: Counter[str] = Counter()

    def write(
        self,
        records: tuple[UnitRecord, ...],
        *,
        level: Level,
        parents: dict[str, Unit],
        valid_from: date,
        valid_to: date | None,
    ) -> dict[str, Unit]:
        """Write ``records`` under ``parents`` (by code); return the units by code."""
        units: dict[str, Unit] = {}
        new: list[Unit] = []
        for record in records:
            values: dict[str, str | int | Decimal | date | None] = {
                "name": record.name,
                "short_name": record.short_name,
                "kind": record.kind,
                "parent_id": parents[record.parent_code].pk if record.parent_code else None,
                "latitude": record.latitude,
                "longitude": record.longitude,
                "valid_to": valid_to,
            }
            unit = self._existing.get((level.value, record.code, valid_from))
            if unit is None:
                unit = Unit(level=level, code=record.code, valid_from=valid_from, **values)
                new.append(unit)
            else:
                changed = [field for field, value in values.items() if getattr(unit, field) != value]
                for field in changed:
                    setattr(unit, field, values[field])
                if changed:
                    unit.save(update_fields=changed)
                self.tally["updated" if changed else "unchanged"] += 1
            units[record.code] = unit
        # Both supported databases return the new primary keys, which children need.
        Unit.objects.bulk_create(new)
        self.tally["created"] += len(new)
        return units


def _sync_successions(
    records: tuple[SuccessionRecord, ...], *, old: dict[str, Unit], new: dict[str, Unit]
) -> tuple[Counts, int]:
    """Make the successions of the ``old`` communes exactly ``records``; return counts and removals."""
    wanted = {(old[r.predecessor_code].pk, new[r.successor_code].pk): r.is_default for r in records}
    existing = {
        (link.predecessor_id, link.successor_id): link
        for link in UnitSuccession.objects.filter(predecessor__in=old.values())
    }
    stale = [link.pk for pair, link in existing.items() if pair not in wanted]
    removed, _ = UnitSuccession.objects.filter(pk__in=stale).delete()
    tally: Counter[str] = Counter()
    created: list[UnitSuccession] = []
    # Non-defaults first, and new rows last: a default moving from one successor to
    # another is cleared before it is set, so the one-default-per-predecessor
    # constraint holds after every statement.
    for (predecessor_id, successor_id), is_default in sorted(wanted.items(), key=lambda item: item[1]):
        link = existing.get((predecessor_id, successor_id))
        if link is None:
            created.append(
                UnitSuccession(
                    predecessor_id=predecessor_id,
                    successor_id=successor_id,
                    effective=REFORM_DAY,
                    is_default=is_default,
                )
            )
        elif (link.effective, link.is_default) != (REFORM_DAY, is_default):
            link.effective, link.is_default = REFORM_DAY, is_default
            link.save(update_fields=["effective", "is_default"])
            tally["updated"] += 1
        else:
            tally["unchanged"] += 1
    UnitSuccession.objects.bulk_create(created)
    tally["created"] = len(created)
    return _counts(tally), removed


def _counts(tally: Counter[str]) -> Counts:
    return Counts(created=tally["created"], updated=tally["updated"], unchanged=tally["unchanged"])
