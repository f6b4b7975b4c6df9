"""CACHES from CACHE_URL (read by settings, so nothing here imports the database layer)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Created by the migration core/0001_cache_table on every database, whatever CACHE_URL says,
# so switching between Redis and the database needs no extra command.
CACHE_TABLE = "egenmakt_cache"
# Django culls a third of the entries once the table holds more than MAX_ENTRIES (300 by
# default), which would forget rate-limit counts under a flood of addresses. Expired rows
# go first, so a high ceiling only bounds the table.
MAX_ENTRIES = 100_000
KEY_PREFIX = "egenmakt"


def cache_settings(url: str) -> dict[str, dict[str, Any]]:
    """CACHES for CACHE_URL.

    Empty or ``db://``: the database table (shared by every worker, nothing more to run).
    ``redis://host:6379/0``, ``rediss://`` or ``unix://``: Redis. ``locmem://``: one
    process's memory, for tests only, since workers would each count on their own.
    """
    scheme = urlsplit(url).scheme if url else "db"
    default: dict[str, Any]
    if scheme == "db":
        default = {
            "BACKEND": "egenmakt.core.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    elif scheme in {"redis", "rediss", "unix"}:
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # Fail fast when Redis is away: the request answers 503 instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    elif scheme == "locmem":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL {scheme}:// is not known: use redis://host:6379/0, or leave it empty "
            "for the database cache."
        )
    default["KEY_PREFIX"] = KEY_PREFIX
    return {"default": default}
