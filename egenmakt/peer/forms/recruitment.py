"""Forms of recruitment: the round, its people, the public application, decisions,
interviews, letters and the application filter."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.core.input import set_date_range, years_from_today
from egenmakt.peer.forms.common import DATE, LONG_TEXT_LIMIT
from egenmakt.peer.models import (
    STEP_OUTCOMES,
    Application,
    Channel,
    DecisionOutcome,
    DecisionReason,
    LetterOutcome,
    RecruitmentRound,
    RoundRole,
)
from egenmakt.peer.services.recruitment import ROUND_FIELDS


class RoundForm(forms.ModelForm[RecruitmentRound]):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Facebook groups and the Public Employment Service can bring very many applicants."
        ),
    )

    class Meta:
        model = RecruitmentRound
        # The fields the round service saves, named once (services.recruitment.ROUND_FIELDS).
        fields = list(ROUND_FIELDS)
        widgets = dict.fromkeys(
            (
                "advertising_from",
                "applications_until",
                "interviews_from",
                "interviews_until",
                "decision_by",
                "course_start",
            ),
            DATE,
        )
        help_texts = {
            "course_places": _(
                "Admit more people than there are jobs: some drop out, and the course "
                "itself is the third selection step."
            ),
            "decision_by": _(
                "The handbook asks for at least four weeks' notice before the course."
            ),
        }

    def __init__(self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # INFERRED: a round runs from advertising to the course start in a few months
        # (handbook); its dates lie within a year back (a round entered late) and three
        # years ahead.
        for name in self.Meta.widgets:
            set_date_range(self.fields[name], years_from_today(-1), years_from_today(3))
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Organisation"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
                initial=organisations[0] if len(organisations) == 1 else None,
            )
            self.order_fields(["organisation", *self.Meta.fields])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        places, jobs = data.get("course_places"), data.get("jobs_expected")
        if places and jobs and places < jobs:
            self.add_error(
                "course_places", _("Give at least as many course places as there are jobs.")
            )
        return data


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person in the organisation"), queryset=User.objects.none(), required=False
    )
    email = forms.EmailField(
        label=_("Or someone from another organisation: their e-mail address"),
        required=False,
        help_text=_("For example an interviewer from the region or the municipality."),
    )
    role = forms.ChoiceField(label=_("Role in the round"), choices=RoundRole.choices)
    represents_user_movement = forms.NullBooleanField(
        label=_("Represents the user movement"),
        widget=forms.Select(
            choices=[
                ("unknown", _("As their organisation")),
                ("true", _("Yes")),
                ("false", _("No")),
            ]
        ),
        required=False,
    )
    has_lived_experience = forms.BooleanField(
        label=_("Has own experience of mental ill-health and wants it known (voluntary)"),
        required=False,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from egenmakt.peer.selectors.recruitment import person_by_email

        data = super().clean() or {}
        if data.get("person") is None:
            email = data.get("email")
            if not email:
                if "email" not in self.errors:
                    raise forms.ValidationError(_("Choose a person or give an e-mail address."))
                return data
            person = person_by_email(email)
            if person is None:
                self.add_error("email", _("Nobody with that e-mail address uses Egenmakt."))
            data["person"] = person
        return data


class _Long(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT_LIMIT)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "maxlength": LONG_TEXT_LIMIT}))
        super().__init__(**kwargs)


class ApplicationForm(forms.ModelForm[Application]):
    """The public form. Writing skill is not a requirement: short answers are fine."""

    own_experience = _Long(
        label=_("Tell us about your own experience of mental ill-health and recovery"),
        help_text=_("What has helped you? Write in your own words; a few lines are enough."),
    )
    care_experience = _Long(
        label=_("Your experience of care and support"),
        help_text=_(
            "For example psychiatry, social psychiatry, user organisations or peer support."
        ),
    )
    motivation = _Long(
        label=_("Why do you want to train and work as a peer supporter?"),
    )
    support_needs = _Long(
        label=_("Support you may need during the course (optional)"),
        help_text=_(
            "For example with reading, writing the homework or being in a group. Support "
            "helps you through the course; it does not exempt you from parts of it."
        ),
        required=False,
    )
    accept_notice = forms.BooleanField(
        label=_("I have read how my data is used and kept, and I accept it."),
        error_messages={"required": _("You need to accept this to apply.")},
    )

    class Meta:
        model = Application
        fields = [
            "full_name",
            "email",
            "phone",
            "municipality",
            "birth_year",
            "gender",
            "background",
            "functioning",
            "own_experience",
            "care_experience",
            "motivation",
            "work_capacity",
            "available_for_course",
            "support_needs",
            "heard_from",
        ]
        widgets = {
            "background": forms.RadioSelect,
            "functioning": forms.RadioSelect,
            "work_capacity": forms.RadioSelect,
            "available_for_course": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "full_name": _("Your name"),
            "email": _("E-mail address"),
            "phone": _("Phone number (optional)"),
            "municipality": _("Where do you live? (municipality, optional)"),
            "birth_year": _("Year of birth (optional)"),
            "gender": _("Gender (optional)"),
            "background": _("Where were you and your parents born? (optional)"),
            "functioning": _("Do you have a disability? (optional)"),
        }
        help_texts = {
            "email": _("We send your receipt and the private link to your application here."),
            "gender": _("We ask for gender and age only to get a varied group."),
            "background": _(
                "Only counted together with others, to see how varied the groups are; nobody "
                "who reads your application sees your answer."
            ),
            "functioning": _(
                "Only counted together with others, to see how varied the groups are; nobody "
                "who reads your application sees your answer."
            ),
            "work_capacity": _("The job is at least half time."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_capacity"].choices = self.fields["work_capacity"].choices[1:]  # type: ignore[attr-defined]
        self.fields["available_for_course"].choices = self.fields[  # type: ignore[attr-defined]
            "available_for_course"
        ].choices[1:]
        # Not answering is a choice of its own, shown last.
        for name in ("background", "functioning"):
            field = self.fields[name]
            field.choices = [*list(field.choices)[1:], ("", _("I'd rather not say"))]  # type: ignore[attr-defined]
        for name in ("full_name", "municipality", "gender"):
            self.fields[name].widget.attrs.setdefault("maxlength", self.fields[name].max_length)  # type: ignore[attr-defined]

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        this_year = timezone.localdate().year
        if year is not None and not this_year - 100 <= year <= this_year - 16:
            raise forms.ValidationError(_("Give a year of birth as four digits, e.g. 1980."))
        return year

    def application_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"), choices=DecisionReason.choices)
    comment = forms.CharField(
        label=_("Comment (for the file; add it to the letter yourself if you want)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (value, DecisionOutcome(value).label) for value in STEP_OUTCOMES[step]
        ]


class InterviewForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=240, initial=60
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    interviewer_1 = forms.ModelChoiceField(
        label=_("Interviewer who asks the questions"), queryset=User.objects.none()
    )
    interviewer_2 = forms.ModelChoiceField(
        label=_("Interviewer who takes notes and asks follow-up questions"),
        queryset=User.objects.none(),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewer_1"].queryset = people  # type: ignore[attr-defined]
        self.fields["interviewer_2"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interviewer_1") and data.get("interviewer_1") == data.get("interviewer_2"):
            self.add_error("interviewer_2", _("Choose two different interviewers."))
        return data

    def starts_at(self) -> datetime:
        day = self.cleaned_data["day"]
        start: time = self.cleaned_data["start"]
        return timezone.make_aware(datetime.combine(day, start))


class LetterTemplateForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=LetterOutcome.choices)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Any reason (the general letter)")), *DecisionReason.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("sv", "Svenska"), ("en", "English")]
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": 10000}),
    )


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search name or e-mail"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    heard_from = forms.ChoiceField(
        label=_("Heard about it through"),
        required=False,
        choices=[("", _("All")), *Channel.choices],
    )
    work_capacity = forms.ChoiceField(
        label=_("Can work half time"),
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("nyast", _("Newest first")),
            ("aldst", _("Oldest first")),
            ("namn", _("Name")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from egenmakt.peer.models import ApplicationStatus, WorkCapacity

        self.fields["status"].choices = [("", _("All")), *ApplicationStatus.choices]  # type: ignore[attr-defined]
        self.fields["work_capacity"].choices = [("", _("All")), *WorkCapacity.choices]  # type: ignore[attr-defined]


# --- The course ------------------------------------------------------------------------


class WithdrawConfirmForm(forms.Form):
    """The applicant's own withdrawal, only with the box that confirms it."""

    confirm = forms.CharField(required=False)

    def clean_confirm(self) -> bool:
        return bool(self.cleaned_data["confirm"] == "1")


class EraseConfirmForm(forms.Form):
    """The applicant's own erasure: only with the box that says they understand."""

    confirm = forms.BooleanField(
        label=_("Yes, erase my application now. I understand that it cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to erase it.")},
    )
