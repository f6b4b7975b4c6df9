"""Scale data for the access log: ten years of reads and changes by each region's staff
of the people the other generators made (applicants, course participants, peer supporters).

Rows are inserted in time order, as the app writes them, so ids and times grow together.
Inserting is all the append-only log allows, and all this does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.scale.context import ScaleContext, given_times

BATCH = 5_000
ACTIONS = [(Action.VIEW, 0.85), (Action.CHANGE, 0.10), (Action.CREATE, 0.04), (Action.EXPORT, 0.01)]


def generate(context: ScaleContext) -> None:
    with given_times((AccessLog, "occurred_at")):
        context.insert_only(AccessLog, _rows(context), batch=BATCH)


def _rows(c: ScaleContext) -> Iterator[AccessLog]:
    rng = c.random
    regions = [r for r in c.regions if r.log_targets]
    if not regions:
        return
    actors = {
        r.index: [
            u.pk for role, users in r.staff.items() if role != Role.WORKPLACE_MANAGER for u in users
        ]
        for r in regions
    }
    total = c.plan.access_log_rows
    first = timezone.make_aware(
        datetime.combine(c.today - timedelta(days=365 * c.plan.years), time(0))
    )
    span = (timezone.now() - first).total_seconds()
    actions = [a for a, _w in ACTIONS]
    weights = [w for _a, w in ACTIONS]
    for k in range(total):
        region = rng.choice(regions)
        target = rng.choice(region.log_targets)
        denied = rng.random() < 0.01
        yield AccessLog(
            occurred_at=first + timedelta(seconds=span * (k + rng.random()) / total),
            actor_id=rng.choice(actors[region.index]),
            person_type_id=target.person_type_id,
            person_id=str(target.person_id),
            object_type_id=target.object_type_id,
            object_id=str(target.object_id),
            action=rng.choices(actions, weights)[0],
            outcome=Outcome.DENIED if denied else Outcome.ALLOWED,
            organisation_id=region.org("network").pk if rng.random() < 0.2 else None,
            path=target.path,
            ip_address=f"10.{region.index % 256}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        )
