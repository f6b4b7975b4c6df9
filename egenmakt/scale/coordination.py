"""Scale data for care and support coordination: ten years of a region's clients with
their care teams, consents, contacts, worksheets, plans (goals, measures, decided
versions), resource groups and meetings (held, with attendance, goal reviews and
decisions, and the next one booked), and the people the access log is about.

Volumes per region at full size (``egenmakt.scale.plan``): 10,000 clients who started
evenly over ten years, 100 case managers (half in the clinic, half in the municipality),
about ``ANSWERS_PER_CLIENT`` worksheet items answered per client (a million a region).
Clients who started more than two years ago are mostly closed, with their seats ended.

Identity numbers are synthetic: birth numbers 980–999 only
(``egenmakt.demo.coordination.synthetic_identity_number``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from egenmakt.accounts.models import Membership, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.coordination.checklist import WORKSHEET_STEP, WORKSHEETS
from egenmakt.coordination.models import (
    ActionStatus,
    AgendaItem,
    Attainment,
    Attendance,
    CareTeamMember,
    Client,
    Closeness,
    Consent,
    ConsentForm,
    ConsentScope,
    Contact,
    Decision,
    DecisionKind,
    Goal,
    GoalReview,
    GoalStatus,
    Meeting,
    MeetingStatus,
    MemberKind,
    Phase,
    Plan,
    PlanAction,
    PlanVersion,
    Principal,
    ResourceGroupMember,
    Sector,
    StepRecord,
    TeamRole,
)
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.scale.accounts import staff_user
from egenmakt.scale.answers import AnswerPool, response_row
from egenmakt.scale.context import LogTarget, Region, ScaleContext, given_times

# Clients are made, and their dependants inserted, this many at a time.
CLIENT_BATCH = 1_000
PARTNER_SHARE = 0.7  # clients with a case manager from the other organisation too
PROTECTED_SHARE = 0.02
COORDINATION_NUMBER_EVERY = 50
MEETING_EVERY_DAYS = 120
MAX_HELD_MEETINGS = 12
AGENDA = [
    ("welcome", "Välkommen och dagordning"),
    ("since_last", "Sedan förra mötet"),
    ("goals", "Delmålen"),
    ("warning_plan", "Tidiga varningstecken"),
    ("next", "Nästa möte"),
]
GOALS = [
    ("Komma ut och gå en promenad varje dag", "Dagbok över promenaderna"),
    ("Ha en sysselsättning två dagar i veckan", "Närvaro på träfflokalen"),
    ("Sova bättre", "Sömndagbok, sex timmar per natt"),
    ("Träffa en vän varje vecka", "Klienten berättar vid mötet"),
    ("Klara ekonomin själv", "Räkningarna betalda i tid tre månader"),
    ("Börja studera", "Anmäld till en kurs"),
]
ACTIONS = [
    ("Följa med till träfflokalen första gångerna", "boendestödjaren", Principal.MUNICIPALITY),
    ("Se över medicinerna", "läkaren", Principal.REGION),
    ("Ansöka om god man", "socialsekreteraren", Principal.MUNICIPALITY),
    ("Ringa studievägledaren", "klienten", Principal.CLIENT),
    ("Samtal om sömn", "sjuksköterskan", Principal.REGION),
]
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


@dataclass
class _Client:
    """A client being made, with what the later steps need."""

    row: Client
    home_manager: Any
    partner: Any | None
    partner_org: Any | None
    ended: date | None  # the day the client's coordination closed
    consent: Consent | None = None
    plan: Plan | None = None
    goals: list[Goal] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    members: list[ResourceGroupMember] = field(default_factory=list)


def generate(context: ScaleContext) -> None:
    rng = context.random
    keys = set(InstrumentDefinition.objects.values_list("key", flat=True))
    pools = {
        w.instrument: AnswerPool(w.instrument, rng) for w in WORKSHEETS if w.instrument in keys
    }
    times = (
        (Client, "created_at"),
        (Client, "updated_at"),
        (Consent, "recorded_at"),
        (Contact, "updated_at"),
        (Plan, "updated_at"),
        (Goal, "created_at"),
        (PlanAction, "created_at"),
        (PlanVersion, "decided_at"),
        (Meeting, "created_at"),
        (Meeting, "updated_at"),
        (Decision, "recorded_at"),
        (Response, "created_at"),
        (Response, "updated_at"),
    )
    with given_times(*times):
        serial = 0
        for region in context.regions:
            serial = _Region(context, region, pools, serial).run()


class _Region:
    def __init__(
        self, context: ScaleContext, region: Region, pools: dict[str, AnswerPool], serial: int
    ) -> None:
        self.c = context
        self.r = region
        self.rng = context.random
        self.pools = pools
        self.serial = serial
        self.first_serial = serial
        self.today = context.today
        self.start = self.today - timedelta(days=365 * context.plan.years)
        self.ct_client = context.content_type_id(Client)
        self.ct_plan = context.content_type_id(Plan)
        # Worksheets are answered in proportion to how often the method uses them.
        self.keys = [w.instrument for w in WORKSHEETS if w.instrument in pools]
        self.weights = [4.0 if key == "ors" else 1.0 for key in self.keys]
        self.answered = {
            key: [sum(1 for v in a.values() if v not in (None, "", [], {})) for a, _s in p.patterns]
            for key, p in pools.items()
        }

    def run(self) -> int:
        self.case_managers()
        total = self.c.plan.clients_per_region
        for first in range(0, total, CLIENT_BATCH):
            batch = self.clients(min(CLIENT_BATCH, total - first))
            self.teams_and_consents(batch)
            self.contacts(batch)
            self.worksheets(batch)
            self.plans(batch)
            self.meetings(batch)
        return self.serial

    # --- people -------------------------------------------------------------------------

    def case_managers(self) -> None:
        c, r = self.c, self.r
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
        self.managers: dict[int, list[Any]] = {}
        for user, org in zip(users, homes, strict=True):
            self.managers.setdefault(org.pk, []).append(user)
        r.extra["coordination_managers"] = self.managers

    def _phase(self, started: date) -> tuple[str, date | None]:
        days = (self.today - started).days
        if days > 730 and self.c.chance(0.85):
            ended = started + timedelta(days=self.rng.randint(365, 730))
            return Phase.CLOSED, min(ended, self.today)
        if days < 14:
            return Phase.START, None
        if days < 90:
            return Phase.MAPPING, None
        if days < 150:
            return Phase.PLANNING, None
        return (Phase.FOLLOW_UP if days > 500 and self.c.chance(0.3) else Phase.WORK), None

    def clients(self, n: int) -> list[_Client]:
        c, r, rng = self.c, self.r, self.rng
        first = self.first_serial
        orgs = [r.org("clinic"), r.org("social_psychiatry")]
        drafts = []
        for _k in range(n):
            k = self.serial
            self.serial += 1
            side = 0 if k == first else k % 2
            home, other = orgs[side], orgs[1 - side]
            started = c.day_between(self.start, self.today)
            if k == first:
                # Every region has a current client of long standing, in the clinic's first
                # case manager's caseload: the benchmark's client (``scale.pages``).
                started = self.today - timedelta(days=400)
            phase, ended = self._phase(started)
            if k == first:
                phase, ended = Phase.WORK, None
            birth = date(1950, 1, 1) + timedelta(days=2 * (k // 20))
            coordination = k % COORDINATION_NUMBER_EVERY == 0
            number = synthetic_identity_number(birth, k, coordination=coordination)
            manager = (
                self.managers[home.pk][0] if k == first else rng.choice(self.managers[home.pk])
            )
            partner = rng.choice(self.managers[other.pk]) if c.chance(PARTNER_SHARE) else None
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
            drafts.append(_Client(row, manager, partner, other if partner else None, ended))
        for draft, row in zip(drafts, c.insert(Client, [d.row for d in drafts]), strict=True):
            draft.row = row
            r.log_targets.append(
                LogTarget(self.ct_client, row.pk, self.ct_client, row.pk, f"/samordning/{row.pk}/")
            )
        return drafts

    def teams_and_consents(self, batch: list[_Client]) -> None:
        c, rng = self.c, self.rng
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
            given = min(client.started_on + timedelta(days=rng.randint(0, 7)), self.today)
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
                    organisations.append(
                        through_orgs(consent_id=consent.pk, organisation_id=org.pk)
                    )
            for user in (d.home_manager, d.partner):
                if user is not None:
                    managers.append(through_managers(consent_id=consent.pk, user_id=user.pk))
        c.insert_only(through_orgs, organisations)
        c.insert_only(through_managers, managers)

    def contacts(self, batch: list[_Client]) -> None:
        c, rng = self.c, self.rng
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

    # --- worksheets -----------------------------------------------------------------------

    def worksheets(self, batch: list[_Client]) -> None:
        """About ``answers_per_client`` answered items per client, as submitted responses
        with the step that records each; none before the mapping starts."""
        c, rng = self.c, self.rng
        target = c.plan.answers_per_client
        if not target or not self.keys:
            return
        responses, steps = [], []
        for d in batch:
            client = d.row
            if client.phase == Phase.START:
                continue
            budget = rng.randint(target // 2, target * 3 // 2)
            last = d.ended or self.today
            while budget > 0:
                key = rng.choices(self.keys, self.weights)[0]
                pool = self.pools[key]
                index = rng.randrange(len(pool.patterns))
                budget -= max(1, self.answered[key][index])
                day = c.day_between(client.started_on, last)
                response = response_row(
                    pool,
                    rng,
                    subject_type_id=self.ct_client,
                    subject_id=client.pk,
                    entered_by_id=d.home_manager.pk,
                    answered_on=day,
                    respondent_kind=pool.definition.respondents[0],
                )
                response.answers, response.scores = pool.patterns[index]
                responses.append(response)
                steps.append(
                    StepRecord(
                        client=client,
                        step=WORKSHEET_STEP[key],
                        done_on=day,
                        shared=c.chance(0.9),
                        organisation=client.organisation,
                        entered_by=d.home_manager,
                    )
                )
        saved = c.insert(Response, responses)
        for step, response in zip(steps, saved, strict=True):
            step.response_id = response.pk
        present = StepRecord.present.through
        rows = []
        for step in c.insert(StepRecord, steps):
            rows.append(present(steprecord_id=step.pk, user_id=step.entered_by_id))
        c.insert_only(present, rows)

    # --- plans -----------------------------------------------------------------------------

    def plans(self, batch: list[_Client]) -> None:
        c, rng = self.c, self.rng
        planned = [
            d
            for d in batch
            if d.consent is not None
            and d.row.phase not in (Phase.START, Phase.MAPPING)
            and (d.row.phase != Phase.CLOSED or c.chance(0.8))
        ]
        plans = []
        for d in planned:
            client = d.row
            principal = (
                Principal.REGION
                if client.organisation.kind == OrganisationKind.REGION
                else Principal.MUNICIPALITY
            )
            plans.append(
                Plan(
                    client=client,
                    long_term_goal="Att ha ett eget liv med vänner och något att göra om dagarna.",
                    responsible_principal=principal,
                    responsible_person=d.home_manager,
                    version=rng.randint(3, 20),
                    updated_at=c.moment(self._plan_day(d)),
                    updated_by=d.home_manager,
                )
            )
        goals = []
        for d, plan in zip(planned, c.insert(Plan, plans), strict=True):
            d.plan = plan
            self.r.log_targets.append(
                LogTarget(
                    self.ct_client, d.row.pk, self.ct_plan, plan.pk, f"/samordning/{d.row.pk}/plan/"
                )
            )
            closed = d.row.phase == Phase.CLOSED
            for position, (text, measure) in enumerate(rng.sample(GOALS, rng.randint(2, 4))):
                status = GoalStatus.ACHIEVED if closed or c.chance(0.2) else GoalStatus.ACTIVE
                goals.append(
                    Goal(
                        plan=plan,
                        text=text,
                        measure=measure,
                        target_date=self._plan_day(d) + timedelta(days=180),
                        status=status,
                        position=position,
                        organisation=d.row.organisation,
                        created_at=c.moment(self._plan_day(d)),
                    )
                )
        owners = {d.plan.pk: d for d in planned if d.plan is not None}
        actions = []
        for goal in c.insert(Goal, goals):
            d = owners[goal.plan_id]
            d.goals.append(goal)
            for what, who, principal in rng.sample(ACTIONS, rng.randint(1, 2)):
                actions.append(
                    PlanAction(
                        plan_id=goal.plan_id,
                        goal=goal,
                        what=what,
                        who=who,
                        principal=principal,
                        when="varje vecka",
                        due_on=goal.target_date,
                        status=(
                            ActionStatus.DONE
                            if goal.status == GoalStatus.ACHIEVED
                            else ActionStatus.ONGOING
                        ),
                        created_at=goal.created_at,
                    )
                )
        for action in c.insert(PlanAction, actions):
            owners[action.plan_id].actions.append(action)
        versions = []
        for d in planned:
            assert d.plan is not None and d.consent is not None  # noqa: S101
            first = self._plan_day(d)
            last = d.ended or self.today
            count = max(1, min(4, (last - first).days // 365 + 1))
            content = {
                "long_term_goal": d.plan.long_term_goal,
                "responsible_principal": d.plan.responsible_principal,
                "responsible_person": d.home_manager.full_name,
                "goals": [
                    {
                        "text": g.text,
                        "measure": g.measure,
                        "target_date": g.target_date.isoformat(),
                        "status": g.status,
                        "actions": [],
                    }
                    for g in d.goals
                ],
                "other_actions": [],
            }
            for number in range(1, count + 1):
                day = min(first + timedelta(days=365 * (number - 1)), last)
                versions.append(
                    PlanVersion(
                        plan=d.plan,
                        number=number,
                        decided_on=day,
                        content=content,
                        consent=d.consent,
                        decided_by=d.home_manager,
                        decided_at=c.moment(day),
                    )
                )
        for version in c.insert(PlanVersion, versions):
            owners[version.plan_id].versions.append(version)
        members = []
        for d in planned:
            people = [(d.home_manager, MemberKind.PROFESSIONAL, "vårdsamordnare")]
            if d.partner is not None:
                people.append((d.partner, MemberKind.PROFESSIONAL, "vårdsamordnare"))
            for user, kind, role in people:
                members.append(self._member(d, user.full_name, kind, role, user=user))
            members.append(self._member(d, c.name(), MemberKind.PROFESSIONAL, "läkare"))
            for _k in range(rng.randint(0, 2)):
                members.append(self._member(d, c.name(), MemberKind.RELATIVE, "anhörig"))
        by_client = {d.row.pk: d for d in planned}
        for member in c.insert(ResourceGroupMember, members):
            by_client[member.client_id].members.append(member)

    def _plan_day(self, d: _Client) -> date:
        return min(d.row.started_on + timedelta(days=120), d.ended or self.today)

    def _member(self, d: _Client, name: str, kind: str, role: str, user: Any = None) -> Any:
        return ResourceGroupMember(
            client=d.row,
            name=name,
            kind=kind,
            role=role,
            organisation_name="" if kind == MemberKind.RELATIVE else d.row.organisation.name,
            user=user,
            chosen_by_client=True,
            organisation=d.row.organisation,
            added_by=d.home_manager,
            added_on=self._plan_day(d),
        )

    # --- meetings ------------------------------------------------------------------------

    def meetings(self, batch: list[_Client]) -> None:
        """Held meetings every few months from the plan on, and the next one booked."""
        c, rng = self.c, self.rng
        meetings, owners = [], []
        for d in batch:
            if d.plan is None:
                continue
            day = self._plan_day(d)
            last = d.ended or self.today
            held = 0
            while day < last and held < MAX_HELD_MEETINGS:
                meetings.append(self._meeting(d, day, MeetingStatus.HELD))
                owners.append((d, held))
                held += 1
                day += timedelta(days=MEETING_EVERY_DAYS + rng.randint(-20, 20))
            if d.ended is None:
                booked = self.today + timedelta(days=rng.randint(3, 60))
                meetings.append(self._meeting(d, booked, MeetingStatus.PLANNED))
                owners.append((d, -1))
        agenda, attendance, reviews, decisions = [], [], [], []
        for (d, number), meeting in zip(owners, c.insert(Meeting, meetings), strict=True):
            for position, (key, title) in enumerate(AGENDA):
                notes = "Se protokollet." if number >= 0 else ""
                agenda.append(
                    AgendaItem(
                        meeting=meeting, key=key, title=title, notes=notes, position=position
                    )
                )
            for member in d.members:
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        member=member,
                        invited_at=meeting.starts_at - timedelta(days=14),
                        present=(c.chance(0.85) if number >= 0 else None),
                    )
                )
            if number < 0:
                continue
            for goal in d.goals:
                reviews.append(
                    GoalReview(
                        meeting=meeting,
                        goal=goal,
                        attainment=min(Attainment.REACHED, number + rng.randint(0, 1)),
                    )
                )
            version = d.versions[0] if number == 0 and d.versions else None
            decisions.append(
                Decision(
                    meeting=meeting,
                    kind=DecisionKind.DECIDE_PLAN if version else DecisionKind.OTHER,
                    text="Planen beslutas." if version else "Nästa möte bokas.",
                    plan_version=version,
                    recorded_by=d.home_manager,
                    recorded_at=meeting.starts_at + timedelta(hours=1),
                )
            )
        c.insert_only(AgendaItem, agenda)
        c.insert_only(Attendance, attendance)
        c.insert_only(GoalReview, reviews)
        c.insert_only(Decision, decisions)

    def _meeting(self, d: _Client, day: date, status: str) -> Meeting:
        starts = timezone.make_aware(datetime.combine(day, time(self.rng.choice((9, 10, 13, 14)))))
        held = status == MeetingStatus.HELD
        return Meeting(
            client=d.row,
            starts_at=starts,
            place="Mottagningen" if self.c.chance(0.6) else "Hemma hos klienten",
            chair=d.home_manager.full_name,
            status=status,
            client_present=(self.c.chance(0.9) if held else None),
            minutes="Vi gick igenom delmålen och planen." if held else "",
            warning_plan_reviewed=held and self.c.chance(0.5),
            invitations_sent_at=starts - timedelta(days=14),
            organisation=d.row.organisation,
            created_by=d.home_manager,
            created_at=min(starts - timedelta(days=30), timezone.now()),
            updated_at=min(starts, timezone.now()),
        )
