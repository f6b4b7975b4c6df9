"""Rounds, screening, interviews in pairs, records kept apart then agreed, admission."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from egenmakt.instruments.models import Response
from egenmakt.instruments.services import submit_response
from egenmakt.peer.models import (
    ApplicationStatus,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    InterviewRecord,
    RecordKind,
    RoundMember,
    RoundStatus,
)
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services

from .factories import apply, book, held_interview, make_round, round_dates, screen

pytestmark = pytest.mark.django_db


# --- Rounds ----------------------------------------------------------------------------


def test_coordinator_creates_a_round_through_the_page(client, cast, signed_in):
    signed_in(cast.coordinator)
    dates = {k: v.isoformat() for k, v in round_dates().items()}
    response = client.post(
        reverse("peer:round_create"),
        {
            "organisation": cast.org("network").pk,
            "title": "Våren 2027",
            "jobs_expected": 4,
            "course_places": 10,
            "channels": ["user_organisations", "services"],
            "retention_months": 12,
            **dates,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Våren 2027" in page
    assert "Tidslinje" in page
    assert "Patient- och brukarorganisationer" in page


def test_opening_and_closing_a_round_are_two_actions(client, cast, signed_in):
    round_ = make_round(cast, open_=False)
    signed_in(cast.coordinator)
    response = client.post(reverse("peer:round_open", args=[round_.pk]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    client.post(reverse("peer:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    assert round_.closed_at is not None
    assert client.get(reverse("peer:round_open", args=[round_.pk])).status_code == 405


def test_an_interviewer_cannot_open_or_close_the_round(client, cast, signed_in):
    round_ = make_round(cast, open_=False)
    signed_in(cast.interviewer)
    assert client.post(reverse("peer:round_open", args=[round_.pk])).status_code == 403
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_round_dates_must_run_forwards(client, cast, signed_in):
    signed_in(cast.coordinator)
    today = timezone.localdate()
    dates = round_dates(decision_by=today + timedelta(days=90))  # after the course start
    response = client.post(
        reverse("peer:round_create"),
        {
            "organisation": cast.org("network").pk,
            "title": "Baklänges",
            "jobs_expected": 4,
            "course_places": 2,
            "retention_months": 12,
            **{k: v.isoformat() for k, v in dates.items()},
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Datumet ligger före beslut senast" in page
    assert "Ange minst lika många utbildningsplatser" in page


def test_round_page_warns_when_notice_is_under_four_weeks(client, cast, signed_in):
    today = timezone.localdate()
    round_ = make_round(
        cast,
        **round_dates(
            decision_by=today + timedelta(days=50), course_start=today + timedelta(days=70)
        ),
    )
    assert round_.notice_too_short
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:round", args=[round_.pk])).content.decode()
    assert "bara 20 dagar före utbildningsstarten" in page


def test_round_page_shows_timeline_against_today(client, cast, signed_in):
    round_ = make_round(cast)
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:round", args=[round_.pk])).content.decode()
    assert 'class="state-now"' in page
    assert "Annonsering och ansökan" in page
    assert not round_.notice_too_short


def test_people_page_adds_someone_from_another_organisation_by_email(client, cast, signed_in):
    round_ = make_round(cast, people=False)
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:round_people", args=[round_.pk]),
        {"email": cast.second_interviewer.email, "role": "interviewer"},
    )
    assert response.status_code == 302
    member = RoundMember.objects.get(round=round_, user=cast.second_interviewer)
    assert member.represents_user_movement is False  # from the region's clinic
    response = client.post(
        reverse("peer:round_people", args=[round_.pk]),
        {"person": cast.interviewer.pk, "role": "interviewer"},
    )
    assert RoundMember.objects.get(round=round_, user=cast.interviewer).represents_user_movement


def test_people_without_a_recruitment_role_cannot_be_added(cast):
    round_ = make_round(cast, people=False)
    with pytest.raises(services.RecruitmentError):
        services.add_round_member(
            user=cast.coordinator, round_=round_, person=cast.case_manager, role="interviewer"
        )


# --- Step 1 ----------------------------------------------------------------------------


def test_screening_shows_the_writing_reminder_and_records_decision(client, cast, signed_in):
    round_ = make_round(cast)
    application = apply(round_)
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:application", args=[application.pk])).content.decode()
    assert "Skrivförmåga är inget krav" in page
    response = client.post(
        reverse("peer:decide", args=[application.pk, "screening"]),
        {"outcome": "go_on", "reason": "more_to_learn", "comment": "Spännande"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GO_ON
    assert application.screened_at is not None


def test_screening_decision_needs_an_outcome(client, cast, signed_in):
    application = apply(make_round(cast))
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:decide", args=[application.pk, "screening"]), {"reason": "other"}
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert not application.decisions.exists()


def test_admission_decision_is_refused_at_step_one(cast):
    application = apply(make_round(cast))
    with pytest.raises(services.RecruitmentError):
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.INTERVIEW,
            outcome=DecisionOutcome.ADMIT,
            reason=DecisionReason.CRITERIA_MET,
        )


# --- Step 2 ----------------------------------------------------------------------------


def test_booking_sends_invitations_with_a_calendar_file(cast):
    application = screen(cast, apply(make_round(cast)))
    interview = book(cast, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW_BOOKED
    recipients = sorted(m.to[0] for m in mail.outbox if "ntervju" in m.subject)
    assert recipients == sorted(
        [application.email, cast.interviewer.email, cast.second_interviewer.email]
    )
    invitation = next(m for m in mail.outbox if m.to == [application.email] and m.attachments)
    name, content, mimetype = invitation.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == interview.starts_at
    assert str(event.get("location")) == interview.place
    # Shared calendars get no applicant name.
    assert application.full_name not in content


def test_interview_needs_two_different_people_of_the_round(cast):
    application = screen(cast, apply(make_round(cast)))
    with pytest.raises(services.RecruitmentError):
        book(cast, application, interviewer_2=cast.interviewer)
    with pytest.raises(services.RecruitmentError):
        book(cast, application, interviewer_2=cast.outsider_interviewer)


def test_interviewer_cannot_be_double_booked(cast):
    round_ = make_round(cast)
    first = screen(cast, apply(round_))
    second = screen(cast, apply(round_))
    book(cast, first, days=4, hour=10)
    with pytest.raises(services.RecruitmentError, match=r"redan en intervju|already has"):
        book(cast, second, days=4, hour=10)
    book(cast, second, days=4, hour=13)


def test_page_warns_when_neither_interviewer_is_from_the_user_movement(client, cast, signed_in):
    round_ = make_round(cast)
    RoundMember.objects.filter(round=round_).update(represents_user_movement=False)
    interview = book(cast, screen(cast, apply(round_)))
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:interview", args=[interview.pk])).content.decode()
    assert "Ingen av intervjuarna representerar brukarrörelsen" in page


def test_no_warning_when_one_interviewer_is_from_the_user_movement(client, cast, signed_in):
    interview = book(cast, screen(cast, apply(make_round(cast))))
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:interview", args=[interview.pk])).content.decode()
    assert "Ingen av intervjuarna representerar brukarrörelsen" not in page


def _answer_all(response: Response) -> dict:
    """Minimal complete answers for the interview instruments."""
    from egenmakt.instruments.schema import iter_items

    answers: dict = {}
    for item in iter_items(response.definition.definition):
        if not item.get("required"):
            continue
        kind = item["type"]
        if kind in {"single_choice", "yes_partly_no"}:
            choices = item.get("choices") or [{"value": "yes"}]
            answers[item["key"]] = choices[0]["value"]
        elif kind == "scale":
            answers[item["key"]] = item["min"]
        else:
            answers[item["key"]] = "Bra samtal."
    return answers


def _submit(user, response):
    return submit_response(
        user=user,
        response=response,
        answers=_answer_all(response),
        expected_version=response.version,
    )


def test_notes_are_kept_apart_until_submitted_then_agreed(client, cast, signed_in):
    interview = held_interview(cast, screen(cast, apply(make_round(cast))))
    mine = interviews_services.start_record(
        user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
    )
    theirs = interviews_services.start_record(
        user=cast.second_interviewer, interview=interview, kind=RecordKind.NOTES
    )
    assert mine.definition.key == "applicant_interview"
    # A draft is its writer's own: the other interviewer cannot open it.
    signed_in(cast.second_interviewer)
    assert client.get(reverse("instruments:response", args=[mine.pk])).status_code == 404
    # The agreed version waits for both.
    with pytest.raises(services.RecruitmentError):
        interviews_services.start_record(
            user=cast.interviewer, interview=interview, kind=RecordKind.NOTES, agreed=True
        )
    _submit(cast.interviewer, mine)
    assert client.get(reverse("instruments:response", args=[mine.pk])).status_code == 200
    # ... but cannot change it.
    assert client.get(reverse("instruments:answer", args=[mine.pk])).status_code in {403, 404}
    _submit(cast.second_interviewer, theirs)
    agreed = interviews_services.start_record(
        user=cast.second_interviewer, interview=interview, kind=RecordKind.NOTES, agreed=True
    )
    assert InterviewRecord.objects.get(pk=agreed.subject_id).author is None
    # Both interviewers write the agreed one; the round's coordinator reads all of them.
    signed_in(cast.interviewer)
    assert client.get(reverse("instruments:answer", args=[agreed.pk])).status_code == 200
    signed_in(cast.coordinator)
    assert client.get(reverse("instruments:response", args=[theirs.pk])).status_code == 200
    interview.application.refresh_from_db()
    assert interview.application.status == ApplicationStatus.INTERVIEWED


def test_record_pages_link_back_to_the_interview(client, cast, signed_in):
    interview = held_interview(cast, screen(cast, apply(make_round(cast))))
    signed_in(cast.interviewer)
    response = client.post(reverse("peer:interview_record", args=[interview.pk, "assessment"]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert reverse("peer:interview", args=[interview.pk]) in page
    assert "Bedömning mot urvalskriterierna" in page


def test_the_agreed_version_has_its_own_action(client, cast, signed_in):
    interview = held_interview(cast, screen(cast, apply(make_round(cast))))
    url = reverse("peer:interview_record_agreed", args=[interview.pk, "notes"])
    signed_in(cast.interviewer)
    # Not before both have submitted their own: the page says why.
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("peer:interview", args=[interview.pk])
    for user in (cast.interviewer, cast.second_interviewer):
        own = interviews_services.start_record(
            user=user, interview=interview, kind=RecordKind.NOTES
        )
        _submit(user, own)
    response = client.post(url)
    assert response.status_code == 302
    agreed = Response.objects.get(pk=response["Location"].rstrip("/").split("/")[-2])
    assert InterviewRecord.objects.get(pk=agreed.subject_id).author is None


def test_notes_cannot_be_started_before_the_interview(cast):
    interview = book(cast, screen(cast, apply(make_round(cast))), days=5)
    with pytest.raises(services.RecruitmentError):
        interviews_services.start_record(
            user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
        )


def test_admit_reserve_and_decline_after_the_interview(cast):
    round_ = make_round(cast)
    outcomes = [DecisionOutcome.ADMIT, DecisionOutcome.RESERVE, DecisionOutcome.DECLINE]
    applications = []
    for outcome in outcomes:
        application = screen(cast, apply(round_))
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
        applications.append(application.status)
    assert applications == [
        ApplicationStatus.ADMITTED,
        ApplicationStatus.RESERVE,
        ApplicationStatus.DECLINED,
    ]


def test_a_reserve_can_later_be_admitted(cast):
    application = screen(cast, apply(make_round(cast)))
    interviews_services.start_record(
        user=cast.interviewer, interview=held_interview(cast, application), kind="notes"
    )
    for outcome in (DecisionOutcome.RESERVE, DecisionOutcome.ADMIT):
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.INTERVIEW,
            outcome=outcome,
            reason=DecisionReason.PLACES,
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    assert application.decisions.count() == 3


def test_cancelling_an_interview_returns_the_application_to_step_two(cast):
    application = screen(cast, apply(make_round(cast)))
    interview = book(cast, application)
    interviews_services.cancel_interview(user=cast.coordinator, interview=interview)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GO_ON


def test_book_interview_page_shows_form_errors_in_swedish(client, cast, signed_in):
    application = screen(cast, apply(make_round(cast)))
    signed_in(cast.coordinator)
    url = reverse("peer:book_interview", args=[application.pk])
    response = client.post(
        url,
        {
            "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "start": "10:00",
            "duration_minutes": 60,
            "place": "Kontoret",
            "interviewer_1": cast.interviewer.pk,
            "interviewer_2": cast.second_interviewer.pk,
        },
    )
    assert response.status_code == 400
    assert "Intervjun måste ligga framåt i tiden." in response.content.decode()


def test_interviewer_sees_own_interviews(client, cast, signed_in):
    application = screen(cast, apply(make_round(cast)))
    book(cast, application)
    signed_in(cast.second_interviewer)
    page = client.get(reverse("peer:my_interviews")).content.decode()
    assert application.full_name in page
