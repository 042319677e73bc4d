"""Reads of the demo's marks, for everything that must label synthetic data as such."""

from __future__ import annotations

from collections.abc import Iterable

from smartcommune.demo.models import SyntheticRound


def synthetic_round_ids(rounds: Iterable[object]) -> set[int]:
    """Which of ``rounds`` (rounds or round ids) hold synthetic demo data, in one query."""
    ids = {r if isinstance(r, int) else r.pk for r in rounds}
    return set(SyntheticRound.objects.filter(round_id__in=ids).values_list("round_id", flat=True))
