"""What every peer form shares: the limit on long answers and the date widget."""

from __future__ import annotations

from django import forms

# Generous for a personal story, small enough that nobody pastes a book: the
# textareas say so, and the server refuses more.
LONG_TEXT_LIMIT = 5000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostedValues(forms.Field):
    """Every value posted under one name (checkboxes), as strings; the service judges them."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def to_python(self, value: object) -> list[str]:
        if not value:
            return []
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value]
        return [str(value)]


class PresentForm(forms.Form):
    """Who was there: the ids of the ticked rows (anything else posted is ignored)."""

    present = PostedValues()

    def present_ids(self) -> set[int]:
        return {int(v) for v in self.cleaned_data["present"] if v.isdigit()}
