"""Editing a network's course plan (copy on first change: another network's plan never
changes) and building a course's days and homework from it (again: nothing twice)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import (
    COURSE_WEEKS,
    Assignment,
    Cohort,
    CoursePlanItem,
    CourseSession,
    PlanItemKind,
)
from egenmakt.peer.rules import may_edit_plan, may_plan
from egenmakt.peer.selectors.courseplan import PlanEntry, own_items, plan_for
from egenmakt.peer.services.inherited import make_own
from egenmakt.peer.services.recruitment import RecruitmentError


def _copy(organisation: Organisation) -> Callable[[PlanEntry], CoursePlanItem]:
    def copy(entry: PlanEntry) -> CoursePlanItem:
        return CoursePlanItem.objects.create(
            organisation=organisation,
            week=entry.week,
            weekday=entry.weekday,
            kind=entry.kind,
            title=entry.title,
            instructions=entry.instructions,
            starts=entry.starts,
            ends=entry.ends,
        )

    return copy


def _make_own(organisation: Organisation) -> list[CoursePlanItem]:
    """The organisation's own rows, copied from the plan it inherits the first time."""
    return make_own(
        organisation,
        own=own_items,
        inherited=lambda o: plan_for(o).entries,
        copy=_copy(organisation),
    )


@transaction.atomic
def add_plan_item(
    *,
    user: User,
    organisation: Organisation,
    week: int,
    weekday: int,
    kind: str,
    title: str,
    instructions: str = "",
    starts: time | None = None,
    ends: time | None = None,
) -> CoursePlanItem:
    require(may_edit_plan(user, organisation), "edit course plan")
    if not 1 <= week <= COURSE_WEEKS or not 1 <= weekday <= 7:
        raise RecruitmentError(_("Choose a week of the course and a day of the week."))
    if kind not in PlanItemKind.values:
        raise RecruitmentError(_("Unknown kind."))
    if kind == PlanItemKind.DAY and (starts is None or ends is None or ends <= starts):
        raise RecruitmentError(_("A course day ends after it starts."))
    if kind == PlanItemKind.HOMEWORK:
        starts = ends = None
    _make_own(organisation)
    item = CoursePlanItem.objects.create(
        organisation=organisation,
        week=week,
        weekday=weekday,
        kind=kind,
        title=title.strip(),
        instructions=instructions.strip(),
        starts=starts,
        ends=ends,
    )
    log_access(actor=user, action=Action.CREATE, obj=item)
    return item


@transaction.atomic
def remove_plan_item(*, user: User, organisation: Organisation, position: int) -> None:
    """Remove the entry at ``position`` of the plan as shown (the organisation's own copy
    is made first when it still inherits). Removing every entry returns to the inherited
    plan."""
    require(may_edit_plan(user, organisation), "edit course plan")
    rows = _make_own(organisation)
    if not 0 <= position < len(rows):
        raise RecruitmentError(_("That entry is no longer in the plan."))
    row = rows[position]
    log_access(actor=user, action=Action.DELETE, obj=row)
    row.delete()


def _exists(cohort: Cohort, entry: PlanEntry, on: Any) -> bool:
    if entry.is_day:
        return CourseSession.objects.filter(
            cohort=cohort, day=on, starts=entry.starts, theme=entry.title
        ).exists()
    return Assignment.objects.filter(cohort=cohort, due=on, title=entry.title).exists()


@transaction.atomic
def build_from_plan(*, user: User, cohort: Cohort, place: str) -> tuple[int, int]:
    """Create the course days and homework of the plan that applies to the round's
    organisation, dated from the round's course start. Days and homework already there
    (same date, time and theme; same title and due date) are left alone, so running it
    again creates nothing. Returns (days created, homework created)."""
    require(may_plan(user, cohort), "build course from plan")
    if not place.strip():
        raise RecruitmentError(_("Give the place of the course days."))
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    days = homework = 0
    for entry in plan_for(cohort.round.organisation).entries:
        on = entry.on(cohort.round.course_start)
        if _exists(cohort, entry, on):
            continue
        if entry.is_day:
            if entry.starts is None or entry.ends is None:
                continue  # the table's constraint keeps such a day out
            CourseSession.objects.create(
                cohort=cohort,
                day=on,
                starts=entry.starts,
                ends=entry.ends,
                place=place.strip(),
                theme=entry.title,
            )
            days += 1
        else:
            Assignment.objects.create(
                cohort=cohort,
                title=entry.title,
                instructions=entry.instructions or entry.title,
                due=on,
                created_by=user,
            )
            homework += 1
    log_access(
        actor=user, action=Action.CHANGE, obj=cohort, reason=AuditEvent.COURSE_BUILT_FROM_PLAN
    )
    return days, homework
