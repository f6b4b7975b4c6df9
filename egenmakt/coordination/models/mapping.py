"""Mapping: the client's network, the steps done and the summary."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clients import Client


class Sector(models.TextChoices):
    """The network map's sectors. INFERRED: the RACT sheet's own labels were not found
    (domain.md 2.3); these four follow the issue and common Swedish network maps."""

    FAMILY = "family", _("Family and relatives")
    FRIENDS = "friends", _("Friends and acquaintances")
    PROFESSIONALS = "professionals", _("Professionals")
    OTHERS = "others", _("Others")


class Closeness(models.IntegerChoices):
    CLOSE = 1, _("Very close")
    MIDDLE = 2, _("Fairly close")
    DISTANT = 3, _("Further away")


class Contact(models.Model):
    """An important person in the client's life: the contact sheet and the network map."""

    client = models.ForeignKey(Client, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    relationship = models.CharField(_("role or relationship"), max_length=100)
    sector = models.CharField(_("part of the map"), max_length=16, choices=Sector.choices)
    closeness = models.PositiveSmallIntegerField(
        _("how close"), choices=Closeness.choices, default=Closeness.MIDDLE
    )
    workplace = models.CharField(_("organisation or workplace"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    on_map = models.BooleanField(_("show on the network map"), default=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entered by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sector", "closeness", "name", "id"]

    def __str__(self) -> str:
        return self.name


def step_scan_name(instance: StepRecord, filename: str) -> str:
    return f"arbetsblad/{instance.client_id}/{uuid.uuid4().hex}.pdf"


class StepRecord(models.Model):
    """One step of the work done with the client: a meeting, a worksheet, the summary.

    Checklist K is derived from these rows. A worksheet step points at the instrument
    response it was answered on; who was present is recorded per step, since the method
    asks both case managers to attend some steps.
    """

    client = models.ForeignKey(Client, related_name="steps", on_delete=models.CASCADE)
    step = models.CharField(_("step"), max_length=40)
    title = models.CharField(_("what"), max_length=150, blank=True, default="")
    done_on = models.DateField(_("date"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("present from the care team"),
        related_name="+",
        blank=True,
    )
    client_present = models.BooleanField(_("the client was there"), default=True)
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True, default="")
    response = models.OneToOneField(
        "instruments.Response",
        related_name="coordination_step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Whose words: the relative who answered the sheet or was interviewed. What the client
    # sees of it follows that relative's agreement (``coordination.confidence``), and no
    # other relative ever sees it.
    relative = models.ForeignKey(
        Contact,
        verbose_name=_("relative"),
        related_name="steps",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # A worksheet filled in on paper and entered afterwards: ``done_on`` is the day it was
    # filled in, ``filled_in_by`` who did, ``scan`` the paper itself when it was scanned.
    from_paper = models.BooleanField(_("entered from paper"), default=False)
    filled_in_by = models.CharField(_("filled in by"), max_length=150, blank=True, default="")
    scan = models.FileField(_("scanned form (PDF)"), upload_to=step_scan_name, blank=True)
    # The client decides: a worksheet not shared stays with the organisation that owns it.
    shared = models.BooleanField(_("shared with the whole care team"), default=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owned by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["done_on", "id"]
        indexes = [models.Index(fields=["client", "step"], name="steprecord_client_step")]

    def __str__(self) -> str:
        return f"{self.step} {self.done_on}"


class SummaryEntry(models.Model):
    """A line of the mapping summary: an area the client wants to change, and what
    stands in the way, written right after the worksheet it came from."""

    client = models.ForeignKey(Client, related_name="summary", on_delete=models.CASCADE)
    source = models.ForeignKey(
        StepRecord,
        verbose_name=_("from"),
        related_name="summary_entries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    area = models.CharField(_("area of life"), max_length=100)
    wants_to_change = models.TextField(_("what the client wants to change"), max_length=2000)
    obstacles = models.TextField(_("what stands in the way"), max_length=2000, blank=True)
    resources = models.TextField(_("strengths and resources"), max_length=2000, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("written by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mapping summary entry")
        verbose_name_plural = _("mapping summary")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return self.area
