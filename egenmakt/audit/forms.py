from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egenmakt.core.forms import offer

from .models import Action, Outcome, ReviewOutcome, Verdict, kind_label


class PersonTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ContentType) -> str:
        return kind_label(obj)


class AccessLogSearchForm(forms.Form):
    user = forms.CharField(label=_("Name or e-mail"), max_length=254, required=False)
    person_type = PersonTypeChoiceField(
        label=_("Kind of person"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    person_id = forms.CharField(label=_("Id"), max_length=64, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any")), *Action.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Any")), *Outcome.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .registry import person_content_types

        offer(self.fields["person_type"], person_content_types())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error(
                "until", ValidationError(_("The end date must be on or after the start date."))
            )
        if cleaned.get("person_id") and cleaned.get("person_type") is None:
            self.add_error(
                "person_type", ValidationError(_("Choose the kind of person the id belongs to."))
            )
        return cleaned


class EmergencyReviewForm(forms.Form):
    """The auditor's verdict on one emergency access, posted from the list (which draws the
    fields itself)."""

    verdict = forms.ChoiceField(choices=Verdict.choices)
    note = forms.CharField(required=False)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LogReviewStartForm(forms.Form):
    """Which unit, which period, how many reads to draw at random."""

    # The auditor's units, set per form (audit.selectors.audited_units).
    organisation = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    sample_size = forms.IntegerField(
        label=_("Reads to draw at random"),
        min_value=1,
        max_value=500,
        initial=20,
        help_text=_("Every flagged read in the period is added to these."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error(
                "period_end", ValidationError(_("The end date must be on or after the start date."))
            )
        return cleaned


class LogReviewItemForm(forms.Form):
    """The outcome of one item in a review, with a note."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
