"""The personal data of recruitment: applications, decisions, interviews, rounds."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egenmakt.core.personal_data import (
    DataSubject,
    LegalBasis,
    NoPersonalData,
    Of,
    Person,
    PersonalData,
)
from egenmakt.peer.models import (
    Application,
    Decision,
    Interview,
    InterviewRecord,
    LetterTemplate,
    RecruitmentRound,
    RoundMember,
)

from .common import (
    APPLICATION_KEPT,
    RECRUITMENT,
    ROUND_PEOPLE,
    STAFF_KEPT,
    _entry,
    _erase_application,
    _of_applicant,
    _of_user,
    application_identifiers,
    export_interview_answers,
)

RECRUITMENT_DATA: list[PersonalData | NoPersonalData] = [
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
]
