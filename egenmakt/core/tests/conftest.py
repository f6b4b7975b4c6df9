"""Redis for the tests that need it: skipped when it does not answer, required in CI."""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("EGENMAKT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if os.environ.get("EGENMAKT_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here (EGENMAKT_REQUIRE_REDIS=1): {REDIS_URL}: {exc}")
        pytest.skip(f"Redis does not answer on {REDIS_URL} (.ci/run starts one)")
    return REDIS_URL
