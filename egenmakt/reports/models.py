"""Exports made in the task queue, and the keys that make research pseudonyms stable."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation


def new_secret() -> str:
    return secrets.token_hex(32)


class ResearchKey(models.Model):
    """An export key for the evaluating researchers: every pseudonymised export made with
    the same key gives the same person the same pseudonym, so the researchers can follow
    people across exports; exports with different keys cannot be linked. The secret never
    leaves the server."""

    network = models.ForeignKey(
        Organisation, verbose_name=_("network"), related_name="+", on_delete=models.PROTECT
    )
    name = models.CharField(_("name of the key"), max_length=120)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("research export key")
        verbose_name_plural = _("research export keys")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="research_key_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ExportKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme report (aggregated)")
    RESEARCH = "research", _("Pseudonymised data for researchers")
    CASELOAD = "caseload", _("Caseload outcomes (aggregated)")
    CASELOAD_EXTRACT = "caseload_extract", _("Caseload outcomes, pseudonymised per client")


# The exports made from the caseload report (a unit's coordination), not the programme's.
CASELOAD_KINDS = frozenset({ExportKind.CASELOAD, ExportKind.CASELOAD_EXTRACT})


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def export_file_name(instance: ReportExport, filename: str) -> str:
    return f"exports/{instance.key}/{filename}"


class ReportExport(models.Model):
    """One export asked for on the report page, made by the task queue so that no request
    waits for it; only the person who asked can fetch the file."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("what"), max_length=16, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    network = models.ForeignKey(
        Organisation, verbose_name=_("network"), related_name="+", on_delete=models.PROTECT
    )
    round = models.ForeignKey(
        "peer.RecruitmentRound",
        verbose_name=_("round"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    research_key = models.ForeignKey(
        ResearchKey,
        verbose_name=_("export key"),
        related_name="exports",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # The period of a caseload export (its unit is ``network``).
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("until"), null=True, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to=export_file_name, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="export_by_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format})"

    @property
    def is_pending(self) -> bool:
        return self.status in {ExportStatus.QUEUED, ExportStatus.RUNNING}


class StoredFigures(models.Model):
    """The figures of one closed period (a quarter's indicators, a month of the programme
    report), computed once when the period is over and read from here from then on
    (``reports/stored.py``). Counts and shares only, never a person; what a reader may see
    of them (small counts) is decided when they are shown, as for live figures.

    ``kind`` and ``version`` name the definition that made them: a new version of a
    definition leaves the old rows unread. ``scope`` says over what they were counted (the
    areas, the network and round) in the kind's own words."""

    kind = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    values = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stored figures")
        verbose_name_plural = _("stored figures")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version", "scope", "period_start", "period_end"],
                name="stored_figures_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} {self.scope} {self.period_start}–{self.period_end}"
