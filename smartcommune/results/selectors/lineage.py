"""A commune's lineage across a reform of the administrative units, for its scorecard.

Results stay with the unit row they were made for (:mod:`smartcommune.units.models`):
a commune created on 1 July 2025 has no 2021–2025 results of its own, the old communes
it was formed from do.  :func:`unit_lineage` gives both directions -- the old communes a
new one came from, and the new communes an old one went to -- each with the years of
its results that the viewer may see (:func:`~smartcommune.rounds.access.visible_assessments`),
so the scorecard links to them.  :func:`lineage_stamp` (the links) and the stamp of the
results of :func:`linked_units` are what that read depends on, for
:mod:`smartcommune.results.caching`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from smartcommune.results.selectors.common import district_of
from smartcommune.rounds import access as permissions
from smartcommune.units.models import Level, Unit, UnitSuccession


@dataclass(frozen=True)
class LinkedResult:
    """One year of a linked commune that the viewer may see; ``recognised`` is the
    recorded decision (``None`` before a decision)."""

    year: int
    recognised: bool | None


@dataclass(frozen=True)
class LinkedUnit:
    """A commune on the other side of a reform: ``whole`` is false when only part of the
    old commune's territory went to the new one."""

    unit: Unit
    district: Unit | None
    province: Unit | None
    whole: bool
    effective: date
    results: tuple[LinkedResult, ...]


@dataclass(frozen=True)
class Lineage:
    predecessors: tuple[LinkedUnit, ...]
    """The old communes ``unit`` was formed from (empty for a commune that no reform made)."""
    successors: tuple[LinkedUnit, ...]
    """The new communes ``unit`` went to (empty while it is in force)."""


def _links(unit: Unit):
    return (UnitSuccession.objects.filter(Q(successor=unit) | Q(predecessor=unit))
            .select_related("predecessor__parent__parent", "successor__parent__parent"))


def _province(unit: Unit) -> Unit | None:
    parent = unit.parent
    while parent is not None and parent.level != Level.PROVINCE:
        parent = parent.parent
    return parent


def unit_lineage(*, viewer, unit: Unit) -> Lineage:
    """``unit``'s predecessors and successors, each with the years of its results ``viewer``
    may see (in any round), oldest first.  Two queries."""
    links = list(_links(unit))
    other = {link.pk: (link.predecessor if link.successor_id == unit.pk else link.successor) for link in links}
    years: dict[int, dict[int, bool | None]] = {}
    rows = (permissions.visible_assessments(viewer).filter(unit__in=list(other.values()))
            .values_list("unit_id", "round__year", "decision_recognised").order_by("round__year"))
    for unit_id, year, recognised in rows:
        years.setdefault(unit_id, {})[year] = recognised
    predecessors, successors = [], []
    for link in links:
        linked = other[link.pk]
        found = LinkedUnit(
            unit=linked, district=district_of(linked), province=_province(linked), whole=link.is_default,
            effective=link.effective,
            results=tuple(LinkedResult(y, r) for y, r in sorted(years.get(linked.pk, {}).items())),
        )
        (predecessors if link.successor_id == unit.pk else successors).append(found)
    key = lambda u: (u.unit.code, u.unit.valid_from)  # noqa: E731
    return Lineage(predecessors=tuple(sorted(predecessors, key=key)), successors=tuple(sorted(successors, key=key)))


def lineage_stamp(*, unit_id: int) -> tuple:
    """The links of the unit ``unit_id`` across reforms, sorted: what :func:`unit_lineage`
    depends on besides the linked communes' results, which the scorecard's stamp covers
    (:func:`~smartcommune.results.selectors.scorecard.scorecard_stamp` of
    :func:`linked_units`, see :mod:`smartcommune.results.caching`).  One query."""
    return tuple(sorted(UnitSuccession.objects.filter(Q(successor_id=unit_id) | Q(predecessor_id=unit_id))
                        .values_list("predecessor_id", "successor_id", "is_default", "effective")))


def linked_units(links: tuple, *, unit_id: int) -> tuple[int, ...]:
    """The ids of the communes on the other side of ``links`` (:func:`lineage_stamp`) from
    the unit ``unit_id``, sorted."""
    return tuple(sorted({p if s == unit_id else s for p, s, _, _ in links}))
