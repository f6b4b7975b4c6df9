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


class AnswerControlsForm(forms.Form):
    """What the worksheet page posts beside the answers: the edit number it was opened at,
    the editing session's token, which button was pressed, and a row to add."""

    version = forms.IntegerField(min_value=0, required=False)
    edit_token = forms.CharField(required=False)
    _action = forms.CharField(required=False)
    _add_row = forms.CharField(required=False)

    def controls(self) -> tuple[int, str, bool, str | None]:
        """(version, edit token, submit?, row to add): what is missing or broken reads as
        a stale version, no token, a draft and no row."""
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("version") or 0,
            (data.get("edit_token") or "")[:32],
            data.get("_action") == "submit",
            data.get("_add_row") or None,
        )


class PortalRestrictionForm(forms.Form):
    """The client's own confirmation on the portal."""

    confirmed = forms.BooleanField(
        label=_("Yes, I want the processing of my data to stop"),
    )


class PortalLiftForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("Yes, my care team may work with my data again"),
    )
