"""Scheduled work of coordination."""

from __future__ import annotations

from django_tasks import task

from egenmakt.coordination.services import retention


@task()
def erase_expired_clients() -> int:
    """Daily: erase archived records whose organisation's retention period has passed."""
    return retention.erase_expired_clients()
