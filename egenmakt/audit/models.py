"""The access log: who read or changed whose personal data, when, from where and why.

Append-only. Rows can neither be changed nor deleted through the app, the admin or the
ORM; database triggers (migrations 0002 and 0003) refuse UPDATE, TRUNCATE, an insert that
would replace a row, and DELETE of rows younger than the retention time (PDL and
HSLF-FS 2016:40 4 kap. 9 §: at least five years).

On SQLite, a migration that rebuilds this table (most ALTERs do) silently drops the
triggers: such a migration must create them again. tests/test_immutability.py fails if not.

Tamper evidence (ASVS 16.4.2): every row is sealed when it is inserted (``chain.py``): it
belongs to a chain (one per UTC day and shard of actors), has its position in it, and
carries the hash of the row before it and its own hash over its fields. ``manage.py
verify_access_log`` walks the chains; ``purge_access_log`` is the one path that deletes.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an access-log row."""


def kind_label(content_type: ContentType | None) -> str:
    """A readable name for a kind of record ("User", "Client"), in the current language."""
    if content_type is None:
        return ""
    model = content_type.model_class()
    if model is None:  # A model that no longer exists: its stored name is all we have.
        return content_type.model
    return capfirst(str(model._meta.verbose_name))


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AccessLog]:
        """Insert, each row sealed into its chain in the same transaction."""
        from .chain import seal

        rows = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            seal(rows, using=self.db)
            return super().bulk_create(rows, *args, **kwargs)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class SealedTimeField(models.DateTimeField):
    """``auto_now_add`` whose "now" is the one the row's seal covers: ``chain.seal`` sets
    the time just before hashing, and the INSERT keeps it. A caller still cannot backdate a
    row: the seal overwrites whatever time it was given."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if add and self.auto_now_add and getattr(model_instance, "_sealed_time", False):
            return getattr(model_instance, self.attname)
        return super().pre_save(model_instance, add)


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class AccessLog(models.Model):
    occurred_at = SealedTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
    )
    # Whose personal data: any model that stands for a person (user, applicant, client...).
    person_type = models.ForeignKey(
        ContentType,
        verbose_name=_("person type"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    person_id = models.CharField(_("person id"), max_length=64, blank=True, default="")
    # Which object was touched (a worksheet, a plan, an application...).
    object_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.ALLOWED
    )
    # The unit the user acted for, when known (HSLF-FS 2016:40 4:9 asks for the care unit).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    emergency = models.BooleanField(_("emergency access"), default=False)
    path = models.CharField(_("page"), max_length=300, blank=True, default="")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The seal (chain.py): which chain, the position in it, the previous row's hash and
    # this row's. Rows from before sealing began have an empty chain.
    # A database default too, so an INSERT that names none of them (a forger's, an import's)
    # still lands, unsealed, for verification to find.
    chain = models.CharField(
        _("chain"), max_length=16, blank=True, default="", db_default="", editable=False
    )
    chain_seq = models.PositiveIntegerField(_("position"), null=True, blank=True, editable=False)
    prev_hash = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    hash = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(
                fields=["person_type", "person_id", "occurred_at"], name="accesslog_person"
            ),
            models.Index(fields=["actor", "occurred_at"], name="accesslog_actor"),
        ]
        constraints = [
            # A partial unique index (no table rebuild on SQLite); rows from before sealing
            # began have no chain.
            models.UniqueConstraint(
                fields=["chain", "chain_seq"],
                condition=~Q(chain=""),
                name="accesslog_chain_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        from .chain import seal

        using = kwargs.get("using") or router.db_for_write(AccessLog, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            seal([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    # The row keeps identifiers only, never names or other personal data (ASVS 16.2.5):
    # a copy of a name here could never be corrected or erased, since rows are immutable.
    # These labels are built when shown, from the kind of model and the id.

    # The person's current name, looked up when a page shows the row (``selectors.
    # with_person_names``); empty when not looked up or the person is gone.
    person_name: str = ""
    # The reason as the reader reads it (``selectors.with_reason_labels``).
    reason_text: str = ""
    # What the log's table shows, worked out once per page (``selectors.with_display``).
    shown_iso: str = ""
    shown_day: str = ""
    shown_clock: str = ""
    action_text: str = ""
    outcome_text: str = ""
    shown_person: str = ""
    shown_object: str = ""

    @property
    def person_kind(self) -> str:
        return kind_label(self.person_type)

    @property
    def person_label(self) -> str:
        return f"{self.person_kind} #{self.person_id}" if self.person_type_id else ""

    @property
    def object_kind(self) -> str:
        return kind_label(self.object_type)

    @property
    def object_label(self) -> str:
        return f"{self.object_kind} #{self.object_id}" if self.object_type_id else ""


class ChainHead(models.Model):
    """The end of one chain of the access log: how many rows it has and the last one's
    hash. Locked (``select_for_update``) by every insert into the chain, in the insert's
    transaction, so a rolled-back insert leaves no trace here either. One chain per UTC
    day and shard of actors, so concurrent requests rarely wait for each other.

    The retention job records what it removed (``purged_through`` rows, the last of them
    with ``purged_hash``), so verification starts after them and still notices rows that
    something else removed."""

    chain = models.CharField(max_length=16, unique=True)
    length = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    purged_through = models.PositiveIntegerField(default=0)
    purged_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("access-log chain")
        verbose_name_plural = _("access-log chains")
        ordering = ["chain"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.chain} ({self.length})"


class Verdict(models.TextChoices):
    JUSTIFIED = "justified", _("Justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified")


class EmergencyAccess(models.Model):
    """Break-the-glass: someone outside the care team opened a person's record in an
    emergency, giving a reason. Granted for a limited time, read-only, and flagged for
    the auditor until reviewed (PDL 4 kap. 3 §: checks of unauthorised access)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    person_type = models.ForeignKey(
        ContentType, verbose_name=_("person type"), related_name="+", on_delete=models.PROTECT
    )
    person_id = models.CharField(_("person id"), max_length=64)
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    verdict = models.CharField(
        _("verdict"), max_length=16, choices=Verdict.choices, blank=True, default=""
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(
                fields=["actor", "person_type", "person_id", "expires_at"],
                name="emergency_active",
            ),
            models.Index(fields=["reviewed_at", "granted_at"], name="emergency_unreviewed"),
        ]

    # The person's current name for the auditor's list (``selectors.with_person_names``).
    person_name: str = ""

    def __str__(self) -> str:
        return f"{self.granted_at:%Y-%m-%d %H:%M} {self.actor_id}"

    @property
    def person_label(self) -> str:
        return f"{kind_label(self.person_type)} #{self.person_id}"


# --- Log review (loggkontroll) ------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified")
    FOLLOW_UP = "follow_up", _("Needs follow-up")


# What put a row in a review: the random sample, or a flag code ("log_review_flags").
SAMPLED = "sampled"


class LogReview(models.Model):
    """A documented, sampled check of one unit's reads over one period (HSLF-FS 2016:40
    4 kap. 9 §, PDL 4 kap. 3 §): a random sample that the stored seed draws again from the
    same log, plus every read the apps' rules flag. Finished when every item has an
    outcome; the finished page is the document."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("unit"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    seed = models.BigIntegerField(_("seed"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    # How many reads the period held when the sample was drawn (the population).
    reads = models.PositiveIntegerField(_("reads in the period"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finished by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("log review")
        verbose_name_plural = _("log reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="logreview_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.period_start}–{self.period_end}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class LogReviewItem(models.Model):
    """One access-log row in a review, why it is there, and the auditor's outcome."""

    review = models.ForeignKey(LogReview, related_name="items", on_delete=models.CASCADE)
    # No database constraint: the retention job removes log rows, never the review of them.
    log_row = models.ForeignKey(
        AccessLog,
        verbose_name=_("access-log entry"),
        related_name="+",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
    )
    # SAMPLED and/or flag codes, separated by spaces.
    reasons = models.CharField(_("why"), max_length=200)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ReviewOutcome.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("log review item")
        verbose_name_plural = _("log review items")
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "log_row"], name="logreviewitem_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.log_row_id} {self.reasons}"

    @property
    def reason_codes(self) -> list[str]:
        return self.reasons.split()


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def personal_export_file_name(instance: PersonalExport, filename: str) -> str:
    return f"personal-exports/{instance.key}/{filename}"


class PersonalExport(models.Model):
    """A copy of everything Egenmakt holds about one person (GDPR art. 15 and 20), asked
    for by that person, made by the task queue (a client's record can be large), and
    fetched only by whoever asked. The file is erased after a week; the row stays."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_type = models.ForeignKey(
        ContentType, verbose_name=_("person type"), related_name="+", on_delete=models.PROTECT
    )
    person_id = models.CharField(_("person id"), max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to=personal_export_file_name, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("copy of one's own data")
        verbose_name_plural = _("copies of one's own data")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="personal_export_by")
        ]

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.person_label}"

    @property
    def person_label(self) -> str:
        return f"{kind_label(self.person_type)} #{self.person_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ExportStatus.QUEUED

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file)
