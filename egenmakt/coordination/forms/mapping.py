"""Mapping forms: contacts, steps, worksheets and the summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.coordination.checklist import MANUAL_STEPS
from egenmakt.coordination.confidence import INTERVIEW
from egenmakt.coordination.models import (
    CareTeamMember,
    Closeness,
    Contact,
    Sector,
)
from egenmakt.core.uploads import check_upload
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind

from .common import DATE, TEXT_LIMIT


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = [
            "name",
            "relationship",
            "sector",
            "closeness",
            "workplace",
            "phone",
            "email",
            "note",
            "on_map",
        ]
        widgets = {"sector": forms.RadioSelect, "closeness": forms.RadioSelect}
        help_texts = {
            "relationship": _("For example mother, friend, doctor, neighbour."),
            "closeness": _("How close the client feels to this person."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = Sector.choices  # type: ignore[attr-defined]
        self.fields["closeness"].choices = Closeness.choices  # type: ignore[attr-defined]


class PresenceFields(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    present = forms.ModelMultipleChoiceField(
        label=_("Present from the care team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    client_present = forms.BooleanField(
        label=_("The client was there"), required=False, initial=True
    )
    others_present = forms.CharField(
        label=_("Others present (optional)"), max_length=200, required=False
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)

    def __init__(self, *args: Any, team: list[CareTeamMember], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present: Any = self.fields["present"]
        present.queryset = User.objects.filter(pk__in=[seat.user_id for seat in team])
        present.label_from_instance = lambda person: person.full_name
        if not self.is_bound:
            self.initial.setdefault("present", [user.pk])


class StepForm(PresenceFields):
    step = forms.ChoiceField(label=_("Step"))
    title = forms.CharField(label=_("What (for “Other”)"), max_length=150, required=False)

    field_order = ["step", "title", "done_on", "present", "client_present", "others_present"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (s.key, s.label) for s in MANUAL_STEPS
        ]


class WorksheetForm(PresenceFields):
    respondent_kind = forms.ChoiceField(label=_("Who answers"), widget=forms.RadioSelect)
    shared = forms.BooleanField(
        label=_("Share with the whole care team"),
        required=False,
        initial=True,
        help_text=_("The client decides. Not shared, the worksheet stays with your organisation."),
    )

    relative = forms.ModelChoiceField(
        label=_("Which relative"),
        queryset=Contact.objects.none(),
        required=False,
        help_text=_(
            "From the contact list. What the client sees of it follows what you agreed in "
            "the interview with this relative."
        ),
    )
    from_paper = forms.BooleanField(
        label=_("Filled in on paper, entered now"),
        required=False,
        help_text=_("The date above is the day the paper form was filled in."),
    )
    filled_in_by = forms.CharField(
        label=_("Who filled in the paper form"), max_length=150, required=False
    )
    scan = forms.FileField(
        label=_("The scanned paper form (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    field_order = [
        "respondent_kind",
        "relative",
        "done_on",
        "present",
        "client_present",
        "others_present",
    ]

    def __init__(
        self,
        *args: Any,
        definition: InstrumentDefinition,
        contacts: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(RespondentKind.choices)
        choices = [(kind, labels[kind]) for kind in definition.respondents if kind in labels]
        self.fields["respondent_kind"].choices = choices  # type: ignore[attr-defined]
        if choices and not self.is_bound:
            self.initial.setdefault("respondent_kind", choices[0][0])
        relative: Any = self.fields["relative"]
        if contacts is None or not (
            definition.key == INTERVIEW or RespondentKind.RELATIVE in definition.respondents
        ):
            del self.fields["relative"]
        else:
            relative.queryset = contacts
            # An interview is always with a relative; a sheet only when a relative answers.
            relative.required = definition.key == INTERVIEW
            relative.label_from_instance = lambda c: f"{c.name} ({c.relationship})"

    def clean_scan(self) -> Any:
        upload = self.cleaned_data.get("scan")
        if upload and check_upload(upload) != "pdf":
            raise forms.ValidationError(_("Upload the scanned form as a PDF."))
        return upload


class SummaryEntryForm(forms.Form):
    area = forms.CharField(label=_("Area of life"), max_length=100)
    wants_to_change = forms.CharField(
        label=_("What the client wants to change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )
    obstacles = forms.CharField(
        label=_("What stands in the way"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    resources = forms.CharField(
        label=_("Strengths and resources"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
        required=False,
    )


class MappingPageForm(forms.Form):
    """What a mapping page is about, from its address (``?arbetsblad=``, ``?steg=``) or,
    after a post, the hidden field that carries it: the worksheet to start, the step to
    summarise."""

    arbetsblad = forms.CharField(required=False, max_length=100)
    steg = forms.IntegerField(required=False, min_value=0)

    @classmethod
    def read(cls, request: HttpRequest) -> dict[str, Any]:
        """The address wins over the posted field, as it did; a bad value is no value."""
        address = {key: value for key, value in request.GET.dict().items() if value}
        form = cls({**request.POST.dict(), **address})
        if form.is_valid():
            return form.cleaned_data
        return {name: form.cleaned_data.get(name) for name in cls.base_fields}


class RelativeLinkForm(forms.Form):
    """Send a relative a one-time link to answer a sheet themself: who, and which sheet."""

    contact = forms.ModelChoiceField(
        label=_("The relative"),
        queryset=Contact.objects.none(),
        help_text=_("Only people with an e-mail address can be sent a link."),
    )
    sheet = forms.ChoiceField(label=_("Sheet"), widget=forms.RadioSelect)

    def __init__(
        self,
        *args: Any,
        contacts: list[Contact],
        sheets: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "relative")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["contact"]
        field.queryset = Contact.objects.filter(pk__in=[c.pk for c in contacts if c.email])
        field.label_from_instance = lambda contact: f"{contact.name} ({contact.relationship})"
        self.fields["sheet"].choices = sheets  # type: ignore[attr-defined]
        if sheets and not self.is_bound:
            self.initial.setdefault("sheet", sheets[0][0])
