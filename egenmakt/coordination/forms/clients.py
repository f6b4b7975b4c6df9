"""Forms about the client: details, registering, search, phase, case notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.coordination.identity import parse_identity_number
from egenmakt.coordination.models import (
    Client,
    Phase,
)
from egenmakt.core.input import set_date_range, today, years_from_today

from .common import DATE


class ClientForm(forms.ModelForm[Client]):
    class Meta:
        model = Client
        fields = [
            "full_name",
            "protected_identity",
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "preferred_language",
            "interpreter_needed",
            "meeting_place",
            "meeting_place_note",
            "started_on",
        ]
        widgets = {"started_on": DATE, "meeting_place": forms.RadioSelect}
        help_texts = {
            "started_on": _("The day the coordination assignment started."),
            "meeting_place_note": _("For example the address of a meeting place."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "Started" is a fact, so not after today (issue 17: 0001-01-01 passed). INFERRED,
        # not from the method: ten years back, the journal's own retention period, is as far
        # as an assignment still running when it is entered can plausibly reach.
        set_date_range(self.fields["started_on"], years_from_today(-10), today)


class RegisterClientForm(ClientForm):
    identity_number = forms.CharField(
        label=_("Personal identity number or co-ordination number"),
        max_length=13,
        help_text=_("YYYYMMDD-NNNN. A co-ordination number has 60 added to the day."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Registered by"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta(ClientForm.Meta):
        pass

    field_order = ["full_name", "identity_number", "organisation"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations
        if organisations.count() == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations.first()

    def clean_identity_number(self) -> str:
        return parse_identity_number(self.cleaned_data["identity_number"]).digits


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or personal identity number"),
        max_length=100,
        required=False,
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
