"""The personal data this app holds (``audit.registry``; the record of processing reads it).

Two kinds of people own rows here: the applicant (an ``Application``, who has no account
and reaches their data through the private link) and the user (a peer supporter in a
course or a job, and the staff who recruit, teach, place and supervise them). Each gets
their own part of a shared row only: an interviewer's part of an interview is that they
held it and when, never the applicant's answers; a course participant's attendance is
theirs, the leader who took it gets that they recorded it.

Retention, as the code does it: an application that did not lead to admission is erased
``retention_months`` after its round closes (``services/retention.py``), or at once when
the applicant asks (``erase_application_now``); everything else is kept while the
programme runs and has no erasure of its own yet. A user who leaves is anonymised
(``accounts.services.anonymise_user``): the text fields listed in ``names`` get the
pseudonym in place of the name.
"""

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
    NoPersonalData,
    Of,
    Person,
    PersonalData,
)
from egenmakt.instruments.models import Response

from .models import (
    Application,
    Assignment,
    Attendance,
    Cohort,
    CohortStaff,
    CollaborationAgreement,
    CoursePlanItem,
    CourseSession,
    Decision,
    EthicsAcknowledgement,
    EthicsGuidelines,
    Exercise,
    FollowUpEvent,
    FollowUpInvitation,
    HomeworkTemplate,
    Interview,
    InterviewRecord,
    LetterTemplate,
    LivedExperience,
    ObservationNote,
    Participant,
    PeerWorkplace,
    Placement,
    PlacementEvent,
    RecruitmentRound,
    RoundMember,
    SessionExercise,
    SickLeave,
    Submission,
    SupervisionAttendance,
    SupervisionMeeting,
    TaskDescription,
    WorkLogEntry,
    WorkplaceTraining,
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
    from .services.retention import erase_application_now  # services import audit

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

PERSONAL_DATA: list[PersonalData | NoPersonalData] = [
    # --- Recruitment --------------------------------------------------------------------
    PersonalData(
        Application,
        holds=_(
            "Name, e-mail, phone, municipality, birth year, gender, background and disability "
            "(if stated), language, own "
            "experience of mental ill-health and of care, motivation, capacity and support needs"
        ),
        whose=(DataSubject.APPLICANT,),
        purpose=RECRUITMENT,
        basis=LegalBasis.PROGRAMME,
        retention=APPLICATION_KEPT,
        recipients=ROUND_PEOPLE,
        special_category=True,
        person=Person(
            identifiers=application_identifiers,
            erase=_erase_application,
            export=export_interview_answers,
            erasure=_(
                "Erased with its decisions, interviews, interview notes and e-mails; the "
                "round keeps anonymous counts. Not for an admitted applicant who takes the "
                "course: their data is the course's, and the coordinator ends it"
            ),
        ),
        of=(
            Of(
                Application,
                lambda application: Application.objects.filter(pk=application.pk),
                (
                    "round__title",
                    "round__organisation__name",
                    "status",
                    "full_name",
                    "email",
                    "phone",
                    "municipality",
                    "birth_year",
                    "gender",
                    "background",
                    "functioning",
                    "preferred_language",
                    "own_experience",
                    "care_experience",
                    "motivation",
                    "work_capacity",
                    "available_for_course",
                    "support_needs",
                    "heard_from",
                    "privacy_notice_version",
                    "submitted_at",
                    "screened_at",
                    "interviewed_at",
                    "withdrawn_at",
                ),
            ),
        ),
    ),
    _entry(
        Decision,
        _("Each step's decision about an application: outcome, coded reason, comment, when"),
        # The comment is the coordinator's assessment of the applicant, kept in their
        # file: it is about the applicant, so it is theirs to see (GDPR art. 15).
        _of_applicant(
            Decision,
            "application",
            ("step", "outcome", "reason", "comment", "decided_at", "letter_queued_at"),
        ),
        _of_user(Decision, "decided_by", ("step", "decided_at")),
        whose=(DataSubject.APPLICANT, DataSubject.STAFF),
        purpose=RECRUITMENT,
        retention=APPLICATION_KEPT,
        recipients=ROUND_PEOPLE,
    ),
    _entry(
        Interview,
        _("Interviews: when, where, who interviewed, who booked, cancelled or held"),
        _of_applicant(
            Interview,
            "application",
            ("starts_at", "duration_minutes", "place", "cancelled_at", "held_at"),
        ),
        _of_user(
            Interview,
            lambda user: Q(interviewer_1=user) | Q(interviewer_2=user),
            ("starts_at", "duration_minutes", "cancelled_at", "held_at"),
        ),
        _of_user(Interview, "booked_by", ("booked_at",)),
        whose=(DataSubject.APPLICANT, DataSubject.STAFF),
        purpose=RECRUITMENT,
        retention=APPLICATION_KEPT,
        recipients=ROUND_PEOPLE,
    ),
    _entry(
        InterviewRecord,
        _(
            "Which interview notes and assessments were written, and by which interviewer "
            "(the answers are questionnaire answers about the record)"
        ),
        _of_applicant(InterviewRecord, "interview__application", ("interview__starts_at", "kind")),
        _of_user(InterviewRecord, "author", ("interview__starts_at", "kind")),
        whose=(DataSubject.APPLICANT, DataSubject.STAFF),
        purpose=RECRUITMENT,
        retention=APPLICATION_KEPT,
        recipients=ROUND_PEOPLE,
        special=True,
    ),
    _entry(
        RecruitmentRound,
        _("Who created a recruitment round, and when"),
        _of_user(RecruitmentRound, "created_by", ("title", "created_at")),
        whose=(DataSubject.STAFF,),
        purpose=RECRUITMENT,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        RoundMember,
        _(
            "Who works on a round, in which role, whether they represent the user movement "
            "and (voluntary) whether they have own experience of mental ill-health"
        ),
        _of_user(
            RoundMember,
            "user",
            ("round__title", "role", "represents_user_movement", "has_lived_experience"),
        ),
        whose=(DataSubject.STAFF,),
        purpose=_(
            "Giving the round's people access, and two interviewers of whom one from "
            "the user movement"
        ),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("Until the person is removed from the round, or the round is removed"),
        recipients=ROUND_PEOPLE,
        special=True,
    ),
    NoPersonalData(
        LetterTemplate,
        _("The organisation's letter texts with placeholders; the letters sent are e-mails"),
    ),
    # --- The course ---------------------------------------------------------------------
    _entry(
        Cohort,
        _("Who created a course, and when"),
        _of_user(Cohort, "created_by", ("title", "created_at")),
        whose=(DataSubject.STAFF,),
        purpose=COURSE,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        CohortStaff,
        _("Course staff: who, in which role, and whether they represent the user movement"),
        _of_user(CohortStaff, "user", ("cohort__title", "role", "represents_user_movement")),
        whose=(DataSubject.STAFF,),
        purpose=COURSE,
        basis=LegalBasis.ASSIGNMENT,
        retention=_("Until the person is removed from the course's staff"),
        recipients=COURSE_PEOPLE,
    ),
    _entry(
        CourseSession,
        _("The course days and who leads or lectures each"),
        _of_user(CourseSession, "leaders", ("cohort__title", "day", "starts", "ends", "theme")),
        whose=(DataSubject.STAFF,),
        purpose=COURSE,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=COURSE_PEOPLE,
    ),
    _entry(
        LivedExperience,
        _("A person's own, voluntary declaration of lived experience of mental ill-health"),
        _of_user(LivedExperience, "user", ("declared", "updated_at")),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER),
        purpose=_("Checking the handbook's rules on own experience (pages show counts, never who)"),
        basis=LegalBasis.CONSENT,
        retention=_("Until the person changes or withdraws it; kept with the account"),
        recipients=_("Nobody by name: pages show only a count per course"),
        special=True,
    ),
    _entry(
        Participant,
        _(
            "A course participant: course, status, support agreed at the interview, "
            "reminders, completion and the recommendation for employment with its reason"
        ),
        _of_applicant(Participant, "application", PARTICIPANT_FIELDS),
        _of_user(Participant, "user", PARTICIPANT_FIELDS),
        _of_user(Participant, "decided_by", ("cohort__title", "completed_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.APPLICANT, DataSubject.STAFF),
        purpose=COURSE,
        recipients=COURSE_PEOPLE,
        special=True,
    ),
    _entry(
        Attendance,
        _("Each participant's attendance of each course day, with a note"),
        _of_applicant(Attendance, "participant__application", ATTENDANCE_FIELDS),
        _of_user(Attendance, "participant__user", ATTENDANCE_FIELDS),
        _of_user(Attendance, "recorded_by", ("session__day", "recorded_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=COURSE,
        recipients=COURSE_PEOPLE,
        special=True,
    ),
    _entry(
        ObservationNote,
        _("What a coordinator or course leader noticed about a participant in the course"),
        _of_applicant(ObservationNote, "participant__application", OBSERVATION_FIELDS),
        _of_user(ObservationNote, "participant__user", OBSERVATION_FIELDS),
        _of_user(ObservationNote, "author", ("participant__cohort__title", "created_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.APPLICANT, DataSubject.STAFF),
        purpose=COURSE,
        recipients=_("The round's coordinators and the course leaders"),
        special=True,
    ),
    NoPersonalData(CoursePlanItem, _("The course plan: themes, times, homework")),
    _entry(
        EthicsGuidelines,
        _("A network's ethics guidelines, each version with who saved it"),
        _of_user(EthicsGuidelines, "saved_by", ("organisation__name", "version", "saved_at")),
        whose=(DataSubject.STAFF,),
        purpose=COURSE,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=_("The network's coordinators and administrators"),
    ),
    _entry(
        EthicsAcknowledgement,
        _("That a participant read and acknowledged the ethics guidelines, with the text read"),
        _of_applicant(EthicsAcknowledgement, "participant__application", ACKNOWLEDGEMENT_FIELDS),
        _of_user(EthicsAcknowledgement, "participant__user", ACKNOWLEDGEMENT_FIELDS),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.APPLICANT),
        purpose=COURSE,
        recipients=COURSE_PEOPLE,
    ),
    NoPersonalData(HomeworkTemplate, _("The network's homework library: instructions only")),
    NoPersonalData(Exercise, _("Role plays and workshops of the course: descriptions only")),
    NoPersonalData(
        SessionExercise, _("The role plays and workshops used on a course day: descriptions only")
    ),
    _entry(
        Assignment,
        _("Homework given to a course, and who gave it"),
        _of_user(Assignment, "created_by", ("title", "created_at")),
        whose=(DataSubject.STAFF,),
        purpose=COURSE,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=COURSE_PEOPLE,
    ),
    _entry(
        Submission,
        _("Homework handed in: the answer, an uploaded file, the leader's feedback"),
        _of_applicant(Submission, "participant__application", SUBMISSION_FIELDS),
        _of_user(Submission, "participant__user", SUBMISSION_FIELDS),
        _of_user(Submission, "feedback_by", ("assignment__title", "feedback_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=COURSE,
        recipients=COURSE_PEOPLE,
        special=True,
    ),
    # --- Workplaces, placements, follow-up ----------------------------------------------
    _entry(
        PeerWorkplace,
        _("Who registered a workplace for peer supporters, and when"),
        _of_user(PeerWorkplace, "registered_by", ("workplace__name", "registered_at")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        TaskDescription,
        _(
            "A workplace's agreed task list, who agreed it for the workplace, and the names "
            "of the peer supporters who agreed it"
        ),
        _of_user(
            TaskDescription, "agreed_by_workplace", ("workplace__workplace__name", "agreed_on")
        ),
        whose=(DataSubject.STAFF, DataSubject.PEER_SUPPORTER),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=WORK_PEOPLE,
        names=("agreed_by_peers",),
    ),
    _entry(
        CollaborationAgreement,
        _("Agreements with the local user movement: the parties by name, the signed PDF"),
        _of_user(CollaborationAgreement, "recorded_by", ("valid_from", "recorded_at")),
        whose=(DataSubject.REPRESENTATIVE, DataSubject.STAFF),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=_("As long as the workplace is registered; there is no automatic erasure"),
        recipients=WORK_PEOPLE,
        names=("parties",),
    ),
    _entry(
        WorkplaceTraining,
        _("Training sessions for a workplace or the user organisations: who took part"),
        _of_user(WorkplaceTraining, "recorded_by", ("day", "theme")),
        whose=(DataSubject.STAFF, DataSubject.REPRESENTATIVE),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=_(
            "As long as the workplace or the user organisation is registered; there is no "
            "automatic erasure"
        ),
        recipients=WORK_PEOPLE,
        names=("attendees",),
    ),
    _entry(
        Placement,
        _(
            "A peer supporter's job: workplace, period, employer, share of full time, "
            "contact person, supervisor, warnings passed and why, why it ended"
        ),
        _of_user(Placement, "peer_supporter", PLACEMENT_FIELDS),
        _of_user(Placement, "supervisor", ("workplace__workplace__name", "starts_on", "ends_on")),
        _of_user(Placement, "created_by", ("workplace__workplace__name", "created_at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=WORK,
        recipients=WORK_PEOPLE,
        names=("contact_person",),
    ),
    _entry(
        PlacementEvent,
        _("A placement's history: started, changed, ended, with a note"),
        _of_user(
            PlacementEvent,
            "placement__peer_supporter",
            ("placement__workplace__workplace__name", "kind", "note", "at"),
        ),
        _of_user(PlacementEvent, "by", ("kind", "at")),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=WORK,
        recipients=WORK_PEOPLE,
    ),
    _entry(
        SickLeave,
        _("Sick leave periods the employer reports (never a cause)"),
        _of_user(
            SickLeave,
            "placement__peer_supporter",
            ("placement__workplace__workplace__name", "starts_on", "ends_on", "recorded_at"),
        ),
        _of_user(SickLeave, "recorded_by", ("recorded_at",)),
        whose=(DataSubject.PEER_SUPPORTER, DataSubject.STAFF),
        purpose=_("Following up how working peer supporters fare (the programme report)"),
        recipients=WORK_PEOPLE,
        special=True,
    ),
    _entry(
        SupervisionMeeting,
        _("Supervision meetings: the supervisor, kind, time and place"),
        _of_user(SupervisionMeeting, "supervisor", ("kind", "starts_at", "place")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
        recipients=_("The supervisor and the peer supporters invited"),
    ),
    _entry(
        SupervisionAttendance,
        _(
            "Which peer supporters were invited to and took part in each supervision "
            "meeting (the supervisor's notes are questionnaire answers about the row)"
        ),
        _of_user(
            SupervisionAttendance,
            "peer_supporter",
            ("meeting__kind", "meeting__starts_at", "meeting__place", "attended"),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=WORK,
        recipients=_("The supervisor and the peer supporter"),
    ),
    _entry(
        FollowUpEvent,
        _("Reunions and further-training days, and who created them"),
        _of_user(FollowUpEvent, "created_by", ("title", "created_at")),
        whose=(DataSubject.STAFF,),
        purpose=WORK,
        basis=LegalBasis.ASSIGNMENT,
        retention=STAFF_KEPT,
    ),
    _entry(
        FollowUpInvitation,
        _("Who was invited to a reunion or further training, whether working, and came"),
        _of_user(
            FollowUpInvitation,
            "peer_supporter",
            ("event__title", "event__starts_at", "was_working", "invited_at", "attended"),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=WORK,
        recipients=_("The network's coordinators; the peer supporter themself"),
    ),
    _entry(
        WorkLogEntry,
        _(
            "A peer supporter's work log: the day, the kind of work, the minutes, the "
            "setting and the themes of each encounter or group activity (never who they met: "
            "there is no free text)"
        ),
        _of_user(
            WorkLogEntry,
            "peer_supporter",
            (
                "placement__workplace__workplace__name",
                "day",
                "kind",
                "minutes",
                "setting",
                "themes",
            ),
        ),
        whose=(DataSubject.PEER_SUPPORTER,),
        purpose=_(
            "The peer supporter's own record of their work, brought to supervision, and "
            "counted in the programme report"
        ),
        recipients=_(
            "The peer supporter; their supervisor a monthly summary; the network's "
            "coordinators only counts in the programme report"
        ),
    ),
]
