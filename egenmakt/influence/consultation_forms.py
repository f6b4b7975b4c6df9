"""Forms of consultations (remiss): the question, an organisation's answer, the summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import DATE
from .models import InfluenceOrganisation


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("The question"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the organisations are asked; it is public if you publish it."),
    )
    deadline = forms.DateField(label=_("Answer by"), widget=DATE)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations to ask"),
        queryset=InfluenceOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The area's organisations with an account in Egenmakt: their members answer."),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[InfluenceOrganisation], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Answer for"), queryset=InfluenceOrganisation.objects.none(), empty_label=None
    )
    text = forms.CharField(
        label=_("Your organisation's answer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The organisation answers once; the answer cannot be changed afterwards."),
    )

    def __init__(self, *args: Any, organisations: list[InfluenceOrganisation], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = InfluenceOrganisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in organisations]
        ).order_by("name")


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the answers"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Saving the summary closes the consultation: no more answers are taken. It is "
            "public if you publish the consultation."
        ),
    )


class PublishForm(forms.Form):
    published = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
