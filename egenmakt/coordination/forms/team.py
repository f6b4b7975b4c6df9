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
