"""Forms: explicit fields only (no mass assignment), errors in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.coordination.models import (
    ActionStatus,
    Attainment,
    CareTeamMember,
    Contact,
    Goal,
    GoalStatus,
    MeetingStatus,
    MemberKind,
    PlanAction,
)
from egenmakt.core.forms import offer
from egenmakt.core.input import DateRangeValidator, today, years_from_today

from .common import TEXT_LIMIT

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


YES_NO = [("", _("Not filled in")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class GroupMemberForm(forms.Form):
    """A person the client has chosen: picked from the contacts or the care team, or
    typed in."""

    source = forms.ChoiceField(label=_("Who"), required=False)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *MemberKind.choices], required=False
    )
    role = forms.CharField(label=_("Role or relationship"), max_length=100, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("The invitations are sent here, with a calendar file."),
    )
    chosen_by_client = forms.BooleanField(
        label=_("The client has chosen this person for the resource group"), required=False
    )

    def __init__(
        self,
        *args: Any,
        contacts: list[Contact],
        seats: list[CareTeamMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {f"contact-{c.pk}": c for c in contacts}
        self.seats = {f"seat-{s.pk}": s for s in seats}
        field: Any = self.fields["source"]
        field.choices = [
            ("", _("Someone else: type the details below")),
            (
                _("From the care team"),
                [
                    (key, f"{s.user.full_name} ({s.get_role_display()})")
                    for key, s in self.seats.items()
                ],
            ),
            (
                _("From the network"),
                [(key, f"{c.name} ({c.relationship})") for key, c in self.contacts.items()],
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("chosen_by_client"):
            self.add_error(
                "chosen_by_client",
                _("The client decides who is in the group: tick this when they have chosen."),
            )
        if not data.get("source"):
            for key in ("name", "kind", "role"):
                if not data.get(key):
                    self.add_error(key, _("Fill this in, or choose the person above."))
        return data

    @property
    def contact(self) -> Contact | None:
        return self.contacts.get(self.cleaned_data.get("source", ""))

    @property
    def seat(self) -> CareTeamMember | None:
        return self.seats.get(self.cleaned_data.get("source", ""))


class BookMeetingForm(forms.Form):
    # INFERRED: the method meets about every three months; a meeting is booked at most two
    # years ahead, and one already held is entered within a year.
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DATETIME,
        validators=[DateRangeValidator(years_from_today(-1), years_from_today(2))],
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Empty: where the client's meetings are usually held."),
    )
    chair = forms.CharField(label=_("Meeting leader"), max_length=150, required=False)
    extra_items = forms.CharField(
        label=_("More items on the agenda (optional, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
        help_text=_("The method's standing items are added by themselves."),
    )
    invite = forms.BooleanField(
        label=_("Send the invitations by e-mail now"), required=False, initial=True
    )


def meeting_as_saved(meeting: Any, attendance: list[Any], goals: list[Goal]) -> dict[str, Any]:
    """The meeting form's values as the meeting stands (the page's initial values, and the
    base that the API lays a partial change over)."""
    code = {True: "yes", False: "no", None: ""}
    reviews = {review.goal_id: review for review in meeting.goal_reviews.all()}
    values: dict[str, Any] = {
        "minutes": meeting.minutes,
        "client_present": code[meeting.client_present],
        "warning_plan_reviewed": meeting.warning_plan_reviewed,
        "held": meeting.status == MeetingStatus.HELD,
    }
    for item in meeting.agenda.all():
        values[f"notes_{item.pk}"] = item.notes
    for row in attendance:
        values[f"present_{row.member_id}"] = code[row.present]
    for goal in goals:
        review = reviews.get(goal.pk)
        values[f"attainment_{goal.pk}"] = review.attainment if review else ""
        values[f"comment_{goal.pk}"] = review.comment if review else ""
    return values


class MeetingForm(forms.Form):
    """The meeting as held: one field per agenda item, member and sub-goal."""

    minutes = forms.CharField(
        label=_("Other notes from the meeting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    client_present = forms.ChoiceField(
        label=_("Was the client there?"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    warning_plan_reviewed = forms.BooleanField(
        label=_("The early-warning plan was reviewed at the meeting"), required=False
    )
    held = forms.BooleanField(label=_("The meeting has been held"), required=False)
    # The next meeting lies ahead; INFERRED: at most two years ahead (see BookMeetingForm).
    next_starts_at = forms.DateTimeField(
        label=_("Book the next meeting (date and time)"),
        widget=DATETIME,
        required=False,
        validators=[DateRangeValidator(today, years_from_today(2))],
        help_text=_("About three months on. The invitations go out when you save."),
    )

    def __init__(
        self,
        *args: Any,
        agenda: list[Any],
        attendance: list[Any],
        goals: list[Goal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for item in agenda:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=item.shown_title,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=TEXT_LIMIT,
                required=False,
            )
        for row in attendance:
            self.fields[f"present_{row.member_id}"] = forms.ChoiceField(
                label=row.member.name, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        for goal in goals:
            self.fields[f"attainment_{goal.pk}"] = forms.TypedChoiceField(
                label=goal.text,
                choices=[("", _("Not assessed")), *Attainment.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(
                label=_("Comment on %(goal)s") % {"goal": goal.text},
                max_length=300,
                required=False,
            )
        self.agenda, self.attendance, self.goals = agenda, attendance, goals

    def record(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "minutes": data["minutes"],
            "client_present": yes_no(data["client_present"]),
            "notes": {item.pk: data[f"notes_{item.pk}"] for item in self.agenda},
            "present": {
                row.member_id: yes_no(data[f"present_{row.member_id}"]) for row in self.attendance
            },
            "attainment": {
                goal.pk: (data[f"attainment_{goal.pk}"], data[f"comment_{goal.pk}"])
                for goal in self.goals
            },
            "warning_plan_reviewed": data["warning_plan_reviewed"],
            "held": data["held"],
            "next_starts_at": data["next_starts_at"],
        }


class GoalStatusDecisionForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Sub-goal"), queryset=Goal.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)

    def __init__(self, *args: Any, goals: QuerySet[Goal] | list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["goal"], goals)


class ActionStatusDecisionForm(forms.Form):
    action = forms.ModelChoiceField(label=_("Measure"), queryset=PlanAction.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

    def __init__(
        self, *args: Any, actions: QuerySet[PlanAction] | list[PlanAction], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["action"], actions)


class OtherDecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class MinutesConfirmForm(forms.Form):
    """The minutes as they stand: confirmed, or something to correct (in one's own words).
    Used on the care team's meeting page and on the client's own pages."""

    answer = forms.ChoiceField(
        label=_("Are the minutes right?"),
        choices=[
            ("confirm", _("Yes, I confirm the minutes")),
            ("correct", _("Something should be corrected")),
        ],
        widget=forms.RadioSelect,
    )
    correction = forms.CharField(
        label=_("What should be corrected?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "correct" and not (data.get("correction") or "").strip():
            self.add_error("correction", _("Write what should be corrected."))
        if data.get("answer") == "confirm":
            data["correction"] = ""
        return data
