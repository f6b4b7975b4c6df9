from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.coordination.tasks import erase_expired_clients


class Command(BaseCommand):
    help = (
        "Queue the erasure of archived client records whose organisation's retention period "
        "has passed; restricted records are kept (run daily from cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run here instead of queueing.")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            count = erase_expired_clients.call()
            self.stdout.write(f"Erased {count} client records.")
        else:
            erase_expired_clients.enqueue()
            self.stdout.write("Queued the erasure of expired client records.")
