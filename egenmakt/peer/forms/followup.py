"""Forms of follow-up: reunions and further training, sick leave."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.peer.forms.common import DATE
from egenmakt.peer.models import (
    FollowUpKind,
)


class FollowUpEventForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=FollowUpKind.choices, widget=forms.RadioSelect, initial="reunion"
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("What it is about"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]
        only = list(networks[:2])
        if len(only) == 1:
            self.fields["network"].initial = only[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The event must end after it starts."))
        return data


class SickLeaveForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (inclusive)"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The sick leave cannot end before it starts."))
        return data
