"""The providers in Django's admin, for the platform's operators; the secret is write-only
here too (administrators use ``/administration/e-legitimation/``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import IdentityProviderForm, https_formfield
from .models import IdentityProvider


class OperatorProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored secret; it is never shown."),
    )

    class Meta:
        model = IdentityProvider
        fields = [*IdentityProviderForm.Meta.fields]
        formfield_callback = https_formfield

    def clean_client_secret(self) -> str:
        secret: str = self.cleaned_data["client_secret"]
        if secret:
            return secret
        if not self.instance.pk:
            raise forms.ValidationError(_("Give the client secret."))
        return self.instance.client_secret


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = OperatorProviderForm
    list_display = ["name", "organisation", "signs_in", "issuer", "active"]
    list_filter = ["signs_in", "active"]
    list_select_related = ["organisation"]

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)
