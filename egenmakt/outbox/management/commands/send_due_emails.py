from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.outbox.tasks import send_due_emails


class Command(BaseCommand):
    help = (
        "Send every queued e-mail and text message whose next attempt is due "
        "(run every few minutes from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_emails.call()
        self.stdout.write(f"Sent {sent} e-mails and text messages.")
