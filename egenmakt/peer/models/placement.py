"""Placements: peer workplaces, task descriptions, agreements, workplace training and jobs."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation

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


# The kinds of organisation that are "the user organisation" of the handbook's training.
USER_ORGANISATION_KINDS = ("user_organisation", "user_network")


class WorkplaceTraining(models.Model):
    """One of the 2–3 sessions for a workplace's staff, or for a local user organisation
    (handbook p. 20). A staff session belongs to the workplace; a user-organisation
    session belongs to the user organisation and counts toward its readiness, with the
    workplace it was held for, if any, kept beside it."""

    workplace = models.ForeignKey(
        PeerWorkplace,
        related_name="trainings",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    user_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("user organisation"),
        related_name="user_organisation_trainings",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
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
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(audience="staff", workplace__isnull=False)
                    | models.Q(audience="user_organisation", user_organisation__isnull=False)
                ),
                name="training_has_its_owner",
            ),
        ]

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
