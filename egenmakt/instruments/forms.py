"""Forms: importing a definition, starting a response (the answer form is in ``renderer.py``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import InstrumentDefinition, RespondentKind
from .schema import MAX_DEFINITION_BYTES, too_large_message


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Definition file (YAML)"),
        # The limit is schema.MAX_DEFINITION_BYTES.
        help_text=_(
            "One instrument version in the Egenmakt definition format, at most 256 kB. "
            "Nothing is saved unless the whole file is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        # Refused before it is read; the parser measures the text again (one limit).
        if upload.size > MAX_DEFINITION_BYTES:
            raise ValidationError(too_large_message())
        raw = upload.read()
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        self.file_name = str(upload.name)
        return content


class StartForm(forms.Form):
    respondent_kind = forms.ChoiceField(label=_("Who answers?"), widget=forms.RadioSelect)
    answered_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, definition: InstrumentDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["respondent_kind"])
        field.choices = [(k, RespondentKind(k).label) for k in definition.respondents]
        if len(definition.respondents) == 1:
            field.initial = definition.respondents[0]

    def clean_answered_on(self) -> Any:
        value = self.cleaned_data["answered_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value
