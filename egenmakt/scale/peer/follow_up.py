"""Follow-up: reunions and further training, and who was invited to them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.peer.models import FollowUpEvent, FollowUpInvitation
from egenmakt.scale.context import at
from egenmakt.scale.plan import FOLLOW_UP_EVENTS_PER_YEAR

from .run import PeerRun


def events(run: PeerRun) -> None:
    c, r = run.c, run.r
    coordinator = r.people(Role.COORDINATOR)[0]
    per_year = c.plan.scaled(FOLLOW_UP_EVENTS_PER_YEAR)
    events = []
    for year in range(c.plan.years):
        for n in range(per_year):
            day = run.start + timedelta(days=365 * year + (n + 1) * 365 // (per_year + 1))
            if day > run.today + timedelta(days=60):
                continue
            events.append(
                FollowUpEvent(
                    network=r.org("network"),
                    kind="reunion" if n % 2 == 0 else "further_training",
                    title="Återträff" if n % 2 == 0 else "Fortbildning",
                    starts_at=at(day, 13),
                    ends_at=at(day, 16),
                    place="Träffpunkten",
                    created_by=coordinator,
                )
            )
    events = c.insert(FollowUpEvent, events)
    working: dict[int, list[tuple[date, date | None]]] = {}
    for p in run.state.placements:
        working.setdefault(p.peer_supporter_id, []).append((p.starts_on, p.ends_on))
    invitations = []
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        past = day < run.today
        for graduate in run.state.graduates:
            if graduate.completed > day:
                continue
            jobs = working.get(graduate.user_id, [])
            invitations.append(
                FollowUpInvitation(
                    event=event,
                    peer_supporter_id=graduate.user_id,
                    was_working=any(s <= day and (e is None or e >= day) for s, e in jobs),
                    attended=c.chance(0.5) if past else None,
                )
            )
    c.insert_only(FollowUpInvitation, invitations)
