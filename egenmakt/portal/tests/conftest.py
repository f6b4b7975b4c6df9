from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
