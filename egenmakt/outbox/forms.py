"""The choice of channel per kind of notice, shared by the staff and the portal pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.core.notifications import NotificationKind

from .models import Channel
from .sms import normalise_phone


def field_name(kind: NotificationKind) -> str:
    return f"kind_{kind.key}"


class NotificationChannelsForm(forms.Form):
    """One choice of channel per kind. Without a phone number (``sms_possible`` false, or
    no number given on the staff page) SMS is refused with a reason."""

    def __init__(
        self,
        *args: Any,
        kinds: list[NotificationKind],
        current: dict[str, str],
        sms_possible: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.sms_possible = sms_possible
        choices = (
            Channel.choices
            if sms_possible
            else [(value, label) for value, label in Channel.choices if value != Channel.SMS]
        )
        for kind in kinds:
            self.fields[field_name(kind)] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=current.get(kind.key, kind.default),
                widget=forms.RadioSelect,
            )

    def phone(self) -> str:
        return ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.phone():
            for kind in self.kinds:
                if cleaned.get(field_name(kind)) == Channel.SMS:
                    self.add_error(
                        field_name(kind),
                        _("Text messages need a mobile phone number."),
                    )
        return cleaned

    def channels(self) -> dict[str, str]:
        return {kind.key: self.cleaned_data[field_name(kind)] for kind in self.kinds}


class StaffNotificationsForm(NotificationChannelsForm):
    """The staff member's own page: their mobile number, optional, then the choices."""

    def __init__(self, *args: Any, phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, sms_possible=True, **kwargs)
        self.fields = {
            "phone": forms.CharField(
                label=_("Mobile phone"),
                required=False,
                max_length=20,
                initial=phone,
                help_text=_("Only for text messages you choose below. E.g. 070-123 45 67."),
                widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            ),
            **self.fields,
        }

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        number = normalise_phone(raw)
        if not number:
            raise forms.ValidationError(
                _("This is not a phone number. Write it like 070-123 45 67 or +46 70 123 45 67.")
            )
        return number

    def phone(self) -> str:
        return str(self.cleaned_data.get("phone", ""))


class ClientNotificationsForm(NotificationChannelsForm):
    """The client's page: the phone number is the one the care team keeps."""

    def __init__(self, *args: Any, client_phone: str, **kwargs: Any) -> None:
        self.client_phone = normalise_phone(client_phone)
        super().__init__(*args, sms_possible=bool(self.client_phone), **kwargs)

    def phone(self) -> str:
        return self.client_phone
