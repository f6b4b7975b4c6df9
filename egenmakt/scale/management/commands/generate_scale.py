from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from egenmakt.scale.accounts import AlreadyGeneratedError
from egenmakt.scale.context import ScaleContext
from egenmakt.scale.plan import ANSWERS_PER_CLIENT, Plan
from egenmakt.scale.registry import generators


class Command(BaseCommand):
    help = (
        "Fill a fresh database with synthetic data for N clients: ten years of a region's "
        "work per 10,000 clients (see egenmakt/scale). For benchmarks, never production."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, required=True, help="Size, in clients.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--answers-per-client",
            type=int,
            default=ANSWERS_PER_CLIENT,
            help="Worksheet items answered per client in coordination, on average "
            f"(default {ANSWERS_PER_CLIENT}: a million for 10,000 clients).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = Plan.for_clients(
                options["clients"], answers_per_client=options["answers_per_client"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        context = ScaleContext(plan, seed=options["seed"])
        self.stdout.write(
            f"Generating {plan.clients} clients: {plan.regions} region(s) of "
            f"{plan.share:.3f} x 10,000 clients, {plan.years} years each"
        )
        started = time.monotonic()
        try:
            with transaction.atomic():
                for generator in generators():
                    step = time.monotonic()
                    generator.run(context)
                    self.stdout.write(f"  {generator.name:<12} {time.monotonic() - step:7.1f} s")
        except AlreadyGeneratedError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in sorted(context.counts.items()):
            self.stdout.write(f"  {label:<32} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.1f} s, "
                f"{sum(context.counts.values()):,} rows."
            )
        )
