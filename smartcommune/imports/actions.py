"""The writes of an import: keep a preview for confirmation, and commit it.

:func:`do_import` is the bulk counterpart of
:func:`~smartcommune.rounds.actions.do_save_values` for many assessments at once, with
the same contract: one transaction; the assessments locked (``SELECT … FOR UPDATE``, in
id order, so concurrent imports cannot deadlock) before anything is decided; the
versions the preview saw checked (any difference refuses everything with
:class:`~smartcommune.imports.exceptions.ImportConflict`, naming each commune); the same
edit rule (``rounds.actions.check_editable``, i.e.
:func:`~smartcommune.rounds.access.editable_criteria`); the values checked again
by the engine; one audit entry per changed field (action "value changed", old and new
value, the file named in the reason) stamped with the assessment's version bumped by
one.  It reads and writes in a bounded number of queries (bulk update and insert)
besides the per-assessment permission check, so a province imports in well under a
second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from smartcommune.rounds import access as permissions
from smartcommune.criteria.engine import CriterionInput, input_problems
from smartcommune.imports.exceptions import ImportConflict
from smartcommune.imports.models import BatchStatus, ImportBatch
from smartcommune.imports.preview import Preview
from smartcommune.rounds.actions import VALUE_FIELDS, check_editable
from smartcommune.rounds.audit import to_json
from smartcommune.rounds.exceptions import IllegalTransition, Problem, ValidationFailed
from smartcommune.rounds.models import Assessment, AuditAction, AuditEntry, CriterionValue, Round
from smartcommune.rounds.selectors import changes_since

@dataclass(frozen=True, slots=True)
class ImportResult:
    assessments: int
    values: int
    audit_entries: int


def do_stage_import(*, actor, round_: Round, preview: Preview) -> ImportBatch:
    """Keep ``preview`` for ``actor`` to confirm (the web's two-step flow)."""
    return ImportBatch.objects.create(
        user=actor,
        round=round_,
        file_name=preview.plan.file_name[-255:],
        kind=preview.plan.kind,
        changes=[list(c) for c in preview.changes()],
        versions={str(pk): v for pk, v in preview.versions.items()},
        preview=preview.as_json(),
    )


def do_discard_import(*, actor, batch: ImportBatch) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, user=actor)
        if batch.status != BatchStatus.PREVIEWED:
            raise IllegalTransition("Lần nhập này đã kết thúc", "this import is already finished")
        batch.status, batch.finished_at = BatchStatus.DISCARDED, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
    return batch


def do_import(
    *,
    actor,
    changes: list[tuple[int, str, dict[str, object]]] | list[list],
    versions: dict[int, int] | dict[str, int],
    file_name: str,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Commit ``changes`` (``(assessment id, criterion code, {field: new value})``, as
    :meth:`Preview.changes` gives them) all or nothing; ``versions`` are the versions
    the preview saw.  ``batch``: the stored preview to mark committed in the same
    transaction."""
    versions = {int(pk): int(v) for pk, v in versions.items()}
    by_assessment: dict[int, dict[str, dict[str, object]]] = defaultdict(dict)
    for pk, code, fields in changes:
        unknown = set(fields) - set(VALUE_FIELDS)
        if unknown:
            raise TypeError(f"{code}: unknown value fields {sorted(unknown)}")
        by_assessment[int(pk)][code] = dict(fields)
    with transaction.atomic():
        if batch is not None:
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != BatchStatus.PREVIEWED:
                raise IllegalTransition("Lần nhập này đã kết thúc (đã nhập hoặc đã huỷ)",
                                        "this import is already finished (committed or discarded)")
        ids = sorted(set(by_assessment) | set(versions))
        locked = {
            a.pk: a
            for a in Assessment.objects.select_for_update(of=("self",))
            .select_related("round", "round__province", "unit", "unit__parent")
            .filter(pk__in=ids).order_by("pk")
        }
        stale = [(locked[pk], versions[pk]) for pk in ids if pk in locked and locked[pk].version != versions.get(pk)]
        if len(locked) != len(ids):
            raise Assessment.DoesNotExist(f"no assessment {sorted(set(ids) - set(locked))}")
        if stale:
            raise ImportConflict(stale, [e for a, v in stale for e in changes_since(a, v)])
        editable = permissions.editable_criteria_many(actor, [locked[pk] for pk in by_assessment])
        for pk, codes in by_assessment.items():
            check_editable(actor, locked[pk], codes, editable[pk])
        rows = {
            (v.assessment_id, v.criterion_code): v
            for v in CriterionValue.objects.filter(assessment_id__in=list(by_assessment))
        }
        now = timezone.now()
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        entries: list[dict[str, object]] = []
        touched: list[CriterionValue] = []
        problems: list[Problem] = []
        reason = f"Nhập từ tệp “{file_name}”"
        criteria = {}
        for pk, codes in by_assessment.items():
            a = locked[pk]
            if a.round.criteria_set_code not in criteria:
                criteria[a.round.criteria_set_code] = {c.code: c for c in a.round.criteria_set.criteria}
            criterion_of = criteria[a.round.criteria_set_code]
            a.version += 1
            for code, fields in codes.items():
                row = rows[pk, code]
                for f, new in fields.items():
                    old = getattr(row, f)
                    if old == new:
                        continue
                    setattr(row, f, new)
                    # The columns of an AuditEntry, as Recorder.note fills them.
                    entries.append({
                        "assessment_id": pk, "version": a.version, "actor_id": actor_id, "at": now,
                        "action": AuditAction.VALUE_CHANGED.value, "criterion_code": code, "field": f,
                        "old_value": to_json(old), "new_value": to_json(new), "reason": reason,
                    })
                for p in input_problems(criterion_of[code], CriterionInput(row.numerator, row.denominator, row.met)):
                    problems.append(Problem(
                        f"{a.unit.name} ({a.unit.code}), năm {a.round.year}, tiêu chí {code}: {p.vi}",
                        f"{a.unit.name} ({a.unit.code}), {a.round.year}, criterion {code}: {p.en}",
                        criterion=code, field=p.column, value=p.value))
                row.updated_by_id, row.updated_at = actor_id, now
                touched.append(row)
        if problems:
            raise ValidationFailed(problems)
        _update_rows(CriterionValue, touched, [*VALUE_FIELDS, "updated_by", "updated_at"])
        _update_rows(Assessment, [locked[pk] for pk in by_assessment], ["version"])
        _insert_rows(AuditEntry, entries)
        if batch is not None:
            batch.status, batch.finished_at = BatchStatus.COMMITTED, now
            batch.save(update_fields=["status", "finished_at"])
    return ImportResult(assessments=len(by_assessment), values=len(entries), audit_entries=len(entries))


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
    """``INSERT`` of ``rows`` (``{attname: value}``), in one statement on PostgreSQL
    (``unnest`` of one array per column) or one prepared statement per row on SQLite;
    the values prepared by each field as ``save`` prepares them.

    Used for the audit entries: building thousands of model instances for ``bulk_create``
    cost more than the rest of a province's import.  The table stays append-only: this
    only inserts.
    """
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
