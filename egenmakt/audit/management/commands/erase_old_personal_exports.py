from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.audit.tasks import erase_old_personal_exports


class Command(BaseCommand):
    help = (
        "Erase copies of people's own data older than a week; the rows stay (run daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_old_personal_exports.call()
        self.stdout.write(f"Erased {erased} files.")
