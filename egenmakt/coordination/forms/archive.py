"""The reason to open a sealed record, the restriction on paper, the retention period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.coordination.models import RetentionPolicy

from .common import DATE


class ArchiveReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you must read the record"),
        help_text=_(
            "Your reason is written into the access log with every page you open in the "
            "next four hours, and the auditor reads it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=500,
    )
    # The page asked for before the reason; checked against the client by the view.
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


class RestrictionForm(forms.Form):
    """A request for restriction that came on paper, recorded by the care team."""

    received_on = forms.DateField(label=_("The day the request came"), widget=DATE)
    confirmed = forms.BooleanField(
        label=_("The client has asked in writing that the processing be restricted"),
    )


class LiftRestrictionForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("The client has asked that the restriction be lifted"),
    )


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["years", "note"]
        help_texts = {
            "note": _("For example the decision that set the period, or the law it follows."),
        }
