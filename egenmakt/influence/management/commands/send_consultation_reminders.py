from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.influence.consultation_services import send_consultation_reminders


class Command(BaseCommand):
    help = (
        "Remind the organisations asked in a consultation (remiss) that have not answered, "
        "three days before its deadline, once per organisation (run daily from cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="The day to run for (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, date: date | None = None, **options: Any) -> None:
        count = send_consultation_reminders(today=date)
        self.stdout.write(f"Reminded {count} organisations.")
