"""Forms of the course: the cohort, its staff and days, absence, homework and hand-ins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.input import DateRangeValidator, years_from_today
from egenmakt.peer.forms.common import DATE, LONG_TEXT_LIMIT
from egenmakt.peer.models import (
    Application,
    CourseSession,
    Participant,
    Submission,
)


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
    represents_user_movement = forms.BooleanField(
        label=_("Represents the user movement"),
        required=False,
        help_text=_(
            "The handbook (p. 20): a majority of the course leaders represent the user "
            "movement and have own experience. Add the person again to correct this."
        ),
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


class CompletionForm(forms.Form):
    """The third step for one participant: completed, recommended for work, and why."""

    participant = forms.ModelChoiceField(queryset=Participant.objects.none())
    completed = forms.CharField(required=False)
    recommended = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]

    def clean_completed(self) -> bool:
        return bool(self.cleaned_data["completed"] == "yes")

    def clean_recommended(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["recommended"])

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"])[:2000]


class SubmissionFeedbackForm(FeedbackForm):
    """Feedback on one hand-in of the assignment."""

    submission = forms.ModelChoiceField(queryset=Submission.objects.none())

    def __init__(self, *args: Any, submissions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = submissions  # type: ignore[attr-defined]


class LinkExerciseForm(forms.Form):
    """An exercise of the library that applies to the round's organisation (its position
    there and the title the page showed), used on one of the course's days."""

    session = forms.ModelChoiceField(queryset=CourseSession.objects.none())
    position = forms.IntegerField(min_value=0)
    title = forms.CharField(max_length=200)

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    """The day's marks, one ``mark-<participant id>`` per row; the service checks them."""

    def marks(self) -> dict[int, str]:
        marks: dict[int, str] = {}
        for key, value in self.data.items():
            if key.startswith("mark-") and value:
                try:
                    marks[int(key.removeprefix("mark-"))] = value
                except ValueError:
                    continue
        return marks


class LivedExperienceForm(forms.Form):
    declared = forms.CharField(required=False)

    def clean_declared(self) -> bool:
        return bool(self.cleaned_data["declared"] == "yes")


class RemindersForm(forms.Form):
    wants_reminders = forms.CharField(required=False)

    def clean_wants_reminders(self) -> bool:
        return bool(self.cleaned_data["wants_reminders"] == "1")


class ObservationForm(forms.Form):
    text = forms.CharField(
        label=_("What did you notice?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT_LIMIT,
        help_text=_(
            "For the third selection step. Read only by the round's coordinators and the "
            "course leaders; write what you saw and heard, not guesses."
        ),
    )
