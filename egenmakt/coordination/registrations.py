"""What this app contributes (``CoordinationConfig.contributes``, see
``egenmakt/core/registry.py``): its menu entries and start panel, the client as a person
with their export, and the client as an instrument subject: the mapping worksheets and
ratings are answered about them, and the client is whose data they are."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext

from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.start_panels import StartPanel
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.review import LogReviewFlag
from egenmakt.core.notifications import NotificationKind
from egenmakt.core.registry import contributions
from egenmakt.instruments.subjects import SubjectAction, SubjectType

from .access import client_access, visible_q
from .models import Client, StepRecord
from .rules import may_view_client, may_work_jointly
from .selectors.log_review import outside_care_team_reads, protected_identity_reads
from .views.followup import outcomes_panel
from .views.meetings import meetings_due_panel

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer


@dataclass(frozen=True)
class ClientSelf:
    """The client on their own pages, as another app knows them (``egenmakt.portal``
    contributes it as "client_self"), so coordination does not import that app."""

    is_the_client: Callable[[Any, Client], bool]
    # Which responses about themself the client reads (``visible_responses`` of a subject).
    visible_responses: Callable[[Any, Client, QuerySet[Any]], QuerySet[Any]]
    # Erase the client's own login and what it holds (``services.retention.erase_client``).
    erase: Callable[[Client], None] = lambda _client: None
    # The steps of checklist K the client reads (their copy of the binder, its checklist).
    visible_steps: Callable[[Client], QuerySet[StepRecord]] | None = None
    # The client's own open login, if any (told of new messages from the care team).
    login: Callable[[Client], Any] | None = None


def _as_the_client(user: Viewer, client: Client) -> ClientSelf | None:
    return next(
        (
            own
            for own in contributions("client_self", ClientSelf)
            if own.is_the_client(user, client)
        ),
        None,
    )


def is_the_client(user: Viewer, client: Client) -> bool:
    """The user is the client, signed in to their own pages."""
    return _as_the_client(user, client) is not None


def client_login(client: Client) -> Any:
    """The client's own open login (a user), as the app that owns it says; else None."""
    for own in contributions("client_self", ClientSelf):
        if own.login is not None:
            found = own.login(client)
            if found is not None:
                return found
    return None


def client_steps(client: Client) -> QuerySet[StepRecord]:
    """The steps the client reads of their own checklist K, as the app that owns the
    client's pages decides; without one, only the shared steps and submitted sheets (never
    an organisation's own sheet, nor a draft)."""
    for own in contributions("client_self", ClientSelf):
        if own.visible_steps is not None:
            return own.visible_steps(client)
    return StepRecord.objects.filter(client=client, shared=True).filter(
        Q(response__isnull=True) | Q(response__status="submitted")
    )


def sealed_read_reason(user: Viewer, client: Client) -> str:
    """A read of an archived or restricted client's answers logs the reason given to open
    the record, as the client pages do (``views.common.log_read``)."""
    grant = client_access(user, client).grant
    return f"{AuditEvent.ARCHIVE_READ}: {grant.reason}"[:500] if grant is not None else ""


def client_subject_access(user: Viewer, client: Client, action: SubjectAction) -> bool:
    if action == "change" and client.is_frozen:
        # Archived or restricted: nothing is answered or changed, by anyone.
        return False
    if _as_the_client(user, client) is not None:
        # The client reads and answers worksheets about themself; which ones is narrowed
        # by ``visible_worksheets`` and the portal's own pages.
        return True
    if action == "change":
        return bool(may_work_jointly(user, client))
    return bool(may_view_client(user, client))


def visible_worksheets(user: Viewer, client: Client, responses: QuerySet[Any]) -> QuerySet[Any]:
    """A worksheet the client keeps within one organisation is that organisation's only."""
    own = _as_the_client(user, client)
    if own is not None:
        return own.visible_responses(user, client, responses)
    steps = StepRecord.objects.filter(client=client).filter(
        visible_q(client_access(user, client), has_shared_flag=True)
    )
    return responses.filter(pk__in=steps.values("response_id"))


def worksheet_start_url(client: Client, key: str) -> str:
    return f"{reverse('coordination:worksheet_start', args=[client.pk])}?arbetsblad={key}"


SUBJECTS = [
    SubjectType(
        Client,
        slug="klient",
        access=client_subject_access,
        person=lambda client: client,
        url=lambda client: reverse("coordination:client", args=[client.pk]),
        visible_responses=visible_worksheets,
        start_url=worksheet_start_url,
        read_reason=sealed_read_reason,
        organisation=lambda client: client.organisation,
    ),
]


NAVIGATION = [
    NavEntry(
        _("My clients"),
        "coordination:clients",
        [Role.CASE_MANAGER, Role.SUPERVISOR, Role.PEER_SUPPORTER],
        order=40,
    ),
    NavEntry(
        _("Emergency access"),
        "coordination:emergency",
        [Role.CASE_MANAGER, Role.SUPERVISOR],
        order=41,
    ),
    NavEntry(
        _("Archive"),
        "coordination:archive",
        [Role.CASE_MANAGER, Role.SUPERVISOR, Role.PEER_SUPPORTER, Role.AUDITOR],
        order=42,
    ),
    NavEntry(_("Retention of closed records"), "coordination:retention", [Role.ADMIN], order=92),
]

START_PANELS = [
    StartPanel(Role.CASE_MANAGER, "coordination/partials/meetings_due.html", meetings_due_panel),
    StartPanel(
        Role.CASE_MANAGER, "coordination/partials/outcomes_alert.html", outcomes_panel, order=90
    ),
]

LOG_REVIEW_FLAGS = [
    LogReviewFlag("outside_care_team", _("Outside the care team"), outside_care_team_reads),
    LogReviewFlag("protected_identity", _("Protected identity"), protected_identity_reads),
]


# The reminders of ``reminders.py`` and the notice of a new message: each person chooses a
# channel per kind.
NOTIFICATION_KINDS = [
    NotificationKind(
        "booking", _("Invitations: a meeting booked, or cancelled, with its calendar file"), "any"
    ),
    NotificationKind("meeting_reminder", _("Reminder of a resource-group meeting"), "any"),
    NotificationKind("minutes", _("The minutes of a meeting you were at, to confirm"), "any"),
    NotificationKind("ors_due", _("Reminder to fill in the rating before a meeting"), "client"),
    NotificationKind("plan_action_due", _("A measure of a plan is due or overdue"), "staff"),
    NotificationKind(
        "case_manager_alerts",
        _("Alerts about your clients: no meeting booked, long mapping, consent running out"),
        "staff",
    ),
    # A new message between the client and the care team: a notice without its content.
    NotificationKind("new_message", _("A new message in Egenmakt"), audience="any"),
]


def reason_details(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What the detail of a coordination reason names, in the reader's language: the kind
    of decision ("resource group: decide_plan"), the meeting's status ("meeting held"),
    how many were invited ("4 invited"), the phase ("phase planning"), the step of checklist
    K ("step network_map"), a sub-goal's or measure's status ("plan: sub-goal achieved"),
    the version decided ("plan: version 2 decided") and the versions compared
    ("plan: compare 1-2"). A detail it does not know stays as stored."""
    from .checklist import STEPS
    from .models import ActionStatus, DecisionKind, GoalStatus, MeetingStatus, Phase

    names: dict[tuple[str, str], str] = {}
    for code, key in pairs:
        name: str | None = None
        if code == AuditEvent.RESOURCE_GROUP:
            if key in DecisionKind.values:
                name = str(DecisionKind(key).label)
            elif key.startswith("meeting ") and key[8:] in MeetingStatus.values:
                name = f"{_('Meeting')}: {MeetingStatus(key[8:]).label}"
            elif (invited := re.fullmatch(r"(\d+) invited", key)) is not None:
                count = int(invited[1])
                name = npgettext(
                    "access-log reason", "%(count)s invited", "%(count)s invited", count
                ) % {"count": count}
        elif code == AuditEvent.CLIENT_PHASE and key in Phase.values:
            name = str(Phase(key).label)
        elif code == AuditEvent.MAPPING_STEP and key in STEPS:
            name = str(STEPS[key].label)
        elif code == AuditEvent.PLAN_GOAL_STATUS and key in GoalStatus.values:
            name = str(GoalStatus(key).label)
        elif code == AuditEvent.PLAN_ACTION_STATUS and key in ActionStatus.values:
            name = str(ActionStatus(key).label)
        elif code == AuditEvent.PLAN_VERSION and (decided := re.fullmatch(r"(\d+) decided", key)):
            name = pgettext("access-log reason", "%(number)s decided") % {"number": decided[1]}
        elif code == "plan" and (compared := re.fullmatch(r"compare (\d+)-(\d+)", key)):
            name = pgettext("access-log reason", "versions %(older)s and %(newer)s compared") % {
                "older": compared[1],
                "newer": compared[2],
            }
        if name is not None:
            names[(code, key)] = name
    return names
