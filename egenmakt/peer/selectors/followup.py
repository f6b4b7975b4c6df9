"""Follow-up of trained peer supporters: reunions and further training, and sick leave.

The coordinator follows up every course graduate, employed or still waiting for a job,
with reunions (återträffar) and further training (handbook pp. 17, 21). An event invites
all of the network's peer supporters at once, by e-mail with a calendar file.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import Viewer
from egenmakt.peer.models import (
    FollowUpEvent,
    FollowUpInvitation,
    Placement,
)


def _working() -> Any:
    today = timezone.localdate()
    return Placement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), peer_supporter=OuterRef("pk")
    )


def trained_peer_supporters(network: Organisation) -> QuerySet[User]:
    """Everyone holding the peer-supporter role in the network's tree, with ``working``
    telling who has a job today."""
    members = Membership.objects.filter(
        role=Role.PEER_SUPPORTER, organisation__path__startswith=network.path
    ).values("user_id")
    return (
        User.objects.filter(pk__in=members, is_active=True)
        .annotate(working=Exists(_working()))
        .order_by("full_name")
    )


def events_for(user: Viewer) -> QuerySet[FollowUpEvent]:
    """Events of the networks the user coordinates."""
    paths = [h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR]
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(network__path__startswith=path)
    return FollowUpEvent.objects.filter(condition).select_related("network")


def get_event_for(user: Viewer, event_id: Any) -> FollowUpEvent:
    event = events_for(user).filter(pk=int(event_id or 0)).first()
    if event is None:
        raise Http404
    return event


def invitations_of(user: User) -> QuerySet[FollowUpInvitation]:
    return (
        FollowUpInvitation.objects.filter(peer_supporter=user)
        .select_related("event")
        .order_by("-event__starts_at")
    )
