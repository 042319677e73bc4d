"""What a backup must give back: every table's rows and every stored file."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from smartcommune.core.backup import storage_files, table_names


def snapshot() -> tuple[dict, dict]:
    """Every table's rows (sorted) and every stored file's bytes."""
    qn = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in table_names():
            cursor.execute(f"SELECT * FROM {qn(table)}")
            tables[table] = sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                                    for row in cursor.fetchall()), key=repr)
    files = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as f:
            files[name] = f.read()
    return tables, files


def wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for name in list(storage_files()):
        default_storage.delete(name)


def assert_same(before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    """Every file and every table's rows equal, naming the first table that differs."""
    assert after[1] == before[1]
    assert after[0].keys() == before[0].keys()
    for table in before[0]:
        assert after[0][table] == before[0][table], table
