"""The one write path of an assessment: change fields, record each change, save once.

A :class:`Recorder` is made by an action for one locked assessment.  ``set`` changes one
field of the assessment or of one of its rows and records an :class:`AuditEntry` with the
old and new values -- exactly one per changed field, none for an unchanged one.
``flush`` saves every touched row, bumps the assessment's version by one (the optimistic
concurrency token) and inserts the entries, all stamped with that new version.

The moment of a write is read once, from ``now`` (a function returning an aware datetime;
``django.utils.timezone.now`` unless given): the actions take it as a keyword argument so
that a caller replaying a scenario (the demo) dates every write with its own clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db import models
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
        self.entries: list[AuditEntry] = []
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
        self.entries.append(
            AuditEntry(
                assessment=self.assessment,
                actor=self.actor,
                at=self.at,
                action=action,
                criterion_code=criterion_code,
                field=field,
                old_value=to_json(old),
                new_value=to_json(new),
                reason=reason,
            )
        )

    @property
    def changed(self) -> bool:
        return bool(self.entries)

    def flush(self) -> None:
        """Save touched rows, bump the version, insert the entries; nothing if nothing changed."""
        if not self.entries:
            return
        assessment = self.assessment
        for obj, fields in self._touched.values():
            if obj is not assessment:
                obj.save(update_fields=sorted(fields))
        assessment.version += 1
        fields = self._touched.get(id(assessment), (None, set()))[1]
        assessment.save(update_fields=sorted(fields | {"version"}))
        for entry in self.entries:
            entry.version = assessment.version
        AuditEntry.objects.bulk_create(self.entries)
