"""The shared cache the rate limits count in: the database table, or Redis (finding 5)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory, override_settings
from django_ratelimit.core import get_usage

from egenmakt.core.cache import DatabaseCache
from egenmakt.core.cache_config import CACHE_TABLE, cache_settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (row locks, transactional DDL)"
)


def test_rate_limits_count_in_a_cache_every_worker_shares():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "egenmakt.core.cache.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] == CACHE_TABLE


def test_django_ratelimit_is_installed_and_its_check_finds_no_error():
    assert apps.is_installed("django_ratelimit")
    problems = run_checks(tags=["caches"])
    assert [p for p in problems if p.is_serious()] == []
    # The one warning, "not officially supported", is silenced with its reason in settings.
    assert {p.id for p in problems} <= set(settings.SILENCED_SYSTEM_CHECKS)


def test_the_check_still_refuses_a_cache_that_workers_do_not_share():
    with override_settings(CACHES=cache_settings("locmem://")):
        ids = {p.id for p in run_checks(tags=["caches"])}
    assert "django_ratelimit.E003" in ids


def test_an_unknown_cache_url_is_refused_at_start():
    env = {**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211"}
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, "check"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "CACHE_URL memcached:// is not known" in result.stderr


@pytest.mark.django_db
def test_the_cache_table_exists_on_a_freshly_migrated_database():
    assert CACHE_TABLE in connection.introspection.table_names()
    cache.set("greeting", "hej", 60)
    assert cache.get("greeting") == "hej"
    cache.add("count", 1, 60)
    assert cache.incr("count") == 2
    assert cache.incr("count", 5) == 7


@pytest.mark.django_db
def test_an_expired_count_is_not_incremented():
    cache.set("old", 3, -1)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("old")


@on_postgres
@pytest.mark.django_db
def test_the_cache_table_migration_is_reversible():
    migration = import_module("egenmakt.core.migrations.0001_cache_table")
    with connection.schema_editor() as editor:
        migration.drop_cache_table(None, editor)
    assert CACHE_TABLE not in connection.introspection.table_names()
    with connection.schema_editor() as editor:
        migration.create_cache_table(None, editor)
    assert CACHE_TABLE in connection.introspection.table_names()


@on_postgres
@pytest.mark.django_db
def test_database_cache_increments_do_not_lose_counts_when_made_at_once():
    """Django's own DatabaseCache reads and writes back, so concurrent counts get lost."""
    key = f"concurrent-{os.getpid()}"
    threads, per_thread = 6, 20
    start = threading.Barrier(threads)

    def count() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                if not caches["default"].add(key, 1, 60):
                    caches["default"].incr(key)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    # The threads committed on their own connections; read and clean up on a fresh one.
    result = caches["default"]
    assert isinstance(result, DatabaseCache)
    total = _committed_value(key)
    assert total == threads * per_thread


def _committed_value(key: str) -> int:
    value: list[int] = []

    def read() -> None:
        try:
            value.append(caches["default"].get(key))
            caches["default"].delete(key)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=30)
    return value[0]


def test_with_a_redis_url_the_app_uses_redis(redis_url):
    env = {**os.environ, "CACHE_URL": redis_url}
    code = (
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.set('probe', 41, 10); print(type(cache).__module__, cache.incr('probe')); "
        "cache.delete('probe')"
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, "shell", "--no-imports", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis", "42"]


def test_rate_limits_count_in_redis(redis_url):
    with override_settings(CACHES=cache_settings(redis_url)):
        request = RequestFactory().post("/", REMOTE_ADDR="2001:db8:1e::7")
        group = f"test.redis.{os.getpid()}"
        usages = [
            get_usage(request, group=group, key="ip", rate="3/m", increment=True) for _ in range(4)
        ]
        assert [u["should_limit"] for u in usages] == [False, False, False, True]
        assert type(caches["default"]).__module__ == "django.core.cache.backends.redis"
        call_command("check", fail_level="WARNING", tags=["caches"], verbosity=0)
