"""Editing an organisation's homework library and exercise library (copy on first change:
another organisation's library never changes; removing every item returns to the
inherited library). The organisation's coordinators and administrators edit them, as
they edit the course plan."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import COURSE_WEEKS, Exercise, ExerciseKind, HomeworkTemplate
from egenmakt.peer.rules import may_edit_plan
from egenmakt.peer.selectors.library import (
    ExerciseEntry,
    HomeworkEntry,
    exercise_library_for,
    homework_library_for,
    own_exercises,
    own_homework,
)
from egenmakt.peer.services.inherited import make_own
from egenmakt.peer.services.recruitment import RecruitmentError

# --- Homework library ------------------------------------------------------------------


def _homework_entry(title: str, instructions: str, week: int | None) -> HomeworkEntry:
    title, instructions = title.strip(), instructions.strip()
    if not title or not instructions:
        raise RecruitmentError(_("Give the homework a title and instructions."))
    if week is not None and not 1 <= week <= COURSE_WEEKS:
        raise RecruitmentError(_("Choose a week of the course."))
    return HomeworkEntry(title, instructions, week)


def _own_homework(organisation: Organisation) -> list[HomeworkTemplate]:
    def copy(entry: HomeworkEntry) -> HomeworkTemplate:
        return HomeworkTemplate.objects.create(
            organisation=organisation,
            title=entry.title,
            instructions=entry.instructions,
            week=entry.week,
        )

    return make_own(
        organisation,
        own=own_homework,
        inherited=lambda o: homework_library_for(o).entries,
        copy=copy,
    )


def _at(rows: list[HomeworkTemplate] | list[Exercise], position: int) -> int:
    if not 0 <= position < len(rows):
        raise RecruitmentError(_("That item is no longer in the library."))
    return position


@transaction.atomic
def add_homework(
    *, user: User, organisation: Organisation, title: str, instructions: str, week: int | None
) -> HomeworkTemplate:
    require(may_edit_plan(user, organisation), "edit homework library")
    entry = _homework_entry(title, instructions, week)
    _own_homework(organisation)
    row = HomeworkTemplate.objects.create(
        organisation=organisation,
        title=entry.title,
        instructions=entry.instructions,
        week=entry.week,
    )
    log_access(actor=user, action=Action.CREATE, obj=row)
    return row


@transaction.atomic
def edit_homework(
    *,
    user: User,
    organisation: Organisation,
    position: int,
    title: str,
    instructions: str,
    week: int | None,
) -> HomeworkTemplate:
    """Change the item at ``position`` of the library as shown (the organisation's own
    copy is made first when it still inherits)."""
    require(may_edit_plan(user, organisation), "edit homework library")
    entry = _homework_entry(title, instructions, week)
    rows = _own_homework(organisation)
    row = rows[_at(rows, position)]
    row.title, row.instructions, row.week = entry.title, entry.instructions, entry.week
    row.save(update_fields=["title", "instructions", "week"])
    log_access(actor=user, action=Action.CHANGE, obj=row)
    return row


@transaction.atomic
def remove_homework(*, user: User, organisation: Organisation, position: int) -> None:
    """Remove the item at ``position``. Removing every item returns to the inherited
    library."""
    require(may_edit_plan(user, organisation), "edit homework library")
    rows = _own_homework(organisation)
    row = rows[_at(rows, position)]
    log_access(actor=user, action=Action.DELETE, obj=row)
    row.delete()


# --- Exercise library (role plays and workshops) ---------------------------------------


def _exercise_entry(kind: str, title: str, description: str) -> ExerciseEntry:
    title, description = title.strip(), description.strip()
    if kind not in ExerciseKind.values:
        raise RecruitmentError(_("Unknown kind."))
    if not title or not description:
        raise RecruitmentError(_("Give the exercise a title and a description."))
    return ExerciseEntry(kind, title, description)


def _own_exercises(organisation: Organisation) -> list[Exercise]:
    def copy(entry: ExerciseEntry) -> Exercise:
        return Exercise.objects.create(
            organisation=organisation,
            kind=entry.kind,
            title=entry.title,
            description=entry.description,
        )

    return make_own(
        organisation,
        own=own_exercises,
        inherited=lambda o: exercise_library_for(o).entries,
        copy=copy,
    )


@transaction.atomic
def add_exercise(
    *, user: User, organisation: Organisation, kind: str, title: str, description: str
) -> Exercise:
    require(may_edit_plan(user, organisation), "edit exercise library")
    entry = _exercise_entry(kind, title, description)
    _own_exercises(organisation)
    row = Exercise.objects.create(
        organisation=organisation,
        kind=entry.kind,
        title=entry.title,
        description=entry.description,
    )
    log_access(actor=user, action=Action.CREATE, obj=row)
    return row


@transaction.atomic
def edit_exercise(
    *,
    user: User,
    organisation: Organisation,
    position: int,
    kind: str,
    title: str,
    description: str,
) -> Exercise:
    require(may_edit_plan(user, organisation), "edit exercise library")
    entry = _exercise_entry(kind, title, description)
    rows = _own_exercises(organisation)
    row = rows[_at(rows, position)]
    row.kind, row.title, row.description = entry.kind, entry.title, entry.description
    row.save(update_fields=["kind", "title", "description"])
    log_access(actor=user, action=Action.CHANGE, obj=row)
    return row


@transaction.atomic
def remove_exercise(*, user: User, organisation: Organisation, position: int) -> None:
    require(may_edit_plan(user, organisation), "edit exercise library")
    rows = _own_exercises(organisation)
    row = rows[_at(rows, position)]
    log_access(actor=user, action=Action.DELETE, obj=row)
    row.delete()
