"""The course (step 3 of admission): cohorts, sessions, attendance, homework and exercises."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models.recruitment import Application, RecruitmentRound

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
    # Handbook p. 20: "En majoritet av kursledarna ska representera brukarrörelsen och ha
    # egen erfarenhet av psykisk ohälsa." Recorded per person by whoever plans the course;
    # own experience is the person's own declaration (``LivedExperience``).
    represents_user_movement = models.BooleanField(_("represents the user movement"), default=False)

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
    """An organisation's own homework library, inherited down the organisation tree. The
    handbook's own homework (Bilaga 6) is not in our material (domain.md 1.4: NOT FOUND);
    the shipped items (``selectors/library.DEFAULT_HOMEWORK``) are INFERRED suggestions."""

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
    """An organisation's own role plays and workshops (Bilaga 4 and 5: NOT FOUND; the
    shipped ones, ``selectors/library.DEFAULT_EXERCISES``, are INFERRED from the
    interview's scenarios). Inherited down the organisation tree, as the homework
    library and the course plan are."""

    organisation = models.ForeignKey(
        Organisation, related_name="exercises", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExerciseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class SessionExercise(models.Model):
    """An exercise of the library used on a course day, copied as it was when it was
    linked (the library is inherited and edited copy-on-write; the shipped exercises are
    not rows), so a later change to the library does not rewrite a course's history."""

    session = models.ForeignKey(
        CourseSession,
        verbose_name=_("course day"),
        related_name="linked_exercises",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExerciseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("exercise on a course day")
        verbose_name_plural = _("exercises on course days")
        ordering = ["session__day", "kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "title"], name="session_exercise_once"
            ),
        ]

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


class ObservationNote(models.Model):
    """What the coordinator (or a course leader) noticed about one participant during the
    course. Step 3 is a selection step: the coordinator takes part in the course to get to
    know the participants (handbook p. 21). Read only by the round's coordinators and the
    course's leaders, never by the participant on any page (their data export has it)."""

    participant = models.ForeignKey(
        Participant, related_name="observation_notes", on_delete=models.CASCADE
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    text = models.TextField(_("observation"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation note")
        verbose_name_plural = _("observation notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.created_at:%Y-%m-%d}"
