"""Peer forms by area: explicit fields only (no mass assignment), errors in the user's
language. Import them from their area's module; the names here serve older imports."""

from egenmakt.peer.forms.common import DATE, LONG_TEXT_LIMIT, PresentForm
from egenmakt.peer.forms.course import (
    AbsenceForm,
    AttendanceForm,
    CohortForm,
    CompletionForm,
    FeedbackForm,
    HandInForm,
    HomeworkForm,
    LinkExerciseForm,
    LivedExperienceForm,
    RemindersForm,
    SessionForm,
    StaffForm,
    SubmissionFeedbackForm,
)
from egenmakt.peer.forms.followup import FollowUpEventForm, SickLeaveForm
from egenmakt.peer.forms.placement import (
    AgreementForm,
    PlacementEndForm,
    PlacementForm,
    RegisterWorkplaceForm,
    TaskDescriptionForm,
    TrainingForm,
)
from egenmakt.peer.forms.recruitment import (
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    InterviewForm,
    LetterTemplateForm,
    MemberForm,
    RoundForm,
    WithdrawConfirmForm,
)
from egenmakt.peer.forms.supervision import MeetingForm

__all__ = [
    "DATE",
    "LONG_TEXT_LIMIT",
    "AbsenceForm",
    "AgreementForm",
    "ApplicationFilterForm",
    "ApplicationForm",
    "AttendanceForm",
    "CohortForm",
    "CompletionForm",
    "DecisionForm",
    "FeedbackForm",
    "FollowUpEventForm",
    "HandInForm",
    "HomeworkForm",
    "InterviewForm",
    "LetterTemplateForm",
    "LinkExerciseForm",
    "LivedExperienceForm",
    "MeetingForm",
    "MemberForm",
    "PlacementEndForm",
    "PlacementForm",
    "PresentForm",
    "RegisterWorkplaceForm",
    "RemindersForm",
    "RoundForm",
    "SessionForm",
    "SickLeaveForm",
    "StaffForm",
    "SubmissionFeedbackForm",
    "TaskDescriptionForm",
    "TrainingForm",
    "WithdrawConfirmForm",
]
