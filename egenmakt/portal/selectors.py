"""Read queries of the client's own pages, each scoped to the signed-in client.

``get_portal_client(user)`` is the one access function: it answers the client whose open
portal account the user holds, or 404 for everyone else (staff, relatives, another
client, a revoked account, a closed coordination) exactly as if the pages did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from egenmakt.accounts.selectors import held_roles
from egenmakt.audit.models import AccessLog
from egenmakt.coordination import confidence
from egenmakt.coordination.checklist import STEPS, WORKSHEETS, Checklist
from egenmakt.coordination.models import (
    Client,
    Consent,
    EarlyWarningPlan,
    Meeting,
    MeetingStatus,
    Phase,
    Plan,
    PlanVersion,
    StepRecord,
)
from egenmakt.coordination.selectors.consent import consents_of
from egenmakt.coordination.selectors.followup import ors_for
from egenmakt.coordination.selectors.mapping import checklist_for
from egenmakt.coordination.selectors.meetings import next_meeting_for
from egenmakt.coordination.selectors.sessions import upcoming_for_client
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind, Response
from egenmakt.instruments.selectors import current_definitions

from .models import PortalAccount

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

_CACHE = "_egenmakt_portal_account"
_NONE = object()


def _account_row(user: Viewer) -> PortalAccount | None:
    """The user's portal account (open or not), loaded once per request's user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, _CACHE, None)
    if cached is None and user.pk is not None:
        row = PortalAccount.objects.select_related("client").filter(user_id=user.pk).first()
        cached = row if row is not None else _NONE
        setattr(user, _CACHE, cached)
    return None if cached is _NONE else cast(PortalAccount, cached)


def forget_portal_account(user: Viewer) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_portal_user(user: Viewer) -> bool:
    """A user made for a client's own pages (still confined there once access ends)."""
    return _account_row(user) is not None


def open_account(user: Viewer) -> PortalAccount | None:
    """The account that works now: open, its user active, the coordination not closed."""
    account = _account_row(user)
    if account is None or not account.is_open or not user.is_active:
        return None
    if account.client.phase == Phase.CLOSED:
        return None
    return account


def get_portal_client(user: Viewer) -> Client:
    account = open_account(user)
    if account is None:
        raise Http404
    return account.client


def is_the_client(user: Viewer, client: Client) -> bool:
    """True when ``user`` is ``client`` themself, signed in on their own pages."""
    if held_roles(user):
        # Staff never act as a client (a portal user holds no role); this also spares
        # staff requests the account lookup.
        return False
    account = open_account(user)
    return account is not None and account.client_id == client.pk


# --- The pages ------------------------------------------------------------------------------


def next_meeting(client: Client) -> Meeting | None:
    return next_meeting_for(None, client)


@dataclass(frozen=True)
class PlanView:
    decided: PlanVersion | None
    draft: dict[str, Any] | None  # the plan being worked on, when it differs


def plan_view(client: Client) -> PlanView:
    from egenmakt.coordination.services.plan import snapshot

    plan = (
        Plan.objects.filter(client=client)
        .select_related("responsible_person")
        .prefetch_related("goals", "actions")
        .first()
    )
    if plan is None:
        return PlanView(None, None)
    decided = plan.versions.order_by("-number").first()
    current = snapshot(plan)
    empty = not current["long_term_goal"] and not current["goals"]
    if decided is not None and decided.content == current:
        return PlanView(decided, None)
    return PlanView(decided, None if empty else current)


def warning_plan(client: Client) -> tuple[Response | None, EarlyWarningPlan | None]:
    """The newest submitted early-warning worksheet the client may read, and its row."""
    record = (
        _own_steps(client)
        .filter(response__definition__key="early_warning_signs", response__status="submitted")
        .select_related("response__definition")
        .defer("response__definition__definition")
        .order_by("-done_on", "-id")
        .first()
    )
    row = EarlyWarningPlan.objects.filter(client=client).first()
    return (record.response if record is not None else None), row


def _own_steps(client: Client, user: Viewer | None = None) -> QuerySet[StepRecord]:
    """Worksheets the client reads: those shared with the care team (the client decides
    what is shared; an organisation's own sheet stays with it) and those they wrote."""
    visible = Q(shared=True)
    if user is not None:
        visible |= Q(entered_by=user)
    return StepRecord.objects.filter(client=client).filter(visible)


def _readable(user: Viewer, client: Client) -> list[Response]:
    """The responses about the client that the client reads, as they may read them: their
    own drafts, every submitted shared sheet, and what relatives said only as agreed
    (``coordination.confidence``), newest first."""
    steps = (
        _own_steps(client, user)
        .exclude(response__isnull=True)
        .filter(Q(response__status="submitted") | Q(response__entered_by=user))
        .select_related("response__definition", "response__entered_by")
        .defer("response__definition__definition")
    )
    responses = confidence.client_responses(steps)
    return sorted(responses, key=lambda r: (r.answered_on, r.pk), reverse=True)


def visible_responses(user: Viewer, client: Client, responses: QuerySet[Any]) -> QuerySet[Any]:
    """``responses`` about ``client`` narrowed to what the client reads themself."""
    return responses.filter(pk__in=[r.pk for r in _readable(user, client)])


def my_worksheets(user: Viewer, client: Client) -> list[Response]:
    return _readable(user, client)[:100]


def my_open_drafts(user: Viewer, client: Client) -> list[Response]:
    """The worksheets the client has started and not sent: the newest of each, once."""
    drafts: dict[str, Response] = {}
    for response in sorted(
        _readable(user, client), key=lambda r: (r.updated_at, r.pk), reverse=True
    ):
        if response.is_draft and response.entered_by_id == getattr(user, "pk", None):
            drafts.setdefault(response.definition.key, response)
    return list(drafts.values())


def get_my_response(user: Viewer, client: Client, response_id: Any) -> Response:
    """One of the client's readable responses, as they may read it, or 404."""
    try:
        pk = int(response_id)
    except (TypeError, ValueError):
        raise Http404 from None
    row = next((r for r in _readable(user, client) if r.pk == pk), None)
    if row is None:
        raise Http404
    return row


def _client_login(client: Client) -> Viewer | None:
    """The client's own login, open or not: the sheets it wrote stay theirs to read."""
    account = PortalAccount.objects.filter(client=client).select_related("user").first()
    return account.user if account is not None else None


def open_login(client: Client) -> Viewer | None:
    """The client's login that works now (open account, active user), or None."""
    account = (
        PortalAccount.objects.filter(client=client, user__is_active=True, revoked_at__isnull=True)
        .select_related("user")
        .order_by("-pk")
        .first()
    )
    if account is None or client.phase == Phase.CLOSED:
        return None
    return account.user


def checklist_steps(client: Client, user: Viewer | None = None) -> QuerySet[StepRecord]:
    """The steps of checklist K the client reads: steps without a sheet that are shared, and
    the steps of the worksheets the client reads (``_own_steps`` and ``visible_responses``).

    A step on a sheet the client does not read (kept within one organisation, or a draft of
    the care team's) is left out altogether rather than shown as done without details: its
    date and who was there belong to that sheet too. ``user`` is the client's login (the
    binder, printed without one, finds it)."""
    if user is None:
        user = _client_login(client)
    steps = _own_steps(client, user)
    if user is None:
        submitted = (
            steps.filter(response__status="submitted")
            .select_related("response__definition")
            .defer("response__definition__definition")
        )
        readable = [r.pk for r in confidence.client_responses(submitted)]
    else:
        readable = [r.pk for r in _readable(user, client)]
    return steps.filter(Q(response__isnull=True) | Q(response__in=readable))


def my_checklist(user: Viewer, client: Client) -> Checklist:
    """Checklist K as the client reads it, built as the care team's page builds it."""
    return checklist_for(None, client, checklist_steps(client, user))


def my_consents(client: Client) -> tuple[list[Consent], list[Consent]]:
    """The consents in force now, and every consent ever recorded (newest first)."""
    consents = consents_of(client)
    return [c for c in consents if c.is_valid()], consents


def fillable_worksheets(client: Client) -> list[InstrumentDefinition]:
    """The worksheets the client answers themself in their present phase, in the version
    their organisation uses, in one query (the alliance rating comes with the meetings)."""
    keys = [w.instrument for w in WORKSHEETS if w.offered_in(client.phase)]
    newest = current_definitions(keys, client.organisation)
    return [
        newest[key]
        for key in keys
        if key in newest and RespondentKind.CLIENT in newest[key].respondents
    ]


def ors_due(client: Client, today: date | None = None) -> date | None:
    """When the client should next fill in the ORS: the first one a month after the start;
    then by the day of the next meeting, unless one is in since the last meeting."""
    steps = StepRecord.objects.filter(client=client, step="ors").select_related("response")
    status = ors_for(None, client, steps, next_meeting(client), today)
    if status.done_on is None:
        return status.due_on
    return status.before_meeting


def portal_users_of(organisations: QuerySet[Any]) -> QuerySet[Any]:
    """Clients' own logins whose record one of ``organisations`` keeps: their reads on
    their own pages are reviewed by those organisations' auditors."""
    return PortalAccount.objects.filter(client__organisation__in=organisations).values("user_id")


# --- Who has read my record (PDL 8 kap. 5 §) ---------------------------------------------------


def access_log_extract(client: Client, *, leave_out: Viewer | None = None) -> QuerySet[AccessLog]:
    """Every access-log row about the client, newest first: exactly the rows the auditor
    finds for this person, nothing left out (security.md L4). ``leave_out``: without the
    rows of that person's own visits (the page's first view, so that others' reads are not
    buried under one's own; one link shows all)."""
    rows = AccessLog.objects.filter(
        person_type=ContentType.objects.get_for_model(Client, for_concrete_model=True),
        person_id=str(client.pk),
    )
    if leave_out is not None and leave_out.pk is not None:
        rows = rows.exclude(actor_id=leave_out.pk)
    return rows.select_related("actor", "organisation", "object_type").order_by(
        "-occurred_at", "-id"
    )


# What a planned step of the mapping is, in the client's words (the staff's labels are
# checklist K's); a step not named here shows checklist K's label.
SESSION_WORDS: dict[str, StrOrPromise] = {
    "contact_details": _("We go through your contact details"),
    "first_meeting": _("We get to know each other"),
    "network_map": _("We draw a map of the people in your life"),
    "interview": _("We talk about your life and what you want"),
    "normal_day": _("We talk about what a normal day is like for you"),
    "everyday_life": _("We talk about how everyday life works"),
    "lifestyle": _("We talk about lifestyle and health"),
    "qls100": _("We go through a list of everyday things you may want to change"),
    "early_warning": _("We talk about early signs that you are not well"),
    "summary": _("We put together what we have learnt"),
}


@dataclass(frozen=True)
class UpcomingSession:
    starts_at: Any
    duration_minutes: int
    place: str
    planned: list[str]
    team: list[str]


def upcoming_sessions(client: Client) -> list[UpcomingSession]:
    """The client's booked mapping sessions ahead, with what is planned in plain words."""
    return [
        UpcomingSession(
            starts_at=session.starts_at,
            duration_minutes=session.duration_minutes,
            place=session.place,
            planned=[
                str(SESSION_WORDS.get(key) or STEPS[key].label)
                for key in session.planned_steps
                if key in STEPS
            ],
            team=[person.full_name for person in session.booked.all()],
        )
        for session in upcoming_for_client(client)
    ]


# --- Meetings of the resource group: the agenda before, the minutes after -------------------


def my_meetings(client: Client) -> list[Meeting]:
    """The client's meetings, newest first; a cancelled one is not a meeting to read."""
    return list(
        Meeting.objects.filter(client=client)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("agenda")
        .order_by("-starts_at", "-pk")
    )


def my_meeting(client: Client, meeting_id: int) -> Meeting:
    """One of the client's own meetings, else 404 (another client's, or cancelled)."""
    meeting = (
        Meeting.objects.filter(client=client, pk=meeting_id)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("agenda")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting
