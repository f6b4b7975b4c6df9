"""The archive, retention and erasure of a client's coordination (issue 19).

* ``ArchiveAccess``: a reason given to open an archived or restricted record, valid for
  a few hours; every read in that time carries the reason into the access log.
* ``RetentionPolicy``: how long an organisation keeps closed records, inherited down the
  organisation tree from the nearest organisation that has one; without any, the default
  of the principal's kind (``RETENTION_DEFAULTS``).
* ``ErasedClients``: what is left of erased records, anonymous counts for the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import OrganisationKind

from .clients import Client

ARCHIVE_ACCESS_HOURS = 4
MIN_RETENTION_YEARS = 1
MAX_RETENTION_YEARS = 50


class Basis(models.TextChoices):
    """How sure a default is: read in the law, to be checked against the law, or chosen."""

    LAW = "law", _("Set by law")
    VERIFY = "verify", _("Set by law; check the paragraph")
    INFERRED = "inferred", _("Chosen by Egenmakt (INFERRED): no law sets it")


@dataclass(frozen=True)
class RetentionDefault:
    years: int
    basis: str
    source: Promise

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)


# The defaults, by the kind of the principal (the top organisation of the tree). Not legal
# advice: each organisation's administrator confirms or changes its period.
RETENTION_DEFAULTS: dict[str, RetentionDefault] = {
    # Patientdatalagen (2008:355) 3 kap. 17 §: a patient record is kept at least ten years
    # after the last entry. Paragraph to verify (shared/security.md marks it so).
    OrganisationKind.REGION: RetentionDefault(
        10,
        Basis.VERIFY,
        _("Patient Data Act (2008:355) ch. 3 s. 17: ten years after the last entry."),
    ),
    # Social services: personal files are thinned five years after the last entry
    # (SoL 2001:453 12 kap. 1 §). The new Social Services Act (2025:400) applies from
    # 2025-07-01: verify the paragraph there.
    OrganisationKind.MUNICIPALITY: RetentionDefault(
        5,
        Basis.VERIFY,
        _(
            "Social Services Act: personal files are thinned five years after the last "
            "entry (SoL 2001:453 ch. 12 s. 1; verify against SoL 2025:400, in force from "
            "1 July 2025)."
        ),
    ),
    # INFERRED: a user-movement network is not a care provider and no law makes it keep
    # records; GDPR art. 5(1)(e) asks for no longer than needed. Two years lets a
    # returning client and a follow-up find the work, then it goes.
    OrganisationKind.USER_NETWORK: RetentionDefault(
        2,
        Basis.INFERRED,
        _("No law sets it; two years, so a follow-up can still find the work (INFERRED)."),
    ),
    OrganisationKind.USER_ORGANISATION: RetentionDefault(
        2,
        Basis.INFERRED,
        _("No law sets it; two years, so a follow-up can still find the work (INFERRED)."),
    ),
    OrganisationKind.WORKPLACE: RetentionDefault(
        2,
        Basis.INFERRED,
        _("No law sets it; two years, so a follow-up can still find the work (INFERRED)."),
    ),
    # INFERRED: an organisation of an unknown kind keeps records as long as health care
    # does until its administrator decides; erasing too early cannot be undone.
    OrganisationKind.OTHER: RetentionDefault(
        10,
        Basis.INFERRED,
        _("Unknown kind of organisation: as long as health care until decided (INFERRED)."),
    ),
}


class ArchiveAccess(models.Model):
    """A reason given to open an archived or restricted record, for a limited time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="+", on_delete=models.PROTECT
    )
    client = models.ForeignKey(Client, related_name="archive_accesses", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("archive access")
        verbose_name_plural = _("archive accesses")
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(fields=["user", "client", "expires_at"], name="archiveaccess_active")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.client_id} {self.granted_at:%Y-%m-%d %H:%M}"


class RetentionPolicy(models.Model):
    """How long the organisation (and the units below it without their own) keeps a
    client's closed coordination."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="retention_policy",
        on_delete=models.CASCADE,
    )
    years = models.PositiveSmallIntegerField(
        _("keep closed records (years)"),
        validators=[
            MinValueValidator(MIN_RETENTION_YEARS),
            MaxValueValidator(MAX_RETENTION_YEARS),
        ],
        help_text=_(
            "Counted from the day the coordination was closed, which is the record's last "
            "entry: an archived record cannot be changed. When the time has passed, the "
            "record is erased and only anonymous counts are kept."
        ),
    )
    note = models.CharField(_("decision or source"), max_length=300, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.years}"


class ErasedClients(models.Model):
    """What is left of erased records: anonymous counts per organisation and closing year."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    closing_year = models.PositiveSmallIntegerField(_("year closed"))
    clients = models.PositiveIntegerField(_("clients"), default=0)
    reached_plan = models.PositiveIntegerField(_("reached a decided plan"), default=0)
    meetings_held = models.PositiveIntegerField(_("resource-group meetings held"), default=0)
    erased_at = models.DateTimeField(_("last erasure"), null=True, blank=True)

    class Meta:
        verbose_name = _("erased clients (counts)")
        verbose_name_plural = _("erased clients (counts)")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "closing_year"], name="erasedclients_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.closing_year}: {self.clients}"
