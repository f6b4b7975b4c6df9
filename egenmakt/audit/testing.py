"""Test support: let the test run's database flush empty the append-only access log.

pytest-django empties every table after a transactional test (``transactional_db``,
``live_server``) with Django's ``flush``: ``DELETE FROM`` on SQLite, ``TRUNCATE`` on
PostgreSQL. The access log's triggers rightly refuse both, so the flush would fail.

Instead of a switch in the triggers that production code could also flip, the test run
replaces ``execute_sql_flush`` so that, inside the flush's own transaction, the log's
triggers are set aside, the tables are emptied, and the triggers are put back. DDL is
transactional on both databases, so if anything fails the triggers are never lost. Nothing
here runs outside the test suite: only the root ``conftest.py`` calls
``let_test_flush_empty_access_log``, and the migrations and triggers are the production ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations

TABLE = "audit_accesslog"

plain_execute_sql_flush: Callable[[BaseDatabaseOperations, Iterable[str]], None] = (
    BaseDatabaseOperations.execute_sql_flush
)


def _flush_with_access_log_unlocked(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
    connection: Any = self.connection
    sql_list = list(sql_list)
    if not any(TABLE in sql for sql in sql_list):
        plain_execute_sql_flush(self, sql_list)
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # USER: only our own triggers, not the foreign-key ones.
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            plain_execute_sql_flush(self, sql_list)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            plain_execute_sql_flush(self, sql_list)
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            plain_execute_sql_flush(self, sql_list)


def let_test_flush_empty_access_log() -> None:
    """Install the flush above for this test run (called from the root conftest)."""
    BaseDatabaseOperations.execute_sql_flush = _flush_with_access_log_unlocked  # type: ignore[method-assign]


@contextmanager
def access_log_unlocked() -> Iterator[None]:
    """For tests that play the forger: the log's triggers set aside inside the test's
    transaction, and put back on leaving (DDL is transactional on both databases)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's inserts have foreign-key checks pending, which ALTER TABLE refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)
