"""Forms of the course plan and of the homework and exercise libraries, and building a
course from the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.peer.forms.common import LONG_TEXT_LIMIT
from egenmakt.peer.models.course import ExerciseKind
from egenmakt.peer.models.courseplan import COURSE_WEEKS, WEEKDAYS, PlanItemKind

_TIME = forms.TimeInput(attrs={"type": "time"})


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanItemKind.choices)
    week = forms.TypedChoiceField(
        label=_("Course week"),
        coerce=int,
        choices=[(week, str(week)) for week in range(1, COURSE_WEEKS + 1)],
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week (homework: the day it is handed in)"),
        coerce=int,
        choices=WEEKDAYS,
    )
    title = forms.CharField(label=_("Theme or title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions (homework)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LONG_TEXT_LIMIT,
        required=False,
    )
    starts = forms.TimeField(label=_("Starts (course day)"), widget=_TIME, required=False)
    ends = forms.TimeField(label=_("Ends (course day)"), widget=_TIME, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == PlanItemKind.DAY:
            starts, ends = data.get("starts"), data.get("ends")
            if starts is None or ends is None or ends <= starts:
                raise forms.ValidationError(_("A course day ends after it starts."))
        elif data.get("kind") == PlanItemKind.HOMEWORK and not data.get("instructions"):
            self.add_error("instructions", _("Write the instructions of the homework."))
        return data


class RemovePlanItemForm(forms.Form):
    position = forms.IntegerField(min_value=0)


class BuildFromPlanForm(forms.Form):
    # Beside the course-day form on the same page: its own names and ids.
    prefix = "plan"

    place = forms.CharField(label=_("Place of the course days"), max_length=200)


# --- The homework library and the exercise library --------------------------------------


class HomeworkItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_LIMIT,
    )
    week = forms.TypedChoiceField(
        label=_("Course week it suits"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any week")), *[(w, str(w)) for w in range(1, COURSE_WEEKS + 1)]],
    )


class ExerciseItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExerciseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_LIMIT,
    )


class EditHomeworkItemForm(HomeworkItemForm):
    position = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class EditExerciseItemForm(ExerciseItemForm):
    position = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
