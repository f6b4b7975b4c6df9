"""Demo data: a finished PEER programme round (applications, a course, placements,
supervision and follow-up) that gives the programme report something worth reading."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from egenmakt.demo.cast import Cast
from egenmakt.demo.peer import stories_of, traits_of
from egenmakt.peer.models import (
    Channel,
    RecruitmentRound,
    RoundStatus,
    WorkCapacity,
    YesPartlyNo,
)

PROGRAMME_ROUND_TITLE = "Peer support-utbildning Västerhav 2025"
REASON = "Har visat god förmåga att använda sin erfarenhet."
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fill(user: Any, key: str, subject: Any, answers: dict[str, Any], answered_on: Any) -> None:
    from egenmakt.instruments import services as instrument_services
    from egenmakt.instruments.selectors import current_definition
    from egenmakt.instruments.subjects import organisation_of

    response = instrument_services.start_response(
        user=user,
        definition=current_definition(key, organisation_of(subject)),
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
                **stories_of(n),
                **traits_of(n + 1),
                birth_year=1968 + n * 4,
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
    from egenmakt.peer.selectors.ethics import guidelines_for
    from egenmakt.peer.services.ethics import acknowledge_guidelines

    for application, graduate in zip(applications, people, strict=False):
        participant = Participant.objects.create(
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
        if graduate is not None:
            # They read and acknowledged the ethics guidelines during the course.
            acknowledge_guidelines(
                user=graduate,
                participant=participant,
                checksum=guidelines_for(round_.organisation).checksum,
                language="sv",
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
    definition = current_definition("workplace_readiness", network)
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
    # The network's own two sessions as the user organisation (handbook p. 20).
    for days, theme in (
        (15, "Peer support och brukarrörelsens roll"),
        (25, "Att stötta peer supportrar"),
    ):
        placement_services.add_user_organisation_training(
            user=cast.coordinator,
            organisation=network,
            day=year_ago + timedelta(days=days),
            theme=theme,
            attended=9,
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
        definition = current_definition("fidelity", placements[0].workplace.network)
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
    seed_demo_work_log(placements, today)


# The demo peer supporters' work: (days ago, kind, minutes, setting, themes), repeated
# back over the placement; the last two weeks go through the service as on the page.
WORK_PATTERN = [
    (1, "support_talk", 45, "outpatient", ["recovery", "own_experience"]),
    (2, "group", 90, "group_room", ["recovery", "relations"]),
    (4, "first_contact", 30, "inpatient", ["rights"]),
    (6, "accompanying", 120, "community", ["housing", "care_contact"]),
    (8, "support_talk", 60, "remote", ["work_study"]),
    (11, "support_talk", 45, "outpatient", ["own_experience"]),
]


def seed_demo_work_log(placements: list[Any], today: Any) -> None:
    from egenmakt.peer.models import WorkLogEntry
    from egenmakt.peer.services.worklog import record_entry

    older = []
    for n, placement in enumerate(placements):
        for weeks_back in range(0, 40, 2):
            for days, kind, minutes, setting, themes in WORK_PATTERN[n:]:
                day = today - timedelta(days=days + 7 * weeks_back)
                if day < placement.starts_on:
                    continue
                values = {
                    "placement": placement,
                    "day": day,
                    "kind": kind,
                    "minutes": minutes,
                    "setting": setting,
                    "themes": themes,
                }
                if weeks_back == 0:
                    record_entry(user=placement.peer_supporter, **values)
                else:
                    older.append(WorkLogEntry(peer_supporter=placement.peer_supporter, **values))
    WorkLogEntry.objects.bulk_create(older)
