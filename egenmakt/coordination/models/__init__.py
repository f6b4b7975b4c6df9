"""Coordination's models, one module per area; the project imports them from here."""

from .archive import (
    ARCHIVE_ACCESS_HOURS,
    RETENTION_DEFAULTS,
    ArchiveAccess,
    Basis,
    ErasedClients,
    RetentionDefault,
    RetentionPolicy,
)
from .clients import CaseNote, Client, MeetingPlace, Phase, RestrictionSource
from .consent import Consent, ConsentForm, ConsentScope, consent_file_name
from .emergency import EarlyWarningPlan
from .mapping import Closeness, Contact, Sector, StepRecord, SummaryEntry
from .meetings import (
    STANDING_ITEM_TITLES,
    AgendaItem,
    Attainment,
    Attendance,
    Decision,
    DecisionKind,
    GoalReview,
    Meeting,
    MeetingStatus,
    MemberKind,
    MinutesConfirmation,
    ResourceGroupMember,
    decision_sentence,
)
from .messages import Message, MessageRead, MessageThread, message_file_name
from .plan import ActionStatus, Goal, GoalStatus, Plan, PlanAction, PlanVersion, Principal
from .relatives import RELATIVE_SHEETS, RelativeLink
from .reminders import ReminderRole, SentReminder
from .sessions import MappingSession, SessionStatus
from .team import CareTeamMember, TeamRole

__all__ = [
    "ARCHIVE_ACCESS_HOURS",
    "RELATIVE_SHEETS",
    "RETENTION_DEFAULTS",
    "STANDING_ITEM_TITLES",
    "ActionStatus",
    "AgendaItem",
    "ArchiveAccess",
    "Attainment",
    "Attendance",
    "Basis",
    "CareTeamMember",
    "CaseNote",
    "Client",
    "Closeness",
    "Consent",
    "ConsentForm",
    "ConsentScope",
    "Contact",
    "Decision",
    "DecisionKind",
    "EarlyWarningPlan",
    "ErasedClients",
    "Goal",
    "GoalReview",
    "GoalStatus",
    "MappingSession",
    "Meeting",
    "MeetingPlace",
    "MeetingStatus",
    "MemberKind",
    "Message",
    "MessageRead",
    "MessageThread",
    "MinutesConfirmation",
    "Phase",
    "Plan",
    "PlanAction",
    "PlanVersion",
    "Principal",
    "RelativeLink",
    "ReminderRole",
    "ResourceGroupMember",
    "RestrictionSource",
    "RetentionDefault",
    "RetentionPolicy",
    "Sector",
    "SentReminder",
    "SessionStatus",
    "StepRecord",
    "SummaryEntry",
    "TeamRole",
    "consent_file_name",
    "decision_sentence",
    "message_file_name",
]
