"""The audit log is append-only in the database itself (migration rounds/0002): UPDATE and
DELETE are refused by triggers on PostgreSQL and SQLite, whatever path reaches the table."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction

from smartcommune.rounds.actions import do_save_values
from smartcommune.rounds.models import AuditEntry
from tests.rounds.fixtures import assessment_of

TABLE = AuditEntry._meta.db_table


def an_entry(world, round_bt, met=True) -> AuditEntry:
    a = assessment_of(round_bt, world.a)
    do_save_values(actor=world.officer_a, assessment=a, expected_version=a.version, values={"1.3": {"met": met}})
    return AuditEntry.objects.filter(assessment=a).last()


def refused(attempt) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        attempt()


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_an_audit_row(world, round_bt):
    entry = an_entry(world, round_bt)
    before = AuditEntry.objects.filter(pk=entry.pk).values().get()
    # The ORM without the model's own guard (a plain QuerySet), then raw SQL.
    plain = models.QuerySet(model=AuditEntry).filter(pk=entry.pk)
    refused(lambda: plain.update(reason="sửa lén"))
    refused(lambda: plain.delete())
    refused(lambda: plain._raw_delete(connection.alias))
    refused(lambda: raw("UPDATE {table} SET new_value = NULL WHERE id = %s", [entry.pk]))
    refused(lambda: raw("UPDATE {table} SET reason = %s", ["tất cả"]))
    refused(lambda: raw("DELETE FROM {table} WHERE id = %s", [entry.pk]))
    refused(lambda: raw("DELETE FROM {table}", []))
    assert AuditEntry.objects.filter(pk=entry.pk).values().get() == before
    # Appending is what the log is for.
    count = AuditEntry.objects.count()
    an_entry(world, round_bt, met=False)
    assert AuditEntry.objects.count() > count


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_works_and_the_guard_stays(world, round_bt):
    """Transactional tests end with Django's flush (TRUNCATE on PostgreSQL, DELETE FROM on
    SQLite, with the guard lifted for that transaction only by tests/support)."""
    an_entry(world, round_bt)
    call_command("flush", verbosity=0, interactive=False)
    assert not AuditEntry.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT armed FROM rounds_audit_guard")
            assert cursor.fetchall() == [(1,)]
