from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egenmakt.instruments.services import load_shipped_definitions


class Command(BaseCommand):
    help = (
        "Load every instrument definition shipped in egenmakt/instruments/definitions/ "
        "(idempotent). A changed file of an answered version is refused: raise its version."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = load_shipped_definitions()
        refused = [o for o in outcomes if o.action == "refused"]
        for outcome in outcomes:
            if outcome.action in ("created", "updated"):
                self.stdout.write(f"{outcome.action}: {outcome.key} v{outcome.version}")
        counts = {a: sum(1 for o in outcomes if o.action == a) for a in ("created", "updated")}
        unchanged = sum(1 for o in outcomes if o.action == "unchanged")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Instruments: {counts['created']} created, {counts['updated']} updated, "
                f"{unchanged} unchanged, {len(refused)} refused."
            )
        if refused:
            raise CommandError("\n\n".join(o.message for o in refused))
