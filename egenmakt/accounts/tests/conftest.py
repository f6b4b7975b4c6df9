from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """The rate limits count in the cache: each test starts with none used.

    The cache is a database table, so only tests that use the database can touch it (and
    need to: the others count nothing)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "cast"} & set(request.fixturenames)
    )
    if uses_db:
        # Open the database first: autouse fixtures run before the test's own db fixture.
        transactional = "transactional_db" in request.fixturenames
        request.getfixturevalue("transactional_db" if transactional else "db")
        cache.clear()
    yield
    if uses_db:
        cache.clear()
