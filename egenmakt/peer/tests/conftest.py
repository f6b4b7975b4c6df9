from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    """The rate limiter counts in the cache; every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()
