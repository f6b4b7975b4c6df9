"""Forms of supervision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.peer.forms.common import DATE


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("individual", _("Individual")), ("group", _("Group"))],
        widget=forms.RadioSelect,
        initial="individual",
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    peer_supporters = forms.ModelMultipleChoiceField(
        label=_("With"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer_supporters"].queryset = people  # type: ignore[attr-defined]
