from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("The client's e-mail address"),
        max_length=254,
        help_text=_("The sign-in link is sent here. It works once, for 15 minutes."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
