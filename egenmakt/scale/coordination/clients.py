"""The people: case managers, clients (with synthetic identity numbers), their care teams
and consents, and the contacts of their network maps."""

from __future__ import annotations

from datetime import date, timedelta

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    Closeness,
    Consent,
    ConsentForm,
    ConsentScope,
    Contact,
    Phase,
    Sector,
    TeamRole,
)
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.scale.accounts import staff_user
from egenmakt.scale.context import LogTarget

from .run import ClientDraft, CoordinationRun

PARTNER_SHARE = 0.7  # clients with a case manager from the other organisation too
PROTECTED_SHARE = 0.02
COORDINATION_NUMBER_EVERY = 50
RELATIONS = [
    ("mamma", Sector.FAMILY),
    ("pappa", Sector.FAMILY),
    ("syster", Sector.FAMILY),
    ("vän", Sector.FRIENDS),
    ("granne", Sector.FRIENDS),
    ("läkare", Sector.PROFESSIONALS),
    ("boendestödjare", Sector.PROFESSIONALS),
    ("kören", Sector.OTHERS),
]


def case_managers(run: CoordinationRun) -> None:
    c, r = run.c, run.r
    n = c.plan.case_managers
    homes = [r.org("clinic") if k % 2 == 0 else r.org("social_psychiatry") for k in range(n)]
    users = c.insert(User, [staff_user(c, "vardsamordnare") for _k in range(n)])
    c.insert(
        Membership,
        [
            Membership(user=u, organisation=o, role=Role.CASE_MANAGER)
            for u, o in zip(users, homes, strict=True)
        ],
    )
    r.staff[Role.CASE_MANAGER] = users
    run.managers = {}
    for user, org in zip(users, homes, strict=True):
        run.managers.setdefault(org.pk, []).append(user)
    r.extra["coordination_managers"] = run.managers


def _phase(run: CoordinationRun, started: date) -> tuple[str, date | None]:
    days = (run.today - started).days
    if days > 730 and run.c.chance(0.85):
        ended = started + timedelta(days=run.rng.randint(365, 730))
        return Phase.CLOSED, min(ended, run.today)
    if days < 14:
        return Phase.START, None
    if days < 90:
        return Phase.MAPPING, None
    if days < 150:
        return Phase.PLANNING, None
    return (Phase.FOLLOW_UP if days > 500 and run.c.chance(0.3) else Phase.WORK), None


def clients(run: CoordinationRun, n: int) -> list[ClientDraft]:
    c, r, rng = run.c, run.r, run.rng
    first = run.first_serial
    orgs = [r.org("clinic"), r.org("social_psychiatry")]
    drafts = []
    for _k in range(n):
        k = run.serial
        run.serial += 1
        side = 0 if k == first else k % 2
        home, other = orgs[side], orgs[1 - side]
        started = c.day_between(run.start, run.today)
        if k == first:
            # Every region has a current client of long standing, in the clinic's first
            # case manager's caseload: the benchmark's client (``scale.pages``).
            started = run.today - timedelta(days=400)
        phase, ended = _phase(run, started)
        if k == first:
            phase, ended = Phase.WORK, None
        birth = date(1950, 1, 1) + timedelta(days=2 * (k // 20))
        coordination = k % COORDINATION_NUMBER_EVERY == 0
        number = synthetic_identity_number(birth, k, coordination=coordination)
        manager = run.managers[home.pk][0] if k == first else rng.choice(run.managers[home.pk])
        partner = rng.choice(run.managers[other.pk]) if c.chance(PARTNER_SHARE) else None
        moment = c.moment(started)
        row = Client(
            full_name=c.name(),
            identity_number=number.replace("-", ""),
            coordination_number=coordination,
            protected_identity=c.chance(PROTECTED_SHARE),
            address=f"Skalgatan {rng.randint(1, 99)}",
            postcode=f"{rng.randint(100, 999)} {rng.randint(10, 99)}",
            city=f"Skalstad {r.index}",
            phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            interpreter_needed=c.chance(0.05),
            organisation=home,
            phase=phase,
            started_on=started,
            closed_reason="Målen är nådda." if phase == Phase.CLOSED else "",
            created_by=manager,
            created_at=moment,
            updated_at=c.moment(ended) if ended else moment,
        )
        drafts.append(ClientDraft(row, manager, partner, other if partner else None, ended))
    for draft, row in zip(drafts, c.insert(Client, [d.row for d in drafts]), strict=True):
        draft.row = row
        r.log_targets.append(
            LogTarget(run.ct_client, row.pk, run.ct_client, row.pk, f"/samordning/{row.pk}/")
        )
    return drafts


def teams_and_consents(run: CoordinationRun, batch: list[ClientDraft]) -> None:
    c, rng = run.c, run.rng
    seats, consents, pending = [], [], []
    for d in batch:
        client = d.row
        seats.append(
            CareTeamMember(
                client=client,
                user=d.home_manager,
                organisation=client.organisation,
                role=TeamRole.CASE_MANAGER,
                started_on=client.started_on,
                ended_on=d.ended,
                added_by=d.home_manager,
            )
        )
        if d.partner is not None:
            seats.append(
                CareTeamMember(
                    client=client,
                    user=d.partner,
                    organisation=d.partner_org,
                    role=TeamRole.CASE_MANAGER,
                    started_on=client.started_on + timedelta(days=rng.randint(0, 14)),
                    ended_on=d.ended,
                    added_by=d.home_manager,
                )
            )
        if client.phase == Phase.START and c.chance(0.5):
            continue  # not asked yet
        given = min(client.started_on + timedelta(days=rng.randint(0, 7)), run.today)
        if c.chance(0.1):  # an earlier consent, revoked and given again
            consents.append(
                Consent(
                    client=client,
                    given_on=given,
                    form=ConsentForm.ORAL,
                    scope=[ConsentScope.SHARE_INFORMATION],
                    recorded_by=d.home_manager,
                    recorded_at=c.moment(given),
                    revoked_at=c.moment(given),
                    revoked_by=d.home_manager,
                    revocation_note="Ersatt av skriftligt samtycke.",
                )
            )
            pending.append((d, False))
        consents.append(
            Consent(
                client=client,
                given_on=given,
                form=ConsentForm.WRITTEN,
                scope=list(ConsentScope.values),
                recorded_by=d.home_manager,
                recorded_at=c.moment(given),
            )
        )
        pending.append((d, True))
    c.insert_only(CareTeamMember, seats)
    organisations, managers = [], []
    through_orgs = Consent.organisations.through
    through_managers = Consent.case_managers.through
    for (d, current), consent in zip(pending, c.insert(Consent, consents), strict=True):
        if current:
            d.consent = consent
        for org in (d.row.organisation, d.partner_org):
            if org is not None:
                organisations.append(through_orgs(consent_id=consent.pk, organisation_id=org.pk))
        for user in (d.home_manager, d.partner):
            if user is not None:
                managers.append(through_managers(consent_id=consent.pk, user_id=user.pk))
    c.insert_only(through_orgs, organisations)
    c.insert_only(through_managers, managers)


def contacts(run: CoordinationRun, batch: list[ClientDraft]) -> None:
    c, rng = run.c, run.rng
    rows = []
    for d in batch:
        for _k in range(rng.randint(2, 6)):
            relation, sector = rng.choice(RELATIONS)
            rows.append(
                Contact(
                    client=d.row,
                    name=c.name(),
                    relationship=relation,
                    sector=sector,
                    closeness=rng.choice(Closeness.values),
                    phone=f"070-{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    organisation=d.row.organisation,
                    entered_by=d.home_manager,
                    updated_at=d.row.created_at,
                )
            )
    c.insert_only(Contact, rows)
