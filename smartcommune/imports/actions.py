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
one, through one :class:`~smartcommune.rounds.audit.Recorder` per assessment flushed
together (:func:`~smartcommune.rounds.audit.flush_all`: one bulk update per model, one
insert of the entries).  It reads and writes in a bounded number of queries besides the
per-assessment permission check, so a province imports in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from smartcommune.rounds import access as permissions
from smartcommune.criteria.engine import CriterionInput, input_problems
from smartcommune.imports.exceptions import ImportConflict
from smartcommune.imports.models import BatchStatus, ImportBatch
from smartcommune.imports.preview import Preview
from smartcommune.rounds.actions import VALUE_FIELDS, check_editable, refuse_fed, set_values
from smartcommune.rounds.audit import Recorder, clock, flush_all
from smartcommune.rounds.exceptions import IllegalTransition, Problem, ValidationFailed
from smartcommune.rounds.models import Assessment, CriterionValue, Round, criterion_of_slot
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


def do_discard_import(*, actor, batch: ImportBatch, now=None) -> ImportBatch:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, user=actor)
        if batch.status != BatchStatus.PREVIEWED:
            raise IllegalTransition("Lần nhập này đã kết thúc", "this import is already finished")
        batch.status, batch.finished_at = BatchStatus.DISCARDED, clock(now)()
        batch.save(update_fields=["status", "finished_at"])
    return batch


def do_import(
    *,
    actor,
    changes: list[tuple[int, str, dict[str, object]]] | list[list],
    versions: dict[int, int] | dict[str, int],
    file_name: str,
    batch: ImportBatch | None = None,
    now=None,
) -> ImportResult:
    """Commit ``changes`` (``(assessment id, criterion code, {field: new value})``, as
    :meth:`Preview.changes` gives them) all or nothing; ``versions`` are the versions
    the preview saw.  ``batch``: the stored preview to mark committed in the same
    transaction.  ``now``: the clock of the write (see :mod:`smartcommune.rounds.actions`)."""
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
        refuse_fed(rows[pk, criterion_of_slot(code)] for pk, codes in by_assessment.items() for code in codes)
        problems: list[Problem] = []
        recorders: list[Recorder] = []
        reason = f"Nhập từ tệp “{file_name}”"
        criteria = {}
        at = clock(now)()
        for pk, codes in by_assessment.items():
            a = locked[pk]
            if a.round.criteria_set_code not in criteria:
                criteria[a.round.criteria_set_code] = {s.code: s for s in a.round.criteria_set.slots}
            slot_of = criteria[a.round.criteria_set_code]
            audit = Recorder(a, actor, now=lambda: at)
            recorders.append(audit)
            for code, fields in codes.items():
                row = rows[pk, criterion_of_slot(code)]
                set_values(audit, row, code, fields, reason=reason)
                given = row.given(code)
                for p in input_problems(slot_of[code], CriterionInput(given["numerator"], given["denominator"],
                                                                      given["met"], given["count"], given["choice"])):
                    problems.append(Problem(
                        f"{a.unit.name} ({a.unit.code}), năm {a.round.year}, tiêu chí {code}: {p.vi}",
                        f"{a.unit.name} ({a.unit.code}), {a.round.year}, criterion {code}: {p.en}",
                        criterion=code, field=p.column, value=p.value))
        if problems:
            raise ValidationFailed(problems)
        flush_all(recorders)
        if batch is not None:
            batch.status, batch.finished_at = BatchStatus.COMMITTED, at
            batch.save(update_fields=["status", "finished_at"])
    written = sum(len(r.entries) for r in recorders)
    return ImportResult(assessments=len(by_assessment), values=written, audit_entries=written)
