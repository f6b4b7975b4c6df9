"""What the peer app's personal-data entries share: the purposes, the retention texts,
the people who read them, and the helpers that build an entry (see ``__init__``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import (
    DataSubject,
    LegalBasis,
    Of,
    PersonalData,
)
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    Application,
    InterviewRecord,
)

Text = str | Promise

RECRUITMENT = _("Choosing participants for a PEER course")
COURSE = _("Running the PEER course and deciding who completed it (step 3 of admission)")
WORK = _("Placing trained peer supporters in jobs, supervising and following them up")

APPLICATION_KEPT = _(
    "Erased with the application: for one not admitted, when the round has been closed for "
    "the round's retention period (12 months unless the organisation sets another), or at "
    "once when the applicant erases it through their private link; an admitted applicant's "
    "application stays with the course"
)
PROGRAMME_KEPT = _(
    "While the programme runs; there is no automatic erasure yet. When the person leaves, "
    "their account is anonymised and their name here is replaced by a pseudonym"
)
STAFF_KEPT = _(
    "As long as the row it is part of; when the user leaves, the account is anonymised and "
    "the row shows a pseudonym"
)
ROUND_PEOPLE = _("The round's coordinators and interviewers")
COURSE_PEOPLE = _("The course's leaders, lecturers and coordinators; the participant themself")
WORK_PEOPLE = _(
    "The network's coordinators, the workplace's managers and the supervisor; the peer "
    "supporter themself"
)


def application_identifiers(application: Application) -> list[str]:
    return [application.full_name, application.email, application.phone]


def export_interview_answers(application: Application) -> dict[str, Any]:
    """The answers written about the applicant at their interviews (each interviewer's
    notes and assessment and the agreed ones): they are about the applicant, so theirs to
    see (GDPR art. 15). Kept as questionnaire answers about an interview record, they are
    not the applicant's rows in the registry; which interviewer wrote them is not given."""
    records = {
        str(record.pk): record
        for record in InterviewRecord.objects.filter(interview__application=application)
        .select_related("interview")
        .order_by("pk")
    }
    answers = (
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(InterviewRecord),
            subject_id__in=list(records),
        )
        .select_related("definition")
        .defer("definition__definition")
        .order_by("pk")
    )
    return {
        "interview_answers": [
            {
                "interview": records[response.subject_id].interview.starts_at.isoformat(),
                "record": records[response.subject_id].get_kind_display(),
                "agreed": records[response.subject_id].is_agreed,
                "questionnaire": response.definition.key,
                "status": response.status,
                "answered_on": response.answered_on.isoformat(),
                "answers": response.answers,
            }
            for response in answers
        ]
    }


def _erase_application(application: Application, **kwargs: Any) -> Any:
    from egenmakt.peer.services.retention import erase_application_now  # services import audit

    return erase_application_now(application, **kwargs)


def _of_user(
    model: type[models.Model], by: str | Callable[[Any], Q], fields: tuple[str, ...]
) -> Of:
    """A user's own part of ``model``'s rows: those ``by`` names them in (a lookup, or a
    function of the user giving a condition), with ``fields`` only."""
    manager = model._default_manager

    def rows(user: Any) -> QuerySet[Any]:
        return manager.filter(by(user) if callable(by) else Q(**{by: user}))

    return Of(User, rows, fields)


def _of_applicant(model: type[models.Model], by: str, fields: tuple[str, ...]) -> Of:
    manager = model._default_manager
    return Of(Application, lambda application: manager.filter(**{by: application}), fields)


def _entry(
    model: type[models.Model],
    holds: Text,
    *parts: Of,
    whose: tuple[DataSubject, ...],
    purpose: Text,
    basis: LegalBasis = LegalBasis.PROGRAMME,
    retention: Text = PROGRAMME_KEPT,
    recipients: Text = "",
    special: bool = False,
    names: tuple[str, ...] = (),
) -> PersonalData:
    return PersonalData(
        model,
        holds=holds,
        whose=whose,
        purpose=purpose,
        basis=basis,
        retention=retention,
        recipients=recipients,
        special_category=special,
        of=parts,
        names=names,
    )


# The participant's own course record: the same fields whether asked for as the applicant
# (through the private link) or as the user the participant became.
PARTICIPANT_FIELDS = (
    "cohort__title",
    "status",
    "from_reserve_list",
    "support_agreed",
    "wants_reminders",
    "recommended",
    "recommendation_reason",
    "completed_at",
)
ACKNOWLEDGEMENT_FIELDS = ("participant__cohort__title", "language", "text", "acknowledged_at")
OBSERVATION_FIELDS = ("participant__cohort__title", "text", "created_at")
ATTENDANCE_FIELDS = ("session__day", "session__theme", "status", "note")
SUBMISSION_FIELDS = (
    "assignment__title",
    "text",
    "file_name",
    "submitted_at",
    "feedback",
    "feedback_at",
)
PLACEMENT_FIELDS = (
    "workplace__workplace__name",
    "starts_on",
    "ends_on",
    "end_reason",
    "employer",
    "share_percent",
    "warnings",
    "override_reason",
)
