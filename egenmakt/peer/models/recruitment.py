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

from .traits import StatedBackground, StatedFunctioning

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

    def is_full(self) -> bool:
        """The round has as many applications as it takes (``max_applications``)."""
        return (
            self.max_applications is not None and self.applications.count() >= self.max_applications
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
    # Diversity (handbook: "kön, ålder, etnisk bakgrund, funktionssätt"): stated only if the
    # applicant wants to, used only in counts of five or more (reports/diversity.py), never
    # shown on the application to those who read it.
    background = models.CharField(
        _("background"), max_length=16, choices=StatedBackground.choices, blank=True
    )
    functioning = models.CharField(
        _("disability"), max_length=8, choices=StatedFunctioning.choices, blank=True
    )
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
