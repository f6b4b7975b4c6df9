"""Who may open which URL: the one table the permission matrix reads.

One row per URL name in the URLconf (Django's admin is one row, ``admin:*``, asked on a
sample of its pages). A row names the object its URL is about (``target``, a key of
``test_permission_matrix.TARGETS``: the object, the organisation it lives in, and the cast
member related to it), the method to try, and who is let in:

* ``allow`` maps a role to the positions where a user with that role is let in, relative
  to the object's organisation: ``own`` (a membership in it), ``below`` (in a unit under
  it), ``sibling`` (in a unit beside it), ``other`` (in the other region). ``ANY`` is all
  four, ``HERE`` own only, ``OWN_TREE`` own and below, ``REGION`` all but other. Everyone
  else gets ``refused``. A list page that shows each user only their own (an empty list,
  not a refusal) lets ``everyone()`` in.
* ``ok`` is the code for those let in (``codes`` overrides it for one role: 403 where the
  role may know the object but not do this; a ``"role@position"`` key overrides it for
  one role in one position only).
* ``refused`` is 404 for objects ("as if it did not exist") and 403 for a role's pages that
  are not about one person or object (``outside`` overrides it for one role).
* ``anonymous`` is ``LOGIN`` (a redirect to sign in) unless the page is public.
* ``client`` is what the demo client, signed in to their own pages, gets (404 unless
  said: a client's sign-in opens nothing outside their own pages).
* ``related`` is what the cast member with the relationship gets (the care team's case
  manager for a client, the round's interviewer...): the proof that the relationship, not
  the membership, opens the object.

Defaults keep the rows short: a row with only a name is a page nobody but its roles open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from egenmakt.accounts.roles import Role

R = Role
OWN, BELOW, SIBLING, OTHER = "own", "below", "sibling", "other"
POSITIONS = (OWN, BELOW, SIBLING, OTHER)
ANY = frozenset(POSITIONS)
HERE = frozenset({OWN})
OWN_TREE = frozenset({OWN, BELOW})
REGION = frozenset({OWN, BELOW, SIBLING})
ALL_ROLES = tuple(Role.values)

LOGIN = "login"  # a redirect to the sign-in page, with ?next=
ANONYMOUS, CLIENT, RELATED = "anonymous", "client", "related"


@dataclass(frozen=True)
class Row:
    name: str
    target: str = "none"
    method: str = "get"
    allow: Mapping[str, frozenset[str]] = field(default_factory=dict)
    ok: int | str = 200
    codes: Mapping[str, int | str] = field(default_factory=dict)
    refused: int = 404
    # A role's own refusal where it differs from ``refused``: the auditor, who may use the
    # page, gets 404 for another organisation's object where other roles get 403.
    outside: Mapping[str, int] = field(default_factory=dict)
    anonymous: int | str = LOGIN
    client: int | str | None = None
    related: int | str | None = None
    # The URL itself is the person's credential (the applicant's private link): whoever
    # holds it is let in as that person and shown their own data, so the check that no
    # other region's user sees a person's name does not apply to its pages.
    credential: bool = False
    # Only in some URLconfs (DEBUG, the benchmark): no failure when the URL is missing.
    optional: bool = False
    xfail: str = ""


def everyone(at: frozenset[str] = ANY) -> dict[str, frozenset[str]]:
    return dict.fromkeys(ALL_ROLES, at)


def only(*roles: str, at: frozenset[str] = ANY) -> dict[str, frozenset[str]]:
    return dict.fromkeys(roles, at)


def expected(row: Row, who: str, position: str) -> int | str:
    """The outcome the table gives one cell of a row."""
    if who == ANONYMOUS:
        return row.anonymous
    if who == CLIENT:
        # The client's sign-in opens their own pages only; anything else is not there.
        return 404 if row.client is None else row.client
    if who == RELATED:
        return row.codes.get(RELATED, row.ok) if row.related is None else row.related
    if position in row.allow.get(who, ()):
        return row.codes.get(f"{who}@{position}", row.codes.get(who, row.ok))
    return row.outside.get(who, row.refused)


# The API's operations that need a token, with the object each is about (the API's own
# matrix reads the same list).
API_TOKEN_ROWS: list[tuple[str, str]] = [
    ("api:me", "none"),
    ("api:organisations", "none@clinic"),
    ("api:memberships", "admin_unit"),
    ("api:membership_give", "admin_unit"),
    ("api:membership_end", "admin_membership"),
    ("api:clients", "none@clinic"),
    ("api:client_register", "none@clinic"),
    ("api:client", "client"),
    ("api:client_consents", "client"),
    ("api:client_consent_record", "client"),
    ("api:client_meetings", "client"),
    ("api:client_meeting_book", "client"),
    ("api:client_meeting", "client_meeting"),
    ("api:client_meeting_minutes", "client_meeting"),
    ("api:client_plan", "client"),
    ("api:client_plan_goal", "client"),
    ("api:client_plan_action", "client"),
    ("api:client_plan_action_status", "client_plan_action"),
    ("api:client_worksheets", "client"),
    ("api:client_worksheet_start", "client"),
    ("api:response", "client_response"),
    ("api:response_answers", "client_response"),
    ("api:rounds", "none"),
    ("api:round_applications", "round"),
    ("api:application", "application"),
    ("api:application_decide", "application"),
    ("api:cohorts", "none"),
    ("api:cohort_sessions", "cohort"),
    ("api:attendance", "session"),
    ("api:attendance_save", "session"),
    ("api:indicators", "none"),
    ("api:programme_report", "none"),
    ("fhir:patient", "client"),
    ("fhir:compartment", "client_fhir"),
]

# Addresses with only a write method (no GET beside it).
API_WRITE_ONLY = frozenset(
    {
        "api:membership_end",
        "api:application_decide",
        "api:client_plan_goal",
        "api:client_plan_action",
        "api:client_plan_action_status",
        "api:client_meeting_minutes",
        "api:response_answers",
    }
)

# Who follows an influence forum's work (``influence.rules.may_follow_forum``): the area's
# coordinators and the members of its member organisations (below the network); no
# analyst, since minutes, matters and reports are people's own words.
FORUM_FOLLOWERS = {
    **{r: frozenset({BELOW}) for r in ALL_ROLES if r != R.ANALYST},
    R.COORDINATOR: OWN_TREE,
}

ROWS: list[Row] = [
    # --- Django and the project ---------------------------------------------------------
    Row("healthz", allow=everyone(), anonymous=200, client=200),
    # The icon browsers ask for on their own: a redirect to the static one, for everyone.
    Row("favicon", allow=everyone(), ok=301, anonymous=301, client=301),
    Row("set_language", allow=everyone(), ok=302, anonymous=302, client=302),
    Row("__error_pages/<int:code>/", "error_page", optional=True),
    Row("bench:floor", optional=True),
    # Django's admin is for the platform's operators only (issue 17): a signed-in user who is
    # not a superuser gets 404 on every page, the demo's administrator too; the anonymous
    # visitor is sent to the app's own sign-in.
    Row("admin:*", "admin", related=404),
    # --- The access log (audit) -----------------------------------------------------------
    Row("audit:access_log", "none@clinic", allow={R.AUDITOR: ANY}, refused=403),
    Row("audit:access_log_csv", "none@clinic", allow={R.AUDITOR: ANY}, refused=403),
    Row("audit:emergency", "none@clinic", allow={R.AUDITOR: ANY}, refused=403),
    # The record of processing names models and rules, no person: the organisations'
    # administrators and auditors read it, and the operator.
    Row("audit:processing_record", allow=only(R.AUDITOR, R.ADMIN), refused=403),
    Row(
        "audit:processing_record_document",
        "language",
        allow=only(R.AUDITOR, R.ADMIN),
        refused=403,
    ),
    # Non-auditors are refused before the grant is looked up; an auditor reviews only the
    # grants taken in their own organisations (found by this matrix, fixed in audit).
    Row(
        "audit:emergency_review",
        "grant",
        method="post",
        allow={R.AUDITOR: HERE},
        ok=302,
        refused=403,
        outside={R.AUDITOR: 404},
    ),
    # The log review: the list and the start form for every auditor (each sees their own
    # units); a review only to the auditors of its unit. Empty posts are refused with 400.
    Row("audit:log_reviews", "none@clinic", allow={R.AUDITOR: ANY}, refused=403),
    Row(
        "audit:log_review_start",
        "none@clinic",
        method="post",
        allow={R.AUDITOR: ANY},
        ok=400,
        refused=403,
    ),
    Row(
        "audit:log_review",
        "log_review",
        allow={R.AUDITOR: HERE},
        refused=403,
        outside={R.AUDITOR: 404},
    ),
    Row(
        "audit:log_review_item",
        "log_review_item",
        method="post",
        allow={R.AUDITOR: HERE},
        ok=400,
        refused=403,
        outside={R.AUDITOR: 404},
    ),
    Row(
        "audit:log_review_finish",
        "log_review",
        method="post",
        allow={R.AUDITOR: HERE},
        ok=400,
        refused=403,
        outside={R.AUDITOR: 404},
    ),
    # --- Instruments: a response or chart about a client opens to its care team ---------
    Row("instruments:list", allow=everyone()),
    # An administrator or coordinator uploads for their own organisations (which one, and
    # the refusal of any other, in instruments/tests/test_versions_by_organisation.py).
    Row("instruments:import", allow=only(R.ADMIN, R.COORDINATOR), refused=403),
    Row("instruments:response", "client_response"),
    Row("instruments:answer", "client_response"),
    Row("instruments:autosave", "client_response", method="post"),
    Row("instruments:start", "client_subject", related=302),
    Row("instruments:chart", "client_subject"),
    Row("instruments:chart_svg", "client_subject"),
    # --- Recruitment: the round's own people, never the organisation's coordinators as such
    Row("peer:rounds", allow={R.COORDINATOR: ANY, R.INTERVIEWER: ANY}, refused=403),
    Row("peer:round_create", allow={R.COORDINATOR: ANY}, refused=403),
    Row("peer:round", "round"),
    Row("peer:round_edit", "round", related=403),
    Row("peer:round_open", "round", method="post", related=403),
    Row("peer:round_close", "round", method="post", related=403),
    Row("peer:round_people", "round", related=403),
    Row("peer:round_member_remove", "round_member", method="post", related=403),
    Row("peer:applications", "round"),
    Row("peer:board", "round"),
    Row("peer:round_letters", "round", related=403),
    Row("peer:funnel", "round", related=403),
    Row("peer:funnel_csv", "round", related=403),
    Row("peer:application", "application"),
    Row("peer:decide", "decide", method="post", related=403),
    Row("peer:withdraw", "application", method="post", related=403),
    Row("peer:book_interview", "application", related=403),
    Row("peer:my_interviews", allow={R.COORDINATOR: ANY, R.INTERVIEWER: ANY}, refused=403),
    Row("peer:interview", "interview"),
    Row("peer:interview_record", "interview_record", method="post", related=302),
    Row("peer:interview_record_agreed", "interview_record", method="post", related=302),
    Row("peer:interview_cancel", "interview", method="post", related=403),
    Row("peer:interview_calendar", "interview"),
    # The decision letters: the course content's people, as the course plan's page.
    Row("peer:letter_templates", "network", allow={R.COORDINATOR: HERE, R.ADMIN: HERE}),
    # --- The course: its staff and its participants -----------------------------------------
    Row("peer:cohorts", allow=everyone()),
    Row("peer:cohort_create", "cohort_round", allow={R.COORDINATOR: HERE, R.TRAINING_LEAD: HERE}),
    Row("peer:cohort", "cohort"),
    Row("peer:cohort_staff", "cohort", method="post", related=302),
    Row("peer:cohort_session", "cohort", method="post", related=403),
    Row("peer:cohort_from_plan", "cohort", method="post", related=403),
    # A network's course plan: its coordinators and administrators (an empty post is 400).
    Row("peer:course_plan", "network", allow={R.COORDINATOR: HERE, R.ADMIN: HERE}),
    Row(
        "peer:course_plan_add",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row(
        "peer:course_plan_remove",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    # A network's ethics guidelines: the same people as its course plan (an empty post is 400).
    Row("peer:ethics_guidelines", "network", allow={R.COORDINATOR: HERE, R.ADMIN: HERE}),
    Row(
        "peer:ethics_guidelines_save",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    # Following the inherited guidelines again: the same people (with none of its own to
    # leave, the page comes back with the reason).
    Row(
        "peer:ethics_guidelines_follow_inherited",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=302,
    ),
    # Its homework library and exercise library: the same people, as the plan's page.
    Row("peer:homework_library", "network", allow={R.COORDINATOR: HERE, R.ADMIN: HERE}),
    Row(
        "peer:homework_library_add",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row(
        "peer:homework_library_edit",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row(
        "peer:homework_library_remove",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row("peer:exercise_library", "network", allow={R.COORDINATOR: HERE, R.ADMIN: HERE}),
    Row(
        "peer:exercise_library_add",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row(
        "peer:exercise_library_edit",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row(
        "peer:exercise_library_remove",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE, R.ADMIN: HERE},
        ok=400,
    ),
    Row("peer:attendance", "session"),
    Row("peer:my_course", "participant_self"),
    # The participant's own guidelines: no id in the address, so only their own (an empty
    # post is 400); everyone else, taking no course, gets 404.
    Row("peer:my_ethics_guidelines", "participant_self"),
    Row("peer:my_ethics_guidelines_acknowledge", "participant_self", method="post", related=400),
    Row("peer:lived_experience", allow=everyone()),
    Row("peer:cohort_homework", "cohort"),
    Row("peer:link_exercise", "cohort", method="post", related=404),
    Row("peer:assignment", "assignment"),
    Row("peer:my_assignment", "my_assignment"),
    Row("peer:submission_file", "submission"),
    Row("peer:cohort_completion", "cohort", related=403),
    Row("peer:certificate", "graduate"),
    # Step 3's observation notes: the round's coordinators and the course leaders only (the
    # participant, the lecturers and the training lead get 404).
    Row("peer:observation_notes", "participant"),
    Row("peer:observation_add", "participant", method="post", related=400),
    Row("peer:cohort_feed", "cohort_feed", allow=everyone(), anonymous=200),
    Row("peer:participant_feed", "participant_feed", allow=everyone(), anonymous=200),
    Row("peer:my_reminders", "participant_self", method="post", related=302),
    # --- Workplaces, placements, supervision, follow-up ----------------------------------
    Row("peer:workplaces", allow={R.COORDINATOR: ANY, R.WORKPLACE_MANAGER: ANY}, refused=403),
    Row("peer:workplace", "workplace", allow={R.WORKPLACE_MANAGER: HERE}),
    Row(
        "peer:workplace_task_description",
        "workplace",
        method="post",
        allow={R.WORKPLACE_MANAGER: HERE},
        ok=302,
    ),
    Row(
        "peer:workplace_agreement",
        "workplace",
        method="post",
        allow={R.WORKPLACE_MANAGER: HERE},
        ok=400,
    ),
    Row(
        "peer:workplace_training",
        "workplace",
        method="post",
        allow={R.WORKPLACE_MANAGER: HERE},
        ok=400,
    ),
    Row(
        "peer:workplace_place",
        "workplace",
        method="post",
        allow={R.WORKPLACE_MANAGER: HERE},
        ok=403,
        related=400,
    ),
    Row(
        "peer:placement_end",
        "placement",
        method="post",
        allow={R.COORDINATOR: HERE},
        ok=302,
        related=404,
    ),
    # A user organisation's own training sessions: its coordinators (and those of a network
    # above it); an empty post is 400.
    Row("peer:user_organisation_training", "network", allow={R.COORDINATOR: HERE}),
    Row(
        "peer:user_organisation_training_add",
        "network",
        method="post",
        allow={R.COORDINATOR: HERE},
        ok=400,
    ),
    Row("peer:waiting_list", allow={R.COORDINATOR: ANY}, refused=403),
    Row("peer:supervision", allow=everyone()),
    Row("peer:supervision_meeting", "supervision_meeting"),
    Row("peer:supervision_attendance", "supervision_meeting", method="post", related=302),
    Row("peer:supervision_notes", "supervision_row", method="post", related=302, refused=403),
    Row("peer:system_issues", allow={R.COORDINATOR: ANY}, refused=403),
    # The work log: a peer supporter's own entries (each sees only their own list), the
    # supervisor's summaries of those they supervise (an empty page for anybody else's).
    Row("peer:work_log", allow={R.PEER_SUPPORTER: ANY}, refused=403),
    Row(
        "peer:work_log_add",
        method="post",
        allow={R.PEER_SUPPORTER: ANY},
        ok=400,
        refused=403,
    ),
    Row("peer:work_log_edit", "work_log_entry", related=200),
    Row("peer:work_log_delete", "work_log_entry", method="post", related=302),
    Row("peer:supervisee_work", allow={R.SUPERVISOR: ANY}, refused=403),
    Row("peer:placement", "placement", allow={R.COORDINATOR: HERE}),
    Row(
        "peer:placement_sick_leave", "placement", method="post", allow={R.COORDINATOR: HERE}, ok=400
    ),
    Row(
        "peer:follow_up",
        allow={R.COORDINATOR: ANY, R.PEER_SUPPORTER: ANY},
        codes={R.PEER_SUPPORTER: 302},
        refused=403,
    ),
    Row("peer:follow_up_mine", allow=everyone()),
    Row("peer:follow_up_event", "event", allow={R.COORDINATOR: HERE}),
    Row("peer:follow_up_attendance", "event", method="post", allow={R.COORDINATOR: HERE}, ok=302),
    Row("peer:follow_up_ics", "event", allow={R.COORDINATOR: HERE}),
    # --- The public application form and the applicant's private link ---------------------
    Row("peer_public:status", "status_token", allow=everyone(), anonymous=200),
    Row(
        "peer_public:withdraw",
        "status_token",
        method="post",
        allow=everyone(),
        ok=302,
        anonymous=302,
    ),
    # The applicant's rights through the same link: their data as a file, the erasure page,
    # the erasure (an empty post lacks the confirmation: 400, nothing erased), the thanks.
    Row("peer_public:export", "status_token", allow=everyone(), anonymous=200, credential=True),
    Row("peer_public:erase", "status_token", allow=everyone(), anonymous=200),
    Row(
        "peer_public:erase_now",
        "status_token",
        method="post",
        allow=everyone(),
        ok=400,
        anonymous=400,
    ),
    Row("peer_public:erased", allow=everyone(), anonymous=200),
    # --- The relative's page: public, the one-time link is the credential ------------------
    # An unknown token is the same 404 for everyone; the thanks page shows nothing.
    Row("relatives:sheet", "relative_token", anonymous=404),
    Row("relatives:thanks", allow=everyone(), anonymous=200),
    Row("peer_public:apply", "public_key", allow=everyone(), anonymous=200),
    Row("peer_public:receipt", "public_key", allow=everyone(), ok=302, anonymous=302),
    # --- Reports: the network's coordinators and analysts ---------------------------------
    Row(
        "reports:programme",
        allow={R.COORDINATOR: frozenset({OWN, OTHER}), R.ANALYST: frozenset({OWN, OTHER})},
        refused=403,
    ),
    Row(
        "reports:export_create",
        method="post",
        allow={R.COORDINATOR: frozenset({OWN, OTHER}), R.ANALYST: frozenset({OWN, OTHER})},
        ok=302,
        refused=403,
    ),
    Row("reports:export_list", allow=everyone()),
    # The national summary: who reports for an organisation above networks (not the
    # network's own coordinators below it, who have its programme report).
    Row("reports:national", "national", allow=only(R.COORDINATOR, R.ANALYST, at=HERE), refused=403),
    Row("reports:export_download", "export"),
    Row(
        "reports:key_create",
        method="post",
        allow={R.COORDINATOR: frozenset({OWN, OTHER}), R.ANALYST: frozenset({OWN, OTHER})},
        ok=302,
        refused=403,
    ),
    # The caseload report: the supervisor (who leads the case managers in the method) and
    # the analyst, each over their own organisation and the units below it; a unit is
    # chosen in the query (404 out of reach, tested in reports/tests/test_caseload.py).
    Row("reports:caseload", "none@clinic", allow=only(R.SUPERVISOR, R.ANALYST), refused=403),
    Row(
        "reports:caseload_export",
        "none@clinic",
        method="post",
        allow=only(R.SUPERVISOR, R.ANALYST),
        ok=302,
        refused=403,
    ),
    Row(
        "reports:caseload_key_create",
        "none@clinic",
        method="post",
        allow=only(R.SUPERVISOR, R.ANALYST),
        ok=302,
        refused=403,
    ),
    # --- User influence: the area's coordinators; its analysts read ------------------------
    Row("influence:areas", allow={R.COORDINATOR: ANY, R.ANALYST: HERE}, refused=403),
    # Joint coordination and the contact log: the area's coordinators only (403 for the
    # analyst, who reads the area; 404 for the rest).
    Row(
        "influence:area_co_organisation",
        "area",
        method="post",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        ok=302,
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:outreach",
        "area",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:outreach_add",
        "area",
        method="post",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        ok=400,
        codes={R.ANALYST: 403},
    ),
    Row("influence:area", "area", allow={R.COORDINATOR: HERE, R.ANALYST: HERE}),
    Row(
        "influence:area_units",
        "area",
        method="post",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        ok=302,
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:org_new",
        "area",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:org_edit",
        "area_org",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:forum_new",
        "area",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        codes={R.ANALYST: 403},
    ),
    Row("influence:forum", "forum", allow={R.COORDINATOR: HERE, R.ANALYST: HERE}),
    # Each change of a forum is its own URL; an empty form is shown again with 400.
    *(
        Row(
            name,
            target,
            method="post",
            allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
            ok=ok,
            codes={R.ANALYST: 403},
        )
        for name, target, ok in (
            ("influence:forum_member_add", "forum", 400),
            ("influence:forum_meeting_add", "forum", 400),
            ("influence:forum_member_end", "forum_member", 302),
        )
    ),
    Row(
        "influence:activity_decide",
        "activity",
        method="post",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        ok=302,
        codes={R.ANALYST: 403},
    ),
    # Members of a user organisation with an account in the area submit its activities.
    Row(
        "influence:submit",
        allow={**everyone(frozenset({BELOW})), R.COORDINATOR: OWN_TREE},
        refused=403,
    ),
    # Forum work: the area's coordinators (not its analysts); the members of a member
    # organisation (any role but analyst, "below" the network) follow the forum and add to
    # the agenda; only the representative ("related") confirms and reports back.
    # "My forums" opens to whoever speaks for an organisation with a seat in a forum: in
    # this world the user organisation below the network; never the analyst.
    Row(
        "influence:my_forums",
        allow={role: frozenset({BELOW}) for role in ALL_ROLES if role != R.ANALYST},
        refused=403,
    ),
    Row("influence:forum_work", "forum_steering", allow=FORUM_FOLLOWERS, related=200),
    # Consultations (remiss): the area's coordinators ask; a member who speaks for an asked
    # organisation (any role but analyst, below the network) reads and answers once.
    Row(
        "influence:area_consultations",
        "area",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:consultation_new",
        "area",
        method="post",
        allow={R.COORDINATOR: HERE, R.ANALYST: HERE},
        ok=400,
        codes={R.ANALYST: 403},
    ),
    Row(
        "influence:my_consultations",
        allow={role: frozenset({BELOW}) for role in ALL_ROLES if role != R.ANALYST},
        refused=403,
    ),
    Row("influence:consultation", "consultation", allow=FORUM_FOLLOWERS, related=200),
    *(
        Row(
            name,
            "consultation",
            method="post",
            allow=FORUM_FOLLOWERS,
            ok=403,
            codes={f"{R.COORDINATOR}@{OWN}": coordinator},
            related=related,
        )
        for name, coordinator, related in (
            ("influence:consultation_send", 302, 403),
            ("influence:consultation_summary", 400, 403),
            ("influence:consultation_publish", 400, 403),
        )
    ),
    # Answering: whoever speaks for the asked organisation (an empty answer is refused with
    # the form); the area's coordinator, who speaks for none, may not.
    Row(
        "influence:consultation_answer",
        "consultation",
        method="post",
        allow=FORUM_FOLLOWERS,
        ok=400,
        codes={f"{R.COORDINATOR}@{OWN}": 403},
        related=400,
    ),
    Row("influence:meeting", "forum_meeting", allow=FORUM_FOLLOWERS, related=200),
    Row("influence:matter", "matter", allow=FORUM_FOLLOWERS, related=200),
    Row(
        "influence:agenda_add",
        "forum_meeting",
        method="post",
        allow=FORUM_FOLLOWERS,
        ok=400,
        related=400,
    ),
    *(
        Row(
            name,
            target,
            method="post",
            allow=FORUM_FOLLOWERS,
            ok=403,
            codes={f"{R.COORDINATOR}@{OWN}": coordinator},
            related=related,
        )
        for name, target, coordinator, related in (
            ("influence:matter_new", "forum_steering", 400, 400),
            ("influence:minutes_save", "forum_meeting_held", 400, 403),
            ("influence:minutes_confirm", "forum_meeting_held", 403, 400),
            ("influence:report_save", "forum_meeting_held", 403, 400),
            ("influence:matter_link", "matter", 400, 403),
            ("influence:matter_outcome", "matter", 400, 403),
        )
    ),
    # An organisation's reports back: its own members (not analysts), nobody else.
    Row(
        "influence:reports",
        "influence_org",
        allow={r: OWN_TREE for r in ALL_ROLES if r != R.ANALYST},
        related=200,
    ),
    Row("influence:ladder", "area", allow={R.COORDINATOR: HERE, R.ANALYST: HERE}),
    Row("influence:indicators", allow={R.COORDINATOR: HERE, R.ANALYST: HERE}, refused=403),
    Row("influence:indicators_csv", allow={R.COORDINATOR: HERE, R.ANALYST: HERE}, refused=403),
    # --- Coordination: the care team under consent, never the clinic as such -------------
    Row("coordination:clients", "none@clinic", allow=everyone()),
    Row("coordination:register", "none@clinic", allow={R.CASE_MANAGER: ANY}, refused=403),
    Row(
        "coordination:emergency",
        "none@clinic",
        allow={R.SUPERVISOR: ANY, R.CASE_MANAGER: ANY},
        refused=403,
    ),
    # The archive lists each user's own closed records only (an empty list for the rest);
    # the reason form sends the care team of an open record straight to it.
    Row("coordination:archive", "none@clinic", allow=everyone()),
    Row("coordination:archive_open", "client", related=302),
    # Restriction on paper: the care team; an empty form is a bad one.
    Row("coordination:restriction", "client"),
    Row("coordination:restrict", "client", method="post", related=400),
    Row("coordination:restriction_lift", "client", method="post", related=400),
    # The retention period: an administrator, for their own organisation and below.
    Row("coordination:retention", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row(
        "coordination:retention_edit",
        "admin_unit",
        allow={R.ADMIN: HERE},
        refused=403,
        outside={R.ADMIN: 404},
    ),
    Row(
        "coordination:retention_save",
        "admin_unit",
        method="post",
        allow={R.ADMIN: HERE},
        ok=400,
        refused=403,
        outside={R.ADMIN: 404},
    ),
    Row("coordination:client", "client"),
    Row("coordination:edit", "client"),
    Row("coordination:identity", "client", method="post"),
    Row("coordination:phase", "client", method="post", related=400),
    Row("coordination:team", "client"),
    Row("coordination:team_leave", "client_seat"),
    # The seat is a case manager's: leaving without a hand-over note is refused with the form.
    Row("coordination:team_end", "client_seat", method="post", related=400),
    Row("coordination:consent", "client"),
    Row("coordination:consent_revoke", "client_consent", method="post", related=302),
    Row("coordination:consent_document", "client_consent"),
    Row("coordination:network", "client"),
    Row("coordination:contact", "client_contact"),
    Row("coordination:contact_remove", "client_contact", method="post", related=302),
    # A relative's one-time link: only a case manager of the team working jointly sends or
    # revokes one (an empty form is a bad one: 400).
    Row("coordination:relative_link_send", "client", method="post", related=400),
    Row("coordination:relative_link_revoke", "client_relative_link", method="post", related=302),
    Row("coordination:worksheet_start", "client_worksheet"),
    Row("coordination:checklist", "client"),
    Row("coordination:step_scan", "client_step"),
    # Booked mapping sessions: read by whoever reads the client; booked, cancelled and
    # marked as held by the team working jointly (an empty form is a bad one: 400).
    Row("coordination:mapping_sessions", "client"),
    Row("coordination:mapping_sessions_book", "client", method="post", related=400),
    Row("coordination:mapping_session_cancel", "client_session", method="post", related=302),
    Row("coordination:mapping_session_held", "client_session", method="post", related=400),
    Row("coordination:summary", "client"),
    Row("coordination:notes", "client"),
    # Messages between meetings (issue 21): the care team reads, and writes when working
    # jointly (an empty form is a bad one: 400); the client has their own pages.
    Row("coordination:messages", "client"),
    Row("coordination:message_start", "client", method="post", related=400),
    Row("coordination:message_thread", "client_thread"),
    Row("coordination:message_reply", "client_thread", method="post", related=400),
    Row("coordination:message_attachment", "client_message"),
    Row("coordination:plan", "client"),
    # One of the plan's forms, fetched when its section opens (issue 25).
    Row("coordination:plan_form", "client_plan_form"),
    # One URL per change to the plan; an empty form is a stale save (409) or a bad one (400).
    Row("coordination:plan_header", "client", method="post", related=409),
    Row("coordination:plan_goal", "client", method="post", related=400),
    Row("coordination:plan_goal_status", "client_goal", method="post", related=400),
    Row("coordination:plan_action", "client", method="post", related=400),
    Row("coordination:plan_action_status", "client_plan_action", method="post", related=400),
    Row("coordination:plan_activity", "client", method="post", related=400),
    Row("coordination:plan_decide", "client", method="post", related=400),
    Row("coordination:warning_plan", "client"),
    Row("coordination:followup", "client"),
    Row("coordination:plan_compare", "client_versions"),
    Row("coordination:resource_group", "client"),
    Row("coordination:group_member_add", "client", method="post", related=400),
    Row("coordination:group_member_end", "client_member", method="post", related=302),
    Row("coordination:meeting_book", "client", method="post", related=400),
    Row("coordination:meeting", "client_meeting"),
    Row("coordination:meeting_invite", "client_meeting", method="post", related=302),
    Row("coordination:meeting_cancel", "client_meeting", method="post", related=302),
    Row("coordination:meeting_save", "client_meeting", method="post", related=409),
    Row("coordination:meeting_decide", "client_decision", method="post", related=400),
    # One decision's form, fetched when its section opens (issue 25).
    Row("coordination:meeting_decision_form", "client_decision"),
    # Only a member of the group at the meeting confirms its minutes; the related case
    # manager is one: an empty answer is refused with the form.
    Row("coordination:meeting_confirm_minutes", "client_meeting", method="post", related=400),
    Row("coordination:binder_pdf", "client"),
    Row("coordination:binder_json", "client"),
    Row("coordination:binder_fhir", "client"),
    # --- Public influence pages ------------------------------------------------------------
    # Public for everyone, the signed-in client too (their associations page links here).
    Row("influence_public:directory", allow=everyone(), anonymous=200, client=200),
    Row("influence_public:calendar", "area_slug", allow=everyone(), anonymous=200, client=200),
    Row("influence_public:feed", "area_slug", allow=everyone(), anonymous=200, client=200),
    Row("influence_public:forum_areas", allow=everyone(), anonymous=200, client=200),
    Row("influence_public:forums", "area_slug", allow=everyone(), anonymous=200, client=200),
    Row("influence_public:consultations", allow=everyone(), anonymous=200, client=200),
    Row(
        "influence_public:consultation",
        "consultation_published",
        allow=everyone(),
        anonymous=200,
        client=200,
    ),
    # --- The client's own pages: the client only; staff get 404 as if they did not exist ---
    Row("portal:start", "none@clinic", client=200),
    Row("portal:login", "none@clinic", allow=everyone(), anonymous=200, client=302),
    Row("portal:link_sent", "none@clinic", allow=everyone(), anonymous=200, client=200),
    Row("portal:link", "portal_link", allow=everyone(), ok=410, anonymous=410, client=410),
    Row("portal:plan", "none@clinic", client=200),
    Row("portal:warning_plan", "none@clinic", client=200),
    Row("portal:worksheets", "none@clinic", client=200),
    Row("portal:worksheet_start", "portal_key", method="post", client=302),
    Row("portal:worksheet", "portal_response", client=200),
    Row("portal:answer", "portal_draft", client=200),
    Row("portal:checklist", "none@clinic", client=200),
    Row("portal:messages", "none@clinic", client=200),
    Row("portal:message_start", "none@clinic", method="post", client=400),
    Row("portal:message_thread", "portal_thread", client=200),
    Row("portal:message_reply", "portal_thread", method="post", client=400),
    Row("portal:message_attachment", "portal_message", client=200),
    Row("portal:meetings", "none@clinic", client=200),
    Row("portal:meeting", "portal_meeting", client=200),
    Row("portal:meeting_confirm", "portal_meeting", method="post", client=400),
    Row("portal:associations", "none@clinic", client=200),
    Row("portal:consent", "none@clinic", client=200),
    Row("portal:chart", "none@clinic", client=200),
    Row("portal:chart_svg", "none@clinic", client=200),
    Row("portal:access_log", "none@clinic", client=200),
    Row("portal:my_data", "none@clinic", client=200),
    Row("portal:my_data_request", "none@clinic", method="post", client=302),
    Row("portal:my_data_download", "export_key"),
    Row("portal:settings", "none@clinic", client=200),
    Row("portal:notifications", "none@clinic", client=200),
    Row("portal:notifications_save", "none@clinic", method="post", client=400),
    Row("portal:restriction", "none@clinic", client=200),
    Row("portal:restrict", "none@clinic", method="post", client=400),
    Row("portal:restriction_lift", "none@clinic", method="post", client=400),
    Row("portal:download_pdf", "none@clinic", client=200),
    Row("portal:download_json", "none@clinic", client=200),
    Row("portal:download_fhir", "none@clinic", client=200),
    Row("portal:invite", "client"),
    # What resource-group work is: general texts, public, the client reaches them too.
    Row("method:about", allow=everyone(), anonymous=200, client=200),
    Row("method:relatives", allow=everyone(), anonymous=200, client=200),
    Row("portal:end_access", "client", method="post", related=302),
    # --- Signing in and the role pages ------------------------------------------------------
    # --- Administration: an administrator's own organisation and the units below it -----
    # Signed in without the administrator role is 403 (the pages are about no one person);
    # an organisation, person or role outside the administrator's tree is 404.
    Row("administration:overview", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row("administration:people", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row("administration:invite", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row(
        "administration:unit_create",
        "admin_unit",
        allow={R.ADMIN: HERE},
        refused=403,
        outside={R.ADMIN: 404},
    ),
    *(
        Row(name, "admin_person", allow={R.ADMIN: HERE}, refused=403, outside={R.ADMIN: 404})
        for name in (
            "administration:person",
            "administration:deactivate",
            "administration:reset_second_factor",
            "administration:anonymise",
        )
    ),
    *(
        Row(
            name,
            "admin_person",
            method="post",
            allow={R.ADMIN: HERE},
            ok=ok,
            refused=403,
            outside={R.ADMIN: 404},
        )
        for name, ok in (("administration:reactivate", 302), ("administration:grant_role", 400))
    ),
    Row(
        "administration:end_membership",
        "admin_membership",
        method="post",
        allow={R.ADMIN: HERE},
        ok=302,
        refused=403,
        outside={R.ADMIN: 404},
    ),
    # Sign-in through an organisation's OpenID Connect provider: starting sends anyone to the
    # provider; a callback without a sign-in started in this session is refused alike.
    Row("sso:start", "oidc_provider_slug", allow=everyone(), ok=302, anonymous=302, client=302),
    Row("sso:callback", allow=everyone(), ok=400, anonymous=400, client=400),
    # The administrator's e-ID providers: their own tree's, like the rest of administration.
    Row("sso_admin:list", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row("sso_admin:create", "none@clinic", allow={R.ADMIN: ANY}, refused=403),
    Row(
        "sso_admin:edit",
        "oidc_provider",
        allow={R.ADMIN: HERE},
        refused=403,
        outside={R.ADMIN: 404},
    ),
    # An invitation link that is not (or no longer) valid is gone, for everyone alike.
    Row(
        "accounts:invitation",
        "invitation_token",
        allow=everyone(),
        ok=410,
        anonymous=410,
        client=410,
    ),
    # Everyone here has a verified second factor, so the page sends them on.
    Row("accounts:two_factor_needs_link", allow=everyone(), ok=302, client=302),
    Row("accounts:home", allow=everyone(), ok=302, client=302),
    Row("accounts:login", allow=everyone(), ok=302, anonymous=200, client=302),
    Row("accounts:logout", method="post", allow=everyone(), ok=LOGIN, client=LOGIN),
    Row("accounts:role_start", "role_slug", allow={R.COORDINATOR: ANY}, refused=403),
    Row("accounts:two_factor_enrol", allow=everyone(), client=200),
    Row("accounts:two_factor_verify", allow=everyone(), ok=302, client=302),
    Row("accounts:two_factor_backup_codes", allow=everyone(), client=200),
    # One's own data: everyone signed in asks for their own copy; a copy opens only for
    # whoever asked for it (proved in audit/tests/test_rights.py). The client asks on their
    # own pages.
    Row("accounts:my_data", allow=everyone()),
    Row("accounts:notifications", allow=everyone()),
    Row("accounts:notifications_save", method="post", allow=everyone(), ok=400),
    Row("accounts:my_data_request", method="post", allow=everyone(), ok=302),
    Row("accounts:my_data_download", "export_key"),
    Row("accounts:password_reset", allow=everyone(), anonymous=200, client=200),
    Row("accounts:password_reset_done", allow=everyone(), anonymous=200, client=200),
    Row(
        "accounts:password_reset_confirm",
        "password_reset",
        allow=everyone(),
        anonymous=200,
        client=200,
    ),
    Row("accounts:password_reset_complete", allow=everyone(), anonymous=200, client=200),
    # --- API tokens (egenmakt/api): one's own, and an administrator's service tokens -------
    Row("api_tokens:tokens", allow=everyone()),
    Row("api_tokens:create", method="post", allow=everyone(), ok=400),
    Row("api_tokens:service_create", method="post", allow={R.ADMIN: ANY}, ok=400, refused=403),
    Row("api_tokens:revoke", "api_token", method="post", related=302),
    # --- The JSON API: a bearer token opens it, never the session cookie, so every signed-in
    # cell here is 401; egenmakt/api/tests/test_api_matrix.py asks the same cells with
    # tokens. Its document, its docs and the influence calendar are public; the client's
    # sign-in opens only the portal, so the API answers their session 404.
    Row("api:openapi-json", allow=everyone(), anonymous=200),
    # The version's root names no operation: 404 for all.
    Row("api:api-root", anonymous=404),
    Row("fhir:openapi-json", allow=everyone(), anonymous=200),
    Row("fhir:openapi-view", allow=everyone(), anonymous=200),
    Row("fhir:api-root", anonymous=404),
    Row("api:openapi-view", allow=everyone(), anonymous=200),
    Row("api:calendar", "area_slug", allow=everyone(), anonymous=200),
    *(
        Row(name, target, refused=401, anonymous=401, related=401)
        for name, target in API_TOKEN_ROWS
        if name not in API_WRITE_ONLY
    ),
    # An address with only a write method answers this matrix's GET with 405, before any token.
    *(
        Row(name, target, refused=405, anonymous=405, related=405)
        for name, target in API_TOKEN_ROWS
        if name in API_WRITE_ONLY
    ),
]

# Django's admin, asked on these pages (URL name, argument).
SAMPLES: list[tuple[str, object]] = [
    ("admin:index", None),
    ("admin:accounts_user_changelist", None),
    ("admin:accounts_user_change", lambda world: world.cast.coordinator.pk),
    ("admin:accounts_membership_add", None),
]
