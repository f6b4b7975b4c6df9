"""The one way to write the access log."""

from __future__ import annotations

import copy
import random
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.types import Viewer
from egenmakt.core.context import current_request_context
from egenmakt.core.network import client_ip
from egenmakt.core.rules import require

from .events import AuditEvent
from .models import (
    SAMPLED,
    AccessLog,
    Action,
    EmergencyAccess,
    LogReview,
    LogReviewItem,
    Outcome,
    ReviewOutcome,
    Verdict,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import Organisation, User

MAX_PATH = 300
MAX_REASON = 500


def _client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; an address that is not one (a unix socket's '') is left out.

    X-Forwarded-For counts only as far as TRUSTED_PROXY_HOPS says (core/network.py): the
    entries a client adds itself are never read.
    """
    return client_ip(request)


def _one_line(text: str, limit: int) -> str:
    """Control and bidi characters become spaces so a row cannot forge another (ASVS 16.4.1)."""
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()[:limit]


def _new_row(
    *,
    request: HttpRequest | None,
    actor: Viewer | None,
    action: str,
    obj: models.Model | None,
    organisation: models.Model | None,
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    emergency: bool = False,
) -> AccessLog:
    """An unsaved row with everything but the person, checked and cleaned."""
    if action not in Action.values:
        raise ValueError(f"Unknown access-log action: {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown access-log outcome: {outcome!r}")
    if actor is None and request is not None:
        actor = request.user
    signed_in = cast("User", actor) if getattr(actor, "is_authenticated", False) else None
    if request is not None:
        path, ip_address = request.path, _client_ip(request)
    else:
        # A service called inside a request: the middleware put path and address here.
        context = current_request_context()
        path, ip_address = context.path, context.ip_address
    row = AccessLog(
        actor=signed_in,
        action=action,
        outcome=outcome,
        organisation_id=organisation.pk if organisation is not None else None,
        reason=_one_line(reason, MAX_REASON),
        emergency=emergency,
        path=_one_line(path, MAX_PATH),
        ip_address=ip_address,
    )
    if obj is not None:
        row.object_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        row.object_id = str(obj.pk)
    return row


def log_access(
    *,
    request: HttpRequest | None = None,
    actor: Viewer | None = None,
    action: str = Action.VIEW,
    person: models.Model | None = None,
    obj: models.Model | None = None,
    organisation: models.Model | None = None,
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    emergency: bool = False,
) -> AccessLog:
    """Write one access-log row and return it.

    Call it *before* showing personal data: if the row cannot be written the exception
    propagates and the data is not shown (fail closed, ASVS 16.5.3). Only identifiers are
    stored, never the data itself (ASVS 16.2.5); the page path is kept without its query
    string so search terms never reach the log. The time is set by the database row's
    ``auto_now_add`` in UTC; callers cannot backdate a row.
    """
    row = _new_row(
        request=request,
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        outcome=outcome,
        reason=reason,
        emergency=emergency,
    )
    if person is not None:
        row.person_type = ContentType.objects.get_for_model(person, for_concrete_model=True)
        row.person_id = str(person.pk)
    row.save(force_insert=True)
    return row


# A person named by the kind of record and its id, for rows written without loading the
# person (the auditor's search by id, a list of emergency accesses, the admin's foreign keys).
PersonKey = tuple[ContentType, Any]


def _person_key_of(person: models.Model | PersonKey) -> tuple[ContentType, str]:
    if isinstance(person, models.Model):
        return ContentType.objects.get_for_model(person, for_concrete_model=True), str(person.pk)
    content_type, person_id = person
    return content_type, _one_line(str(person_id), 64)


def people_by_id(model: type[models.Model], ids: Iterable[Any]) -> list[PersonKey]:
    """People of one kind named by id (``participant.application_id``...), without a query."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return [(content_type, pk) for pk in ids if pk is not None]


def log_list_access(
    *,
    request: HttpRequest | None = None,
    actor: Viewer | None = None,
    people: Iterable[models.Model | PersonKey],
    action: str = Action.VIEW,
    obj: models.Model | None = None,
    organisation: models.Model | None = None,
    reason: str = "",
    emergency: bool = False,
) -> list[AccessLog]:
    """Write one access-log row for each distinct person a page shows, in one INSERT.

    PDL 4 kap. 3 § and HSLF-FS 2016:40 4 kap. 9 § ask that the log show whose data each
    user took part of; a list that names twenty clients discloses twenty people, so a
    single row without a person would not answer "who has seen me?" for any of them (the
    client's own log extract, 4 kap. 10 §, is built from the person column). Pass only the
    people actually on the page (after pagination or a search limit).

    A page that shows nobody still writes one row without a person, so the visit and its
    search are recorded and the page's query count does not depend on what it found. Call
    it before rendering: if the rows cannot be written, the page is not shown (ASVS 16.5.3).
    Inserted in one statement (PostgreSQL; SQLite splits beyond about 70 rows).
    """
    shown: dict[tuple[int, str], tuple[ContentType, str]] = {}
    for person in people:
        content_type, person_id = _person_key_of(person)
        shown.setdefault((content_type.pk, person_id), (content_type, person_id))
    # Nobody shown: one row without a person.
    keys: list[tuple[ContentType | None, str]] = [*shown.values()] or [(None, "")]
    # Everything but the person is the same on every row: checked and cleaned once, then
    # copied (a model's copy has its own state), which a list of 200 people notices.
    first = _new_row(
        request=request,
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        reason=reason,
        emergency=emergency,
    )
    rows = []
    for kind, person_id in keys:
        row = copy.copy(first)
        if kind is not None:
            row.person_type = kind
            row.person_id = person_id
        rows.append(row)
    return AccessLog.objects.bulk_create(rows)


class Refused(PermissionDenied):
    """A refusal of an act other than reading (an export, a change): ``handler403`` writes
    the denied row with this action instead of "view"."""

    def __init__(self, reason: str = "", *, action: str = Action.VIEW) -> None:
        super().__init__(reason)
        self.action = action


def log_denied(
    request: HttpRequest,
    *,
    reason: str = "",
    obj: models.Model | None = None,
    action: str = Action.VIEW,
) -> AccessLog:
    """Record a refused request (ASVS 16.3.2: failed authorisation is logged)."""
    return log_access(
        request=request, action=action, outcome=Outcome.DENIED, obj=obj, reason=reason
    )


# --- Emergency access (break the glass) -------------------------------------------------------

EMERGENCY_MINUTES_DEFAULT = 120
MIN_REASON_LENGTH = 10


def emergency_minutes() -> int:
    return int(getattr(settings, "EMERGENCY_ACCESS_MINUTES", EMERGENCY_MINUTES_DEFAULT))


def _person_key(person: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(person, for_concrete_model=True), str(person.pk)


@transaction.atomic
def grant_emergency_access(*, actor: User, person: models.Model, reason: str) -> EmergencyAccess:
    """Open a person's record for ``actor`` for a limited time, with the reason given.

    The grant and its access-log row are written together; the auditor sees the grant
    flagged until it has been reviewed.
    """
    reason = _one_line(reason, MAX_REASON)
    if len(reason) < MIN_REASON_LENGTH:
        raise ValueError("An emergency access needs a written reason.")
    person_type, person_id = _person_key(person)
    grant = EmergencyAccess.objects.create(
        actor=actor,
        person_type=person_type,
        person_id=person_id,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=emergency_minutes()),
    )
    log_access(
        actor=actor,
        action=Action.VIEW,
        person=person,
        obj=grant,
        reason=reason,
        emergency=True,
    )
    return grant


def active_emergency_access(actor: Viewer, person: models.Model) -> EmergencyAccess | None:
    """The actor's running emergency access to this person, if any."""
    if not getattr(actor, "is_authenticated", False):
        return None
    person_type, person_id = _person_key(person)
    return (
        EmergencyAccess.objects.filter(
            actor=cast("User", actor),
            person_type=person_type,
            person_id=person_id,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def review_emergency_access(
    *,
    reviewer: User,
    grant: EmergencyAccess,
    verdict: str,
    note: str = "",
) -> EmergencyAccess:
    """The auditor's verdict on one emergency access; reviewed once, by someone else."""
    if verdict not in Verdict.values:
        raise ValueError(f"Unknown verdict: {verdict!r}")
    if grant.actor_id == getattr(reviewer, "pk", None):
        raise PermissionError("Nobody reviews their own emergency access.")
    updated = EmergencyAccess.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(),
        reviewed_by=reviewer,
        verdict=verdict,
        review_note=_one_line(note, MAX_REASON),
    )
    if not updated:
        raise ValueError("This emergency access has already been reviewed.")
    grant.refresh_from_db()
    return grant


# --- Log review (loggkontroll) ------------------------------------------------------------------

MAX_SAMPLE = 500


def draw_sample(row_ids: list[int], *, seed: int, size: int) -> list[int]:
    """The sample a seed draws: the same seed over the same log draws the same rows."""
    population = sorted(row_ids)
    # Not a secret: the point is that the stored seed draws the same rows again.
    draw = random.Random(seed)  # noqa: S311
    return sorted(draw.sample(population, min(size, len(population))))


@transaction.atomic
def start_log_review(
    *,
    auditor: User,
    organisation: Organisation,
    period_start: date,
    period_end: date,
    sample_size: int,
    seed: int | None = None,
    now: datetime | None = None,
) -> LogReview:
    """Draw a review of one unit's reads in one period: a random sample of ``sample_size``
    allowed reads, plus every read an app's rule flags ("log_review_flags")."""
    from .review import review_flags
    from .selectors import audited_units, unit_reads

    require(audited_units(auditor).filter(pk=organisation.pk).exists(), "log review")
    today = timezone.localdate(now or timezone.now())
    if period_start > period_end:
        raise ValidationError(_("The end date must be on or after the start date."))
    if period_start > today:
        raise ValidationError(_("The period must have begun."))
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise ValidationError(_("Draw between 1 and %(max)s reads.") % {"max": MAX_SAMPLE})
    if seed is None:
        seed = secrets.randbelow(10**9)
    reads = unit_reads(organisation, period_start, period_end)
    row_ids = list(reads.order_by("id").values_list("id", flat=True))
    reasons: dict[int, list[str]] = {
        row_id: [SAMPLED] for row_id in draw_sample(row_ids, seed=seed, size=sample_size)
    }
    for flag in review_flags():
        for row_id in flag.find(reads):
            codes = reasons.setdefault(row_id, [])
            if flag.code not in codes:
                codes.append(flag.code)
    review = LogReview.objects.create(
        organisation=organisation,
        period_start=period_start,
        period_end=period_end,
        seed=seed,
        sample_size=sample_size,
        reads=len(row_ids),
        created_by=auditor,
    )
    LogReviewItem.objects.bulk_create(
        LogReviewItem(review=review, log_row_id=row_id, reasons=" ".join(codes))
        for row_id, codes in sorted(reasons.items())
    )
    log_access(
        actor=auditor,
        action=Action.CREATE,
        obj=review,
        organisation=organisation,
        reason=AuditEvent.LOG_REVIEW_STARTED,
    )
    return review


@transaction.atomic
def record_review_outcome(
    *, auditor: User, item: LogReviewItem, outcome: str, note: str = ""
) -> LogReviewItem:
    """The auditor's outcome for one item; it can be changed until the review is finished."""
    if outcome not in ReviewOutcome.values:
        raise ValidationError(_("Choose an outcome."))
    review = LogReview.objects.select_for_update().get(pk=item.review_id)
    if review.finished:
        raise ValidationError(_("This review is finished; its outcomes can no longer change."))
    item.outcome = outcome
    item.note = _one_line(note, MAX_REASON)
    item.reviewed_by = auditor
    item.reviewed_at = timezone.now()
    item.save(update_fields=["outcome", "note", "reviewed_by", "reviewed_at"])
    log_access(
        actor=auditor,
        action=Action.CHANGE,
        obj=item,
        organisation=review.organisation,
        reason=f"{AuditEvent.LOG_REVIEW_ITEM} {outcome}",
    )
    return item


@transaction.atomic
def finish_log_review(
    *, auditor: User, review: LogReview, now: datetime | None = None
) -> LogReview:
    """Close a review once every item has an outcome; it is then a document, unchanged."""
    review = LogReview.objects.select_for_update().get(pk=review.pk)
    if review.finished:
        raise ValidationError(_("This review is already finished."))
    if review.items.filter(outcome="").exists():
        raise ValidationError(_("Give every item an outcome before finishing the review."))
    review.finished_at = now or timezone.now()
    review.finished_by = auditor
    review.save(update_fields=["finished_at", "finished_by"])
    log_access(
        actor=auditor,
        action=Action.CHANGE,
        obj=review,
        organisation=review.organisation,
        reason=AuditEvent.LOG_REVIEW_FINISHED,
    )
    return review
