"""The joint plan: goals, actions and the decided versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .consent import Consent


class Principal(models.TextChoices):
    """Who carries a measure, in the terms SIP uses (SoL 2:7, HSL 16:4; domain.md 3)."""

    REGION = "region", _("The region (health care)")
    MUNICIPALITY = "municipality", _("The municipality (social services)")
    OTHER = "other", _("Someone else")
    CLIENT = "client", _("The client")


class Plan(models.Model):
    """The client's plan as it is being worked on; each decided version is kept as a
    ``PlanVersion``. ``version`` guards against two people saving at once: every change
    names the version it started from, and a change based on an older one is refused."""

    client = models.OneToOneField(Client, related_name="plan", on_delete=models.CASCADE)
    long_term_goal = models.TextField(
        _("long-term goal, in the client's own words"), max_length=2000, blank=True
    )
    responsible_principal = models.CharField(
        _("principal with overall responsibility"),
        max_length=16,
        choices=Principal.choices[:2],
        blank=True,
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person with overall responsibility"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    urgent_measures = models.TextField(
        _("urgent measures taken before the plan"), max_length=2000, blank=True
    )
    version = models.PositiveIntegerField(_("edit number"), default=1)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.client_id}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A sub-goal: concrete and measurable, with a target date."""

    plan = models.ForeignKey(Plan, related_name="goals", on_delete=models.CASCADE)
    text = models.CharField(_("sub-goal"), max_length=300)
    measure = models.CharField(_("how we will know it is reached"), max_length=300)
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    position = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("written by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanAction(models.Model):
    """A measure: what, who (person and organisation), when, and its status."""

    plan = models.ForeignKey(Plan, related_name="actions", on_delete=models.CASCADE)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("for the sub-goal"),
        related_name="actions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    what = models.CharField(_("what is to be done"), max_length=300)
    who = models.CharField(_("who does it"), max_length=150)
    principal = models.CharField(_("carried by"), max_length=16, choices=Principal.choices)
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    when = models.CharField(_("when"), max_length=100)
    due_on = models.DateField(_("by (date)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    urgent = models.BooleanField(_("urgent, before the plan is decided"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["goal__position", "id"]

    def __str__(self) -> str:
        return self.what


class PlanVersion(models.Model):
    """A decided version of the plan, kept as it was decided, with the consent that was
    confirmed for it (each new SIP is also renewed consent, domain.md 3)."""

    plan = models.ForeignKey(Plan, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version"))
    decided_on = models.DateField(_("decided on"))
    content = models.JSONField(_("content"))
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent confirmed"), related_name="+", on_delete=models.PROTECT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # The client's home organisation, copied when the version is decided (``save`` fills
    # it), for the indicators' count of an area's plans (see ``Meeting.home_organisation``;
    # ``planversion_home_day`` starts with it, so it has no index of its own).
    home_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("the client's home organisation"),
        related_name="+",
        on_delete=models.PROTECT,
        editable=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("decided plan version")
        verbose_name_plural = _("decided plan versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]
        # The indicators count the plans decided in a quarter for an area's clients.
        indexes = [
            models.Index(fields=["home_organisation", "decided_on"], name="planversion_home_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.home_organisation_id is None:
            self.home_organisation_id = self.plan.client.organisation_id
        super().save(*args, **kwargs)
