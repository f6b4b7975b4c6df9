"""Public pages (no login): the directory of organisations, each area's calendar, its
influence forums, and the published consultations (remiss).

Only what an organisation chose to publish, and only approved activities, ever appear.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from egenmakt.core.calendar import CalendarEvent, calendar_file

from . import consultation_selectors
from .models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CareArea,
    InfluenceOrganisation,
    Level,
)


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    organisations = (
        InfluenceOrganisation.objects.filter(published=True)
        .prefetch_related("areas")
        .order_by("name")
    )
    area = None
    if request.GET.get("omrade"):
        area = CareArea.objects.filter(slug=request.GET["omrade"]).first()
        if area is not None:
            organisations = organisations.filter(areas=area)
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(focus__icontains=query) | Q(activities__icontains=query)
        )
    page = Paginator(organisations, 20).get_page(request.GET.get("sida"))
    params = {k: v for k, v in (("q", query), ("omrade", area.slug if area else "")) if v}
    return render(
        request,
        "influence/public_directory.html",
        {
            "page": page,
            "query": query,
            "querystring": urlencode(params),
            "area": area,
            "areas": CareArea.objects.order_by("name"),
        },
    )


@require_GET
def forum_areas(request: HttpRequest) -> HttpResponse:
    """The care-collaboration areas, each linking to its influence forums."""
    return render(
        request, "influence/public_forum_areas.html", {"areas": CareArea.objects.order_by("name")}
    )


@require_GET
def forums(request: HttpRequest, slug: str) -> HttpResponse:
    """An area's influence forums running today, by level, with the organisations that
    have a representative in each: organisations by name, never people."""
    area = area_by_slug(slug)
    running = consultation_selectors.public_forums(area)
    by_level = [(label, [f for f in running if f.level == value]) for value, label in Level.choices]
    return render(request, "influence/public_forums.html", {"area": area, "by_level": by_level})


@require_GET
def consultations(request: HttpRequest) -> HttpResponse:
    found = consultation_selectors.published_consultations()
    page = Paginator(found, 20).get_page(request.GET.get("sida"))
    return render(request, "influence/public_consultations.html", {"page": page})


@require_GET
def consultation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """A published consultation: the question, the organisations asked, the summary once
    written. Never the answers' writers, nor anyone's name."""
    found = consultation_selectors.public_consultation(consultation_id)
    if found is None:
        raise Http404
    return render(
        request,
        "influence/public_consultation.html",
        {"consultation": found, "asked": found.asked_list},  # type: ignore[attr-defined]
    )


def area_by_slug(slug: str) -> CareArea:
    """The area named in the address, else 404 (the public pages and the API)."""
    area = CareArea.objects.filter(slug=slug).first()
    if area is None:
        raise Http404
    return area


def approved_activities(area: CareArea) -> QuerySet[Activity]:
    """What the public calendar shows of an area (the pages, the feed and the API)."""
    return Activity.objects.filter(area=area, status=ActivityStatus.APPROVED).select_related(
        "organisation"
    )


@require_GET
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_by_slug(slug)
    activities = approved_activities(area)
    kind = request.GET.get("typ", "")
    if kind in ActivityKind.values:
        activities = activities.filter(kind=kind)
    organisation_id = request.GET.get("organisation", "")
    if organisation_id.isdigit():
        activities = activities.filter(organisation_id=int(organisation_id))
    past = request.GET.get("tidigare") == "1"
    now = timezone.now()
    if past:
        activities = activities.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        activities = activities.filter(ends_at__gte=now).order_by("starts_at")
    page = Paginator(activities, 30).get_page(request.GET.get("sida"))
    params = {
        k: v
        for k, v in (
            ("typ", kind),
            ("organisation", organisation_id),
            ("tidigare", "1" if past else ""),
        )
        if v
    }
    return render(
        request,
        "influence/public_calendar.html",
        {
            "area": area,
            "page": page,
            "kinds": ActivityKind.choices,
            "kind": kind,
            "organisations": area.organisations.filter(calendar_activities__status="approved")
            .distinct()
            .order_by("name"),
            "organisation_id": organisation_id,
            "past": past,
            "querystring": urlencode(params),
        },
    )


@require_GET
def feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's approved activities from the last 90 days on, as iCalendar."""
    area = area_by_slug(slug)
    since = timezone.now() - timedelta(days=90)
    events = [
        CalendarEvent(
            uid=f"{activity.uid}@egenmakt",
            stamp=activity.decided_at or activity.submitted_at,
            starts=activity.starts_at,
            ends=activity.ends_at,
            summary=activity.title,
            description=f"{activity.organisation.name}\n{activity.description}".strip(),
            location=activity.place,
            categories=[activity.get_kind_display()],
        )
        for activity in approved_activities(area)
        .filter(ends_at__gte=since)
        .order_by("starts_at")[:1000]
    ]
    body = calendar_file(events, product="Kalender", name=area.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{area.slug}.ics"'
    return response
