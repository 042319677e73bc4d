"""Open data: the published results, whoever asks.

Public data is published data, so nothing here looks at the viewer: only assessments in
the ``published`` state are ever read. Two shapes, both DESIGN.md "Exchange format":

* the long CSV (:func:`write_open_data_csv`), written by
  :func:`smartcommune.exchange.long_csv.write_long_csv` so that ``read_long_csv`` reads it
  back to the stored inputs; extra columns (ignored by readers) give the unit's name, the
  criteria set and ``synthetic`` (``true`` for the rows of a synthetic demo round);
* the evaluation JSON (:func:`write_open_data_json`), one object per commune-year, exactly
  what ``smartcommune evaluate FILE.csv --format json`` prints for that CSV: the same
  engine on the same inputs, in the same order (unit code, then year).

Queries are bounded: one for the assessments (with their rounds and units), one for
their values and one for the synthetic marks, whatever their number.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from typing import IO

from django.db.models import QuerySet

from smartcommune.rounds.access import is_published
from smartcommune.criteria.engine import Evaluation
from smartcommune.demo.selectors import synthetic_round_ids
from smartcommune.exchange.long_csv import REQUIRED_COLUMNS, UnitYear, write_long_csv
from smartcommune.exchange.results import write_json
from smartcommune.rounds.evaluation import evaluations_in_order, inputs_by_assessment
from smartcommune.rounds.models import Assessment, Status
from smartcommune.units.models import Unit

# Extra columns of the open-data CSV, after the six of the exchange format.
EXTRA_COLUMNS = ("unit_name", "criteria_set", "synthetic")


def published_assessments(*, province: Unit | None = None, year: int | None = None) -> QuerySet[Assessment]:
    """Published assessments (of ``province`` and ``year`` when given), with their round
    and unit joined, ordered by unit code then year."""
    assessments = Assessment.objects.filter(status=Status.PUBLISHED, published_at__isnull=False).select_related(
        "round", "unit"
    )
    if province is not None:
        assessments = assessments.filter(round__province=province)
    if year is not None:
        assessments = assessments.filter(round__year=year)
    return assessments.order_by("unit__code", "round__year", "round__criteria_set_code")


def _published(assessments: Iterable[Assessment]) -> list[Assessment]:
    """The published ones only, in the exchange order (unit code, then year).

    Sorted here rather than trusted from the database: ``read_long_csv`` sorts codes as
    Python strings, and a database collation need not agree.
    """
    rows = [a for a in assessments if is_published(a)]
    rows.sort(key=lambda a: (a.unit.code, a.round.year, a.round.criteria_set_code))
    return rows


def open_data_unit_years(assessments: Iterable[Assessment]) -> list[UnitYear]:
    """The stored inputs of the published ``assessments``, one :class:`UnitYear` each,
    ordered by unit code then year (as ``read_long_csv`` returns them)."""
    rows = _published(assessments)
    inputs = inputs_by_assessment([a.pk for a in rows])
    return [UnitYear(a.unit.code, a.round.year, inputs[a.pk]) for a in rows]


def open_data_evaluations(assessments: Iterable[Assessment]) -> list[Evaluation]:
    """The engine's evaluation of each published assessment, in the exchange order."""
    return evaluations_in_order(_published(assessments))


def write_open_data_csv(assessments: Iterable[Assessment], out: IO[str]) -> None:
    """The long CSV of the published ``assessments`` (header only when there are none).

    Written one round at a time, because the unit name and the synthetic mark are given
    per unit code and a code may recur across years; the header is written once.
    """
    rows = _published(assessments)
    inputs = inputs_by_assessment([a.pk for a in rows])
    synthetic = synthetic_round_ids({a.round_id for a in rows})
    by_round: dict[int, list[Assessment]] = defaultdict(list)
    for a in rows:
        by_round[a.round_id].append(a)
    if not rows:
        out.write(",".join((*REQUIRED_COLUMNS, *EXTRA_COLUMNS)) + "\n")
        return
    first = True
    for round_assessments in by_round.values():
        round_ = round_assessments[0].round
        extra = {
            "unit_name": {a.unit.code: a.unit.name for a in round_assessments},
            "criteria_set": {a.unit.code: round_.criteria_set_code for a in round_assessments},
            "synthetic": {a.unit.code: "true" if round_.pk in synthetic else "false" for a in round_assessments},
        }
        unit_years = [UnitYear(a.unit.code, round_.year, inputs[a.pk]) for a in round_assessments]
        buffer = io.StringIO()
        write_long_csv(unit_years, round_.criteria_set, buffer, extra=extra)
        text = buffer.getvalue()
        out.write(text if first else text.split("\n", 1)[1])
        first = False


def write_open_data_json(assessments: Iterable[Assessment], out: IO[str]) -> None:
    """The evaluation JSON of the published ``assessments`` (DESIGN.md's shape)."""
    write_json(open_data_evaluations(assessments), out)
