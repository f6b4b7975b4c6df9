"""The indicator "consultations answered" (issue 24): of the organisations asked in the
area's consultations whose deadline falls in the quarter, the share that answered by the
deadline (its day included, in local time). INFERRED definition: drafts are never asked,
so only sent or closed consultations count; a consultation counts in the quarter of its
deadline, so a closed quarter's value never changes (a late answer is after the deadline).

``consultations_answered`` is the definition for one quarter (two counts); the batch gives
every quarter at once in one grouped query (conditional aggregation, one pair of columns
per quarter); the tests hold the two equal on hand-built data.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q

from egenmakt.influence.models import (
    AskedOrganisation,
    CareArea,
    ConsultationAnswer,
    ConsultationStatus,
)

from .scope import Period, Units

COUNTED = (ConsultationStatus.SENT, ConsultationStatus.CLOSED)


def consultations_answered(areas: list[CareArea], period: Period) -> float | None:
    """Organisations asked in consultations with the deadline in the quarter: the share
    that answered by the deadline."""
    in_period = {
        "consultation__area__in": areas,
        "consultation__status__in": COUNTED,
        "consultation__deadline__gte": period.start,
        "consultation__deadline__lte": period.end,
    }
    asked = AskedOrganisation.objects.filter(**in_period).count()
    if not asked:
        return None
    answered = ConsultationAnswer.objects.filter(
        **in_period, answered_at__date__lte=F("consultation__deadline")
    ).count()
    return round(100 * answered / asked, 1)


def consultations_answered_batch(units: Units, periods: list[Period]) -> list[float | None]:
    if not periods:
        return []
    in_time = ConsultationAnswer.objects.filter(
        consultation_id=OuterRef("consultation_id"),
        organisation_id=OuterRef("organisation_id"),
        answered_at__date__lte=OuterRef("consultation__deadline"),
    )
    rows = AskedOrganisation.objects.filter(
        consultation__area__in=units.areas, consultation__status__in=COUNTED
    ).annotate(in_time=Exists(in_time))
    columns = {}
    for i, p in enumerate(periods):
        deadline = Q(consultation__deadline__gte=p.start, consultation__deadline__lte=p.end)
        columns[f"asked{i}"] = Count("pk", filter=deadline)
        columns[f"answered{i}"] = Count("pk", filter=deadline & Q(in_time=True))
    found = rows.aggregate(**columns)
    return [
        round(100 * found[f"answered{i}"] / found[f"asked{i}"], 1) if found[f"asked{i}"] else None
        for i in range(len(periods))
    ]
