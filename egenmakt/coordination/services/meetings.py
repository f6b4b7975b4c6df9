"""The resource group and its meetings: who is in the group, booking a meeting with the
method's standing agenda and e-mailed invitations (with a calendar file), holding it
(attendance, minutes, goal attainment, the early-warning plan reviewed), the decisions
that change the plan, and booking the next one.

RACT: the client decides who is in the resource group; the case managers always are.
The group meets about every three months (domain.md 2.1). A meeting's minutes are
guarded like the plan: every save names the edit number (``Meeting.version``) it started
from, and of two people saving at once exactly one succeeds. Decisions that change the
plan go through ``plan.py`` and its own edit number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.models import (
    STANDING_ITEM_TITLES,
    AgendaItem,
    Attainment,
    CareTeamMember,
    Client,
    Decision,
    DecisionKind,
    Goal,
    GoalReview,
    Meeting,
    MeetingPlace,
    MeetingStatus,
    PlanVersion,
    ResourceGroupMember,
    TeamRole,
    decision_sentence,
)
from egenmakt.coordination.selectors.meetings import MEETING_INTERVAL_MONTHS
from egenmakt.coordination.selectors.minutes import minutes_digest
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.services.common import CoordinationError, record_change
from egenmakt.coordination.services.emergency import update_warning_plan
from egenmakt.core.dates import add_months

from .group import copy_seat, require_group_consent, require_joint_work, require_own_meeting
from .invitations import attendance_rows, send_invitations
from .minutes import tell_minutes_ready

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


class StaleMeetingError(CoordinationError):
    """Someone else saved the meeting after this form was opened."""


@dataclass(frozen=True)
class StandingItem:
    key: str
    title: StrOrPromise


# The method's standing agenda (domain.md 2.1): the first meeting decides the plan; every
# meeting follows changes, evaluates the goals, reviews the early-warning plan and books
# the next one.
DECIDE_PLAN = StandingItem("decide_plan", STANDING_ITEM_TITLES["decide_plan"])
FOLLOW_CHANGES = StandingItem("follow_changes", STANDING_ITEM_TITLES["follow_changes"])
GOALS = StandingItem("goals", STANDING_ITEM_TITLES["goals"])
WARNING_PLAN = StandingItem("warning_plan", STANDING_ITEM_TITLES["warning_plan"])
NEXT_MEETING = StandingItem("next_meeting", STANDING_ITEM_TITLES["next_meeting"])


def standing_agenda(*, first: bool) -> list[StandingItem]:
    if first:
        return [DECIDE_PLAN, GOALS, WARNING_PLAN, NEXT_MEETING]
    return [FOLLOW_CHANGES, GOALS, WARNING_PLAN, NEXT_MEETING]


def default_place(client: Client) -> str:
    """Where the client's meetings are held, as text: their address or their own note; a
    protected address is never filled in. Empty when only the kind of place is known: the
    meeting keeps that as a code (``default_place_kind``), shown in the reader's language."""
    if client.meeting_place == MeetingPlace.HOME and not client.protected_identity:
        town = f"{client.postcode} {client.city}".strip()
        return ", ".join(p for p in (client.address, town) if p)
    if client.meeting_place == MeetingPlace.OTHER and client.meeting_place_note:
        return client.meeting_place_note
    return ""


def default_place_kind(client: Client) -> str:
    return client.meeting_place if client.meeting_place in MeetingPlace.values else ""


def _case_managers_as_members(client: Client, user: User, own: CareTeamMember) -> None:
    """The case managers are always in the group (RACT); they get a row the first time
    a meeting needs one, so their attendance is recorded like everyone's."""
    seats = client.team.filter(ended_on__isnull=True, role=TeamRole.CASE_MANAGER).select_related(
        "user", "organisation"
    )
    have = set(
        ResourceGroupMember.objects.filter(
            client=client, ended_on__isnull=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    for seat in seats:
        if seat.user_id in have:
            continue
        member = ResourceGroupMember(
            client=client, organisation=own.organisation, added_by=user, chosen_by_client=True
        )
        copy_seat(member, seat)
        member.save()
        record_change(
            user, client, member, action=Action.CREATE, reason=AuditEvent.GROUP_MEMBER_ADDED
        )


def is_first_meeting(client: Client) -> bool:
    """No plan decided yet: the meeting's first item is to decide it."""
    return not PlanVersion.objects.filter(plan__client=client).exists()


@transaction.atomic
def book_meeting(
    *,
    user: User,
    client: Client,
    starts_at: datetime,
    duration_minutes: int = 90,
    place: str = "",
    place_kind: str = "",
    chair: str = "",
    extra_items: Iterable[str] = (),
    invite: bool = True,
) -> Meeting:
    """Book a meeting with the standing agenda (and the items added); invite the group."""
    own = require_joint_work(user, client)
    require_group_consent(client)
    errors: dict[str, list[str]] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = [_("Choose a time that has not passed.")]
    if not 15 <= duration_minutes <= 480:
        errors["duration_minutes"] = [_("A meeting lasts between 15 minutes and 8 hours.")]
    if errors:
        raise ValidationError(errors)
    # Typed text stays as typed; else the client's address or note; else only the kind of
    # place, as a code (a label stored as text would stay in the booker's language).
    place, kind = place.strip(), ""
    if not place and place_kind in MeetingPlace.values:
        kind = place_kind  # the next meeting, where the last one was
    elif not place:
        place = default_place(client)
        kind = "" if place else default_place_kind(client)
    meeting = Meeting(
        client=client,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place[:200],
        place_kind=kind,
        chair=chair.strip()[:150],
        organisation=own.organisation,
        home_organisation_id=client.organisation_id,
        created_by=user,
    )
    meeting.full_clean()
    meeting.save()
    items = [
        (item.key, str(item.title)) for item in standing_agenda(first=is_first_meeting(client))
    ]
    items += [("", text.strip()[:200]) for text in extra_items if text.strip()]
    # The free items come before booking the next meeting, which closes every meeting.
    items.sort(key=lambda pair: pair[0] == NEXT_MEETING.key)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, key=key, title=title, position=index)
        for index, (key, title) in enumerate(items, start=1)
    )
    _case_managers_as_members(client, user, own)
    record_change(user, client, meeting, action=Action.CREATE, reason=AuditEvent.MEETING_BOOKED)
    if invite:
        send_invitations(user=user, client=client, meeting=meeting)
    else:
        attendance_rows(meeting)
    return meeting


@dataclass
class MeetingRecord:
    """What the meeting form says; ``None`` means not filled in."""

    minutes: str = ""
    client_present: bool | None = None
    notes: dict[int, str] | None = None  # agenda item id → notes
    present: dict[int, bool | None] | None = None  # member id → came or not
    attainment: dict[int, tuple[int | None, str]] | None = None  # goal id → (step, comment)
    warning_plan_reviewed: bool = False
    held: bool = False
    next_starts_at: datetime | None = None


def _claim(user: User, client: Client, meeting: Meeting, expected_version: int) -> None:
    """Take the meeting's next edit number, or refuse: the check is the UPDATE."""
    require_joint_work(user, client)
    require_own_meeting(client, meeting)
    claimed = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise StaleMeetingError(
            _(
                "Someone else saved this meeting after you opened it. Nothing of yours was "
                "saved: your text is kept below to copy. Reload the page and add it again."
            )
        )
    meeting.version = expected_version + 1


@transaction.atomic
def save_meeting(
    *,
    user: User,
    client: Client,
    meeting: Meeting,
    expected_version: int,
    record: MeetingRecord,
) -> Meeting:
    """Save the minutes, attendance and goal attainment; mark the meeting held; tick the
    early-warning plan as reviewed; book the next meeting."""
    _claim(user, client, meeting, expected_version)
    if meeting.status == MeetingStatus.CANCELLED:
        raise CoordinationError(_("The meeting is cancelled."))
    minutes_before = minutes_digest(meeting) if meeting.status == MeetingStatus.HELD else ""
    day = timezone.localtime(meeting.starts_at).date()
    errors: dict[str, list[str]] = {}
    if record.held and record.client_present is None:
        errors["client_present"] = [_("Say whether the client was there.")]
    if record.held and day > timezone.localdate():
        errors["held"] = [_("A meeting is marked as held on its day or after.")]
    if record.next_starts_at is not None and record.next_starts_at <= meeting.starts_at:
        errors["next_starts_at"] = [_("The next meeting comes after this one.")]
    if errors:
        raise ValidationError(errors)

    for item in meeting.agenda.all():
        notes = (record.notes or {}).get(item.pk)
        if notes is not None and notes.strip() != item.notes:
            item.notes = notes.strip()
            item.save(update_fields=["notes"])
    # A held meeting keeps the people it had; later members get rows at the next one.
    if meeting.status == MeetingStatus.PLANNED:
        attendance = attendance_rows(meeting)
    else:
        attendance = list(meeting.attendance.all())
    rows = {row.member_id: row for row in attendance}
    for member_id, present in (record.present or {}).items():
        row = rows.get(member_id)
        if row is not None and row.present != present:
            row.present = present
            row.save(update_fields=["present"])
    _save_reviews(meeting, client, record.attainment or {})

    meeting.minutes = record.minutes.strip()
    meeting.client_present = record.client_present
    fields = ["minutes", "client_present", "updated_at"]
    if record.held and meeting.status != MeetingStatus.HELD:
        meeting.status = MeetingStatus.HELD
        fields.append("status")
    if record.warning_plan_reviewed and not meeting.warning_plan_reviewed:
        meeting.warning_plan_reviewed = True
        fields.append("warning_plan_reviewed")
        update_warning_plan(
            user=user, client=client, reviewed=True, reviewed_on=min(day, timezone.localdate()),
        )  # fmt: skip
    meeting.save(update_fields=fields)
    record_change(
        user, client, meeting, reason=f"{AuditEvent.RESOURCE_GROUP}: meeting {meeting.status}"
    )
    tell_minutes_ready(meeting, editor=user, before=minutes_before)
    if record.next_starts_at is not None:
        book_meeting(
            user=user,
            client=client,
            starts_at=record.next_starts_at,
            duration_minutes=meeting.duration_minutes,
            place=meeting.place,
            place_kind=meeting.place_kind,
            chair=meeting.chair,
        )
    return meeting


def _save_reviews(
    meeting: Meeting, client: Client, attainment: dict[int, tuple[int | None, str]]
) -> None:
    if not attainment:
        return
    goals = {g.pk for g in Goal.objects.filter(plan__client=client, pk__in=list(attainment))}
    existing = {r.goal_id: r for r in meeting.goal_reviews.all()}
    for goal_id, (step, comment) in attainment.items():
        if goal_id not in goals:
            raise PermissionDenied
        review = existing.get(goal_id)
        if step is None:
            if review is not None:
                review.delete()
            continue
        if step not in Attainment.values:
            raise ValidationError({"__all__": [_("Choose how far the sub-goal has come.")]})
        if review is None:
            GoalReview.objects.create(
                meeting=meeting, goal_id=goal_id, attainment=step, comment=comment.strip()[:300]
            )
        elif (review.attainment, review.comment) != (step, comment.strip()[:300]):
            review.attainment, review.comment = step, comment.strip()[:300]
            review.save(update_fields=["attainment", "comment"])


@transaction.atomic
def cancel_meeting(*, user: User, client: Client, meeting: Meeting) -> Meeting:
    require_joint_work(user, client)
    require_own_meeting(client, meeting)
    updated = Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.PLANNED).update(
        status=MeetingStatus.CANCELLED, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise CoordinationError(_("Only a booked meeting can be cancelled."))
    meeting.refresh_from_db()
    record_change(user, client, meeting, reason=AuditEvent.MEETING_CANCELLED)
    return meeting


@transaction.atomic
def record_decision(
    *,
    user: User,
    client: Client,
    meeting: Meeting,
    kind: str,
    plan_version: int,
    data: dict[str, Any],
) -> Decision:
    """A decision of the meeting. Those that change the plan change it through the plan's
    own services (and edit number), and the decision names what it changed."""
    require_joint_work(user, client)
    require_own_meeting(client, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise CoordinationError(_("The meeting is cancelled."))
    if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
        raise CoordinationError(_("Decisions are recorded at the meeting or after it."))
    plan = plans.plan_for(client, user)
    common: dict[str, Any] = {
        "user": user,
        "client": client,
        "plan": plan,
        "expected_version": plan_version,
    }
    decision = Decision(meeting=meeting, kind=kind, recorded_by=user)
    typed = ""
    if kind == DecisionKind.NEW_GOAL:
        goal = plans.add_goal(
            text=data["text"], measure=data["measure"], target_date=data["target_date"], **common
        )
        decision.goal = goal
        decision.parts = {"goal": goal.text}
    elif kind == DecisionKind.NEW_ACTION:
        action = plans.add_action(data=data, **common)
        decision.action, decision.goal = action, action.goal
        decision.parts = {"what": action.what, "who": action.who, "when": action.when}
    elif kind == DecisionKind.GOAL_STATUS:
        goal = data["goal"]
        plans.set_goal_status(goal=goal, status=data["status"], **common)
        decision.goal = goal
        decision.parts = {"goal": goal.text, "status": goal.status}
    elif kind == DecisionKind.ACTION_STATUS:
        action = data["action"]
        plans.set_action_status(action=action, status=data["status"], **common)
        decision.action, decision.goal = action, action.goal
        decision.parts = {"what": action.what, "status": action.status}
    elif kind == DecisionKind.DECIDE_PLAN:
        version = plans.decide_plan(
            decided_on=data.get("decided_on") or timezone.localtime(meeting.starts_at).date(),
            consent=data["consent"],
            consent_confirmed=data["consent_confirmed"],
            **common,
        )
        decision.plan_version = version
        decision.parts = {"number": version.number}
    elif kind == DecisionKind.OTHER:
        typed = str(data.get("text", "")).strip()
        if not typed:
            raise ValidationError({"text": [_("Write the decision.")]})
    else:
        raise PermissionDenied
    # What a person typed stays as typed; the others are sentences made from their parts.
    decision.text = (decision_sentence(kind, decision.parts) or typed)[:500]
    decision.full_clean()
    decision.save()
    record_change(
        user, client, decision, action=Action.CREATE, reason=f"{AuditEvent.RESOURCE_GROUP}: {kind}"
    )
    return decision


def next_meeting_default(meeting: Meeting) -> datetime:
    """About three months on, at the same time of day (RACT: every three months)."""
    return add_months(timezone.localtime(meeting.starts_at), MEETING_INTERVAL_MONTHS)
