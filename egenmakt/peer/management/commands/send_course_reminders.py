from typing import Any

from django.core.management.base import BaseCommand

from egenmakt.peer.tasks import send_course_reminders


class Command(BaseCommand):
    help = (
        "Queue reminders of tomorrow's course days and homework due in two days to the "
        "participants who asked for them (run daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_course_reminders.call()
        self.stdout.write(f"Reminded {sent} participants.")
