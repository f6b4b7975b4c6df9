"""Booking the mapping work ahead: several sessions at once, cancelled or held; a held
session becomes the step records checklist K reads (``mapping.record_step`` and
``mapping.start_worksheet``, as when a step is recorded afterwards)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egenmakt.audit.models import Action
from egenmakt.coordination.checklist import MAPPING_STEPS, PLANNING_STEPS, STEPS, StepDef
from egenmakt.coordination.models import (
    Client,
    MappingSession,
    SessionStatus,
    StepRecord,
    TeamRole,
)
from egenmakt.coordination.rules import may_work_jointly
from egenmakt.instruments.models import RespondentKind
from egenmakt.instruments.selectors import find_current_definition

from . import invitations
from . import mapping as mapping_services
from .common import (
    CoordinationError,
    acting_organisation,
    no_joint_work_message,
    record_change,
    require_open,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

# INFERRED (domain.md 2: 1–2 meetings a week for 2–4 months): at most 26 sessions booked
# at once, two a week for thirteen weeks.
MAX_SESSIONS = 26
# The steps a session can plan: every row of checklist K but "Other" (a title of its own),
# the interview with a relative (the relative is chosen when it is held) and the first
# resource-group meeting (booked as a meeting). INFERRED: editable here.
NOT_BOOKABLE = frozenset({"other", "relative_interview", "first_group_meeting"})
BOOKABLE_STEPS: tuple[StepDef, ...] = tuple(
    s for s in (*MAPPING_STEPS, *PLANNING_STEPS) if s.key not in NOT_BOOKABLE
)
WEEKDAYS = (
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
)


def weekly_starts(first_day: date, weekday: int, at: time, weeks: int) -> list[datetime]:
    """``weeks`` local times on ``weekday`` from ``first_day`` on: the same wall-clock time
    every week, also across a change to or from summer time."""
    day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    return [
        timezone.make_aware(datetime.combine(day + timedelta(weeks=n), at)) for n in range(weeks)
    ]


def case_manager_ids(client: Client) -> set[int]:
    return set(
        client.team.filter(ended_on__isnull=True, role=TeamRole.CASE_MANAGER).values_list(
            "user_id", flat=True
        )
    )


def needs_both(planned: Iterable[str]) -> bool:
    return any(STEPS[key].both for key in planned if key in STEPS)


def only_one_booked(session: MappingSession, managers: set[int]) -> bool:
    """A step both case managers take part in, and fewer than two of them booked."""
    booked = {p.pk for p in session.booked.all()}
    return needs_both(session.planned_steps) and len(booked & managers) < 2


def only_one_attended(session: MappingSession, managers: set[int]) -> bool:
    if session.status != SessionStatus.HELD:
        return False
    done = {record.step for record in session.steps.all()}
    attended = {p.pk for p in session.attended.all()}
    return needs_both(done) and len(attended & managers) < 2


def _check(client: Client, user: User) -> None:
    require_open(client)
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))


def _team_only(client: Client, people: Sequence[Any], field: str) -> None:
    team = set(client.team.filter(ended_on__isnull=True).values_list("user_id", flat=True))
    if any(person.pk not in team for person in people):
        raise ValidationError({field: [_("Choose people from the care team.")]})


@transaction.atomic
def book_sessions(
    *,
    user: User,
    client: Client,
    starts: Sequence[datetime],
    duration_minutes: int,
    place: str,
    planned_steps: Sequence[str],
    booked: Sequence[Any],
    invite: bool = True,
) -> list[MappingSession]:
    """Book the sessions all or none, and invite the client and the booked case managers."""
    _check(client, user)
    starts = sorted(set(starts))
    if not starts:
        raise ValidationError({"dates": [_("Give at least one date and time.")]})
    if len(starts) > MAX_SESSIONS:
        raise ValidationError(
            {"dates": [_("At most %(count)s sessions at once.") % {"count": MAX_SESSIONS}]}
        )
    if starts[0] < timezone.now():
        raise ValidationError({"dates": [_("A session cannot be booked in the past.")]})
    allowed = {s.key for s in BOOKABLE_STEPS}
    if any(key not in allowed for key in planned_steps):
        raise ValidationError({"planned_steps": [_("Choose a step from the checklist.")]})
    if not booked:
        raise ValidationError({"booked": [_("Choose who comes from the care team.")]})
    _team_only(client, booked, "booked")
    organisation = acting_organisation(user, client)
    sessions = []
    for moment in starts:
        session = MappingSession.objects.create(
            client=client,
            starts_at=moment,
            duration_minutes=duration_minutes,
            place=place.strip()[:200],
            planned_steps=list(planned_steps),
            organisation=organisation,
            created_by=user,
        )
        session.booked.set(booked)
        record_change(user, client, session, action=Action.CREATE, organisation=organisation)
        if invite:
            invitations.send_session_invitations(user=user, client=client, session=session)
        sessions.append(session)
    return sessions


@transaction.atomic
def cancel_session(*, user: User, client: Client, session: MappingSession) -> None:
    _check(client, user)
    if session.client_id != client.pk or session.status != SessionStatus.BOOKED:
        raise CoordinationError(_("Only a booked session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    record_change(user, client, session, reason="mapping session cancelled")
    if session.starts_at > timezone.now():
        invitations.send_session_invitations(user=user, client=client, session=session, cancel=True)


@transaction.atomic
def hold_session(
    *,
    user: User,
    client: Client,
    session: MappingSession,
    attended: Sequence[Any],
    done_steps: Sequence[str],
    client_present: bool = True,
) -> list[StepRecord]:
    """The session was held: who came, and a step record per planned step that was done
    (a worksheet step opens its worksheet as a draft, as on the client's page)."""
    _check(client, user)
    if session.client_id != client.pk or session.status != SessionStatus.BOOKED:
        raise CoordinationError(_("Only a booked session can be marked as held."))
    if session.starts_at > timezone.now():
        raise ValidationError({"attended": [_("The session has not started yet.")]})
    if not attended:
        raise ValidationError({"attended": [_("Choose who came from the care team.")]})
    _team_only(client, attended, "attended")
    if any(key not in session.planned_steps for key in done_steps):
        raise ValidationError({"done_steps": [_("Choose among the planned steps.")]})
    day = timezone.localtime(session.starts_at).date()
    records = []
    for key in session.planned_steps:
        if key not in done_steps:
            continue
        definition = STEPS[key]
        if definition.instrument is None:
            record = mapping_services.record_step(
                user=user,
                client=client,
                step=key,
                done_on=day,
                present=attended,
                client_present=client_present,
            )
        else:
            sheet = find_current_definition(definition.instrument, client.organisation)
            if sheet is None:
                raise CoordinationError(_("The worksheet is not installed."))
            record = mapping_services.start_worksheet(
                user=user,
                client=client,
                definition=sheet,
                respondent_kind=RespondentKind.CLIENT,
                done_on=day,
                present=attended,
                client_present=client_present,
            )
        records.append(record)
    session.status = SessionStatus.HELD
    session.save(update_fields=["status", "updated_at"])
    session.attended.set(attended)
    session.steps.set(records)
    record_change(user, client, session, reason="mapping session held")
    return records
