"""Audit rows are append-only in the database itself, not only in the ORM.

:class:`~smartcommune.rounds.models.AuditEntry` already refuses ``save()`` of an existing
row, ``delete()``, ``QuerySet.update/delete`` and ``bulk_update``.  That guards the
product's own Python code; these triggers guard everything else that reaches the table
(raw SQL, a plain ``QuerySet``, a database shell): every ``UPDATE`` and every ``DELETE``
of a row of ``rounds_auditentry`` is refused with an integrity error (SQLSTATE 23000 on
PostgreSQL, ``SQLITE_CONSTRAINT`` on SQLite, so Django raises ``IntegrityError`` on both)
whose message says "append-only".  ``INSERT`` stays free: it is the one way to write the
log (``Recorder``, and the import's bulk ``INSERT``).

Nothing in the product updates or deletes audit rows: the assessment they belong to is
``PROTECT``ed (no cascade), users are deactivated, never deleted, the demo never resets
(it builds a new synthetic round), and backups use ``pg_dump``/SQLite's backup API.

Emptying the whole database, as Django's ``flush`` does between transactional tests
(and as an operator's deliberate ``flush`` would), must still work:

* **PostgreSQL**: ``flush`` issues ``TRUNCATE``, and row-level ``DELETE`` triggers do not
  fire on ``TRUNCATE``.  ``TRUNCATE`` needs the table owner's (or an explicit
  ``TRUNCATE``) privilege and empties the whole table at once, so it is an
  administrator's act, not a way to edit the history.  The guard stays real for every
  ``UPDATE`` and ``DELETE``.
* **SQLite** has no ``TRUNCATE``: ``flush`` issues ``DELETE FROM`` each table (in no set
  order), which would fire the trigger.  The ``DELETE`` trigger therefore refuses while
  the one-row table ``rounds_audit_guard`` holds its row ("armed"), which this migration
  inserts.  That table is not a model, so no product code and no ``flush`` touch it;
  removing the row is a deliberate, visible act of someone with write access to the
  file, who could as well drop the trigger.  The test suite's ``flush`` disarms it for
  its own transaction only and re-arms it before committing
  (``tests/support/management/commands/flush.py``).  ``UPDATE`` is refused
  unconditionally.

On SQLite, Django alters a table by rebuilding it, and dropping the old table drops its
triggers: a later migration that alters ``AuditEntry`` must recreate them
(``tests/rounds/test_audit_append_only.py`` fails if they are gone).
"""

from django.db import migrations

MESSAGE = "rounds_auditentry is append-only: audit rows cannot be changed or deleted"

POSTGRESQL = f"""
CREATE FUNCTION rounds_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER rounds_auditentry_no_update BEFORE UPDATE ON rounds_auditentry
    FOR EACH ROW EXECUTE FUNCTION rounds_auditentry_append_only();
CREATE TRIGGER rounds_auditentry_no_delete BEFORE DELETE ON rounds_auditentry
    FOR EACH ROW EXECUTE FUNCTION rounds_auditentry_append_only();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS rounds_auditentry_no_delete ON rounds_auditentry;
DROP TRIGGER IF EXISTS rounds_auditentry_no_update ON rounds_auditentry;
DROP FUNCTION IF EXISTS rounds_auditentry_append_only();
"""

SQLITE = [
    "CREATE TABLE rounds_audit_guard (armed integer NOT NULL PRIMARY KEY CHECK (armed = 1))",
    "INSERT INTO rounds_audit_guard (armed) VALUES (1)",
    f"""CREATE TRIGGER rounds_auditentry_no_update BEFORE UPDATE ON rounds_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refused)'); END""",
    f"""CREATE TRIGGER rounds_auditentry_no_delete BEFORE DELETE ON rounds_auditentry
    WHEN EXISTS (SELECT 1 FROM rounds_audit_guard)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refused)'); END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS rounds_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS rounds_auditentry_no_update",
    "DROP TABLE IF EXISTS rounds_audit_guard",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRESQL, SQLITE)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_REVERSE, SQLITE_REVERSE)


def _run(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)
    else:  # the product supports these two (settings.DATABASES)
        raise NotImplementedError(f"no append-only triggers for the {vendor} database")


class Migration(migrations.Migration):

    dependencies = [
        ("rounds", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
