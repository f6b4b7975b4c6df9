"""Forms of the ethics guidelines: an organisation's text, and a participant's
acknowledgement of the text they were shown."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The guidelines are a page or two; room for a network's longer version.
GUIDELINES_LIMIT = 20000


class GuidelinesForm(forms.Form):
    text_sv = forms.CharField(
        label=_("The guidelines in Swedish"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=GUIDELINES_LIMIT,
    )
    text_en = forms.CharField(
        label=_("The guidelines in English (optional: Swedish is shown where it is missing)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=GUIDELINES_LIMIT,
        required=False,
    )


class AcknowledgeForm(forms.Form):
    # The checksum of the text shown, so a text saved anew while it was read is not what
    # the participant is taken to have acknowledged.
    checksum = forms.CharField(widget=forms.HiddenInput, max_length=64)
