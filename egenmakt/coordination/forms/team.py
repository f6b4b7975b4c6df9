"""The care-team form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.coordination.models import (
    TeamRole,
)


class TeamMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Acting for"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    reason = forms.CharField(
        label=_("Why, if the warning does not fit this client"), max_length=300, required=False
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        member: Any = self.fields["member"]
        organisation: Any = self.fields["organisation"]
        member.queryset = people
        member.label_from_instance = lambda user: f"{user.full_name} ({user.email})"
        organisation.queryset = organisations


class LeaveTeamForm(forms.Form):
    """Ending a seat. A case manager who leaves writes what the one who takes over needs to
    know: the work must not stop when people change (the audits name "utbyte av
    personal" among the obstacles)."""

    handover_note = forms.CharField(
        label=_("Hand-over: what the one who takes over needs to know"),
        help_text=_(
            "What is going on now, what has been agreed with the client, what is promised "
            "and to whom, and what the client wants the new case manager to know."
        ),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, needs_note: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handover_note"]
        field.required = needs_note
        field.error_messages["required"] = _("Write what the one who takes over needs to know.")
