"""What this app contributes (``InstrumentsConfig.contributes``): its menu entry and the
subjects it owns itself, organisations and users (from ``accounts``).

Later apps contribute their own subjects (clients, applicants, peer supporters...) the same
way, from their own ``registrations.py``.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, home_organisation
from egenmakt.accounts.types import Viewer

from .subjects import SubjectAction, SubjectType


def organisation_access(user: Viewer, organisation: Organisation, action: SubjectAction) -> bool:
    """A workplace's readiness checklist, a user organisation's participation ladder:
    anyone holding a role in the organisation or above it."""
    ancestors = set(organisation.ancestor_ids())
    return any(h.organisation_id in ancestors for h in held_roles(user))


def user_access(user: Viewer, subject: User, action: SubjectAction) -> bool:
    """Self-assessments: the user themself, or a coordinator of an organisation (or one
    above it) that the user is a member of."""
    if user.pk == subject.pk:
        return True
    coordinator_paths = [
        h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR
    ]
    if not coordinator_paths:
        return False
    member_paths = Membership.objects.filter(user=subject).values_list(
        "organisation__path", flat=True
    )
    return any(path.startswith(c) for path in member_paths for c in coordinator_paths)


SUBJECTS = [
    SubjectType(
        Organisation,
        "organisation",
        organisation_access,
        person=lambda _org: None,
        organisation=lambda organisation: organisation,
    ),
    SubjectType(
        User, "user", user_access, person=lambda user: user, organisation=home_organisation
    ),
]

NAVIGATION = [
    NavEntry(
        _("Instruments"),
        "instruments:list",
        roles=[r for r in Role.values if r != Role.ANALYST],
        order=60,
    ),
]


# The access-log reasons whose detail is a questionnaire's key (audit.reasons).
KEYED_REASONS = frozenset(
    {"instrument", "instrument chart", "instrument chart image", "worksheet", "relative link: sent"}
)


# The questionnaires' titles by (key, language), kept in the process for a few minutes: a
# page of the access log names them without a query of its own once warm, so its query
# count does not depend on which reasons the page happens to hold. A new version's title
# shows here within TITLES_SECONDS.
TITLES_SECONDS = 300
_titles: dict[tuple[str, str], str] = {}
_titles_read_at = [0.0]
_keys_asked: set[str] = set()  # asked since the titles were read, found or not


def instrument_titles(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The newest title of each questionnaire named after an access-log reason, in the
    active language ("instrument ors"): every title in one query, then from the process
    for ``TITLES_SECONDS``."""
    import time

    from django.utils.translation import get_language

    from .models import InstrumentDefinition
    from .schema import text

    wanted = {(code, key) for code, key in pairs if code in KEYED_REASONS}
    if not wanted:
        return {}
    language = get_language() or "sv"
    missing = any(key not in _keys_asked for _code, key in wanted)
    if missing or time.monotonic() - _titles_read_at[0] > TITLES_SECONDS:
        _titles.clear()
        _keys_asked.clear()
        seen: set[str] = set()
        # The shipped version's title first: an organisation's own version names a key
        # only where the installation ships none (a reader of the log may be elsewhere).
        rows = InstrumentDefinition.objects.order_by(
            "key", F("organisation").asc(nulls_first=True), "-version"
        ).values_list("key", "definition__title")
        for key, title in rows:
            if key in seen or not title:
                continue
            seen.add(key)
            for lang in {language, "sv", "en"}:
                _titles[(key, lang)] = text(title, lang)
        _titles_read_at[0] = time.monotonic()
        _keys_asked.update(seen | {key for _code, key in wanted})
    return {
        (code, key): _titles[(key, language)] for code, key in wanted if (key, language) in _titles
    }
