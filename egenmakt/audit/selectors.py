"""Read queries on the access log, always scoped to what the auditor may review."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles

from .models import AccessLog


def access_log_for_auditor(auditor: Any) -> QuerySet[AccessLog]:
    """Rows an auditor may review: acts done in, or by members of, the auditor's organisations.

    Scoped by construction: a user without the auditor role gets an empty queryset.
    """
    paths = [h.organisation_path for h in held_roles(auditor) if h.role == Role.AUDITOR]
    if not paths:
        return AccessLog.objects.none()
    in_scope = Q()
    for path in paths:
        in_scope |= Q(organisation__path__startswith=path)
        in_scope |= Q(actor__memberships__organisation__path__startswith=path)
    matching = AccessLog.objects.filter(in_scope).values("pk")
    return (
        AccessLog.objects.filter(pk__in=matching)
        .select_related("actor", "organisation", "person_type", "object_type")
        .order_by("-occurred_at", "-id")
    )


def search_access_log(
    queryset: QuerySet[AccessLog],
    *,
    user: str = "",
    person_type: Any = None,
    person_id: str = "",
    since: date | None = None,
    until: date | None = None,
    action: str = "",
    outcome: str = "",
) -> QuerySet[AccessLog]:
    if user:
        queryset = queryset.filter(
            Q(actor__email__icontains=user) | Q(actor__full_name__icontains=user)
        )
    if person_type is not None:
        queryset = queryset.filter(person_type=person_type)
    if person_id:
        queryset = queryset.filter(person_id=person_id)
    tz = timezone.get_current_timezone()
    if since:
        queryset = queryset.filter(occurred_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        queryset = queryset.filter(occurred_at__lt=end)
    if action:
        queryset = queryset.filter(action=action)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    return queryset
