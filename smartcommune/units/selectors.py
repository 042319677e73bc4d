"""Reads of administrative units (services write, selectors read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from smartcommune.units.models import Level, Unit


@dataclass(frozen=True)
class UnitCounts:
    districts: int
    communes: int


def unit_counts(*, on: date) -> UnitCounts:
    """How many district- and commune-level units were in force on ``on``."""
    in_force = Unit.objects.in_force(on)
    return UnitCounts(
        districts=in_force.filter(level=Level.DISTRICT).count(),
        communes=in_force.filter(level=Level.COMMUNE).count(),
    )
