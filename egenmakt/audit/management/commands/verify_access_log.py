from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egenmakt.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Check the access log's hash chains (run daily from cron): prints 'ok, N rows in M"
        " chains', or names the first row that breaks a chain and exits with status 1."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", type=date.fromisoformat, help="First UTC day (YYYY-MM-DD).")
        parser.add_argument("--until", type=date.fromisoformat, help="Last UTC day (YYYY-MM-DD).")

    def handle(
        self, *args: Any, since: date | None = None, until: date | None = None, **options: Any
    ) -> None:
        result = verify(since=since, until=until)
        if result.broken is not None:
            raise CommandError(f"broken: {result.broken}")
        unsealed = f"; {result.unsealed} earlier rows without a seal" if result.unsealed else ""
        self.stdout.write(f"ok, {result.rows} rows in {result.chains} chains{unsealed}")
