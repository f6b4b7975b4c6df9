"""Reads of the booked mapping sessions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.coordination.access import ClientAccess, visible_q
from egenmakt.coordination.models import Client, MappingSession, SessionStatus


def _rows(client: Client) -> QuerySet[MappingSession]:
    return MappingSession.objects.filter(client=client).prefetch_related(
        "booked", "attended", "steps"
    )


def sessions_for(access: ClientAccess, client: Client) -> list[MappingSession]:
    return list(_rows(client).filter(visible_q(access, has_shared_flag=False)))


def get_session_for(access: ClientAccess, client: Client, session_id: int) -> MappingSession:
    session = _rows(client).filter(visible_q(access, has_shared_flag=False), pk=session_id).first()
    if session is None:
        raise Http404
    return session


def upcoming_for_client(client: Client) -> list[MappingSession]:
    """The client's own booked sessions ahead (the portal's start page)."""
    return list(
        MappingSession.objects.filter(
            client=client, status=SessionStatus.BOOKED, starts_at__gte=timezone.now()
        )
        .prefetch_related("booked")
        .order_by("starts_at")[:10]
    )
