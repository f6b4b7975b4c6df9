from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation

from .models import SERVICE_AREAS, Access, Area
from .services import MAX_DAYS


def _scope_choices(areas: list[str]) -> list[tuple[str, str]]:
    labels = dict(Area.choices)
    return [
        (f"{area}:{access}", f"{labels[area]}: {access_label}")
        for area in areas
        for access, access_label in Access.choices
    ]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the system.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        widget=forms.CheckboxSelectMultiple,
        choices=_scope_choices(list(Area.values)),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


class ServiceTokenForm(TokenForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["scopes"].choices = _scope_choices(  # type: ignore[attr-defined]
            [a for a in Area.values if a in SERVICE_AREAS]
        )
        self.order_fields(["organisation", "name", "scopes", "days"])
