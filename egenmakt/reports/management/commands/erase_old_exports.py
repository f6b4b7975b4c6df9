from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.reports.tasks import erase_old_exports


class Command(BaseCommand):
    help = "Erase export files older than a week; the export rows stay (run daily from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_old_exports.call()
        self.stdout.write(f"Erased {erased} export files.")
