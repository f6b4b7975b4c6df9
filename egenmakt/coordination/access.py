"""Who reaches which client, and the read queries of the coordination pages.

One rule decides access, and it lives in SQL (``covered_seats``) so the client list and
the object check can never disagree:

* a person reaches a client through an active seat in the client's care team;
* a seat acting for the client's home organisation needs nothing more;
* a seat acting for another organisation needs a valid consent (given, not revoked, not
  expired) that names that organisation, and a case manager's seat needs the consent to
  name them too.

Revoking a consent takes effect on the next query: nothing is cached beyond one request.
Emergency access (``audit.EmergencyAccess``) gives a limited-time, read-only view of the
shared work to someone outside the team.

An archived record (closed) and a restricted one (GDPR art. 18) are *sealed*: the care
team and the auditors of the client's organisation (or above it) reach it only after
giving a reason (``ArchiveAccess``, valid a few hours), every read then logs that reason,
and nobody changes it. An archived record is out of the client lists and emergency
access does not open it; a restricted one stays in the lists, marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.audit.models import EmergencyAccess
from egenmakt.audit.selectors import audited_units
from egenmakt.audit.services import active_emergency_access

from .models import (
    ArchiveAccess,
    CareTeamMember,
    Client,
    Consent,
    StepRecord,
    TeamRole,
)

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer


def valid_consents(today: date | None = None) -> QuerySet[Consent]:
    today = today or timezone.localdate()
    return Consent.objects.filter(revoked_at__isnull=True, given_on__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def covered_seats(user: Viewer) -> QuerySet[CareTeamMember]:
    """The user's active care-team seats that give access now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CareTeamMember.objects.none()
    consents = valid_consents()
    covers_organisation = Exists(
        consents.filter(client=OuterRef("client_id"), organisations=OuterRef("organisation_id"))
    )
    names_the_person = Exists(
        consents.filter(
            client=OuterRef("client_id"),
            organisations=OuterRef("organisation_id"),
            case_managers=OuterRef("user_id"),
        )
    )
    return CareTeamMember.objects.filter(user=user, ended_on__isnull=True).filter(
        Q(organisation_id=F("client__organisation_id"))
        | names_the_person
        | (~Q(role=TeamRole.CASE_MANAGER) & covers_organisation)
    )


@dataclass(frozen=True)
class ClientAccess:
    """What one user may do with one client, decided once per request."""

    client_id: int
    seat: CareTeamMember | None
    emergency: EmergencyAccess | None
    consent_valid: bool
    # Archived or restricted: reads need a reason (``grant``), nothing is changed.
    sealed: bool = False
    grant: ArchiveAccess | None = None
    # An auditor of the client's organisation or above: reaches a sealed record only.
    auditor: bool = False

    @property
    def may_open_sealed(self) -> bool:
        """The care team and the auditor may open the sealed record, after a reason."""
        return self.sealed and (self.seat is not None or self.auditor)

    @property
    def needs_reason(self) -> bool:
        return self.may_open_sealed and self.grant is None and self.emergency is None

    @property
    def can_view(self) -> bool:
        if self.sealed:
            return (self.may_open_sealed and self.grant is not None) or self.emergency is not None
        return self.seat is not None or self.emergency is not None

    @property
    def in_team(self) -> bool:
        return self.seat is not None

    @property
    def joint_work(self) -> bool:
        """May add to the joint work: a covered seat, under a valid consent."""
        return self.seat is not None and self.consent_valid


def _cache(user: Viewer) -> dict[int, ClientAccess]:
    cache: dict[int, ClientAccess] | None = getattr(user, "_egenmakt_client_access", None)
    if cache is None:
        cache = {}
        setattr(user, "_egenmakt_client_access", cache)  # noqa: B010 (a Viewer has no such field)
    return cache


def client_access(user: Viewer, client: Client) -> ClientAccess:
    """The user's access to the client; cached on the request's user object only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ClientAccess(client.pk, None, None, False)
    cache = _cache(user)
    if client.pk not in cache:
        seat = (
            covered_seats(user)
            .filter(client_id=client.pk)
            .select_related("organisation")
            .order_by("id")
            .first()
        )
        # Emergency access never opens the archive: it is for care going on now.
        emergency = (
            None
            if seat is not None or client.is_archived
            else active_emergency_access(user, client)
        )
        consent_valid = valid_consents().filter(client_id=client.pk).exists()
        sealed = client.reads_need_reason
        grant = auditor = None
        if sealed:
            auditor = holds_role_in(user, Role.AUDITOR, client.organisation)
            grant = active_archive_access(user, client)
        cache[client.pk] = ClientAccess(
            client.pk, seat, emergency, consent_valid, sealed, grant, bool(auditor)
        )
    return cache[client.pk]


def active_archive_access(user: Viewer, client: Client) -> ArchiveAccess | None:
    """The user's running reason to read this sealed record, if any."""
    return (
        ArchiveAccess.objects.filter(
            user_id=cast("int", user.pk), client_id=client.pk, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


class ReasonRequired(Http404):
    """A sealed record the user may open after giving a reason. A 404 wherever nobody
    catches it; the client pages send the user to the reason form instead."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client


def forget_client_access(user: Viewer) -> None:
    if hasattr(user, "_egenmakt_client_access"):
        del user._egenmakt_client_access


def visible_q(access: ClientAccess, *, has_shared_flag: bool) -> Q:
    """Which entries of a kind this access reads (see ``ClientAccess``)."""
    if access.seat is not None:
        own = Q(organisation_id=access.seat.organisation_id)
        if not access.consent_valid:
            return own
        # Under a valid consent the joint work is everyone's in the team.
        return (own | Q(shared=True)) if has_shared_flag else Q()
    if access.emergency is not None:
        return Q(shared=True) if has_shared_flag else Q()
    if access.auditor and access.grant is not None:
        # The auditor reviews the record as it was kept.
        return Q()
    return Q(pk__in=[])


def get_client_for(user: Viewer, client_id: Any) -> Client:
    """The client, or 404 when missing or out of the user's reach."""
    try:
        client = Client.objects.select_related("organisation").filter(pk=int(client_id)).first()
    except (TypeError, ValueError):
        client = None
    if client is None:
        raise Http404
    access = client_access(user, client)
    if access.needs_reason:
        raise ReasonRequired(client)
    if not access.can_view:
        raise Http404
    return client


def clients_for(user: Viewer) -> QuerySet[Client]:
    """The clients the user works with now, with what the list shows, in constant queries."""
    ors_submitted = StepRecord.objects.filter(
        client=OuterRef("pk"), step="ors", response__status="submitted"
    )
    return (
        Client.objects.filter(
            pk__in=covered_seats(user).values("client_id"), archived_at__isnull=True
        )
        .select_related("organisation")
        .annotate(
            has_consent=Exists(valid_consents().filter(client=OuterRef("pk"))),
            has_ors=Exists(ors_submitted),
        )
        .prefetch_related(
            Prefetch(
                "team",
                queryset=CareTeamMember.objects.filter(ended_on__isnull=True)
                .select_related("user", "organisation")
                .order_by("role", "id"),
                to_attr="active_team",
            )
        )
        .order_by("full_name", "id")
    )


def archived_clients_for(user: Viewer) -> QuerySet[Client]:
    """The archive: closed records of the user's care teams, and for an auditor every
    archived record under the organisations where they audit."""
    reach = Q(pk__in=covered_seats(user).values("client_id"))
    reach |= Q(organisation__in=audited_units(user).values("pk"))
    return (
        Client.objects.filter(reach, archived_at__isnull=False)
        .select_related("organisation")
        .order_by("-archived_at", "id")
    )
