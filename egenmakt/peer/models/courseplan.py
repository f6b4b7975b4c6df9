"""The five-week course plan as data: a network's own plan, inherited down the
organisation tree, with the shipped plan (``services/courseplan.DEFAULT_PLAN``) as the
installation default when no organisation above has one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation

# Handbook p. 20: "En längre utbildning om fem veckor för peer supportrarna".
COURSE_WEEKS = 5


WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class PlanItemKind(models.TextChoices):
    DAY = "day", _("Course day")
    HOMEWORK = "homework", _("Homework")


class CoursePlanItem(models.Model):
    """One course day or one piece of homework of an organisation's plan. A week with
    course days is a study week; a week with homework only is a homework week."""

    organisation = models.ForeignKey(
        Organisation, related_name="course_plan_items", on_delete=models.CASCADE
    )
    week = models.PositiveSmallIntegerField(_("course week"))
    # Monday is 1. For homework: the day it is handed in.
    weekday = models.PositiveSmallIntegerField(_("day of the week"))
    kind = models.CharField(_("kind"), max_length=16, choices=PlanItemKind.choices)
    title = models.CharField(_("theme or title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    starts = models.TimeField(_("starts"), null=True, blank=True)
    ends = models.TimeField(_("ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("course plan item")
        verbose_name_plural = _("course plan")
        ordering = ["week", "weekday", "starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week__gte=1, week__lte=COURSE_WEEKS),
                name="plan_item_week_in_course",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=1, weekday__lte=7),
                name="plan_item_weekday",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="day")
                | models.Q(starts__isnull=False, ends__gt=models.F("starts")),
                name="plan_item_day_has_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week}:{self.weekday} {self.title}"
