"""Reads of consultations (remiss): an area's consultations, the answers, who has not
answered, the ones a member's organisations are asked in, and what the public pages show
(only published consultations; organisations by name, never people).
``consultation_services`` changes them; ``rules`` says who may."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from .models import (
    CareArea,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    Forum,
    InfluenceOrganisation,
)


def is_open(consultation: Consultation, today: date | None = None) -> bool:
    """Answers are taken while it is sent out, up to and including the deadline's day."""
    today = today or timezone.localdate()
    return consultation.status == ConsultationStatus.SENT and today <= consultation.deadline


def area_consultations(area: CareArea) -> QuerySet[Consultation]:
    return area.consultations.annotate(
        asked_count=Count("asked", distinct=True), answer_count=Count("answers", distinct=True)
    ).order_by("-deadline", "-pk")


def answers(consultation: Consultation) -> list[ConsultationAnswer]:
    return list(consultation.answers.select_related("organisation").order_by("organisation__name"))


def answer_of(
    consultation: Consultation, organisation: InfluenceOrganisation
) -> ConsultationAnswer | None:
    return ConsultationAnswer.objects.filter(
        consultation=consultation, organisation=organisation
    ).first()


def not_answered(consultation: Consultation) -> list[InfluenceOrganisation]:
    return list(
        InfluenceOrganisation.objects.filter(consultations=consultation)
        .exclude(consultation_answers__consultation=consultation)
        .order_by("name")
    )


def consultations_for(organisations: list[InfluenceOrganisation]) -> QuerySet[Consultation]:
    """The sent or closed consultations asking any of ``organisations``."""
    return (
        Consultation.objects.filter(
            organisations__in=organisations,
            status__in=[ConsultationStatus.SENT, ConsultationStatus.CLOSED],
        )
        .select_related("area")
        .distinct()
        .order_by("-deadline", "-pk")
    )


# --- The public pages ---------------------------------------------------------------------


def published_consultations() -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(published=True)
        .exclude(status=ConsultationStatus.DRAFT)
        .select_related("area")
        .order_by("-deadline", "-pk")
    )


def public_consultation(pk: int) -> Consultation | None:
    return (
        published_consultations()
        .prefetch_related(
            Prefetch(
                "organisations",
                queryset=InfluenceOrganisation.objects.order_by("name"),
                to_attr="asked_list",
            )
        )
        .filter(pk=pk)
        .first()
    )


def public_forums(area: CareArea) -> list[Forum]:
    """The area's forums running today, each with the organisations that have a
    representative's seat in it (names of organisations only, never of people)."""
    today = timezone.localdate()
    forums = list(
        area.forums.exclude(ended_on__lt=today)
        .exclude(started_on__gt=today)
        .select_related("unit")
        .order_by("level", "name")
    )
    seated: dict[int, list[str]] = {}
    rows = (
        InfluenceOrganisation.objects.filter(
            forum_seats__forum__in=forums,
            forum_seats__capacity="representative",
            forum_seats__until__isnull=True,
        )
        .values_list("forum_seats__forum_id", "name")
        .distinct()
        .order_by("name")
    )
    for forum_id, name in rows:
        seated.setdefault(forum_id, []).append(name)
    for forum in forums:
        forum.seated_names = seated.get(forum.pk, [])  # type: ignore[attr-defined]
    return forums
