"""Ethics guidelines as data: an organisation's own versions, inherited down the
organisation tree like the course plan, with the shipped text
(``selectors/ethics.DEFAULT_GUIDELINES``) as the installation default; and each course
participant's acknowledgement, which keeps the text as it was read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models.course import Participant


class EthicsGuidelines(models.Model):
    """One saved version of an organisation's ethics guidelines. A version is never
    changed: an edit saves the next one, so what a participant acknowledged stays. A
    version that ``follows_inherited`` holds no text: from it on, the organisation follows
    the guidelines of the nearest organisation above it again (or the shipped ones)."""

    organisation = models.ForeignKey(
        Organisation, related_name="ethics_guidelines", on_delete=models.CASCADE
    )
    version = models.PositiveIntegerField(_("version"))
    text_sv = models.TextField(_("text in Swedish"), blank=True)
    text_en = models.TextField(_("text in English"), blank=True)
    # SHA-256 of the two texts: what an acknowledgement is compared with (empty when the
    # version follows the inherited guidelines).
    checksum = models.CharField(max_length=64, blank=True)
    follows_inherited = models.BooleanField(_("follows the inherited guidelines"), default=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("ethics guidelines")
        verbose_name_plural = _("ethics guidelines")
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="ethics_guidelines_one_version"
            ),
            # A version has a Swedish text, or follows the inherited guidelines and has none.
            models.CheckConstraint(
                condition=models.Q(follows_inherited=True, text_sv="", text_en="", checksum="")
                | (models.Q(follows_inherited=False) & ~models.Q(text_sv="")),
                name="ethics_guidelines_text_or_inherited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.version}"


class EthicsAcknowledgement(models.Model):
    """A participant's "I have read and follow the guidelines", with the text they read
    (in the language they read it), so a later edit does not change what they agreed to."""

    participant = models.OneToOneField(
        Participant, related_name="ethics_acknowledgement", on_delete=models.CASCADE
    )
    # The version read; empty for the shipped default.
    guidelines = models.ForeignKey(
        EthicsGuidelines,
        related_name="acknowledgements",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    checksum = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    text = models.TextField(_("the text acknowledged"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement of the ethics guidelines")
        verbose_name_plural = _("acknowledgements of the ethics guidelines")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.acknowledged_at:%Y-%m-%d}"
