"""Forms: explicit fields only (no mass assignment), errors in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.core.input import DateRangeValidator, set_date_range, today, years_from_today
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind
from egenmakt.peer.uploads import check_upload

from .checklist import MANUAL_STEPS
from .identity import parse_identity_number
from .models import (
    ActionStatus,
    Attainment,
    CareTeamMember,
    Client,
    Closeness,
    Consent,
    ConsentForm,
    ConsentScope,
    Contact,
    Goal,
    GoalStatus,
    MemberKind,
    Phase,
    PlanAction,
    Principal,
    Sector,
    TeamRole,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_LIMIT = 2000


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message by its field, or above the form
    when the service names something the form has no field for."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ClientForm(forms.ModelForm[Client]):
    class Meta:
        model = Client
        fields = [
            "full_name",
            "protected_identity",
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "preferred_language",
            "interpreter_needed",
            "meeting_place",
            "meeting_place_note",
            "started_on",
        ]
        widgets = {"started_on": DATE, "meeting_place": forms.RadioSelect}
        help_texts = {
            "started_on": _("The day the coordination assignment started."),
            "meeting_place_note": _("For example the address of a meeting place."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "Started" is a fact, so not after today (issue 17: 0001-01-01 passed). INFERRED,
        # not from the method: ten years back, the journal's own retention period, is as far
        # as an assignment still running when it is entered can plausibly reach.
        set_date_range(self.fields["started_on"], years_from_today(-10), today)


class RegisterClientForm(ClientForm):
    identity_number = forms.CharField(
        label=_("Personal identity number or co-ordination number"),
        max_length=13,
        help_text=_("YYYYMMDD-NNNN. A co-ordination number has 60 added to the day."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Registered by"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta(ClientForm.Meta):
        pass

    field_order = ["full_name", "identity_number", "organisation"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations
        if organisations.count() == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations.first()

    def clean_identity_number(self) -> str:
        return parse_identity_number(self.cleaned_data["identity_number"]).digits


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or personal identity number"),
        max_length=100,
        required=False,
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class TeamMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Acting for"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    reason = forms.CharField(
        label=_("Why, if the warning does not fit this client"), max_length=300, required=False
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        member: Any = self.fields["member"]
        organisation: Any = self.fields["organisation"]
        member.queryset = people
        member.label_from_instance = lambda user: f"{user.full_name} ({user.email})"
        organisation.queryset = organisations


class ConsentRecordForm(forms.Form):
    # Not in the future: the service says so in its own words. INFERRED: a consent given
    # more than ten years (the journal's retention period) before it is entered is implausible.
    given_on = forms.DateField(
        label=_("Given on"),
        widget=DATE,
        initial=timezone.localdate,
        validators=[DateRangeValidator(earliest=years_from_today(-10))],
    )
    form = forms.ChoiceField(
        label=_("How it was given"), choices=ConsentForm.choices, widget=forms.RadioSelect
    )
    scope = forms.MultipleChoiceField(
        label=_("What it covers"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(ConsentScope.values),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that may work together"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    case_managers = forms.ModelMultipleChoiceField(
        label=_("Named case managers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    details = forms.CharField(
        label=_("More about what it covers (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    # INFERRED: a consent is renewed well within ten years; a later end is a typo.
    valid_until = forms.DateField(
        label=_("Valid until (optional)"),
        widget=DATE,
        required=False,
        validators=[DateRangeValidator(latest=years_from_today(10))],
    )
    document = forms.FileField(
        label=_("The signed form (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args: Any, team: list[CareTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations: Any = self.fields["organisations"]
        case_managers: Any = self.fields["case_managers"]
        organisations.queryset = Organisation.objects.filter(
            pk__in=[seat.organisation_id for seat in team]
        )
        manager_ids = [seat.user_id for seat in team if seat.role == TeamRole.CASE_MANAGER]
        case_managers.queryset = User.objects.filter(pk__in=manager_ids)
        case_managers.label_from_instance = lambda user: user.full_name
        if not self.is_bound:
            self.initial.setdefault("organisations", [seat.organisation_id for seat in team])
            self.initial.setdefault("case_managers", manager_ids)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload and check_upload(upload) != "pdf":
            raise ValidationError(_("Upload the signed form as a PDF."))
        return upload


class RevokeConsentForm(forms.Form):
    note = forms.CharField(
        label=_("How and when the client withdrew consent"), max_length=300, required=False
    )


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


class _PresenceFields(forms.Form):
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

    def __init__(self, *args: Any, team: list[CareTeamMember], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present: Any = self.fields["present"]
        present.queryset = User.objects.filter(pk__in=[seat.user_id for seat in team])
        present.label_from_instance = lambda person: person.full_name
        if not self.is_bound:
            self.initial.setdefault("present", [user.pk])


class StepForm(_PresenceFields):
    step = forms.ChoiceField(label=_("Step"))
    title = forms.CharField(label=_("What (for “Other”)"), max_length=150, required=False)

    field_order = ["step", "title", "done_on", "present", "client_present", "others_present"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (s.key, s.label) for s in MANUAL_STEPS
        ]


class WorksheetForm(_PresenceFields):
    respondent_kind = forms.ChoiceField(label=_("Who answers"), widget=forms.RadioSelect)
    shared = forms.BooleanField(
        label=_("Share with the whole care team"),
        required=False,
        initial=True,
        help_text=_("The client decides. Not shared, the worksheet stays with your organisation."),
    )

    field_order = ["respondent_kind", "done_on", "present", "client_present", "others_present"]

    def __init__(self, *args: Any, definition: InstrumentDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(RespondentKind.choices)
        choices = [(kind, labels[kind]) for kind in definition.respondents if kind in labels]
        self.fields["respondent_kind"].choices = choices  # type: ignore[attr-defined]
        if choices and not self.is_bound:
            self.initial.setdefault("respondent_kind", choices[0][0])


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


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class EmergencyForm(forms.Form):
    identity_number = forms.CharField(
        label=_("The client's personal identity number"),
        max_length=13,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Why you must open the record now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=500,
    )

    def clean_identity_number(self) -> str:
        return parse_identity_number(self.cleaned_data["identity_number"]).digits


# --- The plan -------------------------------------------------------------------------------


class PlanHeaderForm(forms.Form):
    long_term_goal = forms.CharField(
        label=_("Long-term goal, in the client's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    responsible_principal = forms.ChoiceField(
        label=_("Principal with overall responsibility"),
        choices=[("", "—"), *Principal.choices[:2]],
        required=False,
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Person with overall responsibility"),
        queryset=User.objects.none(),
        required=False,
    )
    urgent_measures = forms.CharField(
        label=_("Urgent measures taken before the plan (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, team: list[CareTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["responsible_person"]
        person.queryset = User.objects.filter(pk__in=[seat.user_id for seat in team])
        person.label_from_instance = lambda user: user.full_name


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Sub-goal"), max_length=300)
    measure = forms.CharField(
        label=_("How we will know it is reached"),
        max_length=300,
        help_text=_("Concrete and measurable, for example “goes to the choir twice a month”."),
    )
    target_date = forms.DateField(label=_("Target date"), widget=DATE)


class PlanActionForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("For the sub-goal"), queryset=Goal.objects.none(), required=False
    )
    what = forms.CharField(label=_("What is to be done"), max_length=300)
    who = forms.CharField(label=_("Who does it"), max_length=150)
    principal = forms.ChoiceField(label=_("Carried by"), choices=Principal.choices)
    organisation_name = forms.CharField(
        label=_("Organisation (optional)"), max_length=150, required=False
    )
    when = forms.CharField(
        label=_("When"), max_length=100, help_text=_("For example “every Tuesday” or “in May”.")
    )
    due_on = forms.DateField(label=_("By (date, optional)"), widget=DATE, required=False)
    urgent = forms.BooleanField(label=_("Urgent, before the plan is decided"), required=False)

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal: Any = self.fields["goal"]
        goal.queryset = goals


class DecidePlanForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE, initial=timezone.localdate)
    consent = forms.ModelChoiceField(
        label=_("The consent confirmed for this version"),
        queryset=Consent.objects.none(),
        empty_label=None,
    )
    consent_confirmed = forms.BooleanField(
        label=_("The client has confirmed the consent for this version of the plan"),
        required=False,
    )

    def __init__(self, *args: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent: Any = self.fields["consent"]
        consent.queryset = consents
        consent.label_from_instance = lambda row: (
            _("Given on %(day)s") % {"day": row.given_on.isoformat()}
        )


class WarningPlanForm(forms.Form):
    copies_held_by = forms.CharField(
        label=_("Who holds a copy"),
        max_length=300,
        required=False,
        help_text=_("Everyone named in the plan gets a copy."),
    )


# --- The resource group and its meetings ------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [("", _("Not filled in")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class GroupMemberForm(forms.Form):
    """A person the client has chosen: picked from the contacts or the care team, or
    typed in."""

    source = forms.ChoiceField(label=_("Who"), required=False)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *MemberKind.choices], required=False
    )
    role = forms.CharField(label=_("Role or relationship"), max_length=100, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("The invitations are sent here, with a calendar file."),
    )
    chosen_by_client = forms.BooleanField(
        label=_("The client has chosen this person for the resource group"), required=False
    )

    def __init__(
        self,
        *args: Any,
        contacts: list[Contact],
        seats: list[CareTeamMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {f"contact-{c.pk}": c for c in contacts}
        self.seats = {f"seat-{s.pk}": s for s in seats}
        field: Any = self.fields["source"]
        field.choices = [
            ("", _("Someone else: type the details below")),
            (
                _("From the care team"),
                [
                    (key, f"{s.user.full_name} ({s.get_role_display()})")
                    for key, s in self.seats.items()
                ],
            ),
            (
                _("From the network"),
                [(key, f"{c.name} ({c.relationship})") for key, c in self.contacts.items()],
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("chosen_by_client"):
            self.add_error(
                "chosen_by_client",
                _("The client decides who is in the group: tick this when they have chosen."),
            )
        if not data.get("source"):
            for key in ("name", "kind", "role"):
                if not data.get(key):
                    self.add_error(key, _("Fill this in, or choose the person above."))
        return data

    @property
    def contact(self) -> Contact | None:
        return self.contacts.get(self.cleaned_data.get("source", ""))

    @property
    def seat(self) -> CareTeamMember | None:
        return self.seats.get(self.cleaned_data.get("source", ""))


class BookMeetingForm(forms.Form):
    # INFERRED: the method meets about every three months; a meeting is booked at most two
    # years ahead, and one already held is entered within a year.
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DATETIME,
        validators=[DateRangeValidator(years_from_today(-1), years_from_today(2))],
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Empty: where the client's meetings are usually held."),
    )
    chair = forms.CharField(label=_("Meeting leader"), max_length=150, required=False)
    extra_items = forms.CharField(
        label=_("More items on the agenda (optional, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
        help_text=_("The method's standing items are added by themselves."),
    )
    invite = forms.BooleanField(
        label=_("Send the invitations by e-mail now"), required=False, initial=True
    )


class MeetingForm(forms.Form):
    """The meeting as held: one field per agenda item, member and sub-goal."""

    minutes = forms.CharField(
        label=_("Other notes from the meeting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    client_present = forms.ChoiceField(
        label=_("Was the client there?"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )
    warning_plan_reviewed = forms.BooleanField(
        label=_("The early-warning plan was reviewed at the meeting"), required=False
    )
    held = forms.BooleanField(label=_("The meeting has been held"), required=False)
    # The next meeting lies ahead; INFERRED: at most two years ahead (see BookMeetingForm).
    next_starts_at = forms.DateTimeField(
        label=_("Book the next meeting (date and time)"),
        widget=DATETIME,
        required=False,
        validators=[DateRangeValidator(today, years_from_today(2))],
        help_text=_("About three months on. The invitations go out when you save."),
    )

    def __init__(
        self,
        *args: Any,
        agenda: list[Any],
        attendance: list[Any],
        goals: list[Goal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for item in agenda:
            self.fields[f"notes_{item.pk}"] = forms.CharField(
                label=item.title,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=TEXT_LIMIT,
                required=False,
            )
        for row in attendance:
            self.fields[f"present_{row.member_id}"] = forms.ChoiceField(
                label=row.member.name, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        for goal in goals:
            self.fields[f"attainment_{goal.pk}"] = forms.TypedChoiceField(
                label=goal.text,
                choices=[("", _("Not assessed")), *Attainment.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{goal.pk}"] = forms.CharField(
                label=_("Comment on %(goal)s") % {"goal": goal.text},
                max_length=300,
                required=False,
            )
        self.agenda, self.attendance, self.goals = agenda, attendance, goals

    def record(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "minutes": data["minutes"],
            "client_present": yes_no(data["client_present"]),
            "notes": {item.pk: data[f"notes_{item.pk}"] for item in self.agenda},
            "present": {
                row.member_id: yes_no(data[f"present_{row.member_id}"]) for row in self.attendance
            },
            "attainment": {
                goal.pk: (data[f"attainment_{goal.pk}"], data[f"comment_{goal.pk}"])
                for goal in self.goals
            },
            "warning_plan_reviewed": data["warning_plan_reviewed"],
            "held": data["held"],
            "next_starts_at": data["next_starts_at"],
        }


class GoalStatusDecisionForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Sub-goal"), queryset=Goal.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal: Any = self.fields["goal"]
        goal.queryset = goals


class ActionStatusDecisionForm(forms.Form):
    action = forms.ModelChoiceField(label=_("Measure"), queryset=PlanAction.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

    def __init__(self, *args: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action: Any = self.fields["action"]
        action.queryset = actions


class OtherDecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
