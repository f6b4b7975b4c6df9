from __future__ import annotations

from typing import Any, cast

import requests
from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egenmakt.accounts.forms import _organisation_choices

from .models import IdentityProvider

ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def plain_http_allowed() -> bool:
    """Tokens and secrets travel to these addresses: https only, except on a developer's
    machine (DEBUG) or where the operator allows it (``SSO_ALLOW_HTTP``, the tests' local
    provider)."""
    return bool(settings.DEBUG or getattr(settings, "SSO_ALLOW_HTTP", False))


DISCOVERY_TIMEOUT = 10


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document; it must name the same issuer."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=DISCOVERY_TIMEOUT)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    if document.get("issuer") != issuer:
        raise ValueError("issuer differs")
    return document


def https_formfield(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    """A provider in one of the administrator's organisations. The client secret is never
    shown back: left empty when editing, the stored one stays. The three addresses may be
    left empty: they are then read from the issuer's discovery document."""

    organisation = forms.ChoiceField(label=gettext_lazy("Organisation or unit"))
    client_secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = IdentityProvider
        formfield_callback = https_formfield
        fields = [
            "name",
            "slug",
            "organisation",
            "signs_in",
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "client_id",
            "client_secret",
            "scopes",
            "subject_claim",
            "email_claim",
            "personal_number_claim",
            "mfa_acr_values",
            "mfa_amr_values",
            "active",
        ]

    def __init__(self, *args: Any, tree: list[tuple[Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["organisation"])
        field.choices = _organisation_choices(tree)
        self._organisations = {str(org.pk): org for org, _depth in tree}
        if self.instance.pk:
            self.initial["organisation"] = str(self.instance.organisation_id)
            self.fields["client_secret"].help_text = _(
                "A secret is stored. Leave empty to keep it; it is never shown."
            )
        for name in ENDPOINTS:
            self.fields[name].required = False
            self.fields[name].help_text = _("Empty: read from the issuer's discovery document.")

    def clean_organisation(self) -> Any:
        return self._organisations[self.cleaned_data["organisation"]]

    def clean_client_secret(self) -> str:
        secret: str = self.cleaned_data["client_secret"]
        if not secret:
            if not self.instance.pk:
                raise forms.ValidationError(_("Give the client secret."))
            return self.instance.client_secret
        return secret

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not plain_http_allowed():
            for name in ("issuer", *ENDPOINTS):
                value = data.get(name)
                if value and not str(value).startswith("https://"):
                    self.add_error(name, _("The address must begin with https://."))
            if self.errors:
                return data
        issuer = data.get("issuer")
        if issuer and not all(data.get(name) for name in ENDPOINTS):
            try:
                document = discover(issuer)
            except (requests.RequestException, ValueError):
                raise forms.ValidationError(
                    _(
                        "The provider's discovery document could not be read from the issuer. "
                        "Check the issuer, or fill in the three addresses."
                    )
                ) from None
            for name in ENDPOINTS:
                if not data.get(name):
                    value = document.get(name)
                    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
                        self.add_error(name, _("The discovery document lacks this address."))
                    else:
                        data[name] = value
        return data
