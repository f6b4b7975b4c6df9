"""What the access log's reason says for each change a service makes (conventions 25).

One enumeration for the whole product, so the auditor's filter, the tests and the services
name an event the same way. A value is the reason stored in ``AccessLog.reason``; a
service may append a detail after a colon (``f"{AuditEvent.GOAL_STATUS}: {status}"``).
Reads keep their page names; emergency access keeps the reason the user typed.
Each app has its own section; keep the values stable, the auditor searches by them.
"""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    # --- accounts: administration of the organisation tree --------------------------------
    ADMIN_UNIT_CREATED = "administration: unit created"
    ADMIN_PERSON_INVITED = "administration: person invited"
    ADMIN_ROLE_GIVEN = "administration: role given"
    ADMIN_MEMBERSHIP_ENDED = "administration: membership ended"
    ADMIN_ACCOUNT_DEACTIVATED = "administration: account deactivated"
    ADMIN_ACCOUNT_REACTIVATED = "administration: account reactivated"
    ADMIN_SECOND_FACTOR_RESET = "administration: second factor reset"
    INVITATION_USED = "invitation used"
    ACCOUNT_ANONYMISED = "account anonymised"
    PERSONAL_DATA_EXPORTED = "personal data exported"
    PERSONAL_DATA_DOWNLOADED = "personal data downloaded"
    OPERATOR_INVITED = "operator invited"
    # Sign-in through an organisation's OpenID Connect provider (issue 22): a valid token
    # that names nobody who may sign in, or a token that failed its checks.
    OIDC_SIGN_IN_REFUSED = "oidc: sign-in refused"  # + ": <why>"
    OIDC_PROVIDER_SAVED = "oidc: identity provider saved"

    # --- coordination and the client portal ------------------------------------------------
    CLIENT_PHASE = "phase"  # + " <phase>"
    CASE_NOTE = "case note"
    CONSENT_RECORDED = "consent recorded"
    CONSENT_REVOKED = "consent revoked"
    CARE_TEAM_ADDED = "care team: added"
    CARE_TEAM_ENDED = "care team: ended"
    MAPPING_STEP = "step"  # + " <step>"
    MAPPING_SUMMARY = "mapping summary"
    WARNING_PLAN = "early-warning plan"
    PLAN_HEADER_SAVED = "plan: goal and responsibility"
    PLAN_GOAL_ADDED = "plan: sub-goal added"
    PLAN_GOAL_STATUS = "plan: sub-goal"  # + " <status>"
    PLAN_ACTION_ADDED = "plan: measure added"
    PLAN_ACTION_STATUS = "plan: measure"  # + " <status>"
    PLAN_VERSION = "plan: version"  # + " <number> decided"
    RESOURCE_GROUP = "resource group"  # + ": <n> invited", ": meeting <status>", ": <decision>"
    GROUP_MEMBER_ADDED = "resource group: added"
    GROUP_MEMBER_ENDED = "resource group: ended"
    MEETING_BOOKED = "resource group: booked"
    MEETING_CANCELLED = "resource group: cancelled"
    MINUTES_CONFIRMED = "resource group: minutes confirmed"
    MINUTES_CORRECTION = "resource group: correction of minutes asked"
    PORTAL_INVITATION = "portal: invitation"
    # Messages between meetings (issue 21): the client and the care team write to each other.
    MESSAGE_THREAD_STARTED = "messages: thread started"
    MESSAGE_SENT = "messages: message sent"
    PORTAL_ACCESS_ENDED = "portal: access ended"
    # A relative answers a sheet through a one-time link (issue 20); the relative's own acts
    # are logged with no actor, like the applicant's.
    RELATIVE_LINK_SENT = "relative link: sent"  # + " <sheet>"
    RELATIVE_LINK_REVOKED = "relative link: revoked"
    RELATIVE_LINK_OPENED = "relative link: opened by the relative"
    RELATIVE_DRAFT_SAVED = "relative link: draft saved by the relative"
    RELATIVE_SHEET_ANSWERED = "relative link: answered by the relative"
    # The archive, restriction and erasure of a client's record (issue 19).
    CLIENT_ARCHIVED = "archive: closed and archived"
    ARCHIVE_OPENED = "archive: opened with a reason"  # + ": <reason>"
    ARCHIVE_READ = "archive: read"  # + ": <reason given when opened>"
    RESTRICTION_REQUESTED = "restriction: requested"  # + " <portal|paper>"
    RESTRICTION_LIFTED = "restriction: lifted"  # + " <portal|paper>"
    RETENTION_CHANGED = "retention: period changed"  # + " <years>"
    CLIENT_ERASED = "retention: client erased, period passed"
    CLIENT_ERASURE_INCOMPLETE = "retention: identifiers left after erasure"  # + ": <tables>"

    # --- peer: recruitment, course, placement, supervision, follow-up ----------------------
    ROUND_OPENED = "open"
    ROUND_CLOSED = "closed"
    # A round set back to draft, and an answer saved as a draft (instruments), store "draft".
    DRAFT = "draft"
    APPLICATION_SUBMITTED = "application form"
    APPLICATION_WITHDRAWN_BY_APPLICANT = "withdrawn by applicant"
    APPLICATION_WITHDRAWN_BY_COORDINATOR = "withdrawn by coordinator"
    APPLICATION_ERASED_NOT_ADMITTED = "retention: not admitted, round closed"
    APPLICATION_ERASED_BY_APPLICANT = "erased by applicant"
    INTERVIEW_CANCELLED = "interview cancelled"
    DECISION_LETTER_SENT = "decision letter"
    # Attendance of a course day, a supervision meeting or a follow-up event: the object
    # logged with it says which.
    ATTENDANCE_TAKEN = "attendance"
    COURSE_ABSENCE_REPORTED = "absence reported"
    COURSE_COMPLETED = "course completed"
    COURSE_NOT_COMPLETED = "course not completed"
    COURSE_OBSERVATION_WRITTEN = "course observation written"
    COURSE_BUILT_FROM_PLAN = "course built from plan"
    ETHICS_GUIDELINES_SAVED = "ethics guidelines saved"
    ETHICS_GUIDELINES_INHERITED = "ethics guidelines: inherited followed again"
    ETHICS_GUIDELINES_ACKNOWLEDGED = "ethics guidelines acknowledged"
    USER_ORGANISATION_TRAINING = "user organisation training"
    HOMEWORK_HANDED_IN = "homework handed in"
    HOMEWORK_FEEDBACK_GIVEN = "homework feedback"
    EXERCISE_LINKED = "exercise linked"
    WORK_LOGGED = "work logged"
    WORK_LOG_CHANGED = "work log changed"
    WORK_LOG_REMOVED = "work log removed"

    # --- influence: its changes are about organisations and forums, not people; the change
    # trail (django-auditlog) holds them, so it writes no access-log reasons.

    # --- instruments, reports, audit, outbox ------------------------------------------------
    INSTRUMENT_IMPORTED = "import"
    RESPONSE_SUBMITTED = "submit"
    LOG_REVIEW_STARTED = "log review: started"
    LOG_REVIEW_ITEM = "log review: item"  # + " <outcome>"
    LOG_REVIEW_FINISHED = "log review: finished"

    # --- api: access tokens (names of events, no secrets: S105 misreads "TOKEN") ---------
    API_TOKEN_CREATED = "api: token created"  # noqa: S105
    API_TOKEN_REVOKED = "api: token revoked"  # noqa: S105
