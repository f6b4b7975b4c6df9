"""The work log's one short form: the day, the kind, the time, the setting, the themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.peer.forms.common import DATE
from egenmakt.peer.models import MAX_MINUTES, Placement, WorkKind, WorkSetting, WorkTheme

# The quick choices of time; another number goes in "other".
QUICK_MINUTES = (15, 30, 45, 60, 90, 120)


class PlacementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.workplace.workplace.name)


class WorkLogForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("What"), choices=WorkKind.choices, widget=forms.RadioSelect)
    quick_minutes = forms.TypedChoiceField(
        label=_("Time"),
        choices=[(str(m), _("%(minutes)s min") % {"minutes": m}) for m in QUICK_MINUTES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    other_minutes = forms.IntegerField(
        label=_("Other number of minutes"),
        min_value=1,
        max_value=MAX_MINUTES,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    setting = forms.ChoiceField(
        label=_("Where"), choices=WorkSetting.choices, widget=forms.RadioSelect
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=WorkTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    placement = PlacementChoice(
        label=_("Workplace"), queryset=Placement.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, placements: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("day", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["placement"]
        field.queryset = placements  # type: ignore[attr-defined]
        choices = list(placements)
        if len(choices) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("placement", choices[0].pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        other, quick = data.get("other_minutes"), data.get("quick_minutes")
        if "other_minutes" in self.errors:
            return data
        minutes = other or quick
        if not minutes:
            raise ValidationError(_("Choose the time, or write the number of minutes."))
        data["minutes"] = minutes
        return data

    @classmethod
    def for_entry(cls, entry: Any, placements: Any, data: Any = None) -> WorkLogForm:
        quick = entry.minutes if entry.minutes in QUICK_MINUTES else None
        return cls(
            data,
            placements=placements,
            initial={
                "day": entry.day,
                "kind": entry.kind,
                "quick_minutes": str(quick) if quick else None,
                "other_minutes": None if quick else entry.minutes,
                "setting": entry.setting,
                "themes": entry.themes,
                "placement": entry.placement_id,
            },
        )
