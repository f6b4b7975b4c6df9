"""Forms: importing a definition, starting a response (the answer form is in ``renderer.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.core.input import DateRangeValidator

from .models import InstrumentDefinition, RespondentKind
from .schema import MAX_DEFINITION_BYTES, too_large_message


class ImportForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Whose version is it?"),
        queryset=Organisation.objects.none(),
        # A conscious choice: the upload changes the form of everyone below it.
        empty_label=_("Choose the organisation"),
        help_text=_(
            "The version is used in this organisation and the units below it. No other "
            "organisation's form changes."
        ),
    )
    file = forms.FileField(
        label=_("Definition file (YAML)"),
        # The limit is schema.MAX_DEFINITION_BYTES.
        help_text=_(
            "One instrument version in the Egenmakt definition format, at most 256 kB. "
            "Nothing is saved unless the whole file is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Organisation], self.fields["organisation"])
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by(
            "path"
        )
        # One organisation: nothing to choose; the page names it.
        self.only_organisation = organisations[0] if len(organisations) == 1 else None
        if self.only_organisation is not None:
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_organisation(self) -> Organisation | None:
        return self.cleaned_data.get("organisation") or self.only_organisation

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


class AnswerStateForm(forms.Form):
    """What the answer form posts besides the answers (the page draws these fields itself):
    the version it was opened on, this tab's edit token, the date answered and the button
    pressed. Never invalid: a date that is not one is reported by ``answered_on_date``."""

    version = forms.CharField(required=False)
    edit_token = forms.CharField(required=False)
    answered_on = forms.CharField(required=False)
    _action = forms.CharField(required=False)
    _add_row = forms.CharField(required=False)

    def clean_version(self) -> int:
        try:
            return int(self.cleaned_data["version"])
        except ValueError:
            return 0

    def clean_edit_token(self) -> str:
        return str(self.cleaned_data["edit_token"])[:32]

    @property
    def submits(self) -> bool:
        return bool(self.cleaned_data.get("_action") == "submit")

    @property
    def add_row(self) -> str | None:
        return self.cleaned_data.get("_add_row") or None

    def answered_on_date(self) -> tuple[date | None, list[str]]:
        """The date answered, or None when left empty, with what is wrong with it."""
        raw = self.cleaned_data.get("answered_on") or ""
        if not raw:
            return None, []
        try:
            posted = date.fromisoformat(raw)
        except ValueError:
            return None, [gettext("Enter a real date as YYYY-MM-DD, for example 2026-03-01.")]
        try:
            DateRangeValidator()(posted)  # the same plausible range as every form's date field
        except ValidationError as exc:
            return None, list(exc.messages)
        return posted, []
