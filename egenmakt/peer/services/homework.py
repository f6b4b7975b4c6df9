"""Homework and exercises in the course: the libraries, setting homework, handing in, feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import (
    Cohort,
    CourseSession,
    Participant,
)
from egenmakt.peer.rules import is_participant, may_take_attendance
from egenmakt.peer.services.recruitment import RecruitmentError

# --- Homework and exercises ------------------------------------------------------------

DEFAULT_HOMEWORK = [
    (
        2,
        "Min återhämtningsberättelse",
        "Skriv en till två sidor om din egen återhämtning: vad var svårt, vad hjälpte, och "
        "vilka delar vill du kunna dela med andra i arbetet? Du får också spela in eller "
        "berätta muntligt för kursledaren om skrivandet är svårt.",
    ),
    (
        2,
        "Känsla av sammanhang (KASAM)",
        "Läs om begriplighet, hanterbarhet och meningsfullhet. Ge ett exempel ur ditt eget "
        "liv på vart och ett, och på hur du kan spegla dem för någon du stödjer.",
    ),
    (
        4,
        "Rollen: ska och ska inte",
        "Gå igenom listan över vad en peer supporter gör och inte gör. Välj två punkter som "
        "du tror blir svåra i praktiken och skriv hur du vill hantera dem.",
    ),
    (
        4,
        "Ett svårt möte",
        "Tänk på ett möte där någon var arg eller misstrodde dig. Beskriv vad som hände, hur "
        "det påverkade dig och vad du skulle göra i rollen som peer supporter.",
    ),
]

DEFAULT_EXERCISES = [
    (
        "role_play",
        "Ilska riktad mot dig",
        "En brukare blir arg på dig under ett samtal. Spela scenen två gånger och byt roller. "
        "Samtala efteråt: vad hjälpte, vad skulle du göra annorlunda?",
    ),
    (
        "role_play",
        "Misstro från personalen",
        "En kollega ifrågasätter vad du gör på avdelningen. Öva på att beskriva rollen lugnt "
        "och tydligt, och på att hänvisa till överenskommelsen med verksamheten.",
    ),
    (
        "workshop",
        "Att dela med sig av egen erfarenhet",
        "I par: välj en del av din berättelse som kan ge hopp. Berätta den på två minuter. "
        "Paret ger återkoppling på vad som var till hjälp och var gränsen gick.",
    ),
]


def homework_library(organisation: Any) -> list[Any]:
    """The organisation's homework library, starting from the suggestions the first time."""
    from egenmakt.peer.models import HomeworkTemplate

    if not HomeworkTemplate.objects.filter(organisation=organisation).exists():
        HomeworkTemplate.objects.bulk_create(
            HomeworkTemplate(organisation=organisation, week=w, title=t, instructions=i)
            for w, t, i in DEFAULT_HOMEWORK
        )
    return list(HomeworkTemplate.objects.filter(organisation=organisation))


def exercise_library(organisation: Any) -> list[Any]:
    from egenmakt.peer.models import Exercise

    if not Exercise.objects.filter(organisation=organisation).exists():
        Exercise.objects.bulk_create(
            Exercise(organisation=organisation, kind=k, title=t, description=d)
            for k, t, d in DEFAULT_EXERCISES
        )
    return list(Exercise.objects.filter(organisation=organisation).prefetch_related("sessions"))


@transaction.atomic
def set_homework(
    *,
    user: User,
    cohort: Cohort,
    title: str,
    instructions: str,
    due: date,
) -> Any:
    from egenmakt.peer.models import Assignment

    require(may_take_attendance(user, cohort))
    assignment = Assignment.objects.create(
        cohort=cohort,
        title=title.strip(),
        instructions=instructions.strip(),
        due=due,
        created_by=user,
    )
    log_access(actor=user, action=Action.CREATE, obj=assignment)
    return assignment


@transaction.atomic
def hand_in(
    *,
    user: User,
    participant: Participant,
    assignment: Any,
    text: str,
    upload: Any = None,
) -> Any:
    """A participant hands in (or hands in again) text and optionally a checked file."""
    from egenmakt.core.uploads import check_upload
    from egenmakt.peer.models import Submission

    require(is_participant(user, participant))
    require(assignment.cohort_id == participant.cohort_id)
    if not text.strip() and upload is None:
        raise RecruitmentError(_("Write an answer or attach a file."))
    if upload is not None:
        try:
            check_upload(upload)
        except ValidationError as exc:
            raise RecruitmentError(" ".join(exc.messages)) from exc
    submission, _created = Submission.objects.select_for_update().get_or_create(
        assignment=assignment, participant=participant
    )
    submission.text = text.strip()
    if upload is not None:
        if submission.file:
            submission.file.delete(save=False)
        submission.file = upload
        submission.file_name = (upload.name or "")[-200:]
    submission.save()
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=participant.application,
        obj=submission,
        reason=AuditEvent.HOMEWORK_HANDED_IN,
    )
    return submission


@transaction.atomic
def give_feedback(*, user: User, submission: Any, feedback: str) -> Any:
    require(may_take_attendance(user, submission.assignment.cohort), "homework feedback")
    if not feedback.strip():
        raise RecruitmentError(_("Write the feedback first."))
    submission.feedback = feedback.strip()
    submission.feedback_by = user
    submission.feedback_at = timezone.now()
    submission.save(update_fields=["feedback", "feedback_by", "feedback_at"])
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=submission.participant.application,
        obj=submission,
        reason=AuditEvent.HOMEWORK_FEEDBACK_GIVEN,
    )
    return submission


@transaction.atomic
def link_exercise(*, user: User, session: CourseSession, exercise: Any) -> None:
    require(may_take_attendance(user, session.cohort), "link exercise")
    require(exercise.organisation_id == session.cohort.round.organisation_id, "link exercise")
    exercise.sessions.add(session)
    log_access(actor=user, action=Action.CHANGE, obj=session, reason=AuditEvent.EXERCISE_LINKED)
