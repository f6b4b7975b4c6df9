"""Plan forms: header, goals, actions, deciding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.coordination.models import (
    ActionStatus,
    CareTeamMember,
    Consent,
    Goal,
    GoalStatus,
    Principal,
)
from egenmakt.coordination.selectors.plan import CalendarActivity
from egenmakt.core.forms import offer

from .common import DATE, TEXT_LIMIT


def _by_name(user: Any) -> tuple[str, str]:
    """``User``'s order."""
    return (user.full_name, user.email)


class PlanHeaderForm(forms.Form):
    long_term_goal = forms.CharField(
        label=_("Long-term goal, in the client's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    responsible_principal = forms.ChoiceField(
        label=_("Principal with overall responsibility"),
        choices=[("", "—"), *Principal.choices[:2]],
        required=False,
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Person with overall responsibility"),
        queryset=User.objects.none(),
        required=False,
    )
    urgent_measures = forms.CharField(
        label=_("Urgent measures taken before the plan (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, team: list[CareTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["responsible_person"]
        person.label_from_instance = lambda user: user.full_name
        # The team's people as read with their seats (``User``'s order), without a query.
        people: dict[int, Any] = {seat.user_id: seat.user for seat in team}
        offer(person, sorted(people.values(), key=_by_name))


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Sub-goal"), max_length=300)
    measure = forms.CharField(
        label=_("How we will know it is reached"),
        max_length=300,
        help_text=_("Concrete and measurable, for example “goes to the choir twice a month”."),
    )
    target_date = forms.DateField(label=_("Target date"), widget=DATE)


class PlanActionForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("For the sub-goal"), queryset=Goal.objects.none(), required=False
    )
    what = forms.CharField(label=_("What is to be done"), max_length=300)
    who = forms.CharField(label=_("Who does it"), max_length=150)
    principal = forms.ChoiceField(label=_("Carried by"), choices=Principal.choices)
    organisation_name = forms.CharField(
        label=_("Organisation (optional)"), max_length=150, required=False
    )
    when = forms.CharField(
        label=_("When"), max_length=100, help_text=_("For example “every Tuesday” or “in May”.")
    )
    due_on = forms.DateField(label=_("By (date, optional)"), widget=DATE, required=False)
    urgent = forms.BooleanField(label=_("Urgent, before the plan is decided"), required=False)

    def __init__(self, *args: Any, goals: QuerySet[Goal] | list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["goal"], goals)


class PlanActivityForm(forms.Form):
    """One of the user movement's coming activities near the client, taken up as a measure
    carried by someone else (the association); a choice not offered is refused."""

    activity = forms.ChoiceField(label=_("Activity"))
    goal = forms.ModelChoiceField(
        label=_("For the sub-goal"), queryset=Goal.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        activities: list[CalendarActivity],
        goals: QuerySet[Goal] | list[Goal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activities = {activity.key: activity for activity in activities}
        choice: Any = self.fields["activity"]
        choice.choices = [
            (a.key, f"{a.title} – {a.organisation}, {a.when}, {a.place}") for a in activities
        ]
        offer(self.fields["goal"], goals)

    def clean(self) -> dict[str, Any]:
        """The activity as ``services.plan.add_action`` takes a measure."""
        cleaned = super().clean() or {}
        activity = self.activities.get(cleaned.get("activity", ""))
        if activity is None:
            return cleaned
        return {
            "goal": cleaned.get("goal"),
            "what": activity.title,
            "who": activity.organisation,
            "principal": Principal.OTHER,
            "organisation_name": activity.organisation,
            "when": activity.when,
        }


class DecidePlanForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, initial=timezone.localdate)
    consent = forms.ModelChoiceField(
        label=_("The consent confirmed for this version"),
        queryset=Consent.objects.none(),
        empty_label=None,
    )
    consent_confirmed = forms.BooleanField(
        label=_("The client has confirmed the consent for this version of the plan"),
        required=False,
    )

    def __init__(
        self, *args: Any, consents: QuerySet[Consent] | list[Consent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        consent: Any = self.fields["consent"]
        consent.label_from_instance = lambda row: (
            _("Given on %(day)s") % {"day": row.given_on.isoformat()}
        )
        offer(consent, consents)


class PlanStatusForm(forms.Form):
    """A sub-goal's or a measure's new status (the service checks it against the kind)."""

    status = forms.ChoiceField(choices=[*GoalStatus.choices, *ActionStatus.choices])
