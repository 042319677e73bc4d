"""Find my commune: the communes with results ``viewer`` may see whose name holds every word
typed, accents optional ("tan thach" finds "Xã Tân Thạch").  See
:mod:`smartcommune.results.selectors` for who sees what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from smartcommune.rounds import access as permissions
from smartcommune.results.selectors.common import district_of, fold
from smartcommune.units.models import Level, Unit

# A query longer than this is cut (a commune's name is far shorter); at most this many
# communes are listed (the rest: "type more").
MAX_QUERY = 100
MAX_MATCHES = 30


@dataclass(frozen=True)
class Match:
    unit: Unit
    district: str  # "" where there is no district level
    province: str
    years: list[int]  # with a result the viewer may see, newest first


@dataclass(frozen=True)
class Found:
    query: str
    matches: list[Match]
    more: bool  # more communes matched than are listed


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY].strip()


def find_communes(*, viewer, query: str) -> Found:
    """Communes whose name (or short name) contains every word of ``query``, folded, best
    first: the short name equal to the query, then starting with it, then by name.  Three
    queries."""
    query = clean_query(query)
    words = fold(query).split()
    if not words:
        return Found(query, [], False)
    visible = permissions.visible_assessments(viewer)
    candidates = (
        Unit.objects.filter(level=Level.COMMUNE, pk__in=visible.values("unit_id"))
        .values_list("pk", "name", "short_name").order_by()
    )
    wanted = " ".join(words)
    ranked = []
    for pk, name, short in candidates:
        folded = fold(f"{name} {short}")
        if all(w in folded for w in words):
            short_key = fold(short or name)
            ranked.append(((short_key != wanted, not short_key.startswith(wanted), fold(name), pk), pk))
    ranked.sort()
    ids = [pk for _key, pk in ranked[:MAX_MATCHES]]
    units = Unit.objects.select_related("parent", "parent__parent").in_bulk(ids)
    years: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in visible.filter(unit_id__in=ids).values_list("unit_id", "round__year"):
        years[unit_id].add(year)
    matches = []
    for pk in ids:
        unit = units[pk]
        district = district_of(unit)
        province = district.parent if district is not None else unit.parent
        matches.append(Match(unit, district.name if district else "", province.name if province else "",
                             sorted(years[pk], reverse=True)))
    return Found(query, matches, len(ranked) > MAX_MATCHES)
