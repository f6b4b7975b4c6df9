"""Forms of the course plan: an entry of a network's plan, and building a course from it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.peer.forms.common import LONG_TEXT_LIMIT
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
