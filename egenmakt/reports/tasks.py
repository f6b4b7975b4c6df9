"""Exports are made here, in the task queue, never in a request."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def build_export(export_id: int) -> str:
    return services.build_export(export_id)


@task()
def erase_old_exports() -> int:
    """Daily: export files are kept for a week, then erased (the row stays as a record)."""
    return services.erase_old_exports()
