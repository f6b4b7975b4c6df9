from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.core.input import DateRangeValidator, today, years_from_today

from .models import (
    ActivityKind,
    Capacity,
    CareArea,
    Forum,
    InfluenceOrganisation,
    Level,
    OrganisationKind,
    OutreachChannel,
    OutreachPurpose,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AreaForm(forms.ModelForm):
    class Meta:
        model = CareArea
        fields = ["name", "slug", "description", "organisation"]
        help_texts = {"slug": _("Lower-case letters, digits and hyphens, e.g. vasterhav-norra.")}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = InfluenceOrganisation
        fields = [
            "name",
            "kind",
            "areas",
            "focus",
            "activities",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "account",
            "published",
            "publish_contact",
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "kind": forms.RadioSelect,
            "activities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        self.fields["areas"].required = False
        # One of the kinds, as on the forum form: no blank radio choice.
        self.fields["kind"].choices = OrganisationKind.choices  # type: ignore[attr-defined]
        self.fields["account"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=["user_organisation", "user_network"]
        ).order_by("name")


class ForumForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "level", "kind", "unit", "description", "started_on", "ended_on"]
        widgets = {
            "level": forms.RadioSelect,
            "started_on": DATE,
            "ended_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        # A forum is on one of the three levels: no blank "---------" choice to tick.
        self.fields["level"].choices = Level.choices  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    capacity = forms.ChoiceField(
        label=_("Takes part as"), choices=Capacity.choices, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Represents (for a user representative)"),
        queryset=InfluenceOrganisation.objects.none(),
        required=False,
    )
    since = forms.DateField(label=_("Since"), widget=DATE, initial=timezone.localdate)
    user = forms.ModelChoiceField(
        label=_(
            "Account in Egenmakt (a representative with one confirms minutes and reports back)"
        ),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        # The members of the area's organisations that have an account in Egenmakt.
        accounts = [o.account for o in organisations if o.account_id and o.account]
        condition = Q(pk__in=[])
        for account in accounts:
            condition |= Q(memberships__organisation__path__startswith=account.path)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(condition, is_active=True).distinct().order_by("full_name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("user") and data.get("capacity") != Capacity.REPRESENTATIVE:
            self.add_error("user", _("Only a user representative's account is linked."))
        if data.get("capacity") == Capacity.REPRESENTATIVE and not data.get("organisation"):
            self.add_error(
                "organisation", _("A user representative speaks for an organisation: choose it.")
            )
        return data


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DecisionForm(forms.Form):
    """A coordinator's decision on a submitted activity: the button pressed ("approve" or
    not) and, for a rejection, why (the service asks for it)."""

    decision = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=InfluenceOrganisation.objects.none()
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=CareArea.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActivityKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Starts"), widget=TIME)
    end = forms.TimeField(label=_("Ends"), widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organisations: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        # With one choice there is nothing to choose: pick it for the user.
        for name, choices in (("organisation", organisations), ("area", areas)):
            first_two = list(choices[:2])
            if len(first_two) == 1:
                self.fields[name].initial = first_two[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The activity must end after it starts."))
        return data

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["day"], data["start"])),
            timezone.make_aware(datetime.combine(data["day"], data["end"])),
        )


class UnitsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units in the area"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = choices  # type: ignore[attr-defined]


# The organisations that can coordinate an area beside its own: the regions, the
# municipalities and the user movement's networks (INFERRED: the seed names the user
# organisations' and the care-collaboration arena's coordinators).
COORDINATING_KINDS = ("region", "municipality", "user_network")


def co_organisation_choices(area: CareArea) -> Any:
    return (
        Organisation.objects.filter(kind__in=COORDINATING_KINDS)
        .exclude(pk=area.organisation_id)
        .order_by("name")
    )


class CoOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Coordinated together with"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Nobody: one coordinating organisation"),
        help_text=_(
            "When two coordinators share the work (one employed by the user organisations, "
            "one by the care collaboration), name the other's organisation: its "
            "coordinators get the same rights."
        ),
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = choices  # type: ignore[attr-defined]


class OutreachForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=InfluenceOrganisation.objects.none()
    )
    contacted_on = forms.DateField(
        label=_("Date"),
        widget=DATE,
        validators=[DateRangeValidator(years_from_today(-5), today)],
    )
    channel = forms.ChoiceField(label=_("How"), choices=OutreachChannel.choices)
    purpose = forms.ChoiceField(
        label=_("Why"), choices=OutreachPurpose.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What came up, in a few words. Never anything about a client."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
