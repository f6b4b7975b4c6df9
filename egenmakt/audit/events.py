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

    # --- coordination and the client portal ------------------------------------------------

    # --- peer: recruitment, course, placement, supervision, follow-up ----------------------
    ROUND_OPENED = "open"
    ROUND_CLOSED = "closed"
    ROUND_BACK_TO_DRAFT = "draft"
    APPLICATION_SUBMITTED = "application form"
    APPLICATION_WITHDRAWN_BY_APPLICANT = "withdrawn by applicant"
    APPLICATION_WITHDRAWN_BY_COORDINATOR = "withdrawn by coordinator"
    APPLICATION_ERASED_NOT_ADMITTED = "retention: not admitted, round closed"
    INTERVIEW_CANCELLED = "interview cancelled"
    DECISION_LETTER_SENT = "decision letter"
    COURSE_ATTENDANCE_TAKEN = "attendance"
    COURSE_ABSENCE_REPORTED = "absence reported"
    COURSE_COMPLETED = "course completed"
    COURSE_NOT_COMPLETED = "course not completed"
    HOMEWORK_HANDED_IN = "homework handed in"
    HOMEWORK_FEEDBACK_GIVEN = "homework feedback"
    EXERCISE_LINKED = "exercise linked"
    SUPERVISION_ATTENDANCE_TAKEN = "attendance"
    FOLLOW_UP_ATTENDANCE_TAKEN = "attendance"

    # --- influence --------------------------------------------------------------------------

    # --- instruments, reports, audit, outbox ------------------------------------------------

    pass
