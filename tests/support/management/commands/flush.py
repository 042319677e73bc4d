"""``flush`` for the test suite (transactional tests call it between tests).

On SQLite, Django's flush empties each table with ``DELETE FROM``, which the audit
table's append-only trigger refuses while ``rounds_audit_guard`` holds its row.  This
command removes that row, flushes and puts it back, all in one transaction: the audit
table is emptied with the rest of the database and the guard is armed again for the
next test.  PostgreSQL's flush uses ``TRUNCATE``, which the triggers do not see.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

GUARD = "rounds_audit_guard"


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or GUARD not in connection.introspection.table_names():
            return super().handle(**options)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {GUARD}")
            super().handle(**options)
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {GUARD} (armed) VALUES (1)")
