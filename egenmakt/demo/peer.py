"""A demo recruitment round for ``make run``: open, with applications at every step.

Applicants are synthetic (Faker's Swedish names with a fixed seed, addresses on the
reserved demo domain). Everything goes through the services, as in real use.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from egenmakt.demo.cast import Cast
from egenmakt.peer.models import (
    Channel,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    RecruitmentRound,
    RoundRole,
    RoundStatus,
    WorkCapacity,
    YesPartlyNo,
)
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services

ROUND_TITLE = "Peer support-utbildning Västerhav 2027"

STORIES = [
    (
        "Jag har levt med depression och ångest i många år. Det som hjälpte mig var att "
        "träffa andra med liknande erfarenheter i en självhjälpsgrupp.",
        "Öppenvårdspsykiatri, en period i heldygnsvård för sex år sedan, boendestöd.",
        "Jag vill ge andra det hopp som jag själv fick när det var som mörkast.",
    ),
    (
        "Jag fick diagnosen bipolär sjukdom när jag var 25. Idag vet jag mina tidiga "
        "tecken och har en plan för när det börjar svaja.",
        "Psykiatrimottagning, samtalsstöd, en brukarförening.",
        "Jag tror att min erfarenhet kan göra skillnad för någon som är ny i vården.",
    ),
    (
        "Psykos för tio år sedan. Återhämtningen tog tid, och det var arbetet och "
        "vännerna som bar mig.",
        "Psykosmottagning, personligt ombud, daglig sysselsättning.",
        "Jag vill arbeta med människor och använda det jag har lärt mig på vägen.",
    ),
]


def _stories(n: int) -> dict[str, str]:
    own, care, why = STORIES[n % len(STORIES)]
    return {"own_experience": own, "care_experience": care, "motivation": why}


@transaction.atomic
def seed_demo_recruitment(cast: Cast) -> RecruitmentRound:
    """Create the demo round once; later runs leave it as it is (idempotent)."""
    network = cast.org("network")
    existing = RecruitmentRound.objects.filter(organisation=network, title=ROUND_TITLE).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    round_ = services.create_round(
        user=cast.coordinator,
        organisation=network,
        title=ROUND_TITLE,
        jobs_expected=6,
        course_places=10,
        max_applications=None,
        channels=[Channel.USER_ORGANISATIONS, Channel.SERVICES, Channel.NOTICE_BOARDS],
        channels_other="",
        advertising_from=today - timedelta(days=30),
        applications_until=today + timedelta(days=7),
        interviews_from=today - timedelta(days=3),
        interviews_until=today + timedelta(days=28),
        decision_by=today + timedelta(days=35),
        course_start=today + timedelta(days=70),
    )
    for person, role in (
        (cast.interviewer, RoundRole.INTERVIEWER),
        (cast.second_interviewer, RoundRole.INTERVIEWER),
    ):
        services.add_round_member(user=cast.coordinator, round_=round_, person=person, role=role)
    round_ = services.set_round_status(
        user=cast.coordinator, round_=round_, status=RoundStatus.OPEN
    )
    fake = Faker("sv_SE")
    fake.seed_instance("egenmakt-demo-recruitment")
    applications = []
    for n in range(10):
        applications.append(
            services.submit_application(
                round_=round_,
                data={
                    "full_name": f"{fake.first_name()} {fake.last_name()}",
                    "email": f"sokande{n + 1}@{settings.DEMO_EMAIL_DOMAIN}",
                    "phone": f"070-{1000000 + n * 7919:07d}"[:11],
                    "municipality": "Västerhav",
                    "birth_year": 1965 + n * 3,
                    "gender": "",
                    **_stories(n),
                    "work_capacity": WorkCapacity.HALF_OR_MORE if n % 4 else WorkCapacity.UNSURE,
                    "available_for_course": YesPartlyNo.YES,
                    "support_needs": "Påminnelser om hemuppgifterna." if n % 3 == 0 else "",
                    "heard_from": [Channel.USER_ORGANISATIONS, Channel.SERVICES][n % 2],
                },
                language="sv",
                accepted_notice=True,
            )
        )
    screen = {
        0: DecisionOutcome.GO_ON,
        1: DecisionOutcome.GO_ON,
        2: DecisionOutcome.GO_ON,
        3: DecisionOutcome.NOT_NOW,
    }
    for n, outcome in screen.items():
        services.decide(
            user=cast.coordinator,
            application=applications[n],
            step=DecisionStep.SCREENING,
            outcome=outcome,
            reason=DecisionReason.MORE_TO_LEARN
            if outcome == DecisionOutcome.GO_ON
            else DecisionReason.TIMING,
        )
    interviews_services.book_interview(
        user=cast.coordinator,
        application=applications[0],
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=3), time(10, 0))),
        duration_minutes=60,
        place="Brukarnätverkets lokal, Storgatan 1",
        interviewer_1=cast.interviewer,
        interviewer_2=cast.second_interviewer,
    )
    services.withdraw_application(application=applications[9])
    return round_


COURSE_TITLE = "Peer support-utbildning Västerhav hösten 2026"
COURSE_THEMES = [
    "Peer supporterns roll: ska och ska inte",
    "Vad är återhämtning?",
    "Egen erfarenhet som verktyg",
    "Bemötande och lågaffektivt förhållningssätt",
    "Svåra situationer och första hjälpen vid psykisk ohälsa",
    "Etik och tystnadsplikt",
]


@transaction.atomic
def seed_demo_course(cast: Cast) -> None:
    """A course under way: a finished round, its admitted as participants, course days
    (some held, with attendance), homework with a hand-in. Idempotent.

    The first participant enrolled can sign in with the demo password; seed_demo prints
    who that is (``demo_course_participant``).
    """
    from datetime import date

    from egenmakt.demo.cast import DEMO_PASSWORD
    from egenmakt.peer.models import Cohort, Interview, RecordKind
    from egenmakt.peer.services import course as course_services
    from egenmakt.peer.services import homework as homework_services

    if Cohort.objects.filter(title=COURSE_TITLE).exists():
        return
    network = cast.org("network")
    round_ = seed_round(cast, network)
    today = timezone.localdate()
    fake = Faker("sv_SE")
    fake.seed_instance("egenmakt-demo-course")
    for n in range(4):
        application = services.submit_application(
            round_=round_,
            data={
                "full_name": f"{fake.first_name()} {fake.last_name()}",
                "email": f"deltagare{n + 1}@{settings.DEMO_EMAIL_DOMAIN}",
                "phone": "",
                "municipality": "Västerhav",
                "birth_year": 1970 + n * 5,
                "gender": "",
                **_stories(n),
                "work_capacity": WorkCapacity.HALF_OR_MORE,
                "available_for_course": YesPartlyNo.YES,
                "support_needs": "Påminnelser om hemuppgifterna." if n == 1 else "",
                "heard_from": Channel.SERVICES,
            },
            language="sv",
            accepted_notice=True,
        )
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.SCREENING,
            outcome=DecisionOutcome.GO_ON,
            reason=DecisionReason.MORE_TO_LEARN,
        )
        interview = interviews_services.book_interview(
            user=cast.coordinator,
            application=application,
            starts_at=timezone.make_aware(
                datetime.combine(today + timedelta(days=1), time(9 + n, 0))
            ),
            duration_minutes=45,
            place="Brukarnätverkets lokal, Storgatan 1",
            interviewer_1=cast.interviewer,
            interviewer_2=cast.second_interviewer,
        )
        Interview.objects.filter(pk=interview.pk).update(
            starts_at=timezone.now() - timedelta(days=60)
        )
        interview.refresh_from_db()
        interviews_services.start_record(
            user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
        )
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.INTERVIEW,
            outcome=DecisionOutcome.ADMIT,
            reason=DecisionReason.CRITERIA_MET,
        )
    cohort = course_services.create_cohort(
        user=cast.training_lead, round_=round_, title=COURSE_TITLE, attendance_threshold=80
    )
    # The network's course leader represents the user movement and has declared own
    # experience, as the handbook asks of a majority of the course leaders (p. 20).
    course_services.add_staff(
        user=cast.training_lead, cohort=cohort, person=cast.course_leader, role="course_leader",
        represents_user_movement=True,
    )  # fmt: skip
    course_services.add_staff(
        user=cast.training_lead, cohort=cohort, person=cast.lecturer, role="lecturer"
    )
    course_services.declare_lived_experience(user=cast.course_leader, declared=True)
    course_services.declare_lived_experience(user=cast.coordinator, declared=True)
    days: list[date] = [today - timedelta(days=d) for d in (14, 13, 12)] + [
        today + timedelta(days=d) for d in (0, 1, 14)
    ]
    participants = list(cohort.participants.order_by("pk"))
    for day, theme in zip(days, COURSE_THEMES, strict=True):
        session = course_services.add_session(
            user=cast.training_lead,
            cohort=cohort,
            day=day,
            starts=time(9, 0),
            ends=time(16, 0),
            place="Brukarnätverkets lokal, Storgatan 1",
            theme=theme,
            leaders=[cast.course_leader],
        )
        if day < today:
            course_services.take_attendance(
                user=cast.course_leader,
                session=session,
                marks={
                    p.pk: ("absent" if (i == 3 and day != days[0]) else "present")
                    for i, p in enumerate(participants)
                },
            )
    library = homework_services.homework_library(network)
    assignment = homework_services.set_homework(
        user=cast.course_leader,
        cohort=cohort,
        title=library[0].title,
        instructions=library[0].instructions,
        due=today + timedelta(days=5),
    )
    first = participants[0]
    if first.user is not None:
        first.user.set_password(DEMO_PASSWORD)
        first.user.save(update_fields=["password"])
        homework_services.hand_in(
            user=first.user,
            participant=first,
            assignment=assignment,
            text="Det som hjälpte mig mest var att träffa andra som varit med om samma sak.",
        )


def demo_course_participant() -> Any:
    """The demo course's participant who can sign in: the first enrolled, given the demo
    password on every seed (an older demo database included), so the account seed_demo
    prints always signs in (issue 17, finding 9; issue 26).

    The participants are enrolled in the order the round lists its applications (newest
    first), so this is not ``deltagare1``; asking the database says who it really is.
    """
    from egenmakt.demo.cast import DEMO_PASSWORD
    from egenmakt.peer.models import Cohort

    cohort = Cohort.objects.filter(title=COURSE_TITLE).first()
    if cohort is None:
        return None
    first = cohort.participants.select_related("user").order_by("pk").first()
    if first is None or first.user is None or not first.user.is_active:
        return None
    if not first.user.check_password(DEMO_PASSWORD):
        first.user.set_password(DEMO_PASSWORD)
        first.user.save(update_fields=["password"])
    return first.user


def seed_round(cast: Cast, network: object) -> RecruitmentRound:
    """The finished round the demo course came from (its dates moved into the past after
    the applications came in: a round only takes applications while it is open)."""
    today = timezone.localdate()
    round_ = services.create_round(
        user=cast.coordinator,
        organisation=network,  # type: ignore[arg-type]
        title="Peer support-utbildning Västerhav hösten 2026 (rekrytering)",
        jobs_expected=3,
        course_places=4,
        max_applications=None,
        channels=[Channel.USER_ORGANISATIONS],
        channels_other="",
        advertising_from=today - timedelta(days=1),
        applications_until=today + timedelta(days=1),
        interviews_from=today,
        interviews_until=today + timedelta(days=2),
        decision_by=today + timedelta(days=3),
        course_start=today + timedelta(days=40),
    )
    for person in (cast.interviewer, cast.second_interviewer):
        services.add_round_member(
            user=cast.coordinator, round_=round_, person=person, role=RoundRole.INTERVIEWER
        )
    return services.set_round_status(user=cast.coordinator, round_=round_, status=RoundStatus.OPEN)


PROGRAMME_ROUND_TITLE = "Peer support-utbildning Västerhav 2025"
REASON = "Har visat god förmåga att använda sin erfarenhet."
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fill(user: Any, key: str, subject: Any, answers: dict[str, Any], answered_on: Any) -> None:
    from egenmakt.instruments import services as instrument_services
    from egenmakt.instruments.selectors import current_definition

    response = instrument_services.start_response(
        user=user,
        definition=current_definition(key),
        subject=subject,
        respondent_kind="staff",
        answered_on=answered_on,
    )
    instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )


@transaction.atomic
def seed_demo_programme(cast: Cast) -> None:
    """A year-old round whose graduates now work: a ready workplace with two peer
    supporters, one not yet ready, one graduate waiting for a job, supervision with notes,
    fidelity reviews (the latest drifting), sick leave, reunions and a research key.

    The old round is written directly (its dates are in the past, when the services would
    no longer take applications); the rest goes through the services. Idempotent.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egenmakt.accounts.models import Membership, User
    from egenmakt.accounts.roles import Role
    from egenmakt.instruments.schema import iter_items
    from egenmakt.instruments.selectors import current_definition
    from egenmakt.peer.models import (
        Application,
        ApplicationStatus,
        Cohort,
        Participant,
        ParticipantStatus,
    )
    from egenmakt.peer.services import followup, supervision
    from egenmakt.peer.services import placement as placement_services
    from egenmakt.reports.models import ResearchKey

    if RecruitmentRound.objects.filter(title=PROGRAMME_ROUND_TITLE).exists():
        return
    network = cast.org("network")
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    round_ = RecruitmentRound.objects.create(
        organisation=network,
        title=PROGRAMME_ROUND_TITLE,
        status=RoundStatus.CLOSED,
        jobs_expected=3,
        course_places=4,
        channels=[Channel.USER_ORGANISATIONS, Channel.SERVICES],
        advertising_from=year_ago - timedelta(days=90),
        applications_until=year_ago - timedelta(days=60),
        interviews_from=year_ago - timedelta(days=55),
        interviews_until=year_ago - timedelta(days=45),
        decision_by=year_ago - timedelta(days=40),
        course_start=year_ago,
        created_by=cast.coordinator,
    )
    fake = Faker("sv_SE")
    fake.seed_instance("egenmakt-demo-programme")
    applications = []
    for n in range(9):
        status = (
            ApplicationStatus.ADMITTED
            if n < 4
            else ApplicationStatus.NOT_NOW
            if n < 6
            else ApplicationStatus.DECLINED
        )
        applications.append(
            Application.objects.create(
                round=round_,
                status=status,
                full_name=f"{fake.first_name()} {fake.last_name()}",
                email=f"sokande2025-{n + 1}@{settings.DEMO_EMAIL_DOMAIN}",
                **_stories(n),
                work_capacity=WorkCapacity.HALF_OR_MORE,
                available_for_course=YesPartlyNo.YES,
                heard_from=Channel.USER_ORGANISATIONS,
                privacy_notice_version="1",
                submitted_at=timezone.make_aware(
                    datetime.combine(year_ago - timedelta(days=70 - n), time(12))
                ),
                interviewed_at=(
                    timezone.make_aware(datetime.combine(year_ago - timedelta(days=50), time(10)))
                    if n < 6
                    else None
                ),
            )
        )
    cohort = Cohort.objects.create(
        round=round_, title="Peer support-kursen Västerhav 2025", created_by=cast.training_lead
    )
    completed_at = timezone.make_aware(datetime.combine(year_ago + timedelta(days=35), time(16)))
    graduates = [cast.peer_supporter]
    for n in (2, 3):
        user, _created = User.objects.get_or_create(
            email=f"peer{n}@{settings.DEMO_EMAIL_DOMAIN}",
            defaults={"full_name": f"{fake.first_name()} {fake.last_name()}"},
        )
        Membership.objects.get_or_create(
            user=user, organisation=cast.org("user_org_b"), role=Role.PEER_SUPPORTER
        )
        graduates.append(user)
    people: list[User | None] = [*graduates, None]
    for application, graduate in zip(applications, people, strict=False):
        Participant.objects.create(
            cohort=cohort,
            application=application,
            user=graduate,
            status=ParticipantStatus.COMPLETED if graduate else ParticipantStatus.LEFT,
            recommended=True if graduate else None,
            recommendation_reason="Har visat god förmåga att använda sin erfarenhet."
            if graduate
            else "",
            completed_at=completed_at if graduate else None,
        )
    # Those not admitted were erased after the retention period: only counts remain.
    Application.objects.filter(pk__in=[a.pk for a in applications[4:]]).delete()
    from egenmakt.peer.models import ErasedApplications

    ErasedApplications.objects.create(
        round=round_, applied=5, screened=5, interviewed=2, not_now=2, declined=3
    )

    ready = placement_services.register_workplace(
        user=cast.coordinator, workplace=cast.org("outpatient"), network=network
    )
    definition = current_definition("workplace_readiness")
    _fill(
        cast.workplace_manager,
        "workplace_readiness",
        ready,
        {
            i["key"]: "yes"
            for i in iter_items(definition.definition)
            if i["type"] == "yes_partly_no"
        },
        year_ago,
    )
    placement_services.save_task_description(
        user=cast.workplace_manager,
        workplace=ready,
        agreed_items=[key for key, _kind in placement_services.TASK_POINTS],
        record_keeping="does_not",
        notes="Peer supportrarna deltar i teamets morgonmöte.",
        agreed_by_peers=", ".join(p.full_name for p in graduates[:2]),
        agreed_on=year_ago + timedelta(days=40),
    )
    placement_services.record_agreement(
        user=cast.coordinator,
        workplace=ready,
        parties="Brukarnätverket Västerhav och Psykiatrisk öppenvård Nordstaden",
        recruitment=True,
        training=True,
        coordination=True,
        supervision=True,
        valid_from=year_ago,
        valid_until=None,
        signed_on=year_ago,
        document=SimpleUploadedFile("samverkansavtal.pdf", DEMO_PDF),
    )
    for days, theme in ((20, "Vad är peer support?"), (10, "Att ta emot peer supportrar")):
        placement_services.add_training(
            user=cast.workplace_manager,
            workplace=ready,
            audience="staff",
            day=year_ago + timedelta(days=days),
            theme=theme,
            attended=14,
            attendees="",
        )
    not_ready = placement_services.register_workplace(
        user=cast.coordinator, workplace=cast.org("housing_support"), network=network
    )
    placement_services.add_training(
        user=cast.coordinator,
        workplace=not_ready,
        audience="user_organisation",
        day=today - timedelta(days=12),
        theme="Peer support i boendestödet",
        attended=6,
        attendees="",
    )
    placements = [
        placement_services.place(
            user=cast.coordinator,
            workplace=ready,
            peer_supporter=person,
            starts_on=year_ago + timedelta(days=60),
            employer="user_organisation",
            share_percent=50,
            contact_person="Enhetschef Maria Lind",
            supervisor=cast.supervisor,
            override_reason="" if n else "Den andra peer supportern börjar samma dag.",
        )
        for n, person in enumerate(graduates[:2])
    ]
    followup.report_sick_leave(
        user=cast.coordinator,
        placement=placements[1],
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=38),
    )
    for days_ago, kept in ((200, 11), (100, 10), (10, 7)):
        definition = current_definition("fidelity")
        keys = [i["key"] for i in iter_items(definition.definition) if i["type"] == "yes_partly_no"]
        _fill(
            cast.coordinator,
            "fidelity",
            placements[0],
            {key: ("yes" if n < kept else "partly") for n, key in enumerate(keys)},
            today - timedelta(days=days_ago),
        )
    for months_ago in (4, 3, 2, 1):
        meeting = supervision.schedule_meeting(
            user=cast.supervisor,
            kind="group",
            starts_at=timezone.make_aware(
                datetime.combine(today - timedelta(days=30 * months_ago), time(13))
            ),
            place="Brukarnätverkets lokal, Storgatan 1",
            peer_supporters=graduates[:2],
        )
        supervision.mark_attendance(
            user=cast.supervisor,
            meeting=meeting,
            present={p.pk for p in graduates[: 2 if months_ago != 2 else 1]},
        )
    row = meeting.attendance.get(peer_supporter=graduates[0])
    _fill(
        cast.supervisor,
        "supervision_meeting",
        row,
        {
            "work_and_contacts": "Många samtal om vardagen efter utskrivning.",
            "system_shortcomings": "Det saknas tolk vid kvällsträffarna på mottagningen.",
        },
        timezone.localtime(meeting.starts_at).date(),
    )
    for days, title, kind in (
        (-60, "Återträff för alla som gått kursen", "reunion"),
        (21, "Fortbildning: samtal om självskada", "further_training"),
    ):
        day = today + timedelta(days=days)
        event = followup.create_event(
            user=cast.coordinator,
            network=network,
            kind=kind,
            title=title,
            starts_at=timezone.make_aware(datetime.combine(day, time(13))),
            ends_at=timezone.make_aware(datetime.combine(day, time(16))),
            place="Träffpunkt Kvarnen",
            description="Fika, erfarenhetsutbyte och ett tema.",
        )
        if days < 0:
            followup.mark_attendance(
                user=cast.coordinator, event=event, present={p.pk for p in graduates}
            )
    ResearchKey.objects.get_or_create(
        network=network, name="Utvärdering 2026", defaults={"created_by": cast.coordinator}
    )
