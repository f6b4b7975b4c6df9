"""The audit app's work in the task queue."""

from __future__ import annotations

from django_tasks import task

from . import rights


@task()
def build_personal_export(export_id: int) -> str:
    return rights.build_personal_export_file(export_id)


@task()
def erase_old_personal_exports() -> int:
    """Daily: copies of one's own data are kept for a week, then erased (the row stays)."""
    return rights.erase_old_personal_exports()
