"""User influence on three levels (individual, service, system): care-collaboration areas,
user and relatives' organisations, influence forums, and a shared calendar of activities.

The participation ladder is the ``participation_ladder`` instrument answered about a unit
(an ``accounts.Organisation``) or by a person about themself; see ``ladder.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation


class CareArea(models.Model):
    """A care-collaboration area (samverkansområde): a region's part with its
    municipalities. Its coordinators are the coordinators of ``organisation`` and, where
    two coordinators work together (one employed by the user organisations, one by the
    care-collaboration arena, seed 003), of ``co_organisation``, with equal rights."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinated by"),
        related_name="care_areas",
        on_delete=models.PROTECT,
    )
    co_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("coordinated together with"),
        related_name="co_coordinated_areas",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_(
            "The second coordinating organisation, e.g. the care collaboration's own, when "
            "two coordinators share the work. Its coordinators have the same rights."
        ),
    )
    units = models.ManyToManyField(
        Organisation,
        verbose_name=_("units in the area"),
        related_name="influence_areas",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care-collaboration area")
        verbose_name_plural = _("care-collaboration areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    USER = "user", _("User organisation")
    RELATIVES = "relatives", _("Relatives' organisation")
    BOTH = "both", _("Users and relatives")


class InfluenceOrganisation(models.Model):
    """A user or relatives' organisation as the coordinators map it. Only what the
    organisation chooses to publish reaches the public directory."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    areas = models.ManyToManyField(
        CareArea, verbose_name=_("areas"), related_name="organisations", blank=True
    )
    focus = models.CharField(_("focus (diagnoses, groups, questions)"), max_length=300, blank=True)
    activities = models.TextField(_("regular activities"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    account = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in Egenmakt (its members may submit activities)"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    published = models.BooleanField(_("show in the public directory"), default=False)
    publish_contact = models.BooleanField(_("show the contact details publicly"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user or relatives' organisation")
        verbose_name_plural = _("user and relatives' organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual level")
    SERVICE = "service", _("Service level")
    SYSTEM = "system", _("System level")


class ForumKind(models.TextChoices):
    USER_COUNCIL = "user_council", _("User council")
    DIALOGUE = "dialogue", _("Dialogue meeting")
    WORKING_GROUP = "working_group", _("Working group")
    STEERING_GROUP = "steering_group", _("Steering group")
    USER_AUDIT = "user_audit", _("User-led user audit")
    PEER_SUPPORT = "peer_support", _("Peer support")
    STUDY_CIRCLE = "study_circle", _("Study circle")
    OTHER = "other", _("Other")


class Forum(models.Model):
    area = models.ForeignKey(
        CareArea, verbose_name=_("area"), related_name="forums", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=150)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit or service (if it belongs to one)"),
        related_name="influence_forums",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    description = models.TextField(_("what it does"), max_length=2000, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("influence forum")
        verbose_name_plural = _("influence forums")
        ordering = ["area", "level", "name"]

    def __str__(self) -> str:
        return self.name


class Capacity(models.TextChoices):
    REPRESENTATIVE = "representative", _("User representative (speaks for an organisation)")
    OWN_EXPERIENCE = "own_experience", _("Person with own experience (speaks for themself)")
    RELATIVE = "relative", _("Relative")
    STAFF = "staff", _("Staff or official")


class ForumMember(models.Model):
    forum = models.ForeignKey(Forum, related_name="members", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    capacity = models.CharField(_("takes part as"), max_length=20, choices=Capacity.choices)
    organisation = models.ForeignKey(
        InfluenceOrganisation,
        verbose_name=_("represents"),
        related_name="forum_seats",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    # The member's own account, when they have one: a representative with an account
    # confirms the minutes and reports back to their organisation (``forum_work``).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account in Egenmakt"),
        related_name="forum_seats",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.capacity == Capacity.REPRESENTATIVE and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("A user representative speaks for an organisation: choose it.")}
            )


class ForumMeeting(models.Model):
    forum = models.ForeignKey(Forum, related_name="meetings", on_delete=models.CASCADE)
    day = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    minutes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.forum} {self.day}"


class ActivityKind(models.TextChoices):
    THEME_DAY = "theme_day", _("Theme day")
    STUDY_CIRCLE = "study_circle", _("Study circle")
    SELF_HELP = "self_help", _("Self-help group")
    LECTURE = "lecture", _("Lecture")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class Activity(models.Model):
    """An activity an organisation submits to the shared calendar; public once approved."""

    area = models.ForeignKey(
        CareArea, verbose_name=_("area"), related_name="activities", on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        InfluenceOrganisation,
        verbose_name=_("organisation"),
        related_name="calendar_activities",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("why not"), max_length=300, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_forwards"
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status", "starts_at"], name="activity_calendar"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """A point on a forum meeting's agenda, added before the meeting by a member
    organisation (through one of its members) or by the coordinator (no organisation)."""

    meeting = models.ForeignKey(ForumMeeting, related_name="agenda", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        InfluenceOrganisation,
        verbose_name=_("raised by the organisation"),
        related_name="agenda_items",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    title = models.CharField(_("item"), max_length=200)
    description = models.TextField(_("background"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ForumMinutesConfirmation(models.Model):
    """A representative's answer to a forum meeting's minutes: confirmed, or a correction
    asked for. It holds for the text as read (``digest``)."""

    meeting = models.ForeignKey(
        ForumMeeting, related_name="confirmations", on_delete=models.CASCADE
    )
    member = models.ForeignKey(ForumMember, related_name="+", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    digest = models.CharField(max_length=64)
    correction = models.TextField(_("what should be corrected"), max_length=2000, blank=True)
    confirmed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("confirmation of forum minutes")
        verbose_name_plural = _("confirmations of forum minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_forum_confirmation_per_seat"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.member}"


class MatterStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly_adopted", _("Partly adopted")
    REJECTED = "rejected", _("Rejected")


class Matter(models.Model):
    """A question a user representative raised in a forum, followed over its meetings to
    an outcome and the decision that settled it."""

    forum = models.ForeignKey(Forum, related_name="matters", on_delete=models.CASCADE)
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("background"), max_length=4000, blank=True)
    raised_by = models.ForeignKey(
        ForumMember,
        verbose_name=_("raised by"),
        related_name="matters",
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        InfluenceOrganisation, related_name="matters", on_delete=models.PROTECT
    )
    raised_on = models.DateField(_("raised"))
    meetings = models.ManyToManyField(
        ForumMeeting, verbose_name=_("discussed at"), related_name="matters", blank=True
    )
    status = models.CharField(
        _("outcome"), max_length=16, choices=MatterStatus.choices, default=MatterStatus.PENDING
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decision_reference = models.CharField(_("decision's reference"), max_length=150, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="matter_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportBack(models.Model):
    """A representative's short report to their organisation after a forum meeting."""

    meeting = models.ForeignKey(ForumMeeting, related_name="reports", on_delete=models.CASCADE)
    member = models.ForeignKey(ForumMember, related_name="reports", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        InfluenceOrganisation, related_name="reports", on_delete=models.PROTECT
    )
    text = models.TextField(_("report"), max_length=4000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("report back")
        verbose_name_plural = _("reports back")
        ordering = ["-meeting__day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_report_per_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.member}"


class OutreachChannel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail or letter")
    OTHER = "other", _("Other")


class OutreachPurpose(models.TextChoices):
    # The coordinators' tasks in seed 003: gather views, reach out to organisations.
    VIEWS = "views", _("Gathering views")
    OUTREACH = "outreach", _("Outreach: telling about the work")
    FOLLOW_UP = "follow_up", _("Following up")


class OutreachContact(models.Model):
    """A contact the area's coordinators had with an organisation: whom, when, how, why,
    and a short note; never about a client."""

    area = models.ForeignKey(CareArea, related_name="outreach", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        InfluenceOrganisation,
        verbose_name=_("organisation"),
        related_name="outreach",
        on_delete=models.CASCADE,
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=16, choices=OutreachChannel.choices)
    purpose = models.CharField(_("why"), max_length=16, choices=OutreachPurpose.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach contact")
        verbose_name_plural = _("outreach contacts")
        ordering = ["-contacted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.contacted_on}"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent out")
    CLOSED = "closed", _("Closed")


class Consultation(models.Model):
    """A question the area's coordinators put to chosen organisations (remiss), with a
    deadline: each asked organisation answers once, the coordinators write the summary, and
    the consultation with its outcome may be published on the public pages."""

    area = models.ForeignKey(
        CareArea, verbose_name=_("area"), related_name="consultations", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("the question"), max_length=8000)
    deadline = models.DateField(_("answer by"))
    organisations: models.ManyToManyField[InfluenceOrganisation, AskedOrganisation] = (
        models.ManyToManyField(
            InfluenceOrganisation,
            verbose_name=_("organisations asked"),
            related_name="consultations",
            through="AskedOrganisation",
        )
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=8000, blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("published on the public pages"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="draft") | models.Q(published=False),
                name="consultation_draft_not_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AskedOrganisation(models.Model):
    """An organisation asked in a consultation; ``reminded_at`` marks the one reminder
    before the deadline as sent (``consultations.send_consultation_reminders``)."""

    consultation = models.ForeignKey(Consultation, related_name="asked", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        InfluenceOrganisation, related_name="+", on_delete=models.PROTECT
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organisation asked")
        verbose_name_plural = _("organisations asked")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="asked_once_per_consultation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.organisation_id}"


class ConsultationAnswer(models.Model):
    """An asked organisation's one answer, written by a member who speaks for it."""

    consultation = models.ForeignKey(Consultation, related_name="answers", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        InfluenceOrganisation,
        verbose_name=_("organisation"),
        related_name="consultation_answers",
        on_delete=models.PROTECT,
    )
    text = models.TextField(_("answer"), max_length=8000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answer to a consultation")
        verbose_name_plural = _("answers to consultations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="one_answer_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.organisation_id}"
