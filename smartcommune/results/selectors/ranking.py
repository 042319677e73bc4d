"""A province's results ranked, within the province and within each district.

The order is :func:`smartcommune.criteria.ranking.rank`'s (recognised, level, points,
fields met, criteria met): by points for a set that scores, by fields then criteria met
otherwise.  Equal results share a rank and the next rank skips ("1, 2=, 2=, 4").  The
rows are the overview's (:func:`~.overview.province_overview`), so the ranking covers
exactly what the viewer may see there -- the public: published results only -- and the
page is kept under the overview's stamp.  See :mod:`smartcommune.results.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcommune.criteria.model import CriteriaSet
from smartcommune.criteria.ranking import rank, rank_within
from smartcommune.results.selectors.overview import CommuneResult, Overview, province_overview
from smartcommune.units.models import Unit


@dataclass(frozen=True)
class RankedCommune:
    result: CommuneResult
    rank: int
    """Rank within the province (among the results the viewer may see)."""
    tied: bool
    district_rank: int | None
    """Rank within the commune's district; None where there is no district level."""
    district_tied: bool
    criteria_met: int
    """Criteria met or not applicable (the last tie-break)."""

    @property
    def rank_text(self) -> str:
        """``"3"``, or ``"3="`` when another result shares the rank."""
        return f"{self.rank}=" if self.tied else str(self.rank)

    @property
    def district_rank_text(self) -> str:
        if self.district_rank is None:
            return ""
        return f"{self.district_rank}=" if self.district_tied else str(self.district_rank)


@dataclass(frozen=True)
class Ranking:
    overview: Overview
    """The province's overview, unfiltered: every result the viewer may see."""
    rows: list[RankedCommune]
    """Best first; only the district's when ``district`` is given."""
    district: Unit | None

    @property
    def criteria_set(self) -> CriteriaSet:
        return self.overview.criteria_set

    @property
    def by_points(self) -> bool:
        """Whether points order the results (the set scores)."""
        return self.overview.criteria_set.scores

    @property
    def districts(self) -> list[Unit]:
        return self.overview.districts


def province_ranking(*, viewer, province: Unit, year: int, district: Unit | None = None,
                     criteria_set_code: str | None = None) -> Ranking:
    """The ranking of ``province``'s round of ``year`` as ``viewer`` may see it; ``district``
    keeps that district's rows (each still with its rank in the province).  Raises
    :class:`~.common.ResultsNotFound` as :func:`~.overview.province_overview`."""
    overview = province_overview(viewer=viewer, province=province, year=year, criteria_set_code=criteria_set_code)
    by_unit = {r.unit.code: r for r in overview.rows}
    evaluations = [r.evaluation for r in overview.rows]
    in_province = rank(evaluations)
    in_district = rank_within(evaluations, lambda e: by_unit[e.unit_code].district)
    district_ranks = {ranked.evaluation.unit_code: ranked
                      for area, items in in_district.items() if area is not None for ranked in items}
    rows = []
    for ranked in in_province:
        code = ranked.evaluation.unit_code
        result = by_unit[code]
        if district is not None and result.district != district:
            continue
        local = district_ranks.get(code)
        rows.append(RankedCommune(
            result=result, rank=ranked.rank, tied=ranked.tied,
            district_rank=None if local is None else local.rank, district_tied=local is not None and local.tied,
            criteria_met=sum(1 for c in ranked.evaluation.criteria() if c.ok),
        ))
    if district is not None:
        rows.sort(key=lambda r: r.district_rank or 0)  # stable: the province's order among equals
    return Ranking(overview=overview, rows=rows, district=district)
