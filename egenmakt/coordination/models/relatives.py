"""A relative answers a sheet about the client themself, through a one-time link.

The case manager sends a relative from the client's contact list a link by e-mail to one
sheet (``RELATIVE_SHEETS``). The link is the relative's only credential: they have no
account. Like the portal's sign-in link (``portal.models.SignInLink``) only the SHA-256 of
its token is stored, so a copy of the database opens nothing; it lives
``RELATIVE_LINK_DAYS`` days, can be revoked, and dies once the answers are sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client
from .mapping import Contact, StepRecord

# The sheets a relative answers themself (RACT: the relative's view of how everyday life
# works, and the relative's own strain; domain.md 2.3).
RELATIVE_SHEETS: tuple[str, ...] = ("everyday_life_relative", "relative_rating")


class RelativeLink(models.Model):
    """A one-time link to one sheet, for one relative of one client."""

    client = models.ForeignKey(Client, related_name="relative_links", on_delete=models.CASCADE)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("relative"),
        related_name="links",
        on_delete=models.CASCADE,
    )
    definition = models.ForeignKey(
        "instruments.InstrumentDefinition",
        verbose_name=_("sheet"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    token_hash = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sent for"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    # What the relative saved to go on later: checked as a draft is, never scored.
    draft_answers = models.JSONField(default=dict, blank=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    step = models.OneToOneField(
        StepRecord,
        related_name="relative_link",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("link for a relative")
        verbose_name_plural = _("links for relatives")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id}/{self.contact_id} {self.created_at:%Y-%m-%d}"

    def is_live(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return "answered"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "waiting"
