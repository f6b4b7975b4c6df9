"""The audit app's work in the task queue."""

from __future__ import annotations

from django_tasks import task

from . import chain, rights


@task()
def purge_access_log() -> int:
    """Daily: remove the log rows older than ACCESS_LOG_RETENTION_YEARS (at least five)."""
    return chain.purge().rows


@task()
def build_personal_export(export_id: int) -> str:
    return rights.build_personal_export_file(export_id)


@task()
def erase_old_personal_exports() -> int:
    """Daily: copies of one's own data are kept for a week, then erased (the row stays)."""
    return rights.erase_old_personal_exports()
