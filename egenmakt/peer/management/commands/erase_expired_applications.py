from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.peer.tasks import erase_expired_applications


class Command(BaseCommand):
    help = (
        "Queue the erasure of applications that did not lead to admission once their round "
        "has been closed for the organisation's retention period (run daily from cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run here instead of queueing.")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            count = erase_expired_applications.call()
            self.stdout.write(f"Erased {count} applications.")
        else:
            erase_expired_applications.enqueue()
            self.stdout.write("Queued the erasure of expired applications.")
