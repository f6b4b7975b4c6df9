"""Diversity of applicants, admitted and employed: gender, age, background and disability,
from what the applicants chose to state (handbook: "Vi strävar efter en mångfald bland peer
supportrarna. Detta gäller kön, ålder, etnisk bakgrund, funktionssätt").

Every count of one to four is shown as "<5" to every reader, the network's coordinators
too: these are groups of people by sensitive traits, and the report is for seeing how
varied the groups are, not who is in them. Applications already erased are not here (their
anonymous counts keep no traits).

The grouping of gender, which the applicant writes in their own words, is ours (INFERRED):
the common words for woman and man, in Swedish and English, are counted as such; any other
answer as "another description"; an empty one as not stated. Edit ``GENDER_WORDS``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from egenmakt.core.suppression import shown_count
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Participant,
    ParticipantStatus,
    RecruitmentRound,
    StatedBackground,
    StatedFunctioning,
)

NOT_STATED = "not_stated"
GENDER_WORDS = {
    "woman": {"kvinna", "k", "kvinnlig", "woman", "female", "f", "tjej"},
    "man": {"man", "m", "manlig", "male", "kille"},
}
AGE_BANDS = [(None, 29, "-29"), (30, 44, "30-44"), (45, 59, "45-59"), (60, None, "60-")]

DIMENSIONS: list[tuple[str, Any, list[tuple[str, Any]]]] = [
    (
        "gender",
        _("Gender"),
        [
            ("woman", _("Woman")),
            ("man", _("Man")),
            ("other", _("Another description")),
            (NOT_STATED, _("Not stated")),
        ],
    ),
    (
        "age",
        _("Age when applying"),
        [
            ("-29", _("29 or younger")),
            ("30-44", "30–44"),
            ("45-59", "45–59"),
            ("60-", _("60 or older")),
            (NOT_STATED, _("Not stated")),
        ],
    ),
    (
        "background",
        _("Background"),
        [
            (StatedBackground.SWEDISH, StatedBackground.SWEDISH.label),
            (StatedBackground.FOREIGN, StatedBackground.FOREIGN.label),
            (NOT_STATED, _("Not stated")),
        ],
    ),
    (
        "functioning",
        _("Disability"),
        [
            (StatedFunctioning.YES, _("Yes")),
            (StatedFunctioning.NO, _("No")),
            (NOT_STATED, _("Not stated")),
        ],
    ),
]


def gender_group(text: str) -> str:
    word = text.strip().lower()
    if not word:
        return NOT_STATED
    for group, words in GENDER_WORDS.items():
        if word in words:
            return group
    return "other"


def age_group(birth_year: int | None, applied_in: int) -> str:
    if birth_year is None:
        return NOT_STATED
    age = applied_in - birth_year
    for low, high, code in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return NOT_STATED


@dataclass(frozen=True)
class DiversityRow:
    label: Any
    applied: int | str
    admitted: int | str
    employed: int | str


@dataclass(frozen=True)
class DiversityTable:
    key: str
    label: Any
    rows: list[DiversityRow]


def _age_band() -> Case:
    """``age_group`` in the database: the first band of ``AGE_BANDS`` the age at applying
    falls in (the year as ``submitted_at.year`` gives it, in UTC), else not stated."""
    whens = []
    for low, high, code in AGE_BANDS:
        inside = Q(birth_year__isnull=False)
        if low is not None:
            inside &= Q(age__gte=low)
        if high is not None:
            inside &= Q(age__lte=high)
        whens.append(When(inside, then=Value(code)))
    return Case(*whens, default=Value(NOT_STATED), output_field=CharField())


def diversity(rounds: list[RecruitmentRound], today: date) -> list[DiversityTable]:
    """One table per trait, in one grouped query whatever the number of applications: the
    applications counted by status, the gender as written, the age band, background,
    disability and whether they were employed, then grouped here by ``DIMENSIONS``."""
    employed = Participant.objects.filter(
        application__round__in=rounds,
        status=ParticipantStatus.COMPLETED,
        user__placements__starts_on__lte=today,
    ).values("application_id")
    rows = (
        Application.objects.filter(round__in=rounds)
        .annotate(age=ExtractYear("submitted_at", tzinfo=UTC) - F("birth_year"))
        .annotate(
            band=_age_band(),
            # One set of the employed, looked up per application (not a subquery per row).
            employed=ExpressionWrapper(Q(pk__in=employed), output_field=BooleanField()),
        )
        .values_list("status", "gender", "band", "background", "functioning", "employed")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[str, Counter[str]]] = {
        key: {"applied": Counter(), "admitted": Counter(), "employed": Counter()}
        for key, _label, _groups in DIMENSIONS
    }
    for status, gender, band, background, functioning, is_employed, n in rows:
        groups = {
            "gender": gender_group(gender),
            "age": band,
            "background": background or NOT_STATED,
            "functioning": functioning or NOT_STATED,
        }
        stages = ["applied"]
        if status == ApplicationStatus.ADMITTED:
            stages.append("admitted")
        if is_employed:
            stages.append("employed")
        for key, group in groups.items():
            for stage in stages:
                counts[key][stage][group] += n
    return [
        DiversityTable(
            key,
            label,
            [
                DiversityRow(
                    group_label,
                    shown_count(counts[key]["applied"][group]),
                    shown_count(counts[key]["admitted"][group]),
                    shown_count(counts[key]["employed"][group]),
                )
                for group, group_label in groups
            ],
        )
        for key, label, groups in DIMENSIONS
    ]
