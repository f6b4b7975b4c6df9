"""Scale data for the PEER programme: ten years of rounds per region (the newest open),
applications at every step, interviews with their records, courses with attendance and
homework, workplaces, placements, sick leave, fidelity reviews, supervision and reunions.

Applications of rounds closed longer than the retention period exist only as their
anonymous counts, as ``erase_expired_applications`` leaves them; the admitted stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.demo.peer import STORIES
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    PRIVACY_NOTICE_VERSION,
    Application,
    ApplicationStatus,
    Assignment,
    Attendance,
    AttendanceStatus,
    Channel,
    Cohort,
    CohortRole,
    CohortStaff,
    CollaborationAgreement,
    CourseSession,
    Decision,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    ErasedApplications,
    FollowUpEvent,
    FollowUpInvitation,
    Interview,
    InterviewRecord,
    Participant,
    ParticipantStatus,
    PeerWorkplace,
    Placement,
    PlacementEvent,
    RecordKind,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
    SickLeave,
    Submission,
    SupervisionAttendance,
    SupervisionMeeting,
    TaskDescription,
    WorkCapacity,
    WorkplaceTraining,
    YesPartlyNo,
)
from egenmakt.peer.services.placement import TASK_POINTS
from egenmakt.scale.accounts import staff_user
from egenmakt.scale.answers import AnswerPool, response_row
from egenmakt.scale.context import LogTarget, Region, ScaleContext, given_times
from egenmakt.scale.plan import (
    ASSIGNMENTS_PER_COURSE,
    FOLLOW_UP_EVENTS_PER_YEAR,
    SESSIONS_PER_COURSE,
)

S = ApplicationStatus
PLACE = "Brukarnätverkets lokal, Storgatan 1"
COURSE_DAYS = 35
OPEN_ROUND_COURSE_IN = 70
RUNNING_COURSE_STARTED = 14
THEMES = [
    "Peer supporterns roll",
    "Vad är återhämtning?",
    "Egen erfarenhet som verktyg",
    "Bemötande",
    "Svåra situationer",
    "Etik och tystnadsplikt",
    "Brukarrörelsen",
    "Samverkan i teamet",
    "Att ta hand om sig själv",
    "Avslutning och vägen vidare",
]
SCREENING_REASON: dict[str, str] = {
    DecisionOutcome.GO_ON: DecisionReason.MORE_TO_LEARN,
    DecisionOutcome.NOT_NOW: DecisionReason.TIMING,
    DecisionOutcome.NO: DecisionReason.CRITERIA_NOT_MET,
}
INTERVIEW_OUTCOME = {
    S.ADMITTED: (DecisionOutcome.ADMIT, DecisionReason.CRITERIA_MET),
    S.RESERVE: (DecisionOutcome.RESERVE, DecisionReason.PLACES),
    S.DECLINED: (DecisionOutcome.DECLINE, DecisionReason.CRITERIA_NOT_MET),
}
INTERVIEWED = {S.INTERVIEWED, S.ADMITTED, S.RESERVE}
ERASED_FIELD: dict[str, str] = {
    S.ADMITTED: "admitted",
    S.RESERVE: "reserve",
    S.NOT_NOW: "not_now",
    S.DECLINED: "declined",
    S.WITHDRAWN: "withdrawn",
}


@dataclass
class Draft:
    """An application before it is inserted, with what happened to it."""

    row: Application
    interviewed: bool = False
    screening: str | None = None  # the screening outcome, if screened


@dataclass
class Graduate:
    user_id: int
    completed: date


@dataclass
class PeerState:
    """What one region's PEER generator made, for the later steps of the same region."""

    workplaces: list[PeerWorkplace] = field(default_factory=list)
    graduates: list[Graduate] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


def generate(context: ScaleContext) -> None:
    rng = context.random
    pools = {
        RecordKind.NOTES: AnswerPool("applicant_interview", rng),
        RecordKind.ASSESSMENT: AnswerPool("selection_criteria", rng),
        "fidelity": AnswerPool("fidelity", rng, yes_bias=0.8),
        "supervision": AnswerPool("supervision_meeting", rng),
        "readiness": AnswerPool("workplace_readiness", rng, yes_bias=0.85),
    }
    with given_times((Response, "created_at"), (Cohort, "created_at")):
        for region in context.regions:
            _Region(context, region, pools).run()


class _Region:
    def __init__(self, context: ScaleContext, region: Region, pools: dict[str, AnswerPool]):
        self.c = context
        self.r = region
        self.rng = context.random
        self.pools = pools
        self.today = context.today
        self.state = PeerState()
        self.start = self.today - timedelta(days=365 * context.plan.years)
        region.extra["peer"] = self.state
        self.ct = {
            model: context.content_type_id(model)
            for model in (Application, InterviewRecord, Placement, PeerWorkplace, User)
        }
        self.ct_attendance = context.content_type_id(SupervisionAttendance)

    def run(self) -> None:
        self.workplaces()
        rounds = self.rounds()
        for round_, is_open in rounds:
            drafts = self.applications(round_, is_open)
            if not is_open:
                self.course(round_, drafts)
        self.placements()
        self.supervision()
        self.follow_up()

    # --- workplaces ----------------------------------------------------------------

    def workplaces(self) -> None:
        c, r = self.c, self.r
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
        self.state.workplaces = workplaces
        agreed, trainings, agreements, readiness = [], [], [], []
        for n, (workplace, manager) in enumerate(zip(workplaces, managers, strict=True)):
            since = self.c.day_between(self.start, self.start + timedelta(days=3 * 365))
            ready = n % 10 != 9  # one in ten is still missing its agreement
            agreed.append(
                TaskDescription(
                    workplace=workplace,
                    agreed_items=[key for key, _kind in TASK_POINTS],
                    record_keeping=self.rng.choice(["writes", "does_not"]),
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
                        attended=self.rng.randint(6, 25),
                        recorded_by=manager,
                    )
                )
            readiness.append(
                response_row(
                    self.pools["readiness"],
                    self.rng,
                    subject_type_id=self.ct[PeerWorkplace],
                    subject_id=workplace.pk,
                    entered_by_id=manager.pk,
                    answered_on=since,
                )
            )
        c.insert(TaskDescription, agreed)
        c.insert(CollaborationAgreement, agreements)
        c.insert(WorkplaceTraining, trainings)
        c.insert_only(Response, readiness)

    # --- rounds and applications ---------------------------------------------------

    def rounds(self) -> list[tuple[RecruitmentRound, bool]]:
        c, r = self.c, self.r
        total = c.plan.years * c.plan.rounds_per_year
        interval = 365 // c.plan.rounds_per_year
        rows = []
        for i in range(total):
            is_open = i == total - 1
            if is_open:
                course_start = self.today + timedelta(days=OPEN_ROUND_COURSE_IN)
            else:
                course_start = self.today - timedelta(
                    days=RUNNING_COURSE_STARTED + (total - 2 - i) * interval
                )
            rows.append(
                RecruitmentRound(
                    organisation=r.org("network"),
                    title=f"Peer support-utbildning Skala {r.index} nr {i + 1}",
                    status=RoundStatus.OPEN if is_open else RoundStatus.CLOSED,
                    jobs_expected=max(1, c.plan.course_places * 2 // 3),
                    course_places=c.plan.course_places,
                    channels=[Channel.USER_ORGANISATIONS, Channel.SERVICES],
                    advertising_from=course_start - timedelta(days=100),
                    applications_until=course_start - timedelta(days=63),
                    interviews_from=course_start - timedelta(days=73),
                    interviews_until=course_start - timedelta(days=42),
                    decision_by=course_start - timedelta(days=35),
                    course_start=course_start,
                    closed_at=None if is_open else c.moment(course_start - timedelta(days=30)),
                    created_by=r.people(Role.COORDINATOR)[0],
                )
            )
        rounds = c.insert(RecruitmentRound, rows)
        members = []
        for round_ in rounds:
            for role, people, movement in (
                (RoundRole.COORDINATOR, r.people(Role.COORDINATOR), True),
                (RoundRole.INTERVIEWER, r.people(Role.INTERVIEWER), False),
            ):
                for n, person in enumerate(people):
                    members.append(
                        RoundMember(
                            round=round_,
                            user=person,
                            role=role,
                            represents_user_movement=movement or n % 2 == 0,
                        )
                    )
        c.insert(RoundMember, members)
        return [(round_, round_.status == RoundStatus.OPEN) for round_ in rounds]

    def _statuses(self, count: int, is_open: bool) -> list[str]:
        shares: list[tuple[str, float]]
        if is_open:
            shares = [
                (S.WITHDRAWN, 0.05),
                (S.NOT_NOW, 0.08),
                (S.DECLINED, 0.07),
                (S.INTERVIEWED, 0.10),
                (S.INTERVIEW_BOOKED, 0.15),
                (S.GO_ON, 0.15),
            ]
        else:
            shares = [(S.WITHDRAWN, 0.05), (S.NOT_NOW, 0.15), (S.DECLINED, 0.25)]
        statuses: list[str] = []
        for status, share in shares:
            statuses += [status] * max(1, round(count * share))
        rest = count - len(statuses)
        if is_open:
            statuses += [S.APPLIED] * rest
        else:
            places = min(self.c.plan.course_places, rest)
            reserve = min(max(1, round(rest * 0.2)), rest - places)
            # After the interview: admitted, reserves, the rest declined.
            statuses += [S.ADMITTED] * places + [S.RESERVE] * reserve
            statuses += ["declined_after_interview"] * (rest - places - reserve)
        self.rng.shuffle(statuses)
        return statuses[:count]

    def applications(self, round_: RecruitmentRound, is_open: bool) -> list[Draft]:
        c = self.c
        erased = (
            not is_open and round_.closed_at is not None and round_.erase_after() < timezone.now()
        )
        counts = ErasedApplications(round=round_)
        drafts: list[Draft] = []
        last_day = min(round_.applications_until, self.today)
        for n, status in enumerate(self._statuses(c.plan.applications_per_round, is_open)):
            after_interview = status == "declined_after_interview"
            status = S.DECLINED if after_interview else status
            submitted = c.moment(c.day_between(round_.advertising_from, last_day))
            screened = status not in {S.APPLIED, S.WITHDRAWN}
            interviewed = after_interview or status in INTERVIEWED
            held_on = c.day_between(
                round_.interviews_from, min(round_.interviews_until, self.today)
            )
            own, care, why = STORIES[n % len(STORIES)]
            row = Application(
                round=round_,
                status=status,
                full_name=c.name(),
                email=c.email("sokande"),
                municipality=f"Skalkommun {self.r.index}",
                birth_year=self.rng.randint(1955, 2003),
                own_experience=own,
                care_experience=care,
                motivation=why,
                work_capacity=self.rng.choice(WorkCapacity.values),
                available_for_course=YesPartlyNo.YES,
                heard_from=self.rng.choice(Channel.values),
                privacy_notice_version=PRIVACY_NOTICE_VERSION,
                submitted_at=submitted,
                screened_at=submitted + timedelta(days=self.rng.randint(1, 10))
                if screened
                else None,
                interviewed_at=c.moment(held_on) if interviewed else None,
                withdrawn_at=submitted + timedelta(days=3) if status == S.WITHDRAWN else None,
            )
            screening = None
            if screened:
                if status in {S.NOT_NOW}:
                    screening = DecisionOutcome.NOT_NOW
                elif status == S.DECLINED and not after_interview:
                    screening = DecisionOutcome.NO
                else:
                    screening = DecisionOutcome.GO_ON
            if erased and status != S.ADMITTED:
                counts.applied += 1
                counts.screened += screened
                counts.interviewed += interviewed
                name = ERASED_FIELD.get(status)
                if name:
                    setattr(counts, name, getattr(counts, name) + 1)
                continue
            drafts.append(Draft(row, interviewed, screening))
        if erased:
            counts.erased_at = round_.erase_after()
            c.insert(ErasedApplications, [counts])
        saved = c.insert(Application, [d.row for d in drafts])
        for draft, row in zip(drafts, saved, strict=True):
            draft.row = row
            self.r.log_targets.append(
                LogTarget(
                    self.ct[Application],
                    row.pk,
                    self.ct[Application],
                    row.pk,
                    f"/peer/ansokningar/{row.pk}/",
                )
            )
        self.decisions_and_interviews(round_, drafts, is_open)
        return drafts

    def decisions_and_interviews(
        self, round_: RecruitmentRound, drafts: list[Draft], is_open: bool
    ) -> None:
        c, r = self.c, self.r
        coordinator = r.people(Role.COORDINATOR)[0]
        interviewers = r.people(Role.INTERVIEWER)
        decisions, interviews = [], []
        for draft in drafts:
            app = draft.row
            if draft.screening and app.screened_at:
                decisions.append(
                    Decision(
                        application=app,
                        step=DecisionStep.SCREENING,
                        outcome=draft.screening,
                        reason=SCREENING_REASON[draft.screening],
                        decided_by=coordinator,
                        decided_at=app.screened_at,
                    )
                )
            if draft.interviewed and app.status in INTERVIEW_OUTCOME and app.interviewed_at:
                outcome, reason = INTERVIEW_OUTCOME[S(app.status)]
                decisions.append(
                    Decision(
                        application=app,
                        step=DecisionStep.INTERVIEW,
                        outcome=outcome,
                        reason=reason,
                        decided_by=coordinator,
                        decided_at=app.interviewed_at + timedelta(days=5),
                    )
                )
            booked = app.status == S.INTERVIEW_BOOKED
            if draft.interviewed or booked:
                first, second = self.rng.sample(interviewers, 2)
                when = app.interviewed_at or c.moment(
                    c.day_between(self.today + timedelta(days=1), round_.interviews_until)
                )
                interviews.append(
                    Interview(
                        application=app,
                        starts_at=when,
                        place=PLACE,
                        interviewer_1=first,
                        interviewer_2=second,
                        booked_by=coordinator,
                        held_at=None if booked else when + timedelta(hours=1),
                    )
                )
        c.insert(Decision, decisions)
        saved = c.insert(Interview, interviews)
        records = []
        for interview in saved:
            if interview.held_at is None:
                continue
            for kind in (RecordKind.NOTES, RecordKind.ASSESSMENT):
                for author in (interview.interviewer_1, interview.interviewer_2, None):
                    records.append(InterviewRecord(interview=interview, kind=kind, author=author))
        records = c.insert(InterviewRecord, records)
        responses = []
        for record in records:
            interview = record.interview
            responses.append(
                response_row(
                    self.pools[record.kind],
                    self.rng,
                    subject_type_id=self.ct[InterviewRecord],
                    subject_id=record.pk,
                    entered_by_id=record.author_id or interview.interviewer_1_id,
                    answered_on=timezone.localtime(interview.starts_at).date(),
                )
            )
        c.insert_only(Response, responses)

    # --- the course ----------------------------------------------------------------

    def course(self, round_: RecruitmentRound, drafts: list[Draft]) -> None:
        c, r = self.c, self.r
        admitted = [d.row for d in drafts if d.row.status == S.ADMITTED]
        if not admitted:
            return
        start = round_.course_start
        finished = start + timedelta(days=COURSE_DAYS) < self.today
        lead = self.rng.choice(r.people(Role.TRAINING_LEAD))
        cohort = c.insert(
            Cohort,
            [
                Cohort(
                    round=round_,
                    title=round_.title.replace("utbildning", "kursen"),
                    created_by=lead,
                    created_at=c.moment(start - timedelta(days=30)),
                )
            ],
        )[0]
        leaders = self.rng.sample(
            r.people(Role.COURSE_LEADER), min(2, c.plan.staff("course_leader"))
        )
        lecturers = self.rng.sample(r.people(Role.LECTURER), min(2, c.plan.staff("lecturer")))
        staff = [CohortStaff(cohort=cohort, user=lead, role=CohortRole.TRAINING_LEAD)]
        staff += [
            CohortStaff(cohort=cohort, user=u, role=CohortRole.COURSE_LEADER) for u in leaders
        ]
        staff += [CohortStaff(cohort=cohort, user=u, role=CohortRole.LECTURER) for u in lecturers]
        c.insert(CohortStaff, staff)

        users = c.insert(User, [staff_user(c, "deltagare") for _a in admitted])
        completed_at = c.moment(start + timedelta(days=COURSE_DAYS), hour=16)
        participants, graduates = [], []
        for application, user in zip(admitted, users, strict=True):
            status = ParticipantStatus.ACTIVE
            if finished:
                roll = self.rng.random()
                status = (
                    ParticipantStatus.COMPLETED
                    if roll < 0.85
                    else ParticipantStatus.LEFT
                    if roll < 0.95
                    else ParticipantStatus.NOT_COMPLETED
                )
            done = status == ParticipantStatus.COMPLETED
            participants.append(
                Participant(
                    cohort=cohort,
                    application=application,
                    user=user,
                    status=status,
                    recommended=True if done else None,
                    recommendation_reason="Har visat god förmåga." if done else "",
                    decided_by=r.people(Role.COORDINATOR)[0] if finished else None,
                    completed_at=completed_at if done else None,
                )
            )
            if done:
                graduates.append(user)
        participants = c.insert(Participant, participants)
        c.insert(
            Membership,
            [
                Membership(
                    user=u,
                    organisation=r.org("user_org_a" if n % 2 else "user_org_b"),
                    role=Role.PEER_SUPPORTER,
                )
                for n, u in enumerate(graduates)
            ],
        )
        self.state.graduates += [Graduate(u.pk, completed_at.date()) for u in graduates]

        sessions = c.insert(
            CourseSession,
            [
                CourseSession(
                    cohort=cohort,
                    day=start + timedelta(days=7 * (n // 2) + 2 * (n % 2)),
                    starts=time(9),
                    ends=time(16),
                    place=PLACE,
                    theme=THEMES[n % len(THEMES)],
                )
                for n in range(SESSIONS_PER_COURSE)
            ],
        )
        through = CourseSession.leaders.through
        c.insert(
            through,
            [
                through(coursesession=s, user=leaders[n % len(leaders)])
                for n, s in enumerate(sessions)
            ],
        )
        marks = []
        for session in sessions:
            if session.day >= self.today:
                continue
            for participant in participants:
                roll = self.rng.random()
                marks.append(
                    Attendance(
                        session=session,
                        participant=participant,
                        status=AttendanceStatus.PRESENT
                        if roll < 0.85
                        else AttendanceStatus.LATE
                        if roll < 0.9
                        else AttendanceStatus.ABSENT_REPORTED
                        if roll < 0.95
                        else AttendanceStatus.ABSENT,
                        recorded_by=leaders[0],
                    )
                )
        c.insert_only(Attendance, marks)
        assignments = c.insert(
            Assignment,
            [
                Assignment(
                    cohort=cohort,
                    title=f"Hemuppgift vecka {week}",
                    instructions="Skriv en sida om veckans tema utifrån din egen erfarenhet.",
                    due=start + timedelta(days=7 * week - 2),
                    created_by=leaders[0],
                )
                for week in range(1, ASSIGNMENTS_PER_COURSE + 1)
            ],
        )
        c.insert_only(
            Submission,
            [
                Submission(
                    assignment=a,
                    participant=p,
                    text="Det som hjälpte mig mest var att träffa andra med samma erfarenhet.",
                )
                for a in assignments
                if a.due < self.today
                for p in participants
                if self.rng.random() < 0.8
            ],
        )
        for application, participant in zip(admitted, participants, strict=True):
            self.r.log_targets.append(
                LogTarget(
                    self.ct[Application],
                    application.pk,
                    c.content_type_id(Participant),
                    participant.pk,
                    f"/peer/kurser/{cohort.pk}/",
                )
            )

    # --- placements, sick leave, fidelity --------------------------------------------

    def placements(self) -> None:
        c, r = self.c, self.r
        coordinator = r.people(Role.COORDINATOR)[0]
        rows = []
        for graduate in self.state.graduates:
            if not c.chance(0.75):
                continue
            starts = graduate.completed + timedelta(days=self.rng.randint(14, 150))
            if starts > self.today:
                continue
            ends: date | None = starts + timedelta(days=self.rng.randint(180, 2500))
            if ends is not None and ends >= self.today:
                ends = None
            rows.append(
                Placement(
                    peer_supporter_id=graduate.user_id,
                    workplace=self.rng.choice(self.state.workplaces),
                    starts_on=starts,
                    ends_on=ends,
                    end_reason="Gick vidare till annat arbete." if ends else "",
                    employer=self.rng.choice(["user_organisation", "workplace"]),
                    share_percent=self.rng.choice([50, 50, 75, 100]),
                    contact_person="Enhetschefen",
                    supervisor=self.rng.choice(r.people(Role.SUPERVISOR)),
                    created_by=coordinator,
                )
            )
        placements = c.insert(Placement, rows)
        self.state.placements = placements
        events, sick, reviews = [], [], []
        for p in placements:
            events.append(PlacementEvent(placement=p, kind="started", by=coordinator))
            last = p.ends_on or self.today
            if p.ends_on:
                events.append(
                    PlacementEvent(placement=p, kind="ended", note=p.end_reason, by=coordinator)
                )
            for year_start in range(0, (last - p.starts_on).days, 365):
                if c.chance(0.6):
                    first = p.starts_on + timedelta(days=year_start + self.rng.randint(0, 300))
                    if first < last:
                        days = self.rng.randint(1, 14)
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
                        self.pools["fidelity"],
                        self.rng,
                        subject_type_id=self.ct[Placement],
                        subject_id=p.pk,
                        entered_by_id=coordinator.pk,
                        answered_on=review,
                    )
                )
                review += timedelta(days=182)
            r.log_targets.append(
                LogTarget(
                    self.ct[User],
                    p.peer_supporter_id,
                    self.ct[Placement],
                    p.pk,
                    f"/peer/placeringar/{p.pk}/",
                )
            )
        c.insert_only(PlacementEvent, events)
        c.insert_only(SickLeave, sick)
        c.insert_only(Response, reviews)

    # --- supervision ---------------------------------------------------------------

    def supervision(self) -> None:
        c = self.c
        by_supervisor: dict[int, list[Placement]] = {}
        for p in self.state.placements:
            if p.supervisor_id is not None:
                by_supervisor.setdefault(p.supervisor_id, []).append(p)
        pool = self.pools["supervision"]
        for supervisor_id, placements in by_supervisor.items():
            first = min(p.starts_on for p in placements).replace(day=10)
            meetings: list[tuple[SupervisionMeeting, list[int]]] = []
            day = first
            while day <= self.today + timedelta(days=30):
                people = sorted(
                    {
                        p.peer_supporter_id
                        for p in placements
                        if p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)
                    }
                )
                if people:
                    meeting = SupervisionMeeting(
                        supervisor_id=supervisor_id,
                        kind="group",
                        starts_at=timezone.make_aware(datetime.combine(day, time(13))),
                        place=PLACE,
                    )
                    meetings.append((meeting, people))
                day = (day.replace(day=1) + timedelta(days=32)).replace(day=10)
            saved = c.insert(SupervisionMeeting, [m for m, _p in meetings])
            rows = []
            for meeting, (_m, people) in zip(saved, meetings, strict=True):
                past = meeting.starts_at < timezone.now()
                for person in people:
                    rows.append(
                        SupervisionAttendance(
                            meeting=meeting,
                            peer_supporter_id=person,
                            attended=(c.chance(0.85) if past else None),
                        )
                    )
            rows = c.insert(SupervisionAttendance, rows)
            notes = [
                response_row(
                    pool,
                    self.rng,
                    subject_type_id=self.ct_attendance,
                    subject_id=row.pk,
                    entered_by_id=supervisor_id,
                    answered_on=timezone.localtime(row.meeting.starts_at).date(),
                )
                for row in rows
                if row.attended and c.chance(0.4)
            ]
            c.insert_only(Response, notes)

    # --- reunions and further training ---------------------------------------------

    def follow_up(self) -> None:
        c, r = self.c, self.r
        coordinator = r.people(Role.COORDINATOR)[0]
        per_year = c.plan.scaled(FOLLOW_UP_EVENTS_PER_YEAR)
        events = []
        for year in range(c.plan.years):
            for n in range(per_year):
                day = self.start + timedelta(days=365 * year + (n + 1) * 365 // (per_year + 1))
                if day > self.today + timedelta(days=60):
                    continue
                events.append(
                    FollowUpEvent(
                        network=r.org("network"),
                        kind="reunion" if n % 2 == 0 else "further_training",
                        title="Återträff" if n % 2 == 0 else "Fortbildning",
                        starts_at=timezone.make_aware(datetime.combine(day, time(13))),
                        ends_at=timezone.make_aware(datetime.combine(day, time(16))),
                        place="Träffpunkten",
                        created_by=coordinator,
                    )
                )
        events = c.insert(FollowUpEvent, events)
        working: dict[int, list[tuple[date, date | None]]] = {}
        for p in self.state.placements:
            working.setdefault(p.peer_supporter_id, []).append((p.starts_on, p.ends_on))
        invitations = []
        for event in events:
            day = timezone.localtime(event.starts_at).date()
            past = day < self.today
            for graduate in self.state.graduates:
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
