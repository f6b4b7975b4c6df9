from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egenmakt.reports.tasks import recompute_stored_figures


class Command(BaseCommand):
    help = (
        "Compute the stored figures of closed periods (quarters' indicators, the programme "
        "report's months) again and save what changed. Run nightly from cron with "
        "--ended-within-days 120, so entries made after a period closed reach its figures; "
        "without it every stored period is computed again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ended-within-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        changed = recompute_stored_figures.call(options["ended_within_days"])
        self.stdout.write(f"Recomputed stored figures: {changed} changed.")
