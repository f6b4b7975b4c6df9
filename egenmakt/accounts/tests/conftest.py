from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """The rate limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
