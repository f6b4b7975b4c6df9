"""Homework and exercises in the course: setting homework, handing in, feedback, and
exercises used on course days."""

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
    SessionExercise,
)
from egenmakt.peer.rules import is_participant, may_take_attendance
from egenmakt.peer.selectors.library import exercise_library_for
from egenmakt.peer.services.recruitment import RecruitmentError

# --- Homework and exercises ------------------------------------------------------------
# The libraries they come from: ``selectors/library`` (read), ``services/library`` (edit).


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
def link_exercise(
    *, user: User, session: CourseSession, position: int, title: str
) -> SessionExercise:
    """Use the exercise at ``position`` of the library that applies to the round's
    organisation on a course day: a copy of it goes onto the day (once). ``title`` is the
    one the page showed, so a library changed in between is noticed, not mislinked."""
    require(may_take_attendance(user, session.cohort), "link exercise")
    entries = exercise_library_for(session.cohort.round.organisation).entries
    if not 0 <= position < len(entries) or entries[position].title != title:
        raise RecruitmentError(_("That exercise is no longer in the library."))
    entry = entries[position]
    used, _created = SessionExercise.objects.get_or_create(
        session=session,
        kind=entry.kind,
        title=entry.title,
        defaults={"description": entry.description},
    )
    log_access(actor=user, action=Action.CHANGE, obj=session, reason=AuditEvent.EXERCISE_LINKED)
    return used
