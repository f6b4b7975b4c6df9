"""Forms of forum work: agenda items, minutes, confirmations, matters, reports back."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import DATE
from .models import ForumMeeting, ForumMember, InfluenceOrganisation, MatterStatus


class AgendaItemForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=InfluenceOrganisation.objects.none(),
        required=False,
        empty_label=_("The coordinators"),
    )
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    description = forms.CharField(
        label=_("Background"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, organisations: list[InfluenceOrganisation], coordinator: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        field = self.fields["organisation"]
        field.queryset = InfluenceOrganisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        ).order_by("name")
        if not coordinator:
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]
            if len(organisations) == 1:
                field.initial = organisations[0].pk


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )


class ConfirmForm(forms.Form):
    """Confirm (no text) or ask for a correction (the text says what)."""

    correction = forms.CharField(
        label=_("What should be corrected (leave empty to confirm)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Report to your organisation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class MatterForm(forms.Form):
    raised_by = forms.ModelChoiceField(
        label=_("Raised by (user representative)"), queryset=ForumMember.objects.none()
    )
    title = forms.CharField(label=_("Question"), max_length=200)
    description = forms.CharField(
        label=_("Background"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    raised_on = forms.DateField(label=_("Raised on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, seats: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["raised_by"].queryset = seats  # type: ignore[attr-defined]
        first_two = list(seats[:2])
        if len(first_two) == 1:
            self.fields["raised_by"].initial = first_two[0].pk


class LinkMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Discussed at the meeting"), queryset=ForumMeeting.objects.none()
    )

    def __init__(self, *args: Any, meetings: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), choices=MatterStatus.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required when rejected)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision_reference = forms.CharField(
        label=_("Decision's reference (e.g. the record number)"), max_length=150, required=False
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == MatterStatus.REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the matter was rejected."))
        return data
