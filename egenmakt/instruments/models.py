"""Instrument versions and the responses given on them.

A definition version is data (see ``schema/``) stored as JSON with the checksum of its
content. Once a version has been answered it never changes: an edited definition is a new
version, and each response keeps pointing at the version it was given on, so an old ORS
is always read with the items and scoring it was answered with.

Subjects are generic (``subject_type`` + ``subject_id``), not one link table per model:
the same ORS is answered about a client in coordination, a readiness checklist about a
workplace, a participation ladder about a user organisation, a self-assessment about a
user — and apps that do not exist yet (peer, coordination, influence) will add subjects
of their own. A link table per subject model would make this app import all of them, or
them add columns here. Instead each app registers its subject models in
``subjects.py`` with an access function and a "whose personal data" function, so access
checks and the access log cover every subject type; the pair of columns is indexed, and
reads go through selectors that always filter on it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .schema import text

# A version's content, parsed once per process, by its checksum: the content of a checksum
# never changes (an edit is a new checksum), so the cache needs no invalidation. A few dozen
# versions exist; the bound only guards against a runaway. The parsed content is shared by
# every request of the process: read it, never change it (copy it first, as
# coordination.confidence does).
_CONTENTS: dict[str, dict[str, Any]] = {}
_CONTENTS_MAX = 512


def cached_contents() -> dict[str, dict[str, Any]]:
    """What the process's cache holds now, by checksum (tests)."""
    return dict(_CONTENTS)


def forget_contents(keep: dict[str, dict[str, Any]] | None = None) -> None:
    """Empty the process's cache of parsed definitions, but for ``keep`` (tests)."""
    _CONTENTS.clear()
    _CONTENTS.update(keep or {})


def _remember(checksum: str, content: dict[str, Any]) -> None:
    if len(_CONTENTS) >= _CONTENTS_MAX:
        _CONTENTS.clear()
    _CONTENTS[checksum] = content


class _ContentAttribute(DeferredAttribute):
    """``InstrumentDefinition.definition``: from the process's cache by the row's checksum
    when the column was not read (every query defers it, see ``DefinitionManager``); on a
    miss the checksum and the content are read together in one query and remembered."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        name = self.field.attname
        if name not in data:
            rows = (
                type(instance)._base_manager.db_manager(instance._state.db).filter(pk=instance.pk)
            )
            if "checksum" not in data:  # left out by .only(): a small query for it
                data["checksum"] = rows.values_list("checksum", flat=True).get()
            content = _CONTENTS.get(data["checksum"])
            if content is None:
                checksum, content = rows.values_list("checksum", name).get()
                _remember(checksum, content)
                data["checksum"] = checksum
            data[name] = content
        return data[name]


class DefinitionField(models.JSONField):
    """The JSON of a definition version, read through the process's cache (above)."""

    descriptor_class = _ContentAttribute

    def deconstruct(self) -> Any:
        # In the database and the migrations it is a JSONField like any other.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class DefinitionManager(models.Manager["InstrumentDefinition"]):
    """Every query leaves out the content (about 90 KB a version): it comes from the cache."""

    def get_queryset(self) -> models.QuerySet[InstrumentDefinition]:
        return super().get_queryset().defer("definition")


class InstrumentDefinition(models.Model):
    """One version of one instrument, e.g. ORS version 1.

    A version belongs to the organisation that uploaded it and applies there and in the
    units below it; the shipped versions (``load_instruments``) have no organisation and
    apply wherever no organisation above has its own (``selectors.current_definition``).
    Version numbers stay unique per key across the installation, whoever owns them, so
    "ors|3" in an export or the API names one version only.
    """

    key = models.CharField(_("key"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owned by"),
        related_name="instrument_versions",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    definition = DefinitionField(_("definition"))
    source_file = models.CharField(_("source file"), max_length=200, blank=True, default="")
    # sha256 of the definition's canonical JSON: comments and layout of the file do not
    # count as a change, any change of content does.
    checksum = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = DefinitionManager()

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["key", "-version"]
        # A response's version read through the relation defers the content too.
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        # The deferring base manager would leave the content as it was: drop it, so it is
        # read again (from the cache) by the checksum refreshed here.
        if fields is None or "definition" in fields:
            self.__dict__.pop("definition", None)
            if fields is not None:
                fields = {*fields, "checksum"}
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def title(self, language: str | None = None) -> str:
        return text(self.definition.get("title"), language or get_language())

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    @property
    def localized_title(self) -> str:
        return self.title()

    @property
    def localized_help(self) -> str:
        """What the instrument is for, as its definition tells the one who answers."""
        return text(self.definition.get("help"), get_language())

    @property
    def respondents(self) -> list[str]:
        return list(self.definition.get("respondents", []))

    @property
    def respondent_labels(self) -> list[str]:
        return [str(RespondentKind(kind).label) for kind in self.respondents]

    @property
    def is_scored(self) -> bool:
        return bool((self.definition.get("scoring") or {}).get("scores"))


class RespondentKind(models.TextChoices):
    CLIENT = "client", _("The client")
    RELATIVE = "relative", _("A relative or network member")
    STAFF = "staff", _("Staff")
    APPLICANT = "applicant", _("The applicant")
    PEER_SUPPORTER = "peer_supporter", _("The peer supporter")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Response(models.Model):
    """One filling-in of one instrument version about one subject."""

    definition = models.ForeignKey(
        InstrumentDefinition,
        verbose_name=_("instrument version"),
        related_name="responses",
        on_delete=models.PROTECT,
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), related_name="+", on_delete=models.PROTECT
    )
    # Text, so subjects with UUID keys can join later.
    subject_id = models.CharField(_("subject id"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    respondent_kind = models.CharField(
        _("answered by"), max_length=32, choices=RespondentKind.choices
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    answered_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Written by the scoring service on every save: {score_key: {value, band_key, clinical}}.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Optimistic locking: every save adds one; a save based on an older number is refused,
    # unless it comes from the same open form whose own autosave made the newer number.
    version = models.PositiveIntegerField(_("edit number"), default=1)
    edit_token = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-answered_on", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "answered_on"], name="response_subject"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="response_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition} – {self.answered_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "client_copy", False):
            # A copy narrowed to what the client may read (coordination.confidence) holds
            # only part of the answers: saving it would erase the rest.
            raise RuntimeError("A narrowed copy of a response cannot be saved.")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT

    def score_value(self, score_key: str) -> Any:
        return (self.scores.get(score_key) or {}).get("value")
