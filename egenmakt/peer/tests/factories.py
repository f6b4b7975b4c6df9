"""Test helpers: rounds, applications and interviews made through the services, so setup
takes the real write path (access-log rows included)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.services import load_shipped_definitions
from egenmakt.peer.models import (
    Application,
    Channel,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    Interview,
    RecruitmentRound,
    RoundRole,
    RoundStatus,
    WorkCapacity,
    YesPartlyNo,
)
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services

_numbers = count(1)


def round_dates(**overrides: Any) -> dict[str, Any]:
    """A round open today: advertising began a month ago, the course is ten weeks away."""
    today = timezone.localdate()
    dates = {
        "advertising_from": today - timedelta(days=30),
        "applications_until": today + timedelta(days=10),
        "interviews_from": today - timedelta(days=5),
        "interviews_until": today + timedelta(days=25),
        "decision_by": today + timedelta(days=30),
        "course_start": today + timedelta(days=70),
    }
    dates.update(overrides)
    return dates


def make_round(
    cast: Any, *, open_: bool = True, people: bool = True, **fields: Any
) -> RecruitmentRound:
    """The network's round, run by ``cast.coordinator`` with both demo interviewers."""
    values: dict[str, Any] = {
        "title": f"Omgång {next(_numbers)}",
        "jobs_expected": 4,
        "course_places": 8,
        "max_applications": None,
        "channels": [Channel.USER_ORGANISATIONS],
        "channels_other": "",
        **round_dates(),
    }
    values.update(fields)
    round_ = services.create_round(
        user=cast.coordinator, organisation=cast.org("network"), **values
    )
    if people:
        for person in (cast.interviewer, cast.second_interviewer):
            services.add_round_member(
                user=cast.coordinator, round_=round_, person=person, role=RoundRole.INTERVIEWER
            )
    if open_:
        round_ = services.set_round_status(
            user=cast.coordinator, round_=round_, status=RoundStatus.OPEN
        )
    return round_


def application_data(**overrides: Any) -> dict[str, Any]:
    n = next(_numbers)
    data: dict[str, Any] = {
        "full_name": f"Sökande Nummer{n}",
        "email": f"sokande{n}@example.org",
        "phone": "",
        "municipality": "",
        "birth_year": None,
        "gender": "",
        "own_experience": "Depression i många år; självhjälpsgrupp hjälpte.",
        "care_experience": "Öppenvård.",
        "motivation": "Jag vill ge hopp.",
        "work_capacity": WorkCapacity.HALF_OR_MORE,
        "available_for_course": YesPartlyNo.YES,
        "support_needs": "",
        "heard_from": Channel.USER_ORGANISATIONS,
    }
    data.update(overrides)
    return data


def apply(round_: RecruitmentRound, **overrides: Any) -> Application:
    return services.submit_application(
        round_=round_, data=application_data(**overrides), language="sv", accepted_notice=True
    )


def screen(
    cast: Any, application: Application, outcome: str = DecisionOutcome.GO_ON
) -> Application:
    services.decide(
        user=cast.coordinator,
        application=application,
        step=DecisionStep.SCREENING,
        outcome=outcome,
        reason=DecisionReason.MORE_TO_LEARN,
    )
    application.refresh_from_db()
    return application


def in_days(days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, 0))
    )


def book(
    cast: Any, application: Application, *, days: int = 3, hour: int = 10, **kw: Any
) -> Interview:
    kw.setdefault("interviewer_1", cast.interviewer)
    kw.setdefault("interviewer_2", cast.second_interviewer)
    return interviews_services.book_interview(
        user=cast.coordinator,
        application=application,
        starts_at=in_days(days, hour),
        duration_minutes=60,
        place="Brukarnätverket, Storgatan 1",
        **kw,
    )


def held_interview(cast: Any, application: Application) -> Interview:
    """An interview that has started: booked, then moved to the past (bookings must be in
    the future, as in real use)."""
    interview = book(cast, application)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10)
    )
    interview.refresh_from_db()
    return interview


def ensure_instruments() -> None:
    """Transactional tests flush the definitions the data migration loaded."""
    if not InstrumentDefinition.objects.filter(key="applicant_interview").exists():
        load_shipped_definitions()


def admitted(
    cast: Any, round_: RecruitmentRound, outcome: str = DecisionOutcome.ADMIT, **kw: Any
) -> Application:
    """An applicant taken through screening and an interview to a decision."""
    from egenmakt.peer.models import RecordKind

    application = screen(cast, apply(round_, **kw))
    interview = held_interview(cast, application)
    interviews_services.start_record(
        user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
    )
    services.decide(
        user=cast.coordinator,
        application=application,
        step=DecisionStep.INTERVIEW,
        outcome=outcome,
        reason=DecisionReason.CRITERIA_MET,
    )
    application.refresh_from_db()
    return application


def acknowledge(participant: Any, language: str = "sv") -> Any:
    """The participant's own acknowledgement of the ethics guidelines that apply now."""
    from egenmakt.peer.selectors.ethics import guidelines_for
    from egenmakt.peer.services.ethics import acknowledge_guidelines

    return acknowledge_guidelines(
        user=participant.user,
        participant=participant,
        checksum=guidelines_for(participant.cohort.round.organisation).checksum,
        language=language,
    )
