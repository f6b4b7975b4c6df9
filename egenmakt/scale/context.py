"""What the generators share: the plan, a seeded random source, the regions made so far,
and fast batched inserts."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from faker import Faker

from .plan import Plan

BATCH = 2_000
EMAIL_DOMAIN = f"skala.{settings.DEMO_EMAIL_DOMAIN}"
NAME_POOL = 400

M = TypeVar("M", bound=models.Model)


@dataclass
class LogTarget:
    """A person the access log can be about, and the object read ("whose, what")."""

    person_type_id: int
    person_id: int
    object_type_id: int
    object_id: int
    path: str


@dataclass
class Region:
    """One synthetic region and what its generators made, for the generators after them."""

    index: int
    organisations: dict[str, Any] = field(default_factory=dict)
    staff: dict[str, list[Any]] = field(default_factory=dict)
    # Filled by the generators (``peer`` ...), read by later ones (``audit``).
    log_targets: list[LogTarget] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def org(self, key: str) -> Any:
        return self.organisations[key]

    def people(self, role: str) -> list[Any]:
        return self.staff.get(role, [])


class ScaleContext:
    def __init__(self, plan: Plan, *, seed: int = 1, today: date | None = None) -> None:
        self.plan = plan
        self.seed = seed
        # Seeded on purpose (same seed, same data); nothing here is a secret.
        self.random = random.Random(seed)  # noqa: S311
        self.today = today or timezone.localdate()
        self.regions: list[Region] = []
        self.counts: Counter[str] = Counter()
        # Synthetic people never sign in with a password; bench_logins gives a few one.
        self.unusable_password = make_password(None)
        fake = Faker("sv_SE")
        fake.seed_instance(seed)
        self._first_names = [fake.first_name() for _i in range(NAME_POOL)]
        self._last_names = [fake.last_name() for _i in range(NAME_POOL)]
        self._serial = 0

    # --- random helpers -------------------------------------------------------------

    def name(self) -> str:
        return f"{self.random.choice(self._first_names)} {self.random.choice(self._last_names)}"

    def serial(self) -> int:
        """A number unique within this run, for e-mail addresses and names."""
        self._serial += 1
        return self._serial

    def email(self, prefix: str) -> str:
        return f"{prefix}.{self.seed}.{self.serial()}@{EMAIL_DOMAIN}"

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.random.randint(0, (last - first).days))

    def moment(self, day: date, hour: int | None = None) -> datetime:
        """An aware time on ``day`` during office hours."""
        hour = self.random.randint(8, 17) if hour is None else hour
        minute = self.random.choice((0, 15, 30, 45))
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- inserting ------------------------------------------------------------------

    def insert(self, model: type[M], rows: Iterable[M], *, batch: int = BATCH) -> list[M]:
        """Insert in batches and return the rows with their primary keys."""
        done: list[M] = []
        for chunk in _chunks(rows, batch):
            done.extend(model._default_manager.bulk_create(chunk, batch_size=batch))
        self.counts[model._meta.label] += len(done)
        return done

    def insert_only(self, model: type[M], rows: Iterable[M], *, batch: int = BATCH) -> int:
        """Insert in batches without keeping the rows (for the big tables)."""
        total = 0
        for chunk in _chunks(rows, batch):
            model._default_manager.bulk_create(chunk, batch_size=batch)
            total += len(chunk)
        self.counts[model._meta.label] += total
        return total

    def content_type_id(self, model: type[models.Model]) -> int:
        return ContentType.objects.get_for_model(model).pk


def at(day: date, hour: int) -> datetime:
    """An aware time on ``day`` at ``hour`` o'clock sharp."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


class RegionRun:
    """One generator's pass over one region, shared by the steps it takes in turn: the
    context, the region, the seeded random source and the first day of ten years."""

    def __init__(self, context: ScaleContext, region: Region) -> None:
        self.c = context
        self.r = region
        self.rng = context.random
        self.today = context.today
        self.start = self.today - timedelta(days=365 * context.plan.years)


def _chunks(rows: Iterable[M], size: int) -> Iterator[list[M]]:
    chunk: list[M] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def given_times(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let generated rows keep the times they are given in ``auto_now``/``auto_now_add``
    fields (ten years of history cannot all have happened now). Only for this process's
    bulk inserts; the fields are restored afterwards."""
    saved = []
    for model, name in fields:
        model_field = model._meta.get_field(name)
        saved.append(
            (model_field, model_field.auto_now, model_field.auto_now_add)  # type: ignore[union-attr]
        )
        model_field.auto_now = False  # type: ignore[union-attr]
        model_field.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now = auto_now  # type: ignore[union-attr]
            model_field.auto_now_add = auto_now_add  # type: ignore[union-attr]
