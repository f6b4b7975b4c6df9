"""What the programme page posts: an export to make, a research export key to create.

The page draws these fields itself; the forms parse them (the services check the rest).
"""

from __future__ import annotations

from django import forms

from .models import ExportFormat, ExportKind, ResearchKey


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=ExportKind.choices)
    format = forms.ChoiceField(choices=ExportFormat.choices)
    research_key = forms.IntegerField(required=False, min_value=1)


class ResearchKeyForm(forms.Form):
    # Empty is the service's to refuse, with its own message.
    name = forms.CharField(
        required=False, max_length=ResearchKey._meta.get_field("name").max_length
    )
