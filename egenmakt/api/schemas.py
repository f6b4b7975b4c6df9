"""What the API answers: one schema per response, so the OpenAPI document is exact."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from egenmakt.coordination.forms.common import TEXT_LIMIT
from egenmakt.coordination.models import (
    ActionStatus,
    ConsentForm,
    ConsentScope,
    MeetingPlace,
    Principal,
)
from egenmakt.peer.models import DecisionOutcome, DecisionReason, DecisionStep


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """422: the request's parameters or body do not fit the document."""

    detail: str
    errors: list[dict[str, Any]]


class TokenOut(Schema):
    name: str
    kind: str  # "personal" or "service"
    scopes: list[str]
    expires_at: datetime
    user_id: int | None
    organisation_id: int | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None


class MembershipOut(Schema):
    id: int
    user_id: int
    full_name: str
    organisation_id: int
    role: str
    created_at: datetime


class ClientSummaryOut(Schema):
    id: int
    full_name: str
    organisation_id: int
    phase: str
    started_on: date
    restricted: bool


class ConsentOut(Schema):
    id: int
    given_on: date
    form: str
    scope: list[str]
    valid_until: date | None
    revoked_at: datetime | None
    organisation_ids: list[int]


class ClientIn(Schema):
    """A new client, as the new-client page takes them. ``organisation_id`` is one where the
    caller is a case manager (may be left out when there is one)."""

    full_name: str = Field(..., min_length=1, max_length=150)
    identity_number: str = Field(..., min_length=1, max_length=13)
    organisation_id: int | None = None
    protected_identity: bool = False
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    city: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    preferred_language: str = Field("svenska", max_length=60)
    interpreter_needed: bool = False
    meeting_place: MeetingPlace = MeetingPlace.HOME
    meeting_place_note: str = Field("", max_length=200)
    started_on: date | None = None


class FormErrorOut(Schema):
    """400: the page's form or service refused the input; ``errors`` by field (``__all__``
    for the whole), in the words the page shows."""

    detail: str
    errors: dict[str, list[str]] = {}


class ConsentIn(Schema):
    """A consent as the consent page records it (without the signed PDF): the
    organisations and named case managers are among the client's active care team."""

    given_on: date
    form: ConsentForm
    scope: list[ConsentScope] = Field(..., min_length=1)
    organisation_ids: list[int] = Field(..., min_length=1)
    case_manager_ids: list[int] = []
    details: str = Field("", max_length=TEXT_LIMIT)
    valid_until: date | None = None


class ClientOut(ClientSummaryOut):
    consents: list[ConsentOut]


class MeetingOut(Schema):
    id: int
    starts_at: datetime
    duration_minutes: int
    place: str
    status: str
    invited: int
    came: int


class ActivityOut(Schema):
    uid: str
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    organisation: str


class GoalOut(Schema):
    id: int
    text: str
    measure: str
    target_date: date
    status: str


class PlanActionOut(Schema):
    id: int
    goal_id: int | None
    what: str
    who: str
    when: str
    due_on: date | None
    status: str
    urgent: bool


class PlanVersionOut(Schema):
    number: int
    decided_on: date


class PlanOut(Schema):
    exists: bool
    # The plan's edit number: a change sends it back as ``version`` and is refused (409)
    # when someone saved in between, as on the plan page.
    version: int
    long_term_goal: str
    current_version: PlanVersionOut | None
    goals: list[GoalOut]
    actions: list[PlanActionOut]


class MeetingIn(Schema):
    """A resource-group meeting, as the booking form takes it: the standing agenda is added
    by itself, ``extra_items`` after it; the group is invited by e-mail unless ``invite``
    is false. ``starts_at`` without an offset is Swedish local time."""

    starts_at: datetime
    duration_minutes: int = Field(90, ge=15, le=480)
    place: str = Field("", max_length=200)
    chair: str = Field("", max_length=150)
    extra_items: list[str] = Field([], max_length=50)
    invite: bool = True


class AgendaItemOut(Schema):
    id: int
    key: str = Field(description="The standing item's code, empty for an item added by hand.")
    title: str
    notes: str


class AttendanceOut(Schema):
    member_id: int
    name: str
    present: bool | None


class GoalReviewIn(Schema):
    goal_id: int
    attainment: int | None = Field(None, ge=1, le=5)
    comment: str = Field("", max_length=300)


class AgendaNotesIn(Schema):
    item_id: int
    notes: str = Field(..., max_length=2000)


class PresentIn(Schema):
    member_id: int
    present: bool


class MinutesIn(Schema):
    """The meeting as held, as its page saves it; what is left out stays as it is. The
    ids are the meeting's ``agenda`` items and ``attendance`` members."""

    version: int = Field(..., ge=0, description="The meeting's edit number the change is based on.")
    minutes: str | None = Field(None, max_length=10_000)
    held: bool | None = None
    client_present: bool | None = None
    warning_plan_reviewed: bool | None = None
    agenda_notes: list[AgendaNotesIn] = Field([], max_length=100)
    present: list[PresentIn] = Field([], max_length=200)
    goal_reviews: list[GoalReviewIn] = Field([], max_length=100)
    next_starts_at: datetime | None = Field(
        None, description="Book the next meeting (invitations go out); left out, none is booked."
    )


class MeetingRecordOut(MeetingOut):
    """One meeting with its minutes, as its page shows them to the caller's seat."""

    version: int
    chair: str
    minutes: str
    client_present: bool | None
    warning_plan_reviewed: bool
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]


class PlanEdit(Schema):
    version: int = Field(..., ge=0, description="The plan's edit number the change is based on.")


class GoalIn(PlanEdit):
    """A sub-goal, as the plan page's form takes it."""

    text: str = Field(..., min_length=1, max_length=300)
    measure: str = Field(..., min_length=1, max_length=300)
    target_date: date


class PlanActionIn(PlanEdit):
    """A measure, as the plan page's form takes it; ``goal_id`` one of the plan's sub-goals."""

    goal_id: int | None = None
    what: str = Field(..., min_length=1, max_length=300)
    who: str = Field(..., min_length=1, max_length=150)
    principal: Principal
    organisation_name: str = Field("", max_length=150)
    when: str = Field(..., min_length=1, max_length=100)
    due_on: date | None = None
    urgent: bool = False


class PlanActionStatusIn(PlanEdit):
    status: ActionStatus


class GoalSaved(GoalOut):
    version: int


class PlanActionSaved(PlanActionOut):
    version: int


class StaleOut(Schema):
    """409: someone saved the plan after the given edit number; nothing was saved."""

    detail: str
    version: int


class RoundOut(Schema):
    id: int
    title: str
    organisation_id: int
    status: str
    applications_until: date
    course_start: date


class ApplicationOut(Schema):
    id: int
    round_id: int
    full_name: str
    status: str
    submitted_at: datetime


class DecisionIn(Schema):
    """A step's decision: the outcome must belong to the step (screening: go_on, not_now,
    no; interview: admit, reserve, decline)."""

    step: DecisionStep
    outcome: DecisionOutcome
    reason: DecisionReason
    comment: str = Field("", max_length=2000)


class DecisionOut(Schema):
    id: int
    application_id: int
    step: str
    outcome: str
    reason: str
    decided_at: datetime
    application_status: str


class CohortOut(Schema):
    id: int
    title: str
    round_id: int


class SessionOut(Schema):
    id: int
    day: date
    theme: str
    place: str


class AttendanceRowOut(Schema):
    participant_id: int
    full_name: str
    status: str | None


class AttendanceMark(Schema):
    participant_id: int
    status: str


class AttendanceIn(Schema):
    marks: list[AttendanceMark]


class AttendanceSaved(Schema):
    changed: int


class IndicatorOut(Schema):
    key: str
    level: str
    label: str
    unit: str
    values: list[float | None]


class IndicatorsOut(Schema):
    periods: list[str]
    indicators: list[IndicatorOut]


# A count about people: a number, or "<5" for one to four when the caller does not see the
# people themselves (``reports.shown``: an analyst; a coordinator sees the numbers).
PeopleCount = int | Literal["<5"]


class FollowUpOut(Schema):
    eligible: PeopleCount
    employed: PeopleCount


class FunnelOut(Schema):
    label: str
    round_id: int | None
    applied: PeopleCount
    interviewed: PeopleCount
    admitted: PeopleCount
    completed: PeopleCount
    employed: PeopleCount
    after_6: FollowUpOut
    after_12: FollowUpOut


class MonthOut(Schema):
    month: date
    working: PeopleCount
    meetings: PeopleCount
    sick_days: int | None = Field(description="Hidden (null) over fewer than five people.")
    activities: int | None = Field(
        description="Work-log entries of the month; hidden (null) over fewer than five people."
    )
    activities_per_peer_supporter: float | None = Field(
        description="Activities divided by the working peer supporters; hidden (null) over "
        "fewer than five people."
    )


class ProgrammeReportOut(Schema):
    network_id: int
    round_id: int | None
    suppressed: bool = Field(description='Small counts are shown as "<5".')
    rounds: list[FunnelOut]
    total: FunnelOut
    months: list[MonthOut]


class WorksheetOut(Schema):
    step: str
    done_on: date
    response_id: int
    instrument: str
    instrument_version: int
    status: str
    submitted_at: datetime | None
    answers: dict[str, Any]
    scores: dict[str, Any]


class WorksheetStartIn(Schema):
    """A worksheet started with the client, as the mapping page's form takes it."""

    instrument: str = Field(..., pattern=r"^[a-z0-9_]{1,40}$", description="e.g. ors, audit")
    respondent_kind: str = Field(..., max_length=20, description="Who answers: client, staff...")
    done_on: date | None = Field(None, description="The day; today when left out.")
    client_present: bool = True
    others_present: str = Field("", max_length=200)
    shared: bool = Field(True, description="Shared with the whole care team (the client decides).")
    comment: str = Field("", max_length=500)


class ResponseOut(Schema):
    id: int
    instrument: str
    instrument_version: int
    respondent_kind: str
    answered_on: date
    status: str
    version: int = Field(description="The edit number a change is based on.")
    submitted_at: datetime | None
    answers: dict[str, Any]
    scores: dict[str, Any]


class AnswersIn(Schema):
    """Answers by item key, as the instrument's definition names them."""

    version: int = Field(..., ge=0)
    answers: dict[str, Any] = Field(..., max_length=500)
    submit: bool = False
    answered_on: date | None = None


class MembershipIn(Schema):
    user_id: int
    role: str
