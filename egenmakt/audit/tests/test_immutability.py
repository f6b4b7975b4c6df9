"""Access-log rows cannot be changed or deleted: not by the ORM, not by raw SQL.

The raw-SQL tests prove the database triggers of migrations 0002 and 0003 and run on both
SQLite and PostgreSQL (``DATABASE_URL=postgres://...``). Only a row older than the five-year
retention time may be deleted, by the retention job.
"""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from egenmakt.audit import testing
from egenmakt.audit.models import AccessLog, Action, AppendOnlyError
from egenmakt.audit.services import log_access


@pytest.fixture
def row(cast):
    return log_access(actor=cast.case_manager, person=cast.peer_supporter, reason="original")


def _raw(sql, params=()):
    # A savepoint, so a refused statement leaves the test's transaction usable (PostgreSQL).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _insert_raw_row(occurred_at):
    """Insert past auto_now_add, as only an import or a clock in the past could."""
    value = connection.ops.adapt_datetimefield_value(occurred_at)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (occurred_at, person_id, object_id, action, outcome,"
            " reason, emergency, path) VALUES (%s, '', '', 'view', 'allowed', 'old', %s, '')",
            [value, False],
        )
    return AccessLog.objects.get(reason="old")


# --- through the app ------------------------------------------------------------------------


def test_saving_an_existing_row_is_refused(row):
    row.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        row.save()
    assert AccessLog.objects.get(pk=row.pk).reason == "original"


def test_deleting_a_row_is_refused(row):
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_queryset_update_is_refused(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.bulk_update([row], ["reason"])


def test_queryset_delete_is_refused(row):
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.filter(pk=row.pk).exists()


# --- in the database --------------------------------------------------------------------------


def test_database_refuses_raw_update(row):
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_accesslog SET reason = 'rewritten' WHERE id = %s", [row.pk])
    assert AccessLog.objects.get(pk=row.pk).reason == "original"


def test_database_refuses_raw_delete_of_a_recent_row(row):
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_database_refuses_delete_of_a_row_just_inside_five_years(cast):
    old = _insert_raw_row(timezone.now() - timedelta(days=5 * 365))
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [old.pk])


def test_database_allows_deleting_a_row_older_than_five_years(cast):
    """Retention (PDL: at least five years) ends; the retention job may then delete."""
    old = _insert_raw_row(timezone.now() - timedelta(days=5 * 366 + 2))
    assert _raw("DELETE FROM audit_accesslog WHERE id = %s", [old.pk]) == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()


def test_database_refuses_emptying_the_table(row):
    statement = "TRUNCATE audit_accesslog" if connection.vendor == "postgresql" else None
    with pytest.raises(DatabaseError):
        _raw(statement or "DELETE FROM audit_accesslog")
    assert AccessLog.objects.filter(pk=row.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
def test_database_refuses_replacing_a_row(row):
    """SQLite's REPLACE deletes the old row without firing DELETE triggers."""
    with pytest.raises(DatabaseError):
        _raw(
            "INSERT OR REPLACE INTO audit_accesslog (id, occurred_at, person_id, object_id,"
            " action, outcome, reason, emergency, path)"
            " VALUES (%s, '2026-01-01 00:00:00', '', '', 'delete', 'allowed', 'forged', 0, '')",
            [row.pk],
        )
    assert AccessLog.objects.get(pk=row.pk).reason == "original"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="upsert syntax checked on PG")
def test_database_refuses_an_upsert_over_a_row(row):
    with pytest.raises(DatabaseError):
        _raw(
            "INSERT INTO audit_accesslog (id, occurred_at, person_id, object_id, action,"
            " outcome, reason, emergency, path)"
            " VALUES (%s, now(), '', '', 'delete', 'allowed', 'forged', false, '')"
            " ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason",
            [row.pk],
        )
    assert AccessLog.objects.get(pk=row.pk).reason == "original"


# --- the test database's flush ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_test_flush_empties_the_log_and_puts_the_triggers_back():
    """pytest-django flushes after transactional and live-server tests; see audit/testing.py."""
    log_access(action=Action.VIEW, reason="before the flush")
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessLog.objects.exists()

    after = log_access(action=Action.VIEW, reason="after the flush")
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [after.pk])
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", [after.pk])


@pytest.mark.django_db(transaction=True)
def test_flush_outside_the_test_run_cannot_empty_the_log():
    """Production's ``manage.py flush`` has no hook: the triggers refuse it, nothing is lost."""
    kept = log_access(action=Action.VIEW, reason="kept")
    hooked = BaseDatabaseOperations.execute_sql_flush
    BaseDatabaseOperations.execute_sql_flush = testing.plain_execute_sql_flush  # type: ignore[method-assign]
    try:
        with pytest.raises(CommandError):
            call_command("flush", interactive=False, verbosity=0)
    finally:
        BaseDatabaseOperations.execute_sql_flush = hooked  # type: ignore[method-assign]
    assert AccessLog.objects.filter(pk=kept.pk).exists()


def test_live_server_tests_can_write_the_log_and_be_flushed(live_server, cast, signed_in):
    """Browser tests run on live_server, whose teardown flushes the append-only table."""
    client = signed_in(cast.case_manager)
    response = client.get("/granskning/logg/")  # Refused, and the refusal is logged.
    assert response.status_code == 403
    assert AccessLog.objects.filter(actor=cast.case_manager, outcome="denied").exists()
    with urllib.request.urlopen(live_server.url + "/healthz") as answer:  # noqa: S310 - local.
        assert answer.status == 200
