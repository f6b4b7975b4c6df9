"""Forms: explicit fields only (no mass assignment), errors in the user's language."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.core.input import DateRangeValidator, set_date_range, years_from_today

from .models import (
    STEP_OUTCOMES,
    Application,
    Channel,
    CourseSession,
    DecisionOutcome,
    DecisionReason,
    FollowUpKind,
    LetterOutcome,
    RecruitmentRound,
    RoundRole,
)

# Generous for a personal story, small enough that nobody pastes a book: the
# textareas say so, and the server refuses more.
LONG_TEXT_LIMIT = 5000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        fields = [
            "title",
            "jobs_expected",
            "course_places",
            "max_applications",
            "channels",
            "channels_other",
            "advertising_from",
            "applications_until",
            "interviews_from",
            "interviews_until",
            "decision_by",
            "course_start",
            "retention_months",
        ]
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
            "own_experience",
            "care_experience",
            "motivation",
            "work_capacity",
            "available_for_course",
            "support_needs",
            "heard_from",
        ]
        widgets = {
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
        }
        help_texts = {
            "email": _("We send your receipt and the private link to your application here."),
            "gender": _("We ask for gender and age only to get a varied group."),
            "work_capacity": _("The job is at least half time."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_capacity"].choices = self.fields["work_capacity"].choices[1:]  # type: ignore[attr-defined]
        self.fields["available_for_course"].choices = self.fields[  # type: ignore[attr-defined]
            "available_for_course"
        ].choices[1:]
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
        from .models import ApplicationStatus, WorkCapacity

        self.fields["status"].choices = [("", _("All")), *ApplicationStatus.choices]  # type: ignore[attr-defined]
        self.fields["work_capacity"].choices = [("", _("All")), *WorkCapacity.choices]  # type: ignore[attr-defined]


# --- The course ------------------------------------------------------------------------


class CohortForm(forms.Form):
    title = forms.CharField(label=_("Name of the course"), max_length=150)
    attendance_threshold = forms.IntegerField(
        label=_("Warn when a participant's attendance falls below (%)"),
        min_value=0,
        max_value=100,
        initial=80,
    )
    reserves = forms.ModelMultipleChoiceField(
        label=_("Also take in from the reserve list"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, reserves: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reserves"].queryset = reserves  # type: ignore[attr-defined]


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role on the course"),
        choices=[
            ("course_leader", _("Course leader")),
            ("lecturer", _("Lecturer")),
            ("training_lead", _("Training lead")),
        ],
    )


class SessionForm(forms.Form):
    # INFERRED: course days are planned at most three years ahead and entered within a year.
    day = forms.DateField(
        label=_("Date"),
        widget=DATE,
        validators=[DateRangeValidator(years_from_today(-1), years_from_today(3))],
    )
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    leaders = forms.ModelMultipleChoiceField(
        label=_("Course leaders and lecturers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("A course day ends after it starts."))
        return data


class AbsenceForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Which course day?"), queryset=CourseSession.objects.none()
    )
    note = forms.CharField(
        label=_("Anything the course leaders should know (optional)"),
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class HomeworkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    due = forms.DateField(label=_("Hand in by"), widget=DATE)


class HandInForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=LONG_TEXT_LIMIT * 4,
        widget=forms.Textarea(attrs={"rows": 12, "maxlength": LONG_TEXT_LIMIT * 4}),
        help_text=_("Write here, or attach a file, or both."),
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("PDF, Word, OpenDocument, text, or a photo (JPEG, PNG); at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.txt,.jpg,.jpeg,.png"}),
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- Workplaces and placements ---------------------------------------------------------


class RegisterWorkplaceForm(forms.Form):
    workplace = forms.ModelChoiceField(
        label=_("Workplace or service"), queryset=Organisation.objects.none()
    )
    network = forms.ModelChoiceField(
        label=_("For the network"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, workplaces: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces  # type: ignore[attr-defined]
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    parties = forms.CharField(label=_("Parties"), max_length=300)
    recruitment = forms.BooleanField(label=_("Recruitment"), required=False, initial=True)
    training = forms.BooleanField(label=_("Training"), required=False, initial=True)
    coordination = forms.BooleanField(label=_("Coordination"), required=False, initial=True)
    supervision = forms.BooleanField(label=_("Supervision"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until (optional)"), widget=DATE, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    document = forms.FileField(
        label=_("The signed agreement (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )


class TrainingForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For"),
        choices=[
            ("staff", _("The workplace's staff")),
            ("user_organisation", _("The local user organisations")),
        ],
    )
    day = forms.DateField(label=_("Date"), widget=DATE)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    attended = forms.IntegerField(label=_("Number who took part"), min_value=0, required=False)
    attendees = forms.CharField(
        label=_("Who took part (names, optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlacementForm(forms.Form):
    peer_supporter = forms.ModelChoiceField(label=_("Peer supporter"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    employer = forms.ChoiceField(
        label=_("Employer"),
        choices=[
            ("user_organisation", _("The user organisation (user-run staffing)")),
            ("workplace", _("The workplace")),
        ],
        widget=forms.RadioSelect,
    )
    share_percent = forms.IntegerField(
        label=_("Share of full time (%)"), min_value=1, max_value=100, initial=50
    )
    contact_person = forms.CharField(label=_("Contact person at the workplace"), max_length=150)
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason to go on despite the warnings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, peer_supporters: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer_supporter"].queryset = peer_supporters  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]


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


class FollowUpEventForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=FollowUpKind.choices, widget=forms.RadioSelect, initial="reunion"
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("What it is about"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]
        only = list(networks[:2])
        if len(only) == 1:
            self.fields["network"].initial = only[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The event must end after it starts."))
        return data


class SickLeaveForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (inclusive)"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The sick leave cannot end before it starts."))
        return data
