"""Read queries on the access log, always scoped to what the auditor may review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from egenmakt.accounts.models import Membership, Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.core.registry import contributions

from .models import (
    AccessLog,
    Action,
    EmergencyAccess,
    LogReview,
    LogReviewItem,
    Outcome,
    kind_label,
)
from .registry import is_person_model


def _auditor_paths(auditor: Any) -> list[str]:
    return [h.organisation_path for h in held_roles(auditor) if h.role == Role.AUDITOR]


def _under(paths: list[str]) -> QuerySet[Organisation]:
    """The organisations at or below any of ``paths`` (none for no path)."""
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return Organisation.objects.filter(under)


def _audited(auditor: Any) -> tuple[QuerySet[Organisation, Any], Q] | None:
    """The organisations under the auditor's, and a condition on ``actor`` for the people
    who act in them; None for a user without the auditor role."""
    paths = _auditor_paths(auditor)
    if not paths:
        return None
    organisations = _under(paths).values("pk")
    members = Membership.objects.filter(organisation__in=organisations).values("user_id")
    actors = Q(actor__in=members)
    # People who act without a membership (a client on their own pages) belong to an
    # organisation through another app: its "actor_scopes" (egenmakt/core/registry.py).
    for scope in contributions("actor_scopes"):
        actors |= Q(actor__in=scope(organisations))
    return organisations, actors


def access_log_for_auditor(auditor: Any) -> QuerySet[AccessLog]:
    """Rows an auditor may review: acts done in, or by members of, the auditor's organisations.

    Scoped by construction: a user without the auditor role gets an empty queryset. Each
    condition is a semi-join on an indexed column, so no row is repeated and the planner
    can walk the ``occurred_at`` index for the newest page.
    """
    audited = _audited(auditor)
    if audited is None:
        return AccessLog.objects.none()
    organisations, actors = audited
    condition = Q(organisation__in=organisations) | actors
    return (
        AccessLog.objects.filter(condition)
        .select_related("actor", "organisation", "person_type", "object_type")
        .order_by("-occurred_at", "-id")
    )


def emergency_accesses_for_auditor(auditor: Any) -> QuerySet[EmergencyAccess]:
    """Emergency accesses an auditor reviews: those taken by people of the auditor's
    organisations, the same auditors who see the grant's own row in the access log. The
    list says who opened which record and why, so another region's auditor must never see
    it (nor review it)."""
    audited = _audited(auditor)
    if audited is None:
        return EmergencyAccess.objects.none()
    _organisations, actors = audited
    return EmergencyAccess.objects.filter(actors)


def search_access_log(
    queryset: QuerySet[AccessLog],
    *,
    user: str = "",
    person_type: ContentType | None = None,
    person_id: str = "",
    since: date | None = None,
    until: date | None = None,
    action: str = "",
    outcome: str = "",
) -> QuerySet[AccessLog]:
    """Narrow the rows; dates are whole days in the app's time zone, both ends included."""
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


def with_reason_labels(rows: Iterable[AccessLog | None]) -> None:
    """Set ``reason_text`` on each row to its reason as the reader reads it, a
    questionnaire named by its title (one query for the page, not one per row)."""
    from .reasons import detail_names, reason_label

    found = [row for row in rows if row is not None]
    details = detail_names(row.reason for row in found)
    for row in found:
        row.reason_text = reason_label(row.reason, details)


def with_display(rows: Iterable[AccessLog]) -> None:
    """What the log's table shows of each row, worked out once here rather than by
    filters and lookups per cell: the local day and time, the action and outcome in the
    reader's language, and the kinds of record by name (one label per kind)."""
    actions = dict(Action.choices)
    outcomes = dict(Outcome.choices)
    kinds: dict[int, str] = {}

    def kind(type_id: int) -> str:
        if type_id not in kinds:
            kinds[type_id] = kind_label(ContentType.objects.get_for_id(type_id))
        return kinds[type_id]

    for row in rows:
        local = timezone.localtime(row.occurred_at)
        row.shown_iso = local.isoformat()
        row.shown_day = local.strftime("%Y-%m-%d")
        row.shown_clock = local.strftime("%H:%M:%S")
        row.action_text = str(actions.get(row.action, row.action))
        row.outcome_text = str(outcomes.get(row.outcome, row.outcome))
        row.shown_person = (
            f"{kind(row.person_type_id)} #{row.person_id}" if row.person_type_id else ""
        )
        row.shown_object = (
            f"{kind(row.object_type_id)} #{row.object_id}" if row.object_type_id else ""
        )


def with_person_names(rows: Iterable[AccessLog | EmergencyAccess | None]) -> None:
    """Set ``person_name`` on each row (of the log, or an emergency access) to the current
    name of the person it is about, in
    one query for the page whatever kinds of person it holds (client, user, applicant: a
    UNION of one small select per kind), never one per row. The auditor may see who was
    read; the row itself keeps the id only, so a name corrected or erased since reads as it
    is now (or not at all)."""
    by_kind: dict[int, list[AccessLog | EmergencyAccess]] = defaultdict(list)
    for row in rows:
        if row is not None and row.person_type_id and row.person_id:
            by_kind[row.person_type_id].append(row)
    selects = []
    for kind_id, kind_rows in by_kind.items():
        model = ContentType.objects.get_for_id(kind_id).model_class()
        if model is None or not is_person_model(model):
            continue
        if "full_name" not in {f.name for f in model._meta.get_fields()}:
            continue
        ids = set()
        for row in kind_rows:
            try:
                ids.add(model._meta.pk.to_python(row.person_id))
            except ValidationError:
                continue
        selects.append(
            model._default_manager.filter(pk__in=ids)
            .annotate(kind=Value(kind_id), key=Cast("pk", CharField()))
            .values_list("kind", "key", "full_name")
            .order_by()
        )
    if not selects:
        return
    query = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    found = {(kind, key): name for kind, key, name in query}
    for kind_id, kind_rows in by_kind.items():
        for row in kind_rows:
            row.person_name = found.get((kind_id, row.person_id), "")


# --- Keyset pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KeysetPage:
    """One page of the log, newest first, found by where the last page ended instead of
    by an offset: no page costs a COUNT(*) over the whole log, and the database reads
    just the page's rows from the ``occurred_at`` index whatever the log's size.

    ``older`` and ``newer`` are the cursors of the links to the neighbouring pages (none
    when there is nothing that way)."""

    object_list: list[AccessLog]
    older: str | None
    newer: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def cursor(row: AccessLog) -> str:
    """Where a row sits in the (time, id) order: microseconds since 1970 (UTC), and id."""
    delta = row.occurred_at - datetime(1970, 1, 1, tzinfo=UTC)
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{row.pk}"


def parse_cursor(text: str | None) -> tuple[datetime, int] | None:
    """A cursor from a link, or ``None`` when missing or not one (the newest page then)."""
    if not text:
        return None
    micros, _sep, pk = text.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18:
        return None
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(micros))
    except OverflowError:
        return None
    return moment, int(pk)


def keyset_page(
    rows: QuerySet[AccessLog],
    *,
    older: str | None = None,
    newer: str | None = None,
    size: int = 50,
) -> KeysetPage:
    """The page of ``size`` rows just older than ``older``, just newer than ``newer``, or
    the newest. ``rows`` must be in ``(-occurred_at, -id)`` order (as the selectors give)."""
    after = parse_cursor(newer)
    if after is not None:
        moment, pk = after
        # occurred_at >= t is implied by the OR; said separately it is the index's range.
        found = list(
            rows.filter(occurred_at__gte=moment)
            .filter(Q(occurred_at__gt=moment) | Q(id__gt=pk))
            .order_by("occurred_at", "id")[: size + 1]
        )
        if len(found) > size:
            shown = found[:size][::-1]
            return KeysetPage(shown, cursor(shown[-1]), cursor(shown[0]))
        # Fewer than a page newer than the cursor: the newest page, full.
    before = parse_cursor(older) if after is None else None
    if before is not None:
        moment, pk = before
        rows = rows.filter(occurred_at__lte=moment).filter(Q(occurred_at__lt=moment) | Q(id__lt=pk))
    found = list(rows.order_by("-occurred_at", "-id")[: size + 1])
    shown = found[:size]
    more_older = len(found) > size
    return KeysetPage(
        shown,
        cursor(shown[-1]) if more_older else None,
        cursor(shown[0]) if before is not None and shown else None,
    )


# --- Log review ---------------------------------------------------------------------------------


def audited_units(auditor: Any) -> QuerySet[Organisation]:
    """The organisations an auditor may review: their own and every unit below them."""
    return _under(_auditor_paths(auditor)).order_by("path")


def log_reviews_for_auditor(auditor: Any) -> QuerySet[LogReview]:
    """Reviews of units in the auditor's tree (another tree's review: as if none)."""
    return LogReview.objects.filter(organisation__in=audited_units(auditor).values("pk"))


def unit_reads(unit: Organisation, start: date, end: date) -> QuerySet[AccessLog]:
    """Allowed reads (views and exports) from ``start`` to ``end`` (whole days in the app's
    time zone) in a unit and the units below it: rows logged for those organisations or by
    their members. Unlike the log search, not the acts of people without a membership (a
    client reading their own pages), which are nobody's reads to judge."""
    organisations = Organisation.objects.filter(path__startswith=unit.path).values("pk")
    members = Membership.objects.filter(organisation__in=organisations).values("user_id")
    tz = timezone.get_current_timezone()
    return AccessLog.objects.filter(
        Q(organisation__in=organisations) | Q(actor__in=members),
        action__in=[Action.VIEW, Action.EXPORT],
        outcome=Outcome.ALLOWED,
        occurred_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        occurred_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def review_items(review: LogReview) -> QuerySet[LogReviewItem]:
    """A review's items in the order of their log rows, with what the page shows joined."""
    return review.items.select_related(
        "log_row__actor",
        "log_row__organisation",
        "log_row__person_type",
        "log_row__object_type",
        "reviewed_by",
    ).order_by("log_row_id", "id")


def emergency_accesses_to_review(auditor: Any) -> int:
    """How many of the auditor's emergency accesses wait for their review."""
    return emergency_accesses_for_auditor(auditor).filter(reviewed_at__isnull=True).count()


def open_log_reviews(auditor: Any, limit: int = 10) -> list[LogReview]:
    """The auditor's log reviews not finished, each with its items without an outcome
    (``left``); one query."""
    return list(
        log_reviews_for_auditor(auditor)
        .filter(finished_at__isnull=True)
        .annotate(left=Count("items", filter=Q(items__reviewed_at__isnull=True)))
        .select_related("organisation")
        .order_by("created_at", "id")[: limit + 1]
    )
