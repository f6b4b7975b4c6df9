"""What an applicant may choose to state about themself for the diversity counts
(``reports/diversity.py``): never shown on the application to those who read it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatedBackground(models.TextChoices):
    """Statistics Sweden's grouping of background (INFERRED: the handbook names "etnisk
    bakgrund" as a diversity aim without saying how to ask; this is the common Swedish way
    that asks no one's ethnicity)."""

    SWEDISH = "swedish", _("Born in Sweden, with at least one parent born in Sweden")
    FOREIGN = "foreign", _("Born abroad, or both parents born abroad")


class StatedFunctioning(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
