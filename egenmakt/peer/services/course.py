"""Step 3, the course: cohorts, their schedule and staff, participants, attendance.

As in ``services``: one function per action, each in a transaction that writes the
access log; e-mail goes through the outbox.
"""

from __future__ import annotations

from datetime import date, time

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.instruments.models import Response
from egenmakt.outbox.notify import Recipient, notify
from egenmakt.outbox.services import queue_email
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortRole,
    CohortStaff,
    CourseSession,
    InterviewRecord,
    LivedExperience,
    ObservationNote,
    Participant,
    RecordKind,
    RecruitmentRound,
)
from egenmakt.peer.rules import (
    is_participant,
    may_create_cohort_in,
    may_observe,
    may_plan,
    may_take_attendance,
)
from egenmakt.peer.services.recruitment import RecruitmentError, absolute_url


def agreed_support(application: Application) -> str:
    """The support agreed at the interview, from the agreed (else any submitted) notes."""
    from django.contrib.contenttypes.models import ContentType

    from egenmakt.instruments.schema import iter_items, text

    records = InterviewRecord.objects.filter(
        interview__application=application, kind=RecordKind.NOTES
    ).order_by("author_id")  # the agreed record (no author) first on PostgreSQL and SQLite
    ids = {str(r.pk): r for r in records}
    responses = (
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(InterviewRecord),
            subject_id__in=list(ids),
            status="submitted",
        )
        .select_related("definition")
        .defer("definition__definition")
    )
    chosen = sorted(responses, key=lambda r: (ids[r.subject_id].author_id is not None, r.pk))
    if not chosen:
        return application.support_needs
    response = chosen[0]
    lines = []
    for item in iter_items(response.definition.definition):
        value = response.answers.get(item["key"])
        if item["key"] == "support_needed" and value:
            labels = {o["value"]: text(o["label"], "sv") for o in item.get("options", [])}
            lines.append(", ".join(labels.get(v, v) for v in value))
        elif item["key"] == "support_details" and value:
            lines.append(str(value))
    return "\n".join(lines) or application.support_needs


@transaction.atomic
def create_cohort(
    *,
    user: User,
    round_: RecruitmentRound,
    title: str,
    attendance_threshold: int,
    reserves: list[Application] | None = None,
) -> Cohort:
    """A training lead forms the cohort from the round's admitted applicants and chosen
    reserves; each becomes a participant and is invited to sign in."""
    require(may_create_cohort_in(user, round_.organisation))
    if not 0 <= attendance_threshold <= 100:
        raise RecruitmentError(_("Give the attendance threshold as a percentage, 0–100."))
    admitted = list(round_.applications.filter(status=ApplicationStatus.ADMITTED, participant=None))
    chosen_reserves = [
        a
        for a in (reserves or [])
        if a.round_id == round_.pk and a.status == ApplicationStatus.RESERVE
    ]
    if not admitted and not chosen_reserves:
        raise RecruitmentError(_("The round has nobody admitted who is not in a course already."))
    cohort = Cohort.objects.create(
        round=round_,
        title=title.strip(),
        attendance_threshold=attendance_threshold,
        created_by=user,
    )
    CohortStaff.objects.create(cohort=cohort, user=user, role=CohortRole.TRAINING_LEAD)
    for application in admitted + chosen_reserves:
        _enrol(cohort, application, from_reserve=application in chosen_reserves)
    log_access(actor=user, action=Action.CREATE, obj=cohort)
    return cohort


def _enrol(cohort: Cohort, application: Application, *, from_reserve: bool) -> Participant:
    if from_reserve:
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ADMITTED)
    account = User.objects.filter(email__iexact=application.email).first()
    created = account is None
    if account is None:
        account = User.objects.create_user(
            application.email,
            None,
            full_name=application.full_name,
            preferred_language=application.preferred_language,
        )
    participant = Participant.objects.create(
        cohort=cohort,
        application=application,
        user=account,
        from_reserve_list=from_reserve,
        support_agreed=agreed_support(application),
        wants_reminders=bool(application.support_needs),
    )
    _queue_invitation(participant, new_account=created)
    log_access(action=Action.CREATE, person=application, obj=participant)
    return participant


def _queue_invitation(participant: Participant, *, new_account: bool) -> None:
    account = participant.user
    if account is None:  # every participant is enrolled with an account
        return
    with translation.override(account.preferred_language):
        link = (
            absolute_url(
                reverse(
                    "accounts:password_reset_confirm",
                    args=[
                        urlsafe_base64_encode(force_bytes(account.pk)),
                        default_token_generator.make_token(account),
                    ],
                )
            )
            if new_account
            else absolute_url(reverse("accounts:login"))
        )
        queue_email(
            to=account.email,
            subject=_("Welcome to the peer support course"),
            body=render_to_string(
                "peer/emails/course_invitation.txt",
                {
                    "participant": participant,
                    "cohort": participant.cohort,
                    "link": link,
                    "new_account": new_account,
                },
            ),
            purpose="course invitation",
            person=participant.application,
        )


@transaction.atomic
def add_staff(
    *,
    user: User,
    cohort: Cohort,
    person: User,
    role: str,
    represents_user_movement: bool = False,
) -> CohortStaff:
    """Add a person to the course's staff, or (added again) correct whether they represent
    the user movement."""
    require(may_plan(user, cohort), "add course staff")
    if role not in {CohortRole.TRAINING_LEAD, CohortRole.COURSE_LEADER, CohortRole.LECTURER}:
        raise RecruitmentError(_("Unknown role."))
    staff, _created = CohortStaff.objects.update_or_create(
        cohort=cohort,
        user=person,
        role=role,
        defaults={"represents_user_movement": represents_user_movement},
    )
    log_access(actor=user, action=Action.CREATE, obj=staff, person=person)
    return staff


@transaction.atomic
def add_session(
    *,
    user: User,
    cohort: Cohort,
    day: date,
    starts: time,
    ends: time,
    place: str,
    theme: str,
    leaders: list[User],
) -> CourseSession:
    require(may_plan(user, cohort))
    if ends <= starts:
        raise RecruitmentError(_("A course day ends after it starts."))
    staff_ids = set(cohort.staff.values_list("user_id", flat=True))
    if any(leader.pk not in staff_ids for leader in leaders):
        raise RecruitmentError(_("Leaders of a course day must be among the course's staff."))
    session = CourseSession.objects.create(
        cohort=cohort, day=day, starts=starts, ends=ends, place=place.strip(), theme=theme.strip()
    )
    session.leaders.set(leaders)
    log_access(actor=user, action=Action.CREATE, obj=session)
    return session


@transaction.atomic
def take_attendance(
    *,
    user: User,
    session: CourseSession,
    marks: dict[int, str],
) -> int:
    """Record attendance for a course day: ``{participant id: status}``. Participants
    who reported absence ahead keep that unless the leader marks them present."""
    cohort = session.cohort
    require(may_take_attendance(user, cohort))
    participants = {p.pk: p for p in cohort.participants.all()}
    unknown = set(marks) - set(participants)
    if unknown:
        raise RecruitmentError(_("Someone marked is not in this course."))
    if any(status not in AttendanceStatus.values for status in marks.values()):
        raise RecruitmentError(_("Unknown attendance mark."))
    existing = {a.participant_id: a for a in session.attendance.select_for_update()}
    changed = 0
    for participant_id, status in marks.items():
        row = existing.get(participant_id)
        if row is None:
            Attendance.objects.create(
                session=session, participant_id=participant_id, status=status, recorded_by=user
            )
            changed += 1
        elif row.status != status:
            row.status = status
            row.recorded_by = user
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
            changed += 1
    log_access(actor=user, action=Action.CHANGE, obj=session, reason=AuditEvent.ATTENDANCE_TAKEN)
    return changed


@transaction.atomic
def report_absence(
    *,
    user: User,
    participant: Participant,
    session: CourseSession,
    note: str,
) -> Attendance:
    """A participant tells ahead that they cannot come."""
    require(is_participant(user, participant))
    require(session.cohort_id == participant.cohort_id)
    if session.day < timezone.localdate():
        raise RecruitmentError(
            _("Report absence before the day; tell the course leader about past days.")
        )
    row, _created = Attendance.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={
            "status": AttendanceStatus.ABSENT_REPORTED,
            "note": note.strip()[:300],
            "recorded_by": user,
        },
    )
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=participant.application,
        obj=row,
        reason=AuditEvent.COURSE_ABSENCE_REPORTED,
    )
    return row


@transaction.atomic
def declare_lived_experience(*, user: User, declared: bool) -> LivedExperience:
    row, _created = LivedExperience.objects.update_or_create(
        user=user, defaults={"declared": declared}
    )
    return row


# --- The third step: completion, recommendation, certificate ---------------------------


@transaction.atomic
def add_observation_note(*, user: User, participant: Participant, text: str) -> ObservationNote:
    """The coordinator (or a course leader) writes down what they noticed about one
    participant during the course, for the third selection step."""
    require(may_observe(user, participant.cohort), "observation note")
    if not text.strip():
        raise RecruitmentError(_("Write the observation."))
    note = ObservationNote.objects.create(participant=participant, author=user, text=text.strip())
    log_access(
        actor=user,
        action=Action.CREATE,
        person=participant.application,
        obj=note,
        reason=AuditEvent.COURSE_OBSERVATION_WRITTEN,
    )
    return note


@transaction.atomic
def complete_course(
    *,
    user: User,
    participant: Participant,
    completed: bool,
    recommended: bool | None,
    reason: str,
) -> Participant:
    """The coordinator records the third selection step for one participant.

    Completing makes the participant a peer supporter (a role in the round's
    organisation) and gives them a course certificate; the recommendation for
    employment is recorded with its reason either way.
    """
    from egenmakt.accounts.models import Membership
    from egenmakt.accounts.roles import Role
    from egenmakt.peer.models import ParticipantStatus
    from egenmakt.peer.rules import is_round_coordinator

    locked = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort__round__organisation", "user", "application")
        .get(pk=participant.pk)
    )
    require(is_round_coordinator(user, locked.cohort.round))
    if not reason.strip():
        raise RecruitmentError(_("Give the reason for the recommendation."))
    if completed:
        # The certificate says the course was given as the handbook describes: its "ska"
        # rules must hold before anyone completes it (peer/handbook.py).
        from egenmakt.peer.selectors.handbook import refusals

        failed = refusals(locked.cohort)
        if failed:
            raise RecruitmentError(
                _("The course cannot be completed yet: %(reasons)s")
                % {"reasons": " ".join(check.reason for check in failed)}
            )
    locked.status = ParticipantStatus.COMPLETED if completed else ParticipantStatus.NOT_COMPLETED
    locked.recommended = recommended
    locked.recommendation_reason = reason.strip()
    locked.decided_by = user
    locked.completed_at = timezone.now() if completed else None
    locked.save()
    if completed and locked.user is not None:
        Membership.objects.get_or_create(
            user=locked.user,
            organisation=locked.cohort.round.organisation,
            role=Role.PEER_SUPPORTER,
        )
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=locked.application,
        obj=locked,
        reason=AuditEvent.COURSE_COMPLETED if completed else AuditEvent.COURSE_NOT_COMPLETED,
    )
    return locked


def certificate_pdf(participant: Participant, *, language: str = "sv") -> bytes:
    """The course certificate as a PDF, made with WeasyPrint from an HTML template; only
    for a participant who has acknowledged the ethics guidelines."""
    import weasyprint

    from egenmakt.peer.models import EthicsAcknowledgement
    from egenmakt.peer.services.ethics import NotAcknowledgedError

    acknowledged = EthicsAcknowledgement.objects.filter(participant=participant).first()
    if acknowledged is None:
        raise NotAcknowledgedError
    sessions = list(participant.cohort.sessions.order_by("day"))
    with translation.override(language):
        html = render_to_string(
            "peer/certificate.html",
            {
                "participant": participant,
                "cohort": participant.cohort,
                "organisation": participant.cohort.round.organisation,
                "first_day": sessions[0].day if sessions else None,
                "last_day": sessions[-1].day if sessions else None,
                "days": len(sessions),
                "acknowledged": acknowledged,
            },
        )
    return weasyprint.HTML(string=html).write_pdf() or b""


# --- Reminders and calendars -----------------------------------------------------------


def send_course_reminders(today: date | None = None) -> int:
    """Daily: remind participants who asked for it of tomorrow's course day and of
    homework due in two days. Each reminder is one message through the outbox, by the
    channel the participant chose for "course_reminder" (``outbox.notify``)."""
    from datetime import timedelta

    from egenmakt.peer.models import Assignment, ParticipantStatus

    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sent = 0
    participants = Participant.objects.filter(
        wants_reminders=True, status=ParticipantStatus.ACTIVE, user__isnull=False
    ).select_related("user", "cohort", "application")
    for participant in participants:
        account = participant.user
        if account is None:
            continue
        days = list(participant.cohort.sessions.filter(day=tomorrow))
        due = list(
            Assignment.objects.filter(
                cohort_id=participant.cohort_id, due=today + timedelta(days=2)
            ).exclude(submissions__participant=participant)
        )
        if not days and not due:
            continue
        link = absolute_url(reverse("peer:my_course"))
        with transaction.atomic(), translation.override(account.preferred_language):
            channel = notify(
                recipient=Recipient(
                    email=account.email,
                    phone=account.phone,
                    language=account.preferred_language,
                    user_id=account.pk,
                ),
                kind="course_reminder",
                subject=_("A reminder from the peer support course"),
                body=render_to_string(
                    "peer/emails/course_reminder.txt",
                    {"participant": participant, "days": days, "due": due, "link": link},
                ),
                sms=_("A reminder from the peer support course. Your course page: %(link)s")
                % {"link": link},
                purpose="course reminder",
                person=participant.application,
            )
        if channel != "none":
            sent += 1
    return sent


def course_calendar(cohort: Cohort, *, participant: Participant | None = None) -> str:
    """The cohort's course days (and, for a participant, their homework due dates) as an
    iCalendar feed. No names of participants are in it."""
    from datetime import datetime

    from egenmakt.core.calendar import CalendarEvent, calendar_file

    events = [
        CalendarEvent(
            uid=f"kursdag-{session.pk}@egenmakt",
            starts=timezone.make_aware(datetime.combine(session.day, session.starts)),
            ends=timezone.make_aware(datetime.combine(session.day, session.ends)),
            summary=f"{cohort.title}: {session.theme}",
            location=session.place,
        )
        for session in cohort.sessions.order_by("day", "starts")
    ]
    if participant is not None:
        events += [
            CalendarEvent(
                uid=f"hemuppgift-{assignment.pk}-{participant.pk}@egenmakt",
                starts=assignment.due,
                summary=_("Homework due: %(title)s") % {"title": assignment.title},
            )
            for assignment in cohort.assignments.order_by("due")
        ]
    return calendar_file(events, product="Utbildning", name=cohort.title)
