"""What this app contributes (``PeerConfig.contributes``, see ``egenmakt/core/registry.py``):
its menu entries, the applicant as a person, and its instrument subjects. Interview records
are subjects: the interview template and the selection criteria are answered about them,
and the applicant is whose data they are."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import home_organisation
from egenmakt.accounts.start_panels import WAITING_TEMPLATE, StartPanel
from egenmakt.accounts.types import Viewer
from egenmakt.core.notifications import NotificationKind
from egenmakt.instruments.subjects import SubjectAction, SubjectType

from .models import (
    InterviewRecord,
    PeerWorkplace,
    Placement,
    SupervisionAttendance,
)
from .rules import (
    may_see_record,
    may_see_workplace,
    may_write_record,
    notes_access,
    placement_access,
)
from .views import start


def record_access(user: Viewer, record: InterviewRecord, action: SubjectAction) -> bool:
    if action == "change":
        return may_write_record(user, record)
    return may_see_record(user, record)


def workplace_access(user: Viewer, workplace: PeerWorkplace, action: SubjectAction) -> bool:
    return may_see_workplace(user, workplace)


def supervision_organisation(row: SupervisionAttendance) -> Organisation | None:
    """A meeting has no organisation of its own: the supervisor's, where they hold the
    role (the nearest one above all of them when several; INFERRED)."""
    return home_organisation(row.meeting.supervisor, Role.SUPERVISOR)


SUBJECTS = [
    SubjectType(
        SupervisionAttendance,
        slug="handledning",
        access=notes_access,
        person=lambda row: row.peer_supporter,
        url=lambda row: reverse("peer:supervision_meeting", args=[row.meeting_id]),
        organisation=supervision_organisation,
    ),
    SubjectType(
        Placement,
        slug="placering",
        access=placement_access,
        person=lambda placement: placement.peer_supporter,
        url=lambda placement: reverse("peer:placement", args=[placement.pk]),
        organisation=lambda placement: placement.workplace.network,
    ),
    SubjectType(
        PeerWorkplace,
        slug="arbetsplats",
        access=workplace_access,
        person=lambda _workplace: None,
        url=lambda workplace: reverse("peer:workplace", args=[workplace.pk]),
        organisation=lambda workplace: workplace.network,
    ),
    SubjectType(
        InterviewRecord,
        slug="intervjuanteckning",
        access=record_access,
        person=lambda record: record.interview.application,
        url=lambda record: reverse("peer:interview", args=[record.interview_id]),
        organisation=lambda record: record.interview.application.round.organisation,
    ),
]


NAVIGATION = [
    NavEntry(_("Recruitment"), "peer:rounds", [Role.COORDINATOR, Role.INTERVIEWER], order=20),
    NavEntry(_("My interviews"), "peer:my_interviews", [Role.INTERVIEWER], order=21),
    NavEntry(
        _("Courses"),
        "peer:cohorts",
        [Role.TRAINING_LEAD, Role.COURSE_LEADER, Role.LECTURER, Role.COORDINATOR],
        order=22,
    ),
    NavEntry(
        _("Workplaces"), "peer:workplaces", [Role.COORDINATOR, Role.WORKPLACE_MANAGER], order=24
    ),
    NavEntry(
        _("Supervision"), "peer:supervision", [Role.SUPERVISOR, Role.PEER_SUPPORTER], order=25
    ),
    NavEntry(_("My work"), "peer:work_log", [Role.PEER_SUPPORTER], order=25),
    NavEntry(
        _("Reunions and further training"),
        "peer:follow_up",
        [Role.COORDINATOR, Role.PEER_SUPPORTER],
        order=26,
    ),
    # For anyone: a course participant may hold no role (the page's rule decides).
    NavEntry(_("My course"), "peer:my_course", order=23),
]


NOTIFICATION_KINDS = [
    NotificationKind(
        key="course_reminder",
        label=_("Reminders of course days and homework (peer support course)"),
        # Participants sign in as staff do; a client of coordination takes no course here.
        audience="staff",
    ),
]


# What waits for each role in the programme, first on its start page.
START_PANELS = [
    StartPanel(Role.COORDINATOR, WAITING_TEMPLATE, start.coordinator_panel, order=10),
    StartPanel(Role.INTERVIEWER, WAITING_TEMPLATE, start.interviewer_panel, order=10),
    StartPanel(Role.TRAINING_LEAD, WAITING_TEMPLATE, start.course_panel, order=10),
    StartPanel(Role.COURSE_LEADER, WAITING_TEMPLATE, start.course_panel, order=10),
    StartPanel(Role.LECTURER, WAITING_TEMPLATE, start.course_panel, order=10),
    StartPanel(Role.SUPERVISOR, WAITING_TEMPLATE, start.supervisor_panel, order=10),
    StartPanel(Role.PEER_SUPPORTER, WAITING_TEMPLATE, start.peer_supporter_panel, order=10),
    StartPanel(Role.WORKPLACE_MANAGER, WAITING_TEMPLATE, start.workplace_manager_panel, order=10),
]


def reason_details(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What an admission decision's reason names, in the reader's language: its outcome
    ("screening: go_on", "interview: admit")."""
    from .models import DecisionOutcome, DecisionStep

    return {
        (code, key): str(DecisionOutcome(key).label)
        for code, key in pairs
        if code in DecisionStep.values and key in DecisionOutcome.values
    }
