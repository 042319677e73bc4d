"""Evaluation results in their exchange shapes: JSON, CSV and a table for people.

The JSON shape is DESIGN.md's and the API serves the same one::

    {"unit_code": "28756", "year": 2024, "fields_met": 8, "fields_required": 7,
     "smart_commune": true, "complete": true,
     "fields": [{"code": "1", "status": "met", "criteria": [
       {"code": "1.1", "status": "met", "ratio": "100.00", "threshold": "100", "gap": 0}]}]}

Nothing here imports Django.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from smartcommune.criteria.engine import NO_POINTS, CriterionResult, Evaluation, ratio_text
from smartcommune.criteria.model import points_text
from smartcommune.criteria.wording import recognised_text, shortfall, verdict_of


def criterion_dict(result: CriterionResult) -> dict[str, Any]:
    return {
        "code": result.criterion.code,
        "status": result.status,
        "ratio": None if result.ratio is None else str(result.ratio),
        "threshold": result.threshold,
        "gap": result.gap,
        "points": result.points_text,
    }


def next_level_dict(evaluation: Evaluation) -> dict[str, Any] | None:
    need = evaluation.next_level
    if need is None:
        return None
    return {
        "code": need.level.code,
        "fields_short": need.fields,
        "points_short": None if need.points is None else points_text(need.points),
        "preconditions": list(need.preconditions),
    }


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    """One commune-year as the JSON object of DESIGN.md (today's keys first, then the
    points, level, eligibility and certainty keys)."""
    return {
        "unit_code": evaluation.unit_code,
        "year": evaluation.year,
        "fields_met": evaluation.fields_met,
        "fields_required": evaluation.fields_required,
        "smart_commune": evaluation.smart_commune,
        "complete": evaluation.complete,
        "fields": [
            {
                "code": f.group.code,
                "status": f.status,
                "criteria": [criterion_dict(c) for c in f.criteria],
                "points": f.points_text,
                "points_max": points_text(f.points_max),
            }
            for f in evaluation.fields
        ],
        "points": evaluation.points_text,
        "points_max": points_text(evaluation.points_max),
        "level": None if evaluation.level is None else evaluation.level.code,
        "next_level": next_level_dict(evaluation),
        "eligible": evaluation.eligible,
        "preconditions": [criterion_dict(c) for c in evaluation.preconditions],
        "outcome_certain": evaluation.outcome_certain,
    }


_TEXT_MEMO_LIMIT = 200_000
"""The most result texts a writer keeps (a national file has about 30,000 distinct)."""


class _TextMemo:
    """The text of each criterion result, made once per result object.

    Results are immutable and the engine hands out the same object for the same inputs
    (its memo), so a national file's 1.2 million criterion results are a few tens of
    thousands of objects: formatting each once is most of what writing costs.  Keyed
    by ``id()``, because hashing a result would hash its criterion; each result is kept
    beside its text, so no other object can take its id while the memo lives.  Past
    :data:`_TEXT_MEMO_LIMIT` entries a text is made each time.  Use as
    ``known(id(r)) or add(r)``.
    """

    def __init__(self, make):
        self.make = make
        self.texts: dict[int, str] = {}
        self.kept: list = []
        self.known = self.texts.get

    def add(self, result) -> str:
        text = self.make(result)
        if len(self.texts) < _TEXT_MEMO_LIMIT:
            self.texts[id(result)] = text
            self.kept.append(result)
        return text


def _threshold(criterion) -> str | None:
    if criterion.ratio is not None:
        return criterion.ratio.threshold_text
    return criterion.count.threshold_text if criterion.count is not None else None


def _criterion_json(result: CriterionResult) -> str:
    """``json.dumps(criterion_dict(result))``, compact, built from its parts."""
    criterion, status, _, hundredths, gap, points = result[:6]
    threshold = _threshold(criterion)
    return (f'{{"code":{_json_str(criterion.code)},"status":"{status}",'
            f'"ratio":{"null" if hundredths is None else _json_str(ratio_text(hundredths))},'
            f'"threshold":{"null" if threshold is None else _json_str(threshold)},'
            f'"gap":{"null" if gap is None else gap},'
            f'"points":{"null" if points is None else _json_str(points_text(points))}}}')


def write_json(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """A JSON list, one object per commune-year, written as it is produced.

    Produces exactly ``json.dumps([evaluation_dict(e), ...])`` (compact, UTF-8
    kept), but from text pieces: each criterion result's text is made once
    (:class:`_TextMemo`) and a field's, a commune-year's from the pieces.  For a
    national file, building and encoding 1.2 million small dicts would cost more
    than the evaluation itself.  The tests hold the two to the same output.
    """
    JSON.write(evaluations, out)


def _json_texts(evaluations: Iterable[Evaluation]) -> Iterator[str]:
    """The objects of :func:`write_json`'s list, each after a line break (the listing's
    joint, a comma, goes between them)."""
    criterion_json = _TextMemo(_criterion_json)
    known, add = criterion_json.known, criterion_json.add
    # Per field code, the parts of its JSON that never change.
    field_parts: dict[str, tuple[str, str]] = {}
    points_max = None

    def field_json(f) -> str:
        group = f.group
        head, most = field_parts.get(group.code) or field_parts.setdefault(
            group.code, (f'{{"code":{_json_str(group.code)},"status":"', _json_str(points_text(group.points_max))))
        criteria = ",".join([known(id(r)) or add(r) for r in f.criteria])
        return f'{head}{f.status}","criteria":[{criteria}],"points":{_points_json(f.points)},"points_max":{most}}}'

    field_memo = _TextMemo(field_json)
    field_known, field_add = field_memo.known, field_memo.add
    for e in evaluations:
        if points_max is None:
            points_max = _json_str(points_text(e.points_max))
        fields = [field_known(id(f)) or field_add(f) for f in e.fields]
        preconditions = ",".join([known(id(r)) or add(r) for r in e.preconditions])
        level = "null" if e.level is None else _json_str(e.level.code)
        next_level = "null" if e.next_level is None else _json_dumps(next_level_dict(e))
        yield (
            f'\n{{"unit_code":{_json_str(e.unit_code)},"year":{e.year},'
            f'"fields_met":{e.fields_met},"fields_required":{e.fields_required},'
            f'"smart_commune":{_JSON_BOOL[e.smart_commune]},"complete":{_JSON_BOOL[e.complete]},'
            f'"fields":[{",".join(fields)}],"points":{_points_json(e.points)},"points_max":{points_max},'
            f'"level":{level},"next_level":{next_level},"eligible":{_JSON_BOOL[e.eligible]},'
            f'"preconditions":[{preconditions}],"outcome_certain":{_JSON_BOOL[e.outcome_certain]}}}')


def _points_json(points) -> str:
    return _ZERO_POINTS if points is NO_POINTS or not points else _json_str(points_text(points))


_ZERO_POINTS = '"0.00"'


def _json_dumps(value) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_str(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``; a plain code (printable ASCII, no quote
    or backslash: nothing JSON escapes) is quoted as it is, without the encoder."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


_JSON_BOOL = {True: "true", False: "false"}


CSV_COLUMNS = (
    "unit_code", "year", "field", "field_status", "criterion", "status", "ratio",
    "threshold", "gap", "fields_met", "fields_required", "smart_commune", "complete",
    "criterion_points", "field_points", "field_points_max", "points", "points_max", "level",
    "eligible", "outcome_certain",
)
"""Today's thirteen columns first, then the points, level, eligibility and certainty."""

_CSV_SPECIAL = frozenset(',"\r\n')


def _csv_cells(*cells) -> str:
    """``cells`` as ``csv.writer`` writes them, each followed by a comma.

    Plain text (nothing the csv module might quote) is joined directly; anything
    else goes through the csv module itself, so its quoting rules hold exactly."""
    texts = [str(c) for c in cells]
    if not any(_CSV_SPECIAL.intersection(t) for t in texts):
        return "".join([t + "," for t in texts])
    buffer = io.StringIO()
    # A trailing empty cell: the csv module quotes a row that is one empty cell.
    csv.writer(buffer, lineterminator="\n").writerow([*texts, ""])
    return buffer.getvalue()[:-1]


def _criterion_csv(result: CriterionResult) -> tuple[str, str]:
    """A criterion's own cells: (criterion … gap, criterion_points), each ending in a comma."""
    criterion, status, _, hundredths, gap, points = result[:6]
    return (_csv_cells(criterion.code, status, "" if hundredths is None else ratio_text(hundredths),
                       _threshold(criterion) or "", "" if gap is None else gap),
            _csv_cells("" if points is None else points_text(points)))


def write_csv(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """One row per commune, year and criterion, with the commune's totals repeated.

    A precondition's row has ``field`` and ``field_status`` empty.  Produces exactly
    what ``csv.writer`` writes for these rows, from pieces made once: a criterion
    result's cells (:class:`_TextMemo`), a field's, a commune-year's totals.
    """
    CSV.write(evaluations, out)


def _csv_texts(evaluations: Iterable[Evaluation]) -> Iterator[str]:
    """The rows of :func:`write_csv` after its header, those of a commune-year in one text."""
    criterion_csv = _TextMemo(_criterion_csv)
    known, add = criterion_csv.known, criterion_csv.add
    pieces: dict[tuple, str] = {}  # repeated cells (statuses, totals, points) → their text

    def piece(*cells) -> str:
        text = pieces.get(cells)
        if text is None:
            text = pieces[cells] = _csv_cells(*cells)
        return text

    field_max: dict[str, str] = {}
    set_max = None
    for e in evaluations:
        if set_max is None:
            set_max = points_text(e.points_max)
        unit = _csv_cells(e.unit_code, e.year)
        totals = piece(e.fields_met, e.fields_required, _bool(e.smart_commune), _bool(e.complete))
        tail = piece(e.points_text, set_max, "" if e.level is None else e.level.code,
                     _bool(e.eligible), _bool(e.outcome_certain))[:-1] + "\n"
        parts = [(",,", ",,", e.preconditions)] if e.preconditions else []
        for f in e.fields:
            code = f.group.code
            most = field_max.get(code) or field_max.setdefault(code, points_text(f.group.points_max))
            parts.append((piece(code, f.status), piece(f.points_text if f.points else "0.00", most), f.criteria))
        rows = []
        for field_cells, field_points, results in parts:
            head, end = unit + field_cells, field_points + tail
            for own, own_points in [known(id(r)) or add(r) for r in results]:
                rows.append(f"{head}{own}{totals}{own_points}{end}")
        yield "".join(rows)


@dataclass(frozen=True)
class Listing:
    """A result format as a head, one text per commune-year joined by a joint, and a tail:
    ``head + joint.join(texts(evaluations)) + tail`` is :meth:`write`'s text.  So the
    texts of a list's commune-years may be made apart (each part of a file by a process of
    its own) and joined in the list's order."""

    head: str
    texts: Callable[[Iterable[Evaluation]], Iterator[str]]
    """The text of each given commune-year, in order."""
    joint: str
    tail: str

    def write(self, evaluations: Iterable[Evaluation], out: IO[str]) -> None:
        out.write(self.head)
        joint = ""
        for text in self.texts(evaluations):
            out.write(joint)
            out.write(text)
            joint = self.joint
        out.write(self.tail)


JSON = Listing("[", _json_texts, ",", "\n]\n")
CSV = Listing(_csv_cells(*CSV_COLUMNS)[:-1] + "\n", _csv_texts, "", "")
LISTINGS = {"json": JSON, "csv": CSV}
"""The formats written as a :class:`Listing` (a table needs every row for its widths)."""


def _bool(value: bool) -> str:
    return "true" if value else "false"


TABLE_HEADER = ("Mã ĐVHC", "Năm", "Lĩnh vực đạt", "Kết quả", "Còn thiếu / chưa đạt")


def _table_header(criteria_set) -> tuple[str, ...]:
    extra = (("Điểm",) if criteria_set.scores else ()) + (("Mức",) if criteria_set.levels else ())
    return (*TABLE_HEADER[:3], *extra, *TABLE_HEADER[3:])


def table_rows(evaluations: Iterable[Evaluation]) -> list[tuple[str, ...]]:
    """One row per commune-year; a set that scores points adds "Điểm" (``"26,67/100,00"``:
    the table is Vietnamese words, with the decimal comma) and one with levels "Mức", after
    the fields met."""
    rows = []
    for e in evaluations:
        s = e.criteria_set
        bar = s.pass_rule.points_at_least
        points = f"{points_text(e.points, ',')}/{points_text(e.points_max, ',')}" + (
            "" if bar is None else f" (cần {points_text(bar, ',')})")
        extra = ((points,) if s.scores else ()) + ((e.level.name if e.level else "—",) if s.levels else ())
        fields = f"{e.fields_met}/{len(e.fields)}" + ("" if bar is not None else f" (cần {e.fields_required})")
        rows.append((e.unit_code, str(e.year), fields, *extra, verdict_of(e), shortfall(e)))
    return rows


def write_table(evaluations: Iterable[Evaluation], out: IO[str]) -> None:
    """An aligned plain-text table, one line per commune-year, then a count in the words
    of the set ("…, 12 đạt xã thông minh.")."""
    evaluations = list(evaluations)
    rows = table_rows(evaluations)
    header = _table_header(evaluations[0].criteria_set) if evaluations else TABLE_HEADER
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] + "\n")
    recognised = sum(1 for e in evaluations if e.smart_commune)
    name = evaluations[0].criteria_set.recognition_name if evaluations else ""
    what = recognised_text(name).lower()
    out.write(f"\n{len(rows)} xã-năm, {recognised} {what}.\n")
