"""Workplaces (task descriptions, agreements, training, readiness) and the placements of
peer supporters in them, with their sick leave and fidelity reviews."""

from __future__ import annotations

from datetime import date, timedelta

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    CollaborationAgreement,
    PeerWorkplace,
    Placement,
    PlacementEvent,
    SickLeave,
    TaskDescription,
    WorkplaceTraining,
)
from egenmakt.peer.services.placement import TASK_POINTS
from egenmakt.scale.accounts import staff_user
from egenmakt.scale.answers import response_row
from egenmakt.scale.context import LogTarget

from .run import PeerRun


def workplaces(run: PeerRun) -> None:
    c, r = run.c, run.r
    units = []
    for n in range(c.plan.workplaces):
        parent = r.org("clinic") if n % 2 == 0 else r.org("social_psychiatry")
        kind = "Öppenvårdsteam" if n % 2 == 0 else "Boendestöd"
        units.append(
            Organisation.objects.create(
                name=f"{kind} Skala {r.index}:{n + 1}",
                kind=OrganisationKind.WORKPLACE,
                parent=parent,
            )
        )
    c.counts[Organisation._meta.label] += len(units)
    managers = c.insert(User, [staff_user(c, "arbetsplatschef") for _u in units])
    r.staff[Role.WORKPLACE_MANAGER] = managers
    c.insert(
        Membership,
        [
            Membership(user=m, organisation=u, role=Role.WORKPLACE_MANAGER)
            for m, u in zip(managers, units, strict=True)
        ],
    )
    coordinator = r.people(Role.COORDINATOR)[0]
    workplaces = c.insert(
        PeerWorkplace,
        [
            PeerWorkplace(workplace=u, network=r.org("network"), registered_by=coordinator)
            for u in units
        ],
    )
    run.state.workplaces = workplaces
    agreed, trainings, agreements, readiness = [], [], [], []
    for n, (workplace, manager) in enumerate(zip(workplaces, managers, strict=True)):
        since = run.c.day_between(run.start, run.start + timedelta(days=3 * 365))
        ready = n % 10 != 9  # one in ten is still missing its agreement
        agreed.append(
            TaskDescription(
                workplace=workplace,
                agreed_items=[key for key, _kind in TASK_POINTS],
                record_keeping=run.rng.choice(["writes", "does_not"]),
                agreed_by_workplace=manager,
                agreed_by_peers="Peer supportrarna",
                agreed_on=since,
            )
        )
        if ready:
            agreements.append(
                CollaborationAgreement(
                    workplace=workplace,
                    parties=f"Brukarnätverket och {workplace.workplace.name}",
                    valid_from=since,
                    signed_on=since,
                    recorded_by=coordinator,
                )
            )
        for days, theme in ((30, "Vad är peer support?"), (15, "Att ta emot peer supportrar")):
            trainings.append(
                WorkplaceTraining(
                    workplace=workplace,
                    audience="staff",
                    day=since - timedelta(days=days),
                    theme=theme,
                    attended=run.rng.randint(6, 25),
                    recorded_by=manager,
                )
            )
        readiness.append(
            response_row(
                run.pools["readiness"],
                run.rng,
                subject_type_id=run.ct[PeerWorkplace],
                subject_id=workplace.pk,
                entered_by_id=manager.pk,
                answered_on=since,
            )
        )
    c.insert(TaskDescription, agreed)
    c.insert(CollaborationAgreement, agreements)
    c.insert(WorkplaceTraining, trainings)
    c.insert_only(Response, readiness)


def placements(run: PeerRun) -> None:
    c, r = run.c, run.r
    coordinator = r.people(Role.COORDINATOR)[0]
    rows = []
    for graduate in run.state.graduates:
        if not c.chance(0.75):
            continue
        starts = graduate.completed + timedelta(days=run.rng.randint(14, 150))
        if starts > run.today:
            continue
        ends: date | None = starts + timedelta(days=run.rng.randint(180, 2500))
        if ends is not None and ends >= run.today:
            ends = None
        rows.append(
            Placement(
                peer_supporter_id=graduate.user_id,
                workplace=run.rng.choice(run.state.workplaces),
                starts_on=starts,
                ends_on=ends,
                end_reason="Gick vidare till annat arbete." if ends else "",
                employer=run.rng.choice(["user_organisation", "workplace"]),
                share_percent=run.rng.choice([50, 50, 75, 100]),
                contact_person="Enhetschefen",
                supervisor=run.rng.choice(r.people(Role.SUPERVISOR)),
                created_by=coordinator,
            )
        )
    placements = c.insert(Placement, rows)
    run.state.placements = placements
    events, sick, reviews = [], [], []
    for p in placements:
        events.append(PlacementEvent(placement=p, kind="started", by=coordinator))
        last = p.ends_on or run.today
        if p.ends_on:
            events.append(
                PlacementEvent(placement=p, kind="ended", note=p.end_reason, by=coordinator)
            )
        for year_start in range(0, (last - p.starts_on).days, 365):
            if c.chance(0.6):
                first = p.starts_on + timedelta(days=year_start + run.rng.randint(0, 300))
                if first < last:
                    days = run.rng.randint(1, 14)
                    sick.append(
                        SickLeave(
                            placement=p,
                            starts_on=first,
                            ends_on=min(first + timedelta(days=days - 1), last),
                            recorded_by=coordinator,
                        )
                    )
        review = p.starts_on + timedelta(days=90)
        while review <= last:
            reviews.append(
                response_row(
                    run.pools["fidelity"],
                    run.rng,
                    subject_type_id=run.ct[Placement],
                    subject_id=p.pk,
                    entered_by_id=coordinator.pk,
                    answered_on=review,
                )
            )
            review += timedelta(days=182)
        r.log_targets.append(
            LogTarget(
                run.ct[User],
                p.peer_supporter_id,
                run.ct[Placement],
                p.pk,
                f"/peer/placeringar/{p.pk}/",
            )
        )
    c.insert_only(PlacementEvent, events)
    c.insert_only(SickLeave, sick)
    c.insert_only(Response, reviews)
