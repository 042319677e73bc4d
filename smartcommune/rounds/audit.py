"""The one write path of an assessment: change fields, record each change, save once.

A :class:`Recorder` is made by an action for one locked assessment.  ``set`` changes one
field of the assessment or of one of its rows and records an :class:`AuditEntry` with the
old and new values -- exactly one per changed field, none for an unchanged one.
``flush`` saves every touched row, bumps the assessment's version by one (the optimistic
concurrency token) and inserts the entries, all stamped with that new version.

Many writes at once (a batch verification, an import: one recorder per write, of one or
many assessments, several may share an assessment) are flushed together by
:func:`flush_all`, with the same outcome as flushing each in turn but in a bounded number
of statements: one ``UPDATE`` per model touched, one ``INSERT`` of the entries.  The
entries are only ever inserted: the table is append-only (the model refuses changes, the
database's triggers too).

The moment of a write is read once, from ``now`` (a function returning an aware datetime;
``django.utils.timezone.now`` unless given): the actions take it as a keyword argument so
that a caller replaying a scenario (the demo) dates every write with its own clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from smartcommune.rounds.models import Assessment, AuditEntry


def to_json(value: object) -> object:
    """A value as the audit log stores it (JSON): dates ISO, decimals as strings."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def clock(now: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """``now``, or Django's clock when none is given (looked up at call time)."""
    return now if now is not None else timezone.now


class Recorder:
    def __init__(self, assessment: Assessment, actor, *, now: Callable[[], datetime] | None = None):
        self.assessment = assessment
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.at = clock(now)()
        # The columns of each AuditEntry to insert (``version`` set by the flush): plain
        # rows, as building thousands of model instances cost more than a whole import.
        self.entries: list[dict[str, object]] = []
        self._touched: dict[int, tuple[models.Model, set[str]]] = {}

    def set(
        self,
        obj: models.Model,
        field: str,
        new: object,
        *,
        action: str,
        criterion_code: str = "",
        reason: str = "",
    ) -> bool:
        """Set ``obj.field`` to ``new`` and record it; ``False`` (nothing recorded) if unchanged."""
        old = getattr(obj, field)
        if old == new:
            return False
        setattr(obj, field, new)
        self.touch(obj, field)
        self.note(action, criterion_code=criterion_code, field=field, old=old, new=new, reason=reason)
        return True

    def touch(self, obj: models.Model, *fields: str) -> None:
        """Mark fields changed without an audit entry of their own (``updated_by``, …)."""
        key = id(obj)
        self._touched.setdefault(key, (obj, set()))[1].update(fields)

    def note(
        self,
        action: str,
        *,
        criterion_code: str = "",
        field: str = "",
        old: object = None,
        new: object = None,
        reason: str = "",
    ) -> None:
        """Record an event that is not a single field change (evidence added, reopened)."""
        self.entries.append({
            "assessment_id": self.assessment.pk, "version": None, "actor_id": self.actor.pk if self.actor else None,
            "at": self.at, "action": str(action), "criterion_code": criterion_code, "field": field,
            "old_value": to_json(old), "new_value": to_json(new), "reason": reason,
        })

    @property
    def changed(self) -> bool:
        return bool(self.entries)

    def flush(self) -> None:
        """Save touched rows, bump the version, insert the entries; nothing if nothing changed."""
        flush_all([self])


def flush_all(recorders: Sequence[Recorder]) -> None:
    """Flush ``recorders`` in order, each one write of its assessment (a recorder that
    recorded nothing writes nothing): the same rows, versions and entries as calling
    :meth:`Recorder.flush` on each in turn, in one ``UPDATE`` per model touched and one
    ``INSERT``.  The assessments must be locked and their rows read after the lock (as
    every action does): a row is saved with all the fields touched on its model."""
    writes = [r for r in recorders if r.entries]
    if not writes:
        return
    touched: dict[type, tuple[dict[int, models.Model], set[str]]] = {}
    for r in writes:
        r.assessment.version += 1
        for entry in r.entries:
            entry["version"] = r.assessment.version
        r.touch(r.assessment, "version")
        for obj, fields in r._touched.values():
            objs, union = touched.setdefault(type(obj), ({}, set()))
            objs[id(obj)] = obj
            union.update(fields)
    for model, (objs, fields) in touched.items():
        _update_rows(model, list(objs.values()), sorted(fields))
    _insert_rows(AuditEntry, [entry for r in writes for entry in r.entries])


def _prepared(columns, rows, db) -> list[list[object]]:
    """Each column's values, as each field prepares them for ``save`` (column-major)."""
    return [[c.get_db_prep_save(value, db) for value in values] for c, values in zip(columns, zip(*rows))]


def _update_rows(model, objs: list, fields: list[str]) -> None:
    """Save ``fields`` of ``objs`` in one statement (PostgreSQL) or one prepared
    statement run per row (SQLite, in-process), the values prepared by each field as
    ``save`` prepares them.

    Django's ``bulk_update`` writes one ``CASE WHEN id = … THEN …`` per row and field,
    which the databases evaluate row by row: a province's 3,400 rows took seconds.  On
    PostgreSQL the values go as one array per column (``unnest``), so the statement has a
    handful of parameters whatever the number of rows.
    """
    if not objs:
        return
    db = transaction.get_connection()
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(f) for f in fields]
    quote = db.ops.quote_name
    values = _prepared(columns, [[getattr(obj, c.attname) for c in columns] for obj in objs], db)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            arrays = ", ".join(f"%s::{c.db_type(db)}[]" for c in columns)
            names = ", ".join(f"c{i}" for i in range(len(columns)))
            assign = ", ".join(f"{quote(c.column)} = v.c{i}" for i, c in enumerate(columns) if i)
            cursor.execute(f"UPDATE {table} AS t SET {assign} FROM unnest({arrays}) AS v({names}) "
                           f"WHERE t.{pk} = v.c0", values)
        else:
            sql = f"UPDATE {table} SET {', '.join(f'{quote(c.column)} = %s' for c in columns[1:])} WHERE {pk} = %s"
            cursor.executemany(sql, [row[1:] + row[:1] for row in map(list, zip(*values))])


def _insert_rows(model, rows: list[dict[str, object]]) -> None:
    """``INSERT`` of ``rows`` (``{attname: value}``, all with the same keys), in one
    statement on PostgreSQL (``unnest`` of one array per column) or one prepared statement
    per row on SQLite; the values prepared by each field as ``save`` prepares them."""
    if not rows:
        return
    db = transaction.get_connection()
    meta = model._meta
    columns = [meta.get_field(name) for name in rows[0]]
    quote = db.ops.quote_name
    values = _prepared(columns, [list(row.values()) for row in rows], db)
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            arrays = ", ".join(f"%s::{c.db_type(db)}[]" for c in columns)
            cursor.execute(head + f"SELECT * FROM unnest({arrays})", values)
        else:
            cursor.executemany(head + f"VALUES ({', '.join(['%s'] * len(columns))})", list(map(list, zip(*values))))
