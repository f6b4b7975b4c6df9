"""With TASKS_URL naming a Redis, tasks go to Redis (django-tasks-rq) and an RQ worker in
another process runs them: no task waits in one process's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import redis
from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_with_a_tasks_url_tasks_go_through_redis_to_an_rq_worker(redis_url):
    # A database of Redis of its own (not the cache tests' one), emptied before and after.
    url = redis_url.rsplit("/", 1)[0] + "/14"
    redis.Redis.from_url(url).flushdb()
    env = {**os.environ, "TASKS_URL": url}
    env.pop("TASKS_BACKEND", None)
    try:
        _manage(env, "check", "--fail-level", "WARNING")
        a = uuid.uuid4().int % 1000
        enqueued = _manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from egenmakt.core.tests.probe_tasks import add; "
            f"r = add.enqueue({a}, 2); print(type(r.task.get_backend()).__name__, r.id, r.status)",
        )
        backend, result_id, status = enqueued.split()
        assert (backend, status) == ("RQBackend", "READY")
        # Not run yet: it waits in Redis for a worker.
        assert redis.Redis.from_url(url).llen("rq:queue:default") == 1
        _manage(env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
        finished = _manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django_tasks import default_task_backend as b; "
            f"r = b.get_result({result_id!r}); print(r.status, r.return_value)",
        )
        assert finished.split() == ["SUCCESSFUL", str(a + 2)]
    finally:
        redis.Redis.from_url(url).flushdb()


def test_a_tasks_url_that_is_not_redis_is_refused(redis_url):
    env = {**os.environ, "TASKS_URL": "amqp://127.0.0.1:5672/"}
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, "check"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "TASKS_URL must be a Redis URL" in result.stderr
