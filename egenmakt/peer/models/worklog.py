"""The peer supporter's work log: what they did at work, recorded quickly on a phone.

Each entry says when, what kind of work, for how long, in which setting and about which
themes, and nothing else: there is deliberately no free-text field, so a client's name,
initials or story can never be written here. The peer supporter is the data subject; the
entries are about their work, not about the people they met.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.peer.models.placement import Placement

# INFERRED: a working day is at most twelve hours; longer is a typing mistake.
MAX_MINUTES = 720
# INFERRED: own entries can be changed or removed for two weeks, then they stand as
# brought to supervision and counted in the report.
EDITABLE_DAYS = 14


class WorkKind(models.TextChoices):
    SUPPORT_TALK = "support_talk", _("Support talk, one to one")
    GROUP = "group", _("Group activity")
    FIRST_CONTACT = "first_contact", _("First contact")
    ACCOMPANYING = "accompanying", _("Accompanying")
    OTHER = "other", _("Other")


class WorkSetting(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient ward")
    OUTPATIENT = "outpatient", _("Outpatient care")
    COMMUNITY = "community", _("Community or home visit")
    REMOTE = "remote", _("Phone or digital")
    GROUP_ROOM = "group_room", _("Group room")


class WorkTheme(models.TextChoices):
    RECOVERY = "recovery", _("Recovery")
    HOUSING = "housing", _("Housing")
    WORK_STUDY = "work_study", _("Work and study")
    RELATIONS = "relations", _("Relations")
    OWN_EXPERIENCE = "own_experience", _("Own experience shared")
    CARE_CONTACT = "care_contact", _("Medication and care contacts")
    RIGHTS = "rights", _("Rights")


class WorkLogEntry(models.Model):
    """One encounter or group activity of a peer supporter at work.

    Never a client's identity: the fields are a date, choices and a number only, and no
    free-text field may be added (a name or a story could then be written)."""

    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="work_log",
        on_delete=models.PROTECT,
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        related_name="work_log",
        on_delete=models.PROTECT,
    )
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=WorkKind.choices)
    minutes = models.PositiveSmallIntegerField(
        _("time in minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    setting = models.CharField(_("setting"), max_length=16, choices=WorkSetting.choices)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log entries")
        ordering = ["-day", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_MINUTES),
                name="work_log_minutes",
            ),
        ]
        indexes = [models.Index(fields=["peer_supporter", "day"], name="work_log_person_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(WorkTheme.choices)
        return [str(labels[code]) for code in self.themes or [] if code in labels]

    def clean(self) -> None:
        themes = self.themes
        if not isinstance(themes, list) or any(t not in WorkTheme.values for t in themes):
            raise ValidationError({"themes": _("Unknown theme.")})
        if len(set(themes)) != len(themes):
            raise ValidationError({"themes": _("A theme is given twice.")})
