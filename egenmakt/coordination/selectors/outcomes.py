"""Outcomes that steer the plan: where the client's latest ORS stands against the expected
progress from the intake, and whether the alliance rating after the meetings warns.

``outcome_status`` is the one rule, used by every page that shows it: the follow-up page,
the meeting page before a meeting and the case manager's start page. The expected
progress itself is data in the ORS definition (``instruments.progress``); the alliance
warnings are:

* **below the cut-off**: the latest alliance total is in the definition's "clinical" range
  (``alliance.yaml``: 35.9 or less, i.e. below 36, INFERRED);
* **fallen**: the latest alliance total is lower than the one before it (the rating after
  the previous meeting). INFERRED: any fall warns, the method names no threshold; set
  ``ALLIANCE_FALL`` to warn only on larger falls.

``client_outcome`` reads one client's ratings with the page's access; ``outcomes_for``
reads a whole caseload in two queries, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from egenmakt.coordination.access import ClientAccess, covered_seats, valid_consents
from egenmakt.coordination.models import Client, StepRecord
from egenmakt.coordination.selectors.mapping import visible_submitted_by_key
from egenmakt.instruments.models import InstrumentDefinition, Response, ResponseStatus
from egenmakt.instruments.progress import Progress, progress_series
from egenmakt.instruments.scoring import is_clinical, primary_score
from egenmakt.instruments.selectors import current_definitions, definitions_for_paths

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

ORS = "ors"
ALLIANCE = "alliance"
KEYS = (ORS, ALLIANCE)
# INFERRED: a fall of at least this much between two alliance ratings warns.
ALLIANCE_FALL = 0.1


@dataclass(frozen=True)
class Rating:
    answered_on: date
    value: float


@dataclass(frozen=True)
class OutcomeStatus:
    ors: Rating | None  # the latest ORS
    ors_progress: Progress | None  # the latest ORS against the expected progress
    alliance: Rating | None  # the latest alliance rating
    alliance_previous: Rating | None  # the one before it
    alliance_below_cutoff: bool
    alliance_fell: bool

    @property
    def off_track(self) -> bool:
        return self.ors_progress is not None and self.ors_progress.off_track

    @property
    def alliance_warning(self) -> bool:
        return self.alliance_below_cutoff or self.alliance_fell

    @property
    def needs_attention(self) -> bool:
        return self.off_track or self.alliance_warning


NO_OUTCOME = OutcomeStatus(None, None, None, None, False, False)


def outcome_status(
    ors_score: dict[str, Any] | None,
    ors: Sequence[Rating],
    alliance_score: dict[str, Any] | None,
    alliance: Sequence[Rating],
) -> OutcomeStatus:
    """The status from the ratings, oldest first, and the primary scores of the newest
    definitions (the rules)."""
    progress = None
    if ors_score is not None and ors:
        progress = progress_series(ors_score, [r.value for r in ors])[-1]
    latest = alliance[-1] if alliance else None
    previous = alliance[-2] if len(alliance) > 1 else None
    below = bool(
        latest is not None
        and alliance_score is not None
        and is_clinical(alliance_score, latest.value)
    )
    fell = bool(
        latest is not None
        and previous is not None
        and previous.value - latest.value >= ALLIANCE_FALL - 1e-9
    )
    return OutcomeStatus(
        ors=ors[-1] if ors else None,
        ors_progress=progress,
        alliance=latest,
        alliance_previous=previous,
        alliance_below_cutoff=below,
        alliance_fell=fell,
    )


Scores = dict[str, dict[str, Any] | None]


def _scores_of(found: dict[str, InstrumentDefinition]) -> Scores:
    return {key: primary_score(found[key].definition) if key in found else None for key in KEYS}


def _scores(client: Client) -> Scores:
    """The primary score of the ORS and alliance versions the client's organisation uses
    (one query)."""
    return _scores_of(current_definitions(KEYS, client.organisation))


def _scores_by_path(paths: Iterable[str]) -> dict[str, Scores]:
    """``_scores`` for the clients of many organisations, by their paths (one query)."""
    found = definitions_for_paths(KEYS, paths)
    return {
        path: _scores_of({key: found[(path, key)] for key in KEYS if (path, key) in found})
        for path in set(paths)
    }


def _value(scores: dict[str, Any] | None, score: dict[str, Any] | None) -> float | None:
    if score is None:
        return None
    value = ((scores or {}).get(score["key"]) or {}).get("value")
    return None if value is None else float(value)


def _submitted_in(steps: Iterable[StepRecord], key: str) -> list[Response]:
    """``visible_submitted`` from the steps this access reads, already loaded."""
    records = [
        s
        for s in steps
        if s.response is not None
        and s.response.status == ResponseStatus.SUBMITTED
        and s.response.definition.key == key
    ]
    records.sort(key=lambda s: (s.response.answered_on, s.pk))  # type: ignore[union-attr]
    return [s.response for s in records if s.response is not None]


def client_outcome(
    access: ClientAccess, client: Client, steps: Iterable[StepRecord] | None = None
) -> OutcomeStatus:
    """One client's status from the ratings this access reads (the client pages); from
    ``steps`` when the page has read them (``mapping.steps_for``), saving two queries."""
    scores = _scores(client)
    series: dict[str, list[Rating]] = {}
    read = (
        visible_submitted_by_key(access, client, [ORS, ALLIANCE])
        if steps is None
        else {key: _submitted_in(steps, key) for key in (ORS, ALLIANCE)}
    )
    for key in (ORS, ALLIANCE):
        ratings = []
        for response in read[key]:
            value = _value(response.scores, scores[key])
            if value is not None:
                ratings.append(Rating(response.answered_on, value))
        series[key] = ratings
    return outcome_status(scores[ORS], series[ORS], scores[ALLIANCE], series[ALLIANCE])


def _visible_to_seats(user: Viewer) -> Q:
    """The rule of ``access.visible_q`` for a seat, for many clients at once: the entries
    of the seat's own organisation, and under a valid consent the shared ones."""
    seats = covered_seats(user).filter(
        client_id=OuterRef("client_id"), organisation_id=OuterRef("organisation_id")
    )
    consent = valid_consents().filter(client_id=OuterRef("client_id"))
    return Q(Exists(seats)) | (Q(shared=True) & Q(Exists(consent)))


def outcomes_for(user: Viewer, clients: QuerySet[Client]) -> dict[int, OutcomeStatus]:
    """The status of each of ``clients`` that has a rating (the user's own caseload,
    through their seats; the others have ``NO_OUTCOME``): one query for the ratings of all
    of them, and one for the rules when there is any rating."""
    rows = list(
        StepRecord.objects.filter(
            client__in=clients,
            response__definition__key__in=[ORS, ALLIANCE],
            response__status="submitted",
        )
        .filter(_visible_to_seats(user))
        .order_by("response__answered_on", "response_id")
        .values_list(
            "client_id", "response_id", "response__definition__key", "response__answered_on",
            "response__scores", "client__organisation__path",
        )
    )  # fmt: skip
    if not rows:
        return {}
    # The rules of each client's organisation's versions (a region's own ORS, say).
    by_path = _scores_by_path({row[-1] for row in rows})
    scores: dict[int, Scores] = {}
    series: dict[tuple[int, str], list[Rating]] = defaultdict(list)
    seen: set[int] = set()
    for client_id, response_id, key, answered_on, stored, path in rows:
        scores[client_id] = by_path[path]
        if response_id in seen:  # one response recorded on two steps counts once
            continue
        seen.add(response_id)
        value = _value(stored, by_path[path][key])
        if value is not None:
            series[(client_id, key)].append(Rating(answered_on, value))
    return {
        pk: outcome_status(
            scores[pk][ORS], series[(pk, ORS)], scores[pk][ALLIANCE], series[(pk, ALLIANCE)]
        )
        for pk in {client_id for client_id, _key in series}
    }


def caseload_needing_attention(user: Viewer) -> list[tuple[Client, OutcomeStatus]]:
    """The user's open clients whose ORS is off track or whose alliance rating warns, the
    reliably worse first: one query when nobody has a rating, three at most whatever the
    caseload."""
    caseload = Client.objects.filter(
        pk__in=covered_seats(user).values("client_id"),
        archived_at__isnull=True,
        restricted_at__isnull=True,
    )
    statuses = {
        pk: status for pk, status in outcomes_for(user, caseload).items() if status.needs_attention
    }
    if not statuses:
        return []
    clients = Client.objects.filter(pk__in=statuses).order_by("full_name", "id")

    def rank(client: Client) -> int:
        status = statuses[client.pk]
        if status.ors_progress is not None and status.ors_progress.kind == "reliably_worse":
            return 0
        return 1 if status.off_track else 2

    return [(client, statuses[client.pk]) for client in sorted(clients, key=rank)]
