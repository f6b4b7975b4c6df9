"""Scheduled work of recruitment."""

from __future__ import annotations

from django_tasks import task

from egenmakt.peer.services import retention


@task()
def erase_expired_applications() -> int:
    """Daily: erase applications that did not lead to admission, past their retention."""
    return retention.erase_expired_applications()


@task()
def send_course_reminders() -> int:
    """Daily: reminders the participants asked for."""
    from egenmakt.peer.services import course as course_services

    return course_services.send_course_reminders()
