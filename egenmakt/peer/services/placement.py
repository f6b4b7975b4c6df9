"""Workplaces, their readiness, and placing peer supporters (handbook pp. 16–19, 53)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import (
    CollaborationAgreement,
    Employer,
    PeerWorkplace,
    Placement,
    PlacementEvent,
    RecordKeeping,
    TaskDescription,
    TrainingAudience,
    WorkplaceTraining,
)
from egenmakt.peer.rules import (
    is_network_coordinator,
    may_place,
    may_see_workplace,
    may_train_user_organisation,
)
from egenmakt.peer.selectors.placement import active_placements, readiness
from egenmakt.peer.services.recruitment import RecruitmentError

# Handbook pp. 12–13: what a peer supporter should and should not do. The workplace and
# the peer supporters agree on each point; record keeping is decided locally.
TASK_POINTS: list[tuple[str, str]] = [
    ("everyday_focus", "should"),
    ("complements_staff", "should"),
    ("recovery_focus", "should"),
    ("relatives_if_wished", "should"),
    ("points_onwards", "should"),
    ("user_movement", "should"),
    ("part_of_team", "should"),
    ("no_treatment_views", "should_not"),
    ("no_other_tasks", "should_not"),
    ("no_digging", "should_not"),
    ("not_messenger", "should_not"),
    ("not_long_term_escort", "should_not"),
    ("not_isolated", "should_not"),
]
MIN_SHARE = 50  # Handbook: at least half time, so the peer supporter is an equal colleague.


class PlacementWarningsError(RecruitmentError):
    """The placement needs a written reason to go on; ``warnings`` says why."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


@transaction.atomic
def register_workplace(
    *, user: User, workplace: Organisation, network: Organisation
) -> PeerWorkplace:
    require(is_network_coordinator(user, network), "register workplace")
    if workplace.kind != "workplace":
        raise RecruitmentError(_("Only a workplace or service unit can receive peer supporters."))
    if PeerWorkplace.objects.filter(workplace=workplace).exists():
        raise RecruitmentError(_("This workplace is already registered."))
    row = PeerWorkplace.objects.create(workplace=workplace, network=network, registered_by=user)
    log_access(actor=user, action=Action.CREATE, obj=row, organisation=workplace)
    return row


@transaction.atomic
def save_task_description(
    *,
    user: User,
    workplace: PeerWorkplace,
    agreed_items: list[str],
    record_keeping: str,
    notes: str,
    agreed_by_peers: str,
    agreed_on: date | None,
) -> TaskDescription:
    require(may_see_workplace(user, workplace))
    known = {key for key, _kind in TASK_POINTS}
    if set(agreed_items) - known:
        raise RecruitmentError(_("Unknown point in the task description."))
    if record_keeping not in RecordKeeping.values:
        raise RecruitmentError(_("Choose how records are kept."))
    description, _created = TaskDescription.objects.select_for_update().get_or_create(
        workplace=workplace
    )
    description.agreed_items = [key for key, _kind in TASK_POINTS if key in agreed_items]
    description.record_keeping = record_keeping
    description.notes = notes.strip()
    description.agreed_by_peers = agreed_by_peers.strip()
    description.agreed_on = agreed_on
    description.agreed_by_workplace = user if agreed_on else None
    description.save()
    log_access(actor=user, action=Action.CHANGE, obj=description)
    return description


@transaction.atomic
def record_agreement(
    *,
    user: User,
    workplace: PeerWorkplace,
    document: Any = None,
    **fields: Any,
) -> CollaborationAgreement:
    from egenmakt.core.uploads import check_upload

    require(may_see_workplace(user, workplace))
    agreement = CollaborationAgreement(workplace=workplace, recorded_by=user, **fields)
    if document is not None:
        try:
            if check_upload(document) != "pdf":
                raise ValidationError(_("Upload the signed agreement as a PDF."))
        except ValidationError as exc:
            raise RecruitmentError(" ".join(exc.messages)) from exc
        agreement.document = document
    if agreement.valid_until and agreement.valid_until < agreement.valid_from:
        raise RecruitmentError(_("The agreement cannot end before it starts."))
    agreement.save()
    log_access(actor=user, action=Action.CREATE, obj=agreement)
    return agreement


@transaction.atomic
def add_training(
    *,
    user: User,
    workplace: PeerWorkplace,
    audience: str,
    day: date,
    theme: str,
    attended: int | None,
    attendees: str,
) -> WorkplaceTraining:
    require(may_see_workplace(user, workplace))
    if audience not in TrainingAudience.values:
        raise RecruitmentError(_("Unknown audience."))
    row = WorkplaceTraining.objects.create(
        workplace=workplace,
        # A user-organisation session held for this workplace belongs to the workplace's
        # user organisation (the network that registered it) and counts toward its readiness.
        user_organisation=(
            workplace.network if audience == TrainingAudience.USER_ORGANISATION else None
        ),
        audience=audience,
        day=day,
        theme=theme.strip(),
        attended=attended,
        attendees=attendees.strip(),
        recorded_by=user,
    )
    log_access(actor=user, action=Action.CREATE, obj=row)
    return row


@transaction.atomic
def add_user_organisation_training(
    *,
    user: User,
    organisation: Organisation,
    day: date,
    theme: str,
    attended: int | None,
    attendees: str,
) -> WorkplaceTraining:
    """One of the user organisation's own two to three sessions (handbook p. 20)."""
    require(may_train_user_organisation(user, organisation), "user organisation training")
    if not theme.strip():
        raise RecruitmentError(_("Give the theme of the session."))
    row = WorkplaceTraining.objects.create(
        user_organisation=organisation,
        audience=TrainingAudience.USER_ORGANISATION,
        day=day,
        theme=theme.strip(),
        attended=attended,
        attendees=attendees.strip(),
        recorded_by=user,
    )
    log_access(
        actor=user,
        action=Action.CREATE,
        obj=row,
        organisation=organisation,
        reason=AuditEvent.USER_ORGANISATION_TRAINING,
    )
    return row


def placement_warnings(
    workplace: PeerWorkplace, share_percent: int, language: str = "sv", employer: str = ""
) -> list[str]:
    warnings = []
    state = readiness(workplace, language)
    if not state.ready:
        warnings.append(
            _("The workplace is not ready: %(missing)s") % {"missing": "; ".join(state.missing)}
        )
    own = state.user_organisation
    if employer == Employer.USER_ORGANISATION and own is not None and not own.ready:
        # User-run staffing: the user organisation employs the peer supporter, so its own
        # preparation (handbook p. 20) comes before the start as the workplace's does.
        warnings.append(
            _(
                "The user organisation %(name)s is the employer and has had %(held)s of "
                "%(needed)s training sessions."
            )
            % {"name": own.organisation.name, "held": own.held, "needed": own.needed}
        )
    if active_placements(workplace).count() + 1 < 2:
        warnings.append(
            _("The workplace would have only one peer supporter; the handbook recommends two.")
        )
    if share_percent < MIN_SHARE:
        warnings.append(
            _("The share is below half time; the handbook asks for at least half time.")
        )
    return warnings


@transaction.atomic
def place(
    *,
    user: User,
    workplace: PeerWorkplace,
    peer_supporter: User,
    starts_on: date,
    employer: str,
    share_percent: int,
    contact_person: str,
    supervisor: User | None,
    override_reason: str = "",
) -> Placement:
    """Place a trained peer supporter at a workplace.

    A workplace that is not ready, a lone peer supporter or less than half time each need a
    written reason to go on (``PlacementWarningsError`` lists them); the reason is kept.
    """
    locked = (
        PeerWorkplace.objects.select_for_update()
        .select_related("workplace", "network")
        .get(pk=workplace.pk)
    )
    require(may_place(user, locked))
    if employer not in Employer.values:
        raise RecruitmentError(_("Choose the employer."))
    if not 1 <= share_percent <= 100:
        raise RecruitmentError(_("Give the share of full time as 1–100 %."))
    if not Membership.objects.filter(user=peer_supporter, role=Role.PEER_SUPPORTER).exists():
        raise RecruitmentError(
            _("Only peer supporters who have completed the course can be placed.")
        )
    if (
        supervisor is not None
        and not Membership.objects.filter(user=supervisor, role=Role.SUPERVISOR).exists()
    ):
        raise RecruitmentError(_("The supervisor must have the supervisor role."))
    warnings = placement_warnings(locked, share_percent, employer=employer)
    if warnings and not override_reason.strip():
        raise PlacementWarningsError(warnings)
    placement = Placement.objects.create(
        peer_supporter=peer_supporter,
        workplace=locked,
        starts_on=starts_on,
        employer=employer,
        share_percent=share_percent,
        contact_person=contact_person.strip(),
        supervisor=supervisor,
        warnings=warnings,
        override_reason=override_reason.strip() if warnings else "",
        created_by=user,
    )
    PlacementEvent.objects.create(
        placement=placement,
        kind="started",
        note=_("Despite warnings: %(reason)s") % {"reason": override_reason.strip()[:250]}
        if warnings
        else "",
        by=user,
    )
    log_access(actor=user, action=Action.CREATE, person=peer_supporter, obj=placement)
    return placement


@transaction.atomic
def end_placement(
    *,
    user: User,
    placement: Placement,
    ends_on: date,
    reason: str,
) -> Placement:
    locked = (
        Placement.objects.select_for_update()
        .select_related("workplace__network")
        .get(pk=placement.pk)
    )
    require(may_place(user, locked.workplace), "end placement")
    if not reason.strip():
        raise RecruitmentError(_("Say why the placement ends."))
    if ends_on < locked.starts_on:
        raise RecruitmentError(_("A placement cannot end before it starts."))
    locked.ends_on = ends_on
    locked.end_reason = reason.strip()[:300]
    locked.save(update_fields=["ends_on", "end_reason"])
    PlacementEvent.objects.create(placement=locked, kind="ended", note=locked.end_reason, by=user)
    log_access(actor=user, action=Action.CHANGE, person=locked.peer_supporter, obj=locked)
    return locked
