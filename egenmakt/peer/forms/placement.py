"""Forms of workplaces and placements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.peer.forms.common import DATE, PostedValues


class RegisterWorkplaceForm(forms.Form):
    workplace = forms.ModelChoiceField(
        label=_("Workplace or service"), queryset=Organisation.objects.none()
    )
    network = forms.ModelChoiceField(
        label=_("For the network"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, workplaces: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces  # type: ignore[attr-defined]
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    parties = forms.CharField(label=_("Parties"), max_length=300)
    recruitment = forms.BooleanField(label=_("Recruitment"), required=False, initial=True)
    training = forms.BooleanField(label=_("Training"), required=False, initial=True)
    coordination = forms.BooleanField(label=_("Coordination"), required=False, initial=True)
    supervision = forms.BooleanField(label=_("Supervision"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until (optional)"), widget=DATE, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    document = forms.FileField(
        label=_("The signed agreement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )


class TrainingForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For"),
        choices=[
            ("staff", _("The workplace's staff")),
            ("user_organisation", _("The local user organisations")),
        ],
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    attended = forms.IntegerField(label=_("Number who took part"), min_value=0, required=False)
    attendees = forms.CharField(
        label=_("Who took part (names, optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UserOrganisationTrainingForm(TrainingForm):
    """A session of the user organisation's own (the audience is the organisation)."""

    audience = None  # type: ignore[assignment]


class PlacementForm(forms.Form):
    peer_supporter = forms.ModelChoiceField(label=_("Peer supporter"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    employer = forms.ChoiceField(
        label=_("Employer"),
        choices=[
            ("user_organisation", _("The user organisation (user-run staffing)")),
            ("workplace", _("The workplace")),
        ],
        widget=forms.RadioSelect,
    )
    share_percent = forms.IntegerField(
        label=_("Share of full time (%)"), min_value=1, max_value=100, initial=50
    )
    contact_person = forms.CharField(label=_("Contact person at the workplace"), max_length=150)
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason to go on despite the warnings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, peer_supporters: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer_supporter"].queryset = peer_supporters  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]


class TaskDescriptionForm(forms.Form):
    """The workplace's task description: the points agreed, record keeping, notes, and
    when (if) it was agreed. The points and record keeping are checked by the service."""

    points = PostedValues()
    record_keeping = forms.CharField(required=False)
    notes = forms.CharField(required=False, strip=False)
    agreed_by_peers = forms.CharField(required=False, strip=False)
    agreed = forms.CharField(required=False)
    agreed_on = forms.CharField(required=False)

    def clean_notes(self) -> str:
        return str(self.cleaned_data["notes"])[:5000]

    def clean_agreed_by_peers(self) -> str:
        return str(self.cleaned_data["agreed_by_peers"])[:300]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreed_on = None
        if data.get("agreed") == "1":
            try:
                agreed_on = date.fromisoformat(data.get("agreed_on") or "")
            except ValueError:
                self.add_error("agreed_on", _("Give the date it was agreed."))
        data["agreed_on"] = agreed_on
        return data


class PlacementEndForm(forms.Form):
    ends_on = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)

    def clean_ends_on(self) -> date:
        try:
            return date.fromisoformat(self.cleaned_data["ends_on"])
        except ValueError:
            raise forms.ValidationError(_("Give the date it ends.")) from None
