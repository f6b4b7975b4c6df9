"""What every coordination form shares: the date widget, the text limit, service errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


TEXT_LIMIT = 2000


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message by its field, or above the form
    when the service names something the form has no field for."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class EditNumberForm(forms.Form):
    """The edit number a page was opened at (the plan's ``version``, or ``plan_version``
    beside a meeting's decision): a save against an older number is refused as stale."""

    version = forms.IntegerField(min_value=0, required=False)
    plan_version = forms.IntegerField(min_value=0, required=False)

    def number(self, name: str = "version") -> int:
        """The posted number, or 0 (never current, so refused as stale) when missing."""
        if not self.is_valid():
            return 0
        value: int | None = self.cleaned_data[name]
        return value or 0
