from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import OrganisationKind, User
from .roles import Role


class EmailAuthenticationForm(AuthenticationForm):
    """Login with e-mail; one message for every failure so no account can be guessed."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is wrong. Check them and try again. "
            "After several failed attempts the account is locked for a while."
        ),
        "inactive": _(
            "The e-mail address or password is wrong. Check them and try again. "
            "After several failed attempts the account is locked for a while."
        ),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
    )

    def clean_token(self) -> str:
        return "".join(str(self.cleaned_data["token"]).split()).lower()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


# --- Administration inside the app -----------------------------------------------------------


def _organisation_choices(tree: list[tuple[Any, int]]) -> list[tuple[str, str]]:
    """The administrator's organisations, indented as in the tree (no-break spaces)."""
    return [("", "---------")] + [
        (str(org.pk), "\u00a0\u00a0" * depth + org.name) for org, depth in tree
    ]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name of the unit"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail address"), max_length=100, required=False)


class RoleForm(forms.Form):
    """A role in one of the administrator's organisations; the choices are the tree, so an
    organisation outside it is not a valid choice at all."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    organisation = forms.ChoiceField(label=_("Organisation or unit"))

    def __init__(self, *args: Any, tree: list[tuple[Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["organisation"])
        field.choices = _organisation_choices(tree)
        self._organisations = {str(org.pk): org for org, _depth in tree}

    def clean_organisation(self) -> Any:
        return self._organisations[self.cleaned_data["organisation"]]


class InviteForm(RoleForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation link is sent here. It works once, for a limited time."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail and the pages"), choices=settings.LANGUAGES
    )
    field_order = ["full_name", "email", "language", "role", "organisation"]


class CurrentPasswordForm(forms.Form):
    """The invitation's first step for someone who already has a password: the link alone
    (the e-mail) must not be enough to take over an account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is wrong."))
        return password
