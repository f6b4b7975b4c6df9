"""Consent: what the client agreed to share, with whom, until when."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("In writing, signed")
    ORAL = "oral", _("Orally")
    DIGITAL = "digital", _("Digitally")


class ConsentScope(models.TextChoices):
    SHARE_INFORMATION = "share_information", _("Share information between the organisations")
    WORKSHEETS = "worksheets", _("The mapping worksheets the client shares")
    PLAN = "plan", _("The coordinated individual plan (SIP)")
    RESOURCE_GROUP = "resource_group", _("Resource-group meetings with the client's network")


def consent_file_name(instance: Consent, filename: str) -> str:
    return f"samtycken/{instance.client_id}/{uuid.uuid4().hex}.pdf"


class Consent(models.Model):
    """The client's consent to coordination across organisations.

    Field list INFERRED (domain.md 2.3: the worksheet's exact fields were not found): the
    organisations and named case managers it covers, what it covers, how and when it was
    given, who recorded it, an optional scan of the signed form, and its revocation.
    """

    client = models.ForeignKey(Client, related_name="consents", on_delete=models.CASCADE)
    given_on = models.DateField(_("given on"))
    form = models.CharField(_("how it was given"), max_length=16, choices=ConsentForm.choices)
    scope = models.JSONField(_("what it covers"), default=list)
    details = models.TextField(_("more about what it covers"), blank=True, default="")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("organisations"), related_name="+"
    )
    case_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("named case managers"), related_name="+"
    )
    document = models.FileField(_("signed form (PDF)"), upload_to=consent_file_name, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    revocation_note = models.CharField(
        _("about the revocation"), max_length=300, blank=True, default=""
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["client", "revoked_at"], name="consent_client_valid")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.given_on}"

    def is_valid(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.revoked_at is None
            and self.given_on <= today
            and (self.valid_until is None or self.valid_until >= today)
        )

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(ConsentScope.choices)
        return [str(labels.get(key, key)) for key in self.scope]
