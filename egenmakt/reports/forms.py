"""What the programme page posts: an export to make, a research export key to create.

The page draws these fields itself; the forms parse them (the services check the rest).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ExportFormat, ExportKind, ResearchKey

CASELOAD_EXPORTS = (ExportKind.CASELOAD, ExportKind.CASELOAD_EXTRACT)


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in ExportKind.choices if c[0] not in CASELOAD_EXPORTS]
    )
    format = forms.ChoiceField(choices=ExportFormat.choices)
    research_key = forms.IntegerField(required=False, min_value=1)


class ResearchKeyForm(forms.Form):
    # Empty is the service's to refuse, with its own message.
    name = forms.CharField(
        required=False, max_length=ResearchKey._meta.get_field("name").max_length
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseloadPeriodForm(forms.Form):
    """The caseload page's period (the unit is chosen beside it, from the user's units)."""

    starts_on = forms.DateField(label=_("Started from"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and starts_on > ends_on:
            self.add_error(
                "ends_on", ValidationError(_("The end date must be on or after the start date."))
            )
        return cleaned


class CaseloadExportForm(CaseloadPeriodForm):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in CASELOAD_EXPORTS])
    format = forms.ChoiceField(choices=ExportFormat.choices)
    research_key = forms.IntegerField(required=False, min_value=1)
