"""Consent forms: recording and revoking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.coordination.models import (
    CareTeamMember,
    ConsentForm,
    ConsentScope,
    TeamRole,
)
from egenmakt.core.input import DateRangeValidator, years_from_today
from egenmakt.core.uploads import check_upload

from .common import DATE, TEXT_LIMIT


class ConsentRecordForm(forms.Form):
    # Not in the future: the service says so in its own words. INFERRED: a consent given
    # more than ten years (the journal's retention period) before it is entered is implausible.
    given_on = forms.DateField(
        label=_("Given on"),
        widget=DATE,
        initial=timezone.localdate,
        validators=[DateRangeValidator(earliest=years_from_today(-10))],
    )
    form = forms.ChoiceField(
        label=_("How it was given"), choices=ConsentForm.choices, widget=forms.RadioSelect
    )
    scope = forms.MultipleChoiceField(
        label=_("What it covers"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(ConsentScope.values),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that may work together"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    case_managers = forms.ModelMultipleChoiceField(
        label=_("Named case managers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    details = forms.CharField(
        label=_("More about what it covers (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    # INFERRED: a consent is renewed well within ten years; a later end is a typo.
    valid_until = forms.DateField(
        label=_("Valid until (optional)"),
        widget=DATE,
        required=False,
        validators=[DateRangeValidator(latest=years_from_today(10))],
    )
    document = forms.FileField(
        label=_("The signed form (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args: Any, team: list[CareTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations: Any = self.fields["organisations"]
        case_managers: Any = self.fields["case_managers"]
        organisations.queryset = Organisation.objects.filter(
            pk__in=[seat.organisation_id for seat in team]
        )
        manager_ids = [seat.user_id for seat in team if seat.role == TeamRole.CASE_MANAGER]
        case_managers.queryset = User.objects.filter(pk__in=manager_ids)
        case_managers.label_from_instance = lambda user: user.full_name
        if not self.is_bound:
            self.initial.setdefault("organisations", [seat.organisation_id for seat in team])
            self.initial.setdefault("case_managers", manager_ids)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload and check_upload(upload) != "pdf":
            raise ValidationError(_("Upload the signed form as a PDF."))
        return upload


class RevokeConsentForm(forms.Form):
    note = forms.CharField(
        label=_("How and when the client withdrew consent"), max_length=300, required=False
    )
