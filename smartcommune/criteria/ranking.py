"""Ranking results within an area (a province, a district): a pure function over results.

The order is the outcome's: recognised first, then the level reached (highest first), then
points, then fields met, then criteria met (or not applicable).  Results equal on all five
share a rank, and the next rank skips
as many places ("1, 2, 2, 4": standard competition ranking), so a tie is visible.  Nothing
here imports Django.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from smartcommune.criteria.engine import Evaluation


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    tied: bool
    """Another result of the same area has the same rank."""
    evaluation: Evaluation


def rank_key(evaluation: Evaluation) -> tuple:
    """What ranks a result, greater is better."""
    levels = evaluation.criteria_set.levels
    level = levels.index(evaluation.level) if evaluation.level is not None else -1
    criteria_met = sum(1 for c in evaluation.criteria() if c.ok)
    return (evaluation.smart_commune, level, evaluation.points, evaluation.fields_met, criteria_met)


def rank(evaluations: Iterable[Evaluation]) -> list[Ranked]:
    """The results best first, each with its rank; ties share a rank.  Among equals the
    order is by unit code, then year, so the list is the same on every run."""
    ordered = sorted(evaluations, key=lambda e: (e.unit_code, e.year))
    ordered.sort(key=rank_key, reverse=True)
    keys = [rank_key(e) for e in ordered]
    ranked = []
    for i, e in enumerate(ordered):
        position = i + 1 if i == 0 or keys[i] != keys[i - 1] else ranked[-1].rank
        tied = (i > 0 and keys[i] == keys[i - 1]) or (i + 1 < len(keys) and keys[i] == keys[i + 1])
        ranked.append(Ranked(position, tied, e))
    return ranked


def rank_within(evaluations: Iterable[Evaluation], area: Callable[[Evaluation], Hashable]) -> dict[Hashable, list[Ranked]]:
    """:func:`rank` per area: ``area(evaluation)`` names it (a district code, a province
    code); the caller, which knows the units, supplies it."""
    groups: dict[Hashable, list[Evaluation]] = {}
    for e in evaluations:
        groups.setdefault(area(e), []).append(e)
    return {key: rank(items) for key, items in groups.items()}
