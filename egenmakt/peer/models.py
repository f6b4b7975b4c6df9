"""Recruitment of future peer supporters: rounds, applications, interviews, decisions.

The handbook (NSPH Metodhandbok 2018, pp. 22–26) admits in three steps with an assessment
after each: the application (step 1, a rough screening), interviews held by two people
(step 2), and the course itself (step 3, the training issue). A round recruits for one
course; more people are admitted than there are jobs.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egenmakt.accounts.models import Organisation
from egenmakt.core.dates import add_months

# Handbook: the decision is given at least four weeks before the course starts.
MIN_NOTICE = timedelta(weeks=4)
DEFAULT_RETENTION_MONTHS = 12


class Channel(models.TextChoices):
    """Where a round is advertised (handbook p. 24)."""

    USER_ORGANISATIONS = "user_organisations", _("Patient and user organisations")
    NETWORKS = "networks", _("Networks, user auditors and user coaches")
    HJARNKOLL = "hjarnkoll", _("Hjärnkoll associations")
    NOTICE_BOARDS = "notice_boards", _("Notice boards (libraries and the like)")
    SERVICES = "services", _("Psychiatric and social-psychiatric services")
    SOCIAL_MEDIA = "social_media", _("Facebook groups and other social media")
    EMPLOYMENT_SERVICE = "employment_service", _("The Public Employment Service")
    WEBSITE = "website", _("Our website")
    OTHER = "other", _("Other")


class RecruitmentPolicy(models.Model):
    """An organisation's own rules for its rounds."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        related_name="recruitment_policy",
        on_delete=models.CASCADE,
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep applications that did not lead to admission (months after the round closes)"),
        default=DEFAULT_RETENTION_MONTHS,
    )

    class Meta:
        verbose_name = _("recruitment policy")
        verbose_name_plural = _("recruitment policies")

    def __str__(self) -> str:
        return str(self.organisation)


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", pgettext_lazy("round", "Closed")


class RecruitmentRound(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        related_name="recruitment_rounds",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("name"), max_length=150)
    # The public link: unguessable, so a round not yet announced cannot be found.
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    jobs_expected = models.PositiveSmallIntegerField(_("jobs expected"))
    course_places = models.PositiveSmallIntegerField(_("course places"))
    max_applications = models.PositiveIntegerField(
        _("most applications taken"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for no limit. When it is reached the form says the round is full."
        ),
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    channels_other = models.CharField(_("other channels"), max_length=200, blank=True)
    advertising_from = models.DateField(_("advertising from"))
    applications_until = models.DateField(_("last day to apply"))
    interviews_from = models.DateField(_("interviews from"))
    interviews_until = models.DateField(_("interviews until"))
    decision_by = models.DateField(_("decisions by"))
    course_start = models.DateField(_("course starts"))
    retention_months = models.PositiveSmallIntegerField(
        _("keep applications that did not lead to admission (months after the round closes)"),
        default=DEFAULT_RETENTION_MONTHS,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-course_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course_places__gte=1), name="round_has_course_places"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        # (field, must not come before this field): interviews may begin while
        # applications still come in, but nothing may run backwards.
        rules = [
            ("applications_until", "advertising_from"),
            ("interviews_from", "advertising_from"),
            ("interviews_until", "interviews_from"),
            ("decision_by", "interviews_until"),
            ("course_start", "decision_by"),
        ]
        errors: dict[str, Any] = {}
        for later, earlier in rules:
            first, second = getattr(self, earlier), getattr(self, later)
            if first and second and second < first and later not in errors:
                errors[later] = _("This date comes before %(step)s.") % {
                    "step": getattr(self._meta.get_field(earlier), "verbose_name", earlier)
                }
        if set(self.channels or []) - set(Channel.values):
            errors["channels"] = _("Unknown channel.")
        if errors:
            raise ValidationError(errors)

    @property
    def notice_days(self) -> int:
        return (self.course_start - self.decision_by).days

    @property
    def notice_too_short(self) -> bool:
        return self.course_start - self.decision_by < MIN_NOTICE

    def accepts_applications(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == RoundStatus.OPEN
            and self.advertising_from <= today <= self.applications_until
        )

    def channel_labels(self) -> list[str]:
        labels = [str(Channel(c).label) for c in self.channels if c in Channel.values]
        if self.channels_other:
            labels.append(self.channels_other)
        return labels

    def erase_after(self) -> Any:
        if self.closed_at is None:
            return None
        return add_months(self.closed_at, self.retention_months)


class RoundRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    INTERVIEWER = "interviewer", _("Interviewer")


class RoundMember(models.Model):
    """A person who works on a round. Only they see its applications."""

    round = models.ForeignKey(RecruitmentRound, related_name="members", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="round_memberships",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role in the round"), max_length=16, choices=RoundRole.choices)
    # Handbook: interviews are held by two people, at least one from the user movement.
    represents_user_movement = models.BooleanField(_("represents the user movement"))
    has_lived_experience = models.BooleanField(
        _("has own experience of mental ill-health (voluntary)"), default=False
    )

    class Meta:
        verbose_name = _("round member")
        verbose_name_plural = _("round members")
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "role"], name="round_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("To screen")
    GO_ON = "go_on", _("To interview")
    INTERVIEW_BOOKED = "interview_booked", _("Interview booked")
    INTERVIEWED = "interviewed", _("Interviewed")
    ADMITTED = "admitted", _("Admitted")
    RESERVE = "reserve", _("Reserve list")
    NOT_NOW = "not_now", _("Not now")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = {
    ApplicationStatus.APPLIED,
    ApplicationStatus.GO_ON,
    ApplicationStatus.INTERVIEW_BOOKED,
    ApplicationStatus.INTERVIEWED,
}
# Interviewers see applications from step 2 on: nobody needs the rest.
INTERVIEW_STEP_STATUSES = {
    ApplicationStatus.GO_ON,
    ApplicationStatus.INTERVIEW_BOOKED,
    ApplicationStatus.INTERVIEWED,
    ApplicationStatus.ADMITTED,
    ApplicationStatus.RESERVE,
}


class WorkCapacity(models.TextChoices):
    HALF_OR_MORE = "half_or_more", _("Yes, at least half time")
    LESS = "less", _("Less than half time")
    UNSURE = "unsure", _("I am not sure yet")


class YesPartlyNo(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


# The notice the applicant accepts; its version is stored with each application.
PRIVACY_NOTICE_VERSION = "2026-11"


def new_link_nonce() -> str:
    return secrets.token_urlsafe(12)


class Application(models.Model):
    """Step 1: the applicant tells about themself and why they want to do this.

    The handbook's form itself (Bilaga 1) is not in our material; the fields are the
    minimal set domain.md infers (1.8), to be confirmed with the network.
    """

    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("round"),
        related_name="applications",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    municipality = models.CharField(_("where you live (municipality)"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=60, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    own_experience = models.TextField(_("your own experience of mental ill-health and recovery"))
    care_experience = models.TextField(_("your experience of care and support"))
    motivation = models.TextField(_("why you want to train and work as a peer supporter"))
    work_capacity = models.CharField(
        _("can you work at least half time?"), max_length=16, choices=WorkCapacity.choices
    )
    available_for_course = models.CharField(
        _("can you take part on all the course days?"), max_length=8, choices=YesPartlyNo.choices
    )
    support_needs = models.TextField(_("support you may need during the course"), blank=True)
    heard_from = models.CharField(
        _("where did you hear about the course?"),
        max_length=32,
        choices=Channel.choices,
        blank=True,
    )
    privacy_notice_version = models.CharField(max_length=16)
    submitted_at = models.DateTimeField(_("applied"), default=timezone.now)
    # Part of the applicant's private link (a signed token, see services.status_token);
    # a new nonce makes every earlier link stop working.
    link_nonce = models.CharField(max_length=32, default=new_link_nonce, editable=False)
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    interviewed_at = models.DateTimeField(_("interviewed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["round", "status", "submitted_at"], name="application_round_status"
            ),
            models.Index(fields=["round", "submitted_at"], name="application_round_time"),
            models.Index(fields=["round", "full_name"], name="application_round_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DecisionStep(models.TextChoices):
    SCREENING = "screening", _("Step 1: screening")
    INTERVIEW = "interview", _("Step 2: after the interview")


class DecisionOutcome(models.TextChoices):
    GO_ON = "go_on", _("Go on to interview")
    NOT_NOW = "not_now", _("Not now")
    NO = "no", pgettext_lazy("decision", "No")
    ADMIT = "admit", _("Admit to the course")
    RESERVE = "reserve", _("Reserve list")
    DECLINE = "decline", _("Decline")


STEP_OUTCOMES: dict[str, list[str]] = {
    DecisionStep.SCREENING: [DecisionOutcome.GO_ON, DecisionOutcome.NOT_NOW, DecisionOutcome.NO],
    DecisionStep.INTERVIEW: [
        DecisionOutcome.ADMIT,
        DecisionOutcome.RESERVE,
        DecisionOutcome.DECLINE,
    ],
}

OUTCOME_STATUS: dict[str, str] = {
    DecisionOutcome.GO_ON: ApplicationStatus.GO_ON,
    DecisionOutcome.NOT_NOW: ApplicationStatus.NOT_NOW,
    DecisionOutcome.NO: ApplicationStatus.DECLINED,
    DecisionOutcome.ADMIT: ApplicationStatus.ADMITTED,
    DecisionOutcome.RESERVE: ApplicationStatus.RESERVE,
    DecisionOutcome.DECLINE: ApplicationStatus.DECLINED,
}


class DecisionReason(models.TextChoices):
    """Coded reasons, so each can have its own letter; the free text says the rest."""

    CRITERIA_MET = "criteria_met", _("Meets the selection criteria")
    MORE_TO_LEARN = "more_to_learn", _("We want to meet and learn more")
    TIMING = "timing", _("Not the right time (for example a recent crisis)")
    WORK_CAPACITY = "work_capacity", _("Cannot work at least half time")
    CRITERIA_NOT_MET = "criteria_not_met", _("Does not meet the selection criteria")
    PLACES = "places", _("More suitable applicants than places")
    OTHER = "other", _("Other reason")


class Decision(models.Model):
    """A step's assessment of one application, with its reason; the history is kept."""

    application = models.ForeignKey(Application, related_name="decisions", on_delete=models.CASCADE)
    step = models.CharField(_("step"), max_length=16, choices=DecisionStep.choices)
    outcome = models.CharField(_("decision"), max_length=16, choices=DecisionOutcome.choices)
    reason = models.CharField(_("reason"), max_length=24, choices=DecisionReason.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    letter_queued_at = models.DateTimeField(_("letter queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.get_outcome_display()}"


class Interview(models.Model):
    """Step 2: always two interviewers (one asks, one takes notes and asks at the end)."""

    application = models.ForeignKey(
        Application, related_name="interviews", on_delete=models.CASCADE
    )
    starts_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200)
    interviewer_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer who asks"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    interviewer_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer who takes notes"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    calendar_uid = models.CharField(max_length=64, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(interviewer_1=models.F("interviewer_2")),
                name="interview_two_different_interviewers",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="interview_time")]

    def __str__(self) -> str:
        return f"{self.application} – {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> Any:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def interviewer_ids(self) -> set[int]:
        return {self.interviewer_1_id, self.interviewer_2_id}


class RecordKind(models.TextChoices):
    NOTES = "notes", _("Interview notes")
    ASSESSMENT = "assessment", _("Assessment against the selection criteria")


RECORD_INSTRUMENTS: dict[str, str] = {
    RecordKind.NOTES: "applicant_interview",
    RecordKind.ASSESSMENT: "selection_criteria",
}


class InterviewRecord(models.Model):
    """One interviewer's own notes or assessment, or the agreed one (author empty).

    Each interviewer writes apart from the other, so neither steers the other; the
    agreed record is written once both have submitted theirs. The answers themselves
    are an instrument response about this record (instruments' subject registry).
    """

    interview = models.ForeignKey(Interview, related_name="records", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=RecordKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "kind", "author"], name="interview_record_own_unique"
            ),
            models.UniqueConstraint(
                fields=["interview", "kind"],
                condition=models.Q(author__isnull=True),
                name="interview_record_agreed_unique",
            ),
        ]

    def __str__(self) -> str:
        who = self.author.full_name if self.author else _("agreed")
        return f"{self.get_kind_display()}: {self.interview.application.full_name} ({who})"

    @property
    def is_agreed(self) -> bool:
        return self.author_id is None

    @property
    def instrument_key(self) -> str:
        return RECORD_INSTRUMENTS[self.kind]


class LetterOutcome(models.TextChoices):
    NOT_NOW = "not_now", _("Not now (after screening)")
    NO = "no", _("No (after screening)")
    ADMIT = "admit", _("Admitted")
    RESERVE = "reserve", _("Reserve list")
    DECLINE = "decline", _("Declined after the interview")


class LetterTemplate(models.Model):
    """A decision letter an organisation's coordinators write, per decision and reason.

    An empty reason is the decision's general letter, used when no letter for the
    reason exists. Placeholders: {name}, {round}, {course_start}, {status_link},
    {comment}.
    """

    organisation = models.ForeignKey(
        Organisation, related_name="letter_templates", on_delete=models.CASCADE
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=LetterOutcome.choices)
    reason = models.CharField(
        _("reason"), max_length=24, choices=DecisionReason.choices, blank=True, default=""
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["outcome", "reason", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "outcome", "reason", "language"],
                name="letter_template_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.language})"


class ErasedApplications(models.Model):
    """What is left of erased applications: anonymous counts per round and stage."""

    round = models.OneToOneField(RecruitmentRound, related_name="erased", on_delete=models.CASCADE)
    applied = models.PositiveIntegerField(default=0)
    screened = models.PositiveIntegerField(default=0)
    interviewed = models.PositiveIntegerField(default=0)
    admitted = models.PositiveIntegerField(default=0)
    reserve = models.PositiveIntegerField(default=0)
    not_now = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("erased applications (counts)")
        verbose_name_plural = _("erased applications (counts)")

    def __str__(self) -> str:
        return str(self.round_id)


# --- Step 3: the course ----------------------------------------------------------------

DEFAULT_ATTENDANCE_THRESHOLD = 80


class Cohort(models.Model):
    """One five-week course, formed from a round's admitted applicants (and reserves)."""

    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("recruitment round"),
        related_name="cohorts",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("name"), max_length=150)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("warn below this attendance (%)"), default=DEFAULT_ATTENDANCE_THRESHOLD
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The cohort's private calendar feed.
    calendar_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attendance_threshold__lte=100),
                name="cohort_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CohortRole(models.TextChoices):
    TRAINING_LEAD = "training_lead", _("Training lead")
    COURSE_LEADER = "course_leader", _("Course leader")
    LECTURER = "lecturer", _("Lecturer")
    COORDINATOR = "coordinator", _("Coordinator")


class CohortStaff(models.Model):
    cohort = models.ForeignKey(Cohort, related_name="staff", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="cohort_roles",
        on_delete=models.CASCADE,
    )
    role = models.CharField(_("role"), max_length=16, choices=CohortRole.choices)

    class Meta:
        verbose_name = _("course staff")
        verbose_name_plural = _("course staff")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user", "role"], name="cohort_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class LivedExperience(models.Model):
    """A person's own, voluntary declaration of lived experience of mental ill-health.

    Protected: pages show only how many of a course's leaders and lecturers declared it
    (the handbook wants most of them to have it), never who.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="lived_experience", on_delete=models.CASCADE
    )
    declared = models.BooleanField(_("I have own experience of mental ill-health"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lived experience")
        verbose_name_plural = _("lived experience")

    def __str__(self) -> str:
        return str(self.user_id)


class CourseSession(models.Model):
    """One teaching day (or part of one) of the schedule."""

    cohort = models.ForeignKey(Cohort, related_name="sessions", on_delete=models.CASCADE)
    day = models.DateField(_("date"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("course leaders and lecturers"),
        related_name="course_sessions",
        blank=True,
    )

    class Meta:
        verbose_name = _("course day")
        verbose_name_plural = _("course days")
        ordering = ["day", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "day"], name="session_cohort_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.theme}"


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Taking the course")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")
    LEFT = "left", _("Left the course")


class Participant(models.Model):
    cohort = models.ForeignKey(Cohort, related_name="participants", on_delete=models.PROTECT)
    application = models.OneToOneField(
        Application,
        related_name="participant",
        on_delete=models.PROTECT,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        related_name="course_participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.ACTIVE,
    )
    from_reserve_list = models.BooleanField(_("from the reserve list"), default=False)
    # Support agreed at the interview (from the agreed interview notes), for the leaders.
    support_agreed = models.TextField(_("support agreed at the interview"), blank=True)
    wants_reminders = models.BooleanField(
        _("wants reminders of course days and homework"), default=False
    )
    recommended = models.BooleanField(_("recommended for employment"), null=True, blank=True)
    recommendation_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    calendar_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["application__full_name"]

    def __str__(self) -> str:
        return self.application.full_name


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Came late or left early")
    ABSENT_REPORTED = "absent_reported", _("Absent, reported ahead")
    ABSENT = "absent", _("Absent")


PRESENT_STATUSES = {AttendanceStatus.PRESENT, AttendanceStatus.LATE}


class Attendance(models.Model):
    session = models.ForeignKey(CourseSession, related_name="attendance", on_delete=models.CASCADE)
    participant = models.ForeignKey(
        Participant, related_name="attendance", on_delete=models.CASCADE
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.session_id} {self.status}"


class HomeworkTemplate(models.Model):
    """The homework library. The handbook's own homework (Bilaga 6) is not in our
    material (domain.md 1.4: NOT FOUND); the shipped items are INFERRED suggestions that
    each network edits."""

    organisation = models.ForeignKey(
        Organisation, related_name="homework_templates", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"))
    week = models.PositiveSmallIntegerField(_("course week"), null=True, blank=True)

    class Meta:
        verbose_name = _("homework in the library")
        verbose_name_plural = _("homework library")
        ordering = ["week", "title"]

    def __str__(self) -> str:
        return self.title


class ExerciseKind(models.TextChoices):
    ROLE_PLAY = "role_play", _("Role play")
    WORKSHOP = "workshop", _("Workshop or practical exercise")


class Exercise(models.Model):
    """Role plays and workshops (Bilaga 4 and 5: NOT FOUND; the shipped ones are INFERRED
    from the interview's scenarios and are meant to be edited)."""

    organisation = models.ForeignKey(
        Organisation, related_name="exercises", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExerciseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    sessions = models.ManyToManyField(
        CourseSession, verbose_name=_("course days"), related_name="exercises", blank=True
    )

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    cohort = models.ForeignKey(Cohort, related_name="assignments", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"))
    due = models.DateField(_("hand in by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("homework")
        verbose_name_plural = _("homework")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


def submission_file_name(instance: Submission, filename: str) -> str:
    """Server-made name (ASVS 5.3.2): nothing of the uploaded name reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"hemuppgifter/{instance.assignment_id}/{uuid.uuid4().hex}.{extension[:5]}"


class Submission(models.Model):
    assignment = models.ForeignKey(Assignment, related_name="submissions", on_delete=models.CASCADE)
    participant = models.ForeignKey(
        Participant, related_name="submissions", on_delete=models.CASCADE
    )
    text = models.TextField(_("your answer"), blank=True)
    file = models.FileField(_("file"), upload_to=submission_file_name, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("handed in"), auto_now=True)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-in")
        verbose_name_plural = _("hand-ins")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "participant"], name="submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.participant_id}"


# --- Workplaces and placements ---------------------------------------------------------


class PeerWorkplace(models.Model):
    """A unit (under a region or municipality) that wants peer supporters, registered by
    a user-movement network's coordinator. The link is what lets the network's
    coordinators and the unit's managers see the workplace's readiness and placements."""

    workplace = models.OneToOneField(
        Organisation,
        verbose_name=_("workplace"),
        related_name="peer_workplace",
        on_delete=models.PROTECT,
    )
    network = models.ForeignKey(
        Organisation,
        verbose_name=_("user-movement network"),
        related_name="peer_workplaces",
        on_delete=models.PROTECT,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer support workplace")
        verbose_name_plural = _("peer support workplaces")
        ordering = ["workplace__name"]

    def __str__(self) -> str:
        return self.workplace.name


class RecordKeeping(models.TextChoices):
    WRITES = "writes", _("Peer supporters write in the records")
    DOES_NOT = "does_not", _("Peer supporters do not write in the records")
    UNDECIDED = "undecided", _("Not decided yet")


class TaskDescription(models.Model):
    """The agreed "should / should not" list (handbook pp. 12–13) for one workplace."""

    workplace = models.OneToOneField(
        PeerWorkplace, related_name="task_description", on_delete=models.CASCADE
    )
    agreed_items = models.JSONField(_("agreed points"), default=list, blank=True)
    record_keeping = models.CharField(
        _("record keeping (decided locally)"),
        max_length=16,
        choices=RecordKeeping.choices,
        default=RecordKeeping.UNDECIDED,
    )
    notes = models.TextField(_("local additions"), blank=True)
    agreed_by_workplace = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed for the workplace by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    agreed_by_peers = models.CharField(
        _("agreed by the peer supporters (names)"), max_length=300, blank=True
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task description")
        verbose_name_plural = _("task descriptions")

    def __str__(self) -> str:
        return str(self.workplace)


def agreement_file_name(instance: CollaborationAgreement, filename: str) -> str:
    return f"samverkansavtal/{instance.workplace_id}/{uuid.uuid4().hex}.pdf"


class CollaborationAgreement(models.Model):
    """The written agreement with the local user movement (handbook p. 17): its four
    areas are recruitment, training, coordination and supervision."""

    workplace = models.ForeignKey(
        PeerWorkplace, related_name="agreements", on_delete=models.CASCADE
    )
    parties = models.CharField(_("parties"), max_length=300)
    recruitment = models.BooleanField(_("recruitment"), default=True)
    training = models.BooleanField(_("training"), default=True)
    coordination = models.BooleanField(_("coordination"), default=True)
    supervision = models.BooleanField(_("supervision"), default=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    document = models.FileField(
        _("signed agreement (PDF)"), upload_to=agreement_file_name, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collaboration agreement")
        verbose_name_plural = _("collaboration agreements")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.parties

    @property
    def covers_all_areas(self) -> bool:
        return self.recruitment and self.training and self.coordination and self.supervision

    def in_force(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.signed_on is not None
            and self.valid_from <= today
            and (self.valid_until is None or today <= self.valid_until)
        )


class TrainingAudience(models.TextChoices):
    STAFF = "staff", _("The workplace's staff")
    USER_ORGANISATION = "user_organisation", _("The local user organisations")


class WorkplaceTraining(models.Model):
    """The 2–3 sessions for a workplace's staff, or for the local user organisations."""

    workplace = models.ForeignKey(PeerWorkplace, related_name="trainings", on_delete=models.CASCADE)
    audience = models.CharField(_("for"), max_length=20, choices=TrainingAudience.choices)
    day = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=200)
    attended = models.PositiveSmallIntegerField(_("number who took part"), null=True, blank=True)
    attendees = models.TextField(_("who took part (names)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("workplace training")
        verbose_name_plural = _("workplace trainings")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.theme}"


class Employer(models.TextChoices):
    USER_ORGANISATION = "user_organisation", _("The user organisation (user-run staffing)")
    WORKPLACE = "workplace", _("The workplace")


class Placement(models.Model):
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="placements",
        on_delete=models.PROTECT,
    )
    workplace = models.ForeignKey(
        PeerWorkplace,
        verbose_name=_("workplace"),
        related_name="placements",
        on_delete=models.PROTECT,
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    employer = models.CharField(_("employer"), max_length=20, choices=Employer.choices)
    share_percent = models.PositiveSmallIntegerField(_("share of full time (%)"))
    contact_person = models.CharField(_("contact person at the workplace"), max_length=150)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        related_name="supervised_placements",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Warnings the coordinator went past, and the written reason for doing so.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    override_reason = models.TextField(_("reason to go on despite the warnings"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_percent__gte=1, share_percent__lte=100),
                name="placement_share_percent",
            ),
        ]
        indexes = [models.Index(fields=["workplace", "ends_on"], name="placement_workplace_active")]

    def __str__(self) -> str:
        return f"{self.peer_supporter} @ {self.workplace}"

    @property
    def is_active(self) -> bool:
        return self.ends_on is None or self.ends_on >= timezone.localdate()


PLACEMENT_EVENT_LABELS = {
    "started": _("Started"),
    "changed": _("Changed"),
    "ended": _("Ended"),
}


class PlacementEvent(models.Model):
    """The placement's history: started, changed, ended, and why."""

    placement = models.ForeignKey(Placement, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("what"), max_length=16)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("placement event")
        verbose_name_plural = _("placement events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return str(PLACEMENT_EVENT_LABELS.get(self.kind, self.kind))


# --- Supervision -----------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class SupervisionMeeting(models.Model):
    """A supervisor with own experience meets working peer supporters (handbook p. 21)."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        related_name="supervision_meetings",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)

    class Meta:
        verbose_name = _("supervision meeting")
        verbose_name_plural = _("supervision meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["supervisor", "starts_at"], name="supervision_supervisor_time")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class SupervisionAttendance(models.Model):
    """One peer supporter at one meeting; the notes about them are an instrument
    response about this row, private to the supervisor and the peer supporter."""

    meeting = models.ForeignKey(
        SupervisionMeeting, related_name="attendance", on_delete=models.CASCADE
    )
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="supervision_attendance",
        on_delete=models.PROTECT,
    )
    attended = models.BooleanField(_("took part"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision participant")
        verbose_name_plural = _("supervision participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "peer_supporter"], name="supervision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.peer_supporter}"


class SickLeave(models.Model):
    """Sick leave the employer reports for a working peer supporter: only the period,
    never a cause (the programme report counts the days)."""

    placement = models.ForeignKey(Placement, related_name="sick_leave", on_delete=models.CASCADE)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sick leave")
        verbose_name_plural = _("sick leave")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="sick_leave_forwards"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


# --- Follow-up: reunions and further training -------------------------------------------


class FollowUpKind(models.TextChoices):
    REUNION = "reunion", _("Reunion")
    FURTHER_TRAINING = "further_training", _("Further training")


class FollowUpEvent(models.Model):
    """A reunion or further-training day for every trained peer supporter of a network,
    working or still waiting for a job (handbook pp. 17, 21)."""

    network = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("network"),
        related_name="follow_up_events",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what it is about"), max_length=2000, blank=True)
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="follow_up_forwards"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpInvitation(models.Model):
    event = models.ForeignKey(FollowUpEvent, related_name="invitations", on_delete=models.CASCADE)
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="follow_up_invitations",
        on_delete=models.PROTECT,
    )
    was_working = models.BooleanField(_("had a job when invited"), default=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("took part"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "peer_supporter"], name="follow_up_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.peer_supporter}"
