"""Access tokens for the JSON API (``/api/v1/``).

A *personal* token belongs to a user and acts as that user: every selector and service
sees the user, so the token reaches exactly what its owner's pages reach, never more. A
*service* token belongs to an organisation and is made by its administrator for another
system; it acts for the organisation, never as a person, and so only in the areas that
need no personal seat (``SERVICE_AREAS``). Either kind is limited further by its scopes
(an area, read or write). Only the token's SHA-256 is stored: it is shown once.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations and memberships")
    RECRUITMENT = "recruitment", _("Recruitment")
    COURSES = "courses", _("Courses")
    COORDINATION = "coordination", _("Coordination (clients)")
    INFLUENCE = "influence", _("User influence")
    REPORTS = "reports", _("Reports and indicators")


class Access(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


# What a service token may do: the areas whose rules need no personal seat or role of the
# caller's own. Care data, recruitment and courses are reached through a person's care-team
# seat, round or cohort, so only a personal token of that person reaches them.
SERVICE_AREAS = frozenset({Area.ORGANISATIONS, Area.INFLUENCE})

# Every scope as "<area>:<read|write>".
SCOPES = tuple(f"{area}:{access}" for area in Area.values for access in Access.values)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token (``user``) or an organisation's service token
    (``organisation``): exactly one of the two."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="api_tokens",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="api_tokens",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    # The SHA-256 of the secret, hex; the secret itself is shown once and never kept.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so its owner can tell their tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="apitoken_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_service(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, area: str, *, write: bool = False) -> bool:
        if self.is_service and area not in SERVICE_AREAS:
            return False
        wanted = {f"{area}:write"} if write else {f"{area}:read", f"{area}:write"}
        return bool(wanted & set(self.scopes))
