"""Emergency access and the early-warning plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.coordination.identity import parse_identity_number


class EmergencyForm(forms.Form):
    identity_number = forms.CharField(
        label=_("The client's personal identity number"),
        max_length=13,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Why you must open the record now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=500,
    )

    def clean_identity_number(self) -> str:
        return parse_identity_number(self.cleaned_data["identity_number"]).digits


class EmergencyChoiceForm(forms.Form):
    """The client chosen when one number is registered at several organisations (the
    radio buttons beside the matches' names)."""

    client = forms.IntegerField(required=False)


class WarningPlanForm(forms.Form):
    copies_held_by = forms.CharField(
        label=_("Who holds a copy"),
        max_length=300,
        required=False,
        help_text=_("Everyone named in the plan gets a copy."),
    )
    reviewed = forms.BooleanField(label=_("Reviewed with the client today"), required=False)
