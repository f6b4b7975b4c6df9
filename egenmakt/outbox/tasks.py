"""Delivery of queued e-mail and text messages through the task queue, with retries."""

from __future__ import annotations

from django_tasks import default_task_backend, task

from . import services


@task()
def deliver_email(email_id: int) -> None:
    email = services.deliver(email_id)
    if email is None or email.next_attempt_at is None:
        return
    # Failed, with attempts left: try again later. Backends that cannot defer (the
    # immediate backend of the tests) leave it to ``send_due_emails``.
    if default_task_backend.supports_defer:
        deliver_email.using(run_after=email.next_attempt_at).enqueue(email_id)


@task()
def deliver_sms(sms_id: int) -> None:
    sms = services.deliver_sms(sms_id)
    if sms is None or sms.next_attempt_at is None:
        return
    if default_task_backend.supports_defer:
        deliver_sms.using(run_after=sms.next_attempt_at).enqueue(sms_id)


@task()
def send_due_emails() -> int:
    """The sweep a scheduler runs: every queued e-mail and text message whose next attempt
    is due. Returns how many were sent."""
    sent = 0
    for email_id in services.due_emails().values_list("pk", flat=True)[:500]:
        email = services.deliver(email_id)
        if email is not None and email.status == "sent":
            sent += 1
    for sms_id in services.due_sms().values_list("pk", flat=True)[:500]:
        sms = services.deliver_sms(sms_id)
        if sms is not None and sms.status == "sent":
            sent += 1
    return sent
