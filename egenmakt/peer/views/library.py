"""The homework library and the exercise library of an organisation: its coordinators and
administrators edit them, as they edit the course plan (others get 404)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.peer.forms.courseplan import (
    EditExerciseItemForm,
    EditHomeworkItemForm,
    ExerciseItemForm,
    HomeworkItemForm,
    RemovePlanItemForm,
)
from egenmakt.peer.selectors.library import exercise_library_for, homework_library_for
from egenmakt.peer.services import library as services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.courseplan import organisation_to_edit


@dataclass(frozen=True)
class _Kind:
    """What differs between the two library pages."""

    page: str
    homework: bool
    library: Callable[[Organisation], Any]
    add_form: type[forms.Form]
    edit_form: type[forms.Form]
    fields: tuple[str, ...]
    add: Callable[..., Any]
    edit: Callable[..., Any]
    remove: Callable[..., Any]


HOMEWORK = _Kind(
    page="peer:homework_library",
    homework=True,
    library=homework_library_for,
    add_form=HomeworkItemForm,
    edit_form=EditHomeworkItemForm,
    fields=("title", "instructions", "week"),
    add=services.add_homework,
    edit=services.edit_homework,
    remove=services.remove_homework,
)
EXERCISES = _Kind(
    page="peer:exercise_library",
    homework=False,
    library=exercise_library_for,
    add_form=ExerciseItemForm,
    edit_form=EditExerciseItemForm,
    fields=("kind", "title", "description"),
    add=services.add_exercise,
    edit=services.edit_exercise,
    remove=services.remove_exercise,
)


def _page(
    request: AuthenticatedRequest,
    kind: _Kind,
    organisation: Organisation,
    *,
    add_form: forms.Form | None = None,
    edit_form: forms.Form | None = None,
    editing: int | None = None,
    status: int = 200,
) -> HttpResponse:
    library = kind.library(organisation)
    items = []
    for position, entry in enumerate(library.entries):
        if editing == position and edit_form is not None:
            form = edit_form
        else:
            initial = {name: getattr(entry, name) for name in kind.fields}
            form = kind.edit_form(initial={**initial, "position": position})
        form.auto_id = f"item{position}-%s"
        items.append((position, entry, form))
    return render(
        request,
        "peer/library.html",
        {
            "homework": kind.homework,
            "organisation": organisation,
            "library": library,
            "items": items,
            "editing": editing,
            # An edit of an item no longer in the library: its errors go above the list.
            "stray_form": edit_form
            if edit_form is not None and editing not in range(len(library.entries))
            else None,
            "form": add_form or kind.add_form(),
        },
        status=status,
    )


def _add(request: AuthenticatedRequest, kind: _Kind, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    form = kind.add_form(request.POST)
    if form.is_valid():
        try:
            kind.add(user=request.user, organisation=organisation, **form.cleaned_data)
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The library is saved."))
            return redirect(kind.page, organisation.pk)
    return _page(request, kind, organisation, add_form=form, status=400)


def _edit(request: AuthenticatedRequest, kind: _Kind, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    form = kind.edit_form(request.POST)
    if form.is_valid():
        try:
            kind.edit(user=request.user, organisation=organisation, **form.cleaned_data)
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The library is saved."))
            return redirect(kind.page, organisation.pk)
    # The item's own form shows the errors, open; without a position, the page's list.
    position = form.cleaned_data.get("position")
    return _page(request, kind, organisation, edit_form=form, editing=position, status=400)


def _remove(request: AuthenticatedRequest, kind: _Kind, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    form = RemovePlanItemForm(request.POST)
    if not form.is_valid():
        return _page(request, kind, organisation, status=400)
    try:
        kind.remove(
            user=request.user, organisation=organisation, position=form.cleaned_data["position"]
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The item is removed from the library."))
    return redirect(kind.page, organisation.pk)


@login_required
@require_safe
def homework_library(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _page(request, HOMEWORK, organisation_to_edit(request, organisation_id))


@login_required
@require_POST
def homework_library_add(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _add(request, HOMEWORK, organisation_id)


@login_required
@require_POST
def homework_library_edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _edit(request, HOMEWORK, organisation_id)


@login_required
@require_POST
def homework_library_remove(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _remove(request, HOMEWORK, organisation_id)


@login_required
@require_safe
def exercise_library(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _page(request, EXERCISES, organisation_to_edit(request, organisation_id))


@login_required
@require_POST
def exercise_library_add(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _add(request, EXERCISES, organisation_id)


@login_required
@require_POST
def exercise_library_edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _edit(request, EXERCISES, organisation_id)


@login_required
@require_POST
def exercise_library_remove(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    return _remove(request, EXERCISES, organisation_id)
