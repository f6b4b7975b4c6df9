"""The work log's use-cases: a peer supporter records, changes and removes their own
entries. Only they write; an entry is in one of their own placements running that day, on
a day not ahead and not older than the window in which entries may change."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import EDITABLE_DAYS, Placement, WorkLogEntry
from egenmakt.peer.selectors.worklog import is_editable
from egenmakt.peer.services.recruitment import RecruitmentError


def _check(user: User, placement: Placement, day: date) -> None:
    today = timezone.localdate()
    if day > today:
        raise RecruitmentError(_("The day cannot be in the future."))
    if day < today - timedelta(days=EDITABLE_DAYS):
        raise RecruitmentError(
            _("Work can be logged at most %(days)s days back.") % {"days": EDITABLE_DAYS}
        )
    if placement.peer_supporter_id != user.pk:
        raise RecruitmentError(_("Choose one of your own placements."))
    if placement.starts_on > day or (placement.ends_on is not None and placement.ends_on < day):
        raise RecruitmentError(_("The placement was not running on that day."))


def _save(entry: WorkLogEntry) -> None:
    try:
        entry.full_clean(exclude=["peer_supporter", "placement"])
    except ValidationError as exc:
        raise RecruitmentError(" ".join(exc.messages)) from exc
    entry.save()


@transaction.atomic
def record_entry(
    *,
    user: User,
    placement: Placement,
    day: date,
    kind: str,
    minutes: int,
    setting: str,
    themes: list[str],
) -> WorkLogEntry:
    _check(user, placement, day)
    entry = WorkLogEntry(
        peer_supporter=user,
        placement=placement,
        day=day,
        kind=kind,
        minutes=minutes,
        setting=setting,
        themes=list(themes),
    )
    _save(entry)
    log_access(
        actor=user, action=Action.CREATE, person=user, obj=entry, reason=AuditEvent.WORK_LOGGED
    )
    return entry


@transaction.atomic
def change_entry(
    *,
    user: User,
    entry: WorkLogEntry,
    placement: Placement,
    day: date,
    kind: str,
    minutes: int,
    setting: str,
    themes: list[str],
) -> WorkLogEntry:
    require(entry.peer_supporter_id == user.pk, "work log")
    require(is_editable(entry), "work log entry too old to change")
    _check(user, placement, day)
    entry.placement, entry.day, entry.kind = placement, day, kind
    entry.minutes, entry.setting, entry.themes = minutes, setting, list(themes)
    _save(entry)
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=user,
        obj=entry,
        reason=AuditEvent.WORK_LOG_CHANGED,
    )
    return entry


@transaction.atomic
def delete_entry(*, user: User, entry: WorkLogEntry) -> None:
    require(entry.peer_supporter_id == user.pk, "work log")
    require(is_editable(entry), "work log entry too old to change")
    log_access(
        actor=user,
        action=Action.DELETE,
        person=user,
        obj=entry,
        reason=AuditEvent.WORK_LOG_REMOVED,
    )
    entry.delete()
