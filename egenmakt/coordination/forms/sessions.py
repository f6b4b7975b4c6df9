"""Booking mapping sessions: a list of dates and times, or a fixed weekly time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.coordination.checklist import STEPS
from egenmakt.coordination.models import CareTeamMember, MappingSession
from egenmakt.coordination.services.sessions import (
    BOOKABLE_STEPS,
    MAX_SESSIONS,
    WEEKDAYS,
    weekly_starts,
)

from .common import DATE


class TeamMembersField(forms.MultipleChoiceField):
    """People of the care team by checkbox; the choices come from the seats already read
    (no query per form, so a page with many sessions' forms stays cheap)."""

    def __init__(self, *, team: list[CareTeamMember], **kwargs: Any) -> None:
        self.people = {str(seat.user_id): seat.user for seat in team}
        super().__init__(
            choices=[(key, person.full_name) for key, person in self.people.items()],
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def clean(self, value: Any) -> list[User]:
        return [self.people[key] for key in super().clean(value)]


def _team_field(label: Any, team: list[CareTeamMember]) -> TeamMembersField:
    return TeamMembersField(team=team, label=label)


class BookSessionsForm(forms.Form):
    dates = forms.CharField(
        label=_("Dates and times, one a line (optional)"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-12-08 10:00"}),
        required=False,
        help_text=_("For example 2026-12-08 10:00. Or fill in a weekly time below."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Every week on"),
        choices=[("", "—"), *WEEKDAYS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    at = forms.TimeField(
        label=_("At (time)"), widget=forms.TimeInput(attrs={"type": "time"}), required=False
    )
    weeks = forms.IntegerField(
        label=_("For how many weeks"), min_value=1, max_value=MAX_SESSIONS, required=False
    )
    first_day = forms.DateField(
        label=_("Starting from"), widget=DATE, required=False, initial=timezone.localdate
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=240, initial=60
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    planned_steps = forms.MultipleChoiceField(
        label=_("Planned steps and worksheets"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, team: list[CareTeamMember], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_steps"].choices = [  # type: ignore[attr-defined]
            (s.key, s.label) for s in BOOKABLE_STEPS
        ]
        self.fields["booked"] = _team_field(_("Booked from the care team"), team)
        if not self.is_bound:
            self.initial.setdefault(
                "booked",
                [str(seat.user_id) for seat in team if seat.role == "case_manager"]
                or [str(user.pk)],
            )

    def _listed(self, text: str) -> list[datetime]:
        field = forms.DateTimeField()
        starts = []
        for line in text.splitlines():
            if line.strip():
                try:
                    starts.append(field.clean(line.strip()))
                except forms.ValidationError:
                    self.add_error("dates", _("Not a date and time: %(line)s") % {"line": line})
        return starts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly: list[Any] = [data.get(k) for k in ("weekday", "at", "weeks")]
        text = data.get("dates") or ""
        if text.strip() and any(v is not None for v in weekly):
            raise forms.ValidationError(_("Give either a list of dates or a weekly time."))
        if text.strip():
            starts = self._listed(text)
        elif all(v is not None for v in weekly):
            weekday, at, weeks = weekly
            starts = weekly_starts(
                data.get("first_day") or timezone.localdate(), weekday, at, weeks
            )
        else:
            raise forms.ValidationError(
                _("Give a list of dates, or a weekday, a time and a number of weeks.")
            )
        if len(starts) > MAX_SESSIONS:
            self.add_error(
                "dates", _("At most %(count)s sessions at once.") % {"count": MAX_SESSIONS}
            )
        if any(moment < timezone.now() for moment in starts):
            self.add_error("dates", _("A session cannot be booked in the past."))
        data["starts"] = starts
        return data


class HoldSessionForm(forms.Form):
    client_present = forms.BooleanField(
        label=_("The client was there"), required=False, initial=True
    )
    done_steps = forms.MultipleChoiceField(
        label=_("Steps done"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self, *args: Any, team: list[CareTeamMember], session: MappingSession, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"] = _team_field(_("Present from the care team"), team)
        self.fields["done_steps"].choices = [  # type: ignore[attr-defined]
            (key, STEPS[key].label) for key in session.planned_steps if key in STEPS
        ]
        self.order_fields(["attended", "done_steps", "client_present"])
