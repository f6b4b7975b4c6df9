"""The applicant's own rights through the private link: their data as a JSON file, and
erasing the application now (GDPR art. 15, 17 and 20). And a peer supporter's own part of
the programme in the generic user export.

What the applicant's export holds (decided here): every part the registry of personal data
lists for an applicant (their application, the decisions about it with the coordinator's
comment, since an assessment of the applicant is theirs to see, the interviews' times and
places, which notes were written, the e-mails to them, who-read-my-data rows), the
interviewers' notes and assessments about them (the fuller record), and nothing of anyone
else: no other applicant, no interviewer's or coordinator's name or address, not which
interviewer wrote which note.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Action
from egenmakt.audit.registry import erase_person, export_person, registrations
from egenmakt.instruments.models import Response
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.peer.models import (
    Application,
    Assignment,
    Attendance,
    CourseSession,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    ErasedApplications,
    FollowUpInvitation,
    InterviewRecord,
    LivedExperience,
    Participant,
    Placement,
    RecordKind,
    SickLeave,
    Submission,
    SupervisionAttendance,
)
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services
from egenmakt.peer.services import retention

from .factories import admitted, apply, book, held_interview, make_round, screen

pytestmark = pytest.mark.django_db

SECRET = {
    "full_name": "Ingrid Unikesson",
    "email": "ingrid.unikesson@example.org",
    "phone": "070-999 88 77",
    "own_experience": "Min berättelse om återhämtning, ord Xylofonmorgon.",
    "care_experience": "Vården jag fick, ord Kardemummabro.",
    "motivation": "Därför vill jag, ord Pelargonsommar.",
    "support_needs": "Stöd jag behöver, ord Tranbärshimmel.",
}
COMMENT = "Bedömning av sökanden, ord Lingonstjärna."
NOTES = "Intervjuanteckning om sökanden, ord Havtornsvind."


def _rich_application(cast: Any) -> Application:
    """An applicant taken through screening (with a comment), a held interview with notes,
    e-mails, and a change-trail row about the application."""
    round_ = make_round(cast)
    application = screen(cast, apply(round_, **SECRET))
    interview = held_interview(cast, application)
    response = interviews_services.start_record(
        user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
    )
    Response.objects.filter(pk=response.pk).update(answers={"notes": NOTES})
    services.decide(
        user=cast.coordinator,
        application=application,
        step=DecisionStep.INTERVIEW,
        outcome=DecisionOutcome.RESERVE,
        reason=DecisionReason.PLACES,
        comment=COMMENT,
    )
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_pk=str(application.pk),
        object_id=application.pk,
        object_repr=application.full_name,
        action=LogEntry.Action.UPDATE,
        changes={"email": [SECRET["email"], SECRET["email"]]},
    )
    application.refresh_from_db()
    return application


def _link(name: str, application: Application) -> str:
    return reverse(name, args=[services.status_token(application)])


def _forms(value: str) -> tuple[str, str]:
    """A value as text and as a JSON column stores it (SQLite escapes non-ASCII there)."""
    return value.lower(), json.dumps(value)[1:-1].lower()


def _dump() -> str:
    """Every row of every table as text, lower-cased: every model's table (Django's and
    third-party apps' included) and any table without a model."""
    from django.apps import apps

    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.db_table in tables, model
    quote = connection.ops.quote_name
    chunks = []
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            chunks.extend("\t".join(map(str, row)) for row in cursor.fetchall())
    return "\n".join(chunks).lower()


# --- The status page ----------------------------------------------------------------------


def test_the_status_page_offers_the_download_and_the_erasure(client, cast):
    application = apply(make_round(cast))
    response = client.get(_link("peer_public:status", application))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert _link("peer_public:export", application) in body
    assert _link("peer_public:erase", application) in body


def test_a_course_participant_is_told_whom_to_ask_instead_of_an_erase_link(client, cast):
    application = _participant(cast)
    body = client.get(_link("peer_public:status", application)).content.decode()
    assert _link("peer_public:export", application) in body
    assert _link("peer_public:erase", application) not in body
    assert cast.org("network").name in body


def _participant(cast: Any) -> Application:
    from egenmakt.peer.services import course as course_services

    round_ = make_round(cast)
    application = admitted(cast, round_)
    course_services.create_cohort(
        user=cast.training_lead, round_=round_, title="Kursen", attendance_threshold=80
    )
    assert Participant.objects.filter(application=application).exists()
    return application


# --- Export -------------------------------------------------------------------------------


def test_the_export_holds_what_the_registry_lists_for_the_applicant_and_nothing_else(client, cast):
    application = _rich_application(cast)
    other = apply(application.round, full_name="Annan Sökandesson", email="annan@example.org")
    screen(cast, other)
    response = client.get(_link("peer_public:export", application))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    data = json.loads(body)
    # Every part the registry lists for an applicant that has rows, and only those.
    expected = {
        entry.label
        for entry in registrations()
        for part in entry.of
        if isinstance(application, part.person) and part.rows(application).exists()
    }
    assert {section["kind"] for section in data["data"]} == expected
    assert {
        "peer.application",
        "peer.decision",
        "peer.interview",
        "peer.interviewrecord",
        "outbox.outgoingemail",
        "audit.accesslog",
    } <= expected
    for value in (*SECRET.values(), COMMENT):
        assert value in body
    # The interview notes about the applicant too (the fuller record), but not who wrote them.
    (notes,) = data["record"]["interview_answers"]
    assert notes["answers"] == {"notes": NOTES} and not notes["agreed"]
    # Nothing of anyone else: the other applicant, the interviewers, the coordinator.
    for person in (cast.interviewer, cast.second_interviewer, cast.coordinator):
        assert person.full_name not in body
        assert person.email not in body
    assert "Annan Sökandesson" not in body and "annan@example.org" not in body
    # Logged as an export by the applicant themself, identifiers only.
    row = AccessLog.objects.get(action=Action.EXPORT, person_id=str(application.pk))
    assert row.reason == AuditEvent.PERSONAL_DATA_EXPORTED
    assert row.actor_id is None
    assert row.object_id == str(application.pk)


def test_the_interviewers_invitations_are_not_the_applicants_e_mails(cast):
    application = screen(cast, apply(make_round(cast)))
    book(cast, application)
    data = export_person(application)
    (emails,) = [s for s in data["data"] if s["kind"] == "outbox.outgoingemail"]
    assert {row["to"] for row in emails["rows"]} == {application.email}


@pytest.mark.parametrize("name", ["peer_public:export", "peer_public:erase"])
def test_a_wrong_or_replaced_link_finds_nothing(client, cast, name):
    application = apply(make_round(cast))
    token = services.status_token(application)
    assert client.get(reverse(name, args=[token[:-2] + "xx"])).status_code == 404
    Application.objects.filter(pk=application.pk).update(link_nonce="replaced")
    assert client.get(reverse(name, args=[token])).status_code == 404
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_the_export_and_erase_pages_answer_get_only(client, cast):
    application = apply(make_round(cast))
    assert client.post(_link("peer_public:export", application)).status_code == 405
    assert client.post(_link("peer_public:erase", application)).status_code == 405
    assert client.get(_link("peer_public:erase_now", application)).status_code == 405
    assert Application.objects.filter(pk=application.pk).exists()


# --- Erasure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "box"),
    [
        ("en", "Erase my application", "cannot be undone"),
        ("sv", "Radera min ansökan", "inte går att ångra"),
    ],
)
def test_the_erase_page_says_what_goes_and_what_stays(client, cast, language, heading, box):
    application = apply(make_round(cast))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(_link("peer_public:erase", application))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert heading in body and box in body
    assert _link("peer_public:erase_now", application) in body


def test_erasing_without_the_confirmation_is_refused_and_erases_nothing(client, cast):
    application = apply(make_round(cast))
    for data in ({}, {"confirm": ""}):
        response = client.post(_link("peer_public:erase_now", application), data)
        assert response.status_code == 400
        assert "Tick the box" in response.content.decode() or "Kryssa" in response.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()
    assert not AccessLog.objects.filter(action=Action.DELETE).exists()


def test_erasing_leaves_no_trace_of_the_applicant_in_any_table(client, cast):
    application = _rich_application(cast)
    pk, round_ = application.pk, application.round
    other = apply(round_, full_name="Kvar Sökandesson", email="kvar@example.org")
    links = [
        _link(name, application)
        for name in ("peer_public:status", "peer_public:export", "peer_public:erase")
    ]
    record_ids = [
        str(r)
        for r in InterviewRecord.objects.filter(interview__application=application).values_list(
            "pk", flat=True
        )
    ]
    before = _dump()
    for value in (*SECRET.values(), COMMENT, NOTES):
        # Present before, or the test would prove nothing.
        assert any(form in before for form in _forms(value)), value

    response = client.post(_link("peer_public:erase_now", application), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("peer_public:erased")
    assert client.get(response["Location"]).status_code == 200

    after = _dump()
    for value in (*SECRET.values(), COMMENT, NOTES):
        assert not any(form in after for form in _forms(value)), value
    assert not Application.objects.filter(pk=pk).exists()
    assert not Response.objects.filter(subject_id__in=record_ids).exists()
    assert not OutgoingEmail.objects.filter(person_label="peer.application", person_id=str(pk))
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_pk=str(pk)
    ).exists()
    # The log keeps that it was erased, and by whom (the applicant), with identifiers only.
    row = AccessLog.objects.get(action=Action.DELETE, person_id=str(pk))
    assert row.reason == AuditEvent.APPLICATION_ERASED_BY_APPLICANT
    assert row.actor_id is None
    counts = ErasedApplications.objects.get(round=round_)
    assert (counts.applied, counts.screened, counts.interviewed, counts.reserve) == (1, 1, 1, 1)
    # The link opens nothing any more; the other applicant is untouched.
    for link in links:
        assert client.get(link).status_code == 404
    assert client.post(links[0].rstrip("/") + "/radera/nu/", {"confirm": "on"}).status_code == 404
    assert Application.objects.filter(pk=other.pk).exists()


def test_an_application_in_any_open_or_ended_status_may_be_erased(cast):
    round_ = make_round(cast)
    applied = apply(round_)
    declined = screen(cast, apply(round_), DecisionOutcome.NO)
    place = admitted(cast, round_)  # admitted, no course yet
    for application in (applied, declined, place):
        erase_person(application)  # the registry's erasure is this one
        assert not Application.objects.filter(pk=application.pk).exists()
    counts = ErasedApplications.objects.get(round=round_)
    assert (counts.applied, counts.declined, counts.admitted) == (3, 1, 1)


def test_a_course_participant_cannot_erase_here(client, cast):
    application = _participant(cast)
    with pytest.raises(retention.ErasureRefusedError):
        retention.erase_application_now(application)
    response = client.post(_link("peer_public:erase_now", application), {"confirm": "on"})
    assert response.status_code == 400
    assert cast.org("network").name in response.content.decode()
    assert Application.objects.filter(pk=application.pk).exists()
    assert not AccessLog.objects.filter(action=Action.DELETE, person_id=str(application.pk))


def test_anything_left_after_the_erasure_rolls_it_back(client, cast):
    application = _rich_application(cast)
    with mock.patch.object(retention, "leftover_identifiers", return_value=["some.column"]):
        with pytest.raises(retention.ErasureIncompleteError):
            retention.erase_application_now(application)
        response = client.post(_link("peer_public:erase_now", application), {"confirm": "on"})
    assert response.status_code == 500
    assert Application.objects.filter(pk=application.pk).exists()
    assert application.decisions.exists() and application.interviews.exists()
    assert not AccessLog.objects.filter(action=Action.DELETE, person_id=str(application.pk))
    assert not ErasedApplications.objects.filter(round=application.round).exists()


def test_the_check_after_erasure_really_searches_every_table(cast):
    """Without the patch above: a copy of the name somewhere else stops the erasure."""
    application = apply(make_round(cast), full_name="Kopia Namnsson", email="kopia@example.org")
    OutgoingEmail.objects.create(
        to="someone@example.org", subject="Om Kopia Namnsson", purpose="test"
    )
    with pytest.raises(retention.ErasureIncompleteError, match=r"outbox_outgoingemail\.subject"):
        retention.erase_application_now(application)
    assert Application.objects.filter(pk=application.pk).exists()


def test_the_same_persons_application_in_another_round_stays(cast):
    """A person who applied twice erases one application: the other keeps their name and
    address, so the check does not look for them there."""
    first = apply(make_round(cast), full_name="Två Gångersson", email="tva@example.org")
    second = apply(make_round(cast), full_name="Två Gångersson", email="tva@example.org")
    retention.erase_application_now(second)
    assert list(Application.objects.filter(email="tva@example.org")) == [first]


def test_the_retention_job_still_erases_with_its_own_reason(cast):
    round_ = make_round(cast)
    application = screen(cast, apply(round_), DecisionOutcome.NOT_NOW)
    counts = ErasedApplications.objects.create(round=round_)
    pk = application.pk
    retention._erase_application(application, counts)
    row = AccessLog.objects.get(action=Action.DELETE, person_id=str(pk))
    assert row.reason == AuditEvent.APPLICATION_ERASED_NOT_ADMITTED


# --- A peer supporter's own export (the generic user export) -----------------------------


def _course_rows(participant: Participant, text: str, *, by: Any) -> None:
    session = CourseSession.objects.create(
        cohort=participant.cohort,
        day=date(2025, 9, 1),
        starts=time(9),
        ends=time(16),
        place="Lokalen",
        theme="Återhämtning",
    )
    Attendance.objects.create(
        session=session, participant=participant, status="late", note=f"Sen: {text}", recorded_by=by
    )
    assignment = Assignment.objects.create(
        cohort=participant.cohort,
        title=f"Uppgift {text}",
        instructions="Skriv.",
        due=date(2025, 9, 8),
        created_by=by,
    )
    Submission.objects.create(
        assignment=assignment,
        participant=participant,
        text=f"Mitt svar {text}",
        file_name=f"{text}.pdf",
        feedback=f"Återkoppling {text}",
        feedback_by=by,
        feedback_at=timezone.now(),
    )


def test_a_peer_supporters_export_holds_their_programme_and_no_one_elses(cast):
    from egenmakt.demo import programme as peer_demo

    peer_demo.seed_demo_programme(cast)
    me = cast.peer_supporter
    mine = Participant.objects.get(user=me)
    theirs = Participant.objects.filter(cohort=mine.cohort, user__isnull=False).exclude(user=me)
    other = theirs.first()
    assert other is not None
    _course_rows(mine, "Blåklocka", by=cast.course_leader)
    _course_rows(other, "Maskros", by=cast.course_leader)
    placement = Placement.objects.filter(peer_supporter=me).first()
    assert placement is not None
    SickLeave.objects.create(
        placement=placement,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 9),
        recorded_by=cast.workplace_manager,
    )
    LivedExperience.objects.update_or_create(user=me, defaults={"declared": True})
    assert SupervisionAttendance.objects.filter(peer_supporter=me).exists()
    assert FollowUpInvitation.objects.filter(peer_supporter=me).exists()

    data = export_person(me)
    sections = {section["kind"]: section["rows"] for section in data["data"]}
    for kind in (
        "peer.participant",
        "peer.attendance",
        "peer.submission",
        "peer.placement",
        "peer.placementevent",
        "peer.sickleave",
        "peer.supervisionattendance",
        "peer.followupinvitation",
        "peer.livedexperience",
    ):
        assert sections.get(kind), kind
    assert sections["peer.participant"][0]["cohort__title"] == mine.cohort.title
    (submission,) = sections["peer.submission"]
    assert submission["text"] == "Mitt svar Blåklocka"
    assert submission["file_name"] == "Blåklocka.pdf"
    assert submission["feedback"] == "Återkoppling Blåklocka"
    assert sections["peer.attendance"][0]["note"] == "Sen: Blåklocka"
    assert sections["peer.livedexperience"] == [
        {"declared": True, "updated_at": sections["peer.livedexperience"][0]["updated_at"]}
    ]
    assert {row["starts_on"] for row in sections["peer.sickleave"]} >= {"2026-01-05"}
    text = json.dumps(data, ensure_ascii=False)
    # No other participant's data, and no other person's name.
    assert "Maskros" not in text
    for participant in theirs.select_related("user", "application"):
        assert participant.user.full_name not in text
        assert participant.user.email not in text
        assert participant.application.full_name not in text
    for person in (cast.course_leader, cast.supervisor, cast.coordinator, cast.workplace_manager):
        assert person.full_name not in text and person.email not in text


def test_a_staff_members_export_holds_their_part_of_an_interview_not_the_applicants(cast):
    application = _rich_application(cast)
    data = export_person(cast.interviewer)
    text = json.dumps(data, ensure_ascii=False)
    sections = {section["kind"]: section["rows"] for section in data["data"]}
    assert sections["peer.interview"] and sections["peer.interviewrecord"]
    for value in (*SECRET.values(), COMMENT, NOTES):
        assert value not in text
    assert application.full_name not in text
