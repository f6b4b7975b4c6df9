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


@task()
def recompute_stored_figures(ended_within_days: int | None = None) -> int:
    """Nightly: closed periods' stored figures computed again (those that ended within the
    given days, or all), so entries made after a period closed reach them."""
    from django.utils import timezone

    from . import stored

    return stored.recompute(timezone.localdate(), ended_within_days=ended_within_days)
