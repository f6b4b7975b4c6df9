from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from egenmakt.audit.chain import retention_years
from egenmakt.audit.tasks import purge_access_log


class Command(BaseCommand):
    help = (
        "Queue the removal of access-log rows older than ACCESS_LOG_RETENTION_YEARS (at least"
        " five; run daily from cron). The only way log rows are deleted."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Run here instead of queueing.")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        try:
            retention_years()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if now:
            count = purge_access_log.call()
            self.stdout.write(f"Removed {count} access-log rows.")
        else:
            purge_access_log.enqueue()
            self.stdout.write("Queued the removal of expired access-log rows.")
