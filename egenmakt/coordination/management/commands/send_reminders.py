from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.coordination.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the day's reminders of coordination (meetings, the ORS, measures of the plan, "
        "the case managers' alerts), each once per occasion (run daily from cron)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="The day to run for (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, date: date | None = None, **options: Any) -> None:
        count = send_reminders(today=date)
        self.stdout.write(f"Sent {count} reminders.")
