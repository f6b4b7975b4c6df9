"""Scheduled work of the access log."""

from __future__ import annotations

from django_tasks import task

from egenmakt.audit import chain


@task()
def purge_access_log() -> int:
    """Daily: remove the log rows older than ACCESS_LOG_RETENTION_YEARS (at least five)."""
    return chain.purge().rows
