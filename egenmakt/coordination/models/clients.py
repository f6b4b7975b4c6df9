"""Care and support coordination in resource groups (RACT / vård- och stödsamordning).

A client (brukare) is registered by a case manager acting for one organisation, the
client's *home* organisation. Others join the care team; a member acting for another
organisation reaches the client only under a recorded, unrevoked consent that names
their organisation (and, for case managers, them by name). What is shared is the joint
work (worksheets the client shares, the mapping summary, contacts); each organisation's
own case notes stay with it. The rules are in ``rules.py`` and ``selectors.py``.

Checklist K (Kartläggning och planering inför resursgrupp/SIP) is not stored: it is
derived from the steps recorded here (``StepRecord``), see ``checklist.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.coordination.identity import IdentityNumber


class Phase(models.TextChoices):
    START = "start", _("Start")
    MAPPING = "mapping", _("Mapping")
    PLANNING = "planning", _("Planning")
    WORK = "work", _("Work phase")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class MeetingPlace(models.TextChoices):
    HOME = "home", _("In the client's home")
    OFFICE = "office", _("At the case manager's office")
    OTHER = "other", _("Somewhere else")


class RestrictionSource(models.TextChoices):
    PORTAL = "portal", _("By the client on their own pages")
    PAPER = "paper", _("By the client in writing, recorded by the care team")


class Client(models.Model):
    """A person in coordination, as registered by their home organisation."""

    full_name = models.CharField(_("name"), max_length=150)
    # 12 digits, YYYYMMDDNNNC, checked by identity.parse_identity_number; a co-ordination
    # number keeps its day + 60. Never shown whole unless asked for (and logged).
    identity_number = models.CharField(_("personal identity number"), max_length=12)
    coordination_number = models.BooleanField(_("co-ordination number"), default=False)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Address and contact data are shown to the care team only."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, default="")
    city = models.CharField(_("town"), max_length=100, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=60, blank=True, default="svenska"
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    meeting_place = models.CharField(
        _("where meetings are held"),
        max_length=16,
        choices=MeetingPlace.choices,
        default=MeetingPlace.HOME,
    )
    meeting_place_note = models.CharField(
        _("about the meeting place"), max_length=200, blank=True, default=""
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("home organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.START, db_index=True
    )
    # The day the coordination assignment started (VSS-uppdrag): the ORS is due a month on.
    started_on = models.DateField(_("start of coordination"), default=timezone.localdate)
    closed_reason = models.CharField(_("why it ended"), max_length=300, blank=True, default="")
    # Closing archives the record: read-only, out of the lists, opened with a reason, and
    # erased when the organisation's retention period has passed (services/retention.py).
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, db_index=True)
    # GDPR art. 18: processing stopped at the client's request, the data kept.
    restricted_at = models.DateTimeField(_("processing restricted"), null=True, blank=True)
    restriction_source = models.CharField(
        _("restriction asked for"),
        max_length=16,
        choices=RestrictionSource.choices,
        blank=True,
        default="",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["full_name", "id"]
        constraints = [
            # Each organisation registers a person once; another organisation's record of
            # the same person is theirs (asking across would reveal that it exists).
            models.UniqueConstraint(
                fields=["organisation", "identity_number"], name="client_unique_per_organisation"
            ),
        ]
        indexes = [models.Index(fields=["identity_number"], name="client_identity_number")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def identity(self) -> IdentityNumber:
        return IdentityNumber(self.identity_number, self.coordination_number)

    @property
    def masked_identity_number(self) -> str:
        return self.identity.masked

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None

    @property
    def reads_need_reason(self) -> bool:
        """Sealed: the archive and a restriction are opened with a reason (access.py)."""
        return self.is_archived or self.is_restricted

    @property
    def is_frozen(self) -> bool:
        """Read-only: closed (archived) or restricted; nothing is added or changed."""
        return self.is_closed or self.is_archived or self.is_restricted


class CaseNote(models.Model):
    """An organisation's own note about the client. Never shared by consent: consent
    shares the joint work, not each organisation's own records."""

    client = models.ForeignKey(Client, related_name="notes", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    text = models.TextField(_("note"), max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.written_at:%Y-%m-%d}"
