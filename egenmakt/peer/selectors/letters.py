"""The decision letters that apply to an organisation, letter by letter: for each decision,
reason and language, the organisation's own letter, else the nearest organisation's above
it, else the text Egenmakt ships (``letters.DEFAULT_LETTERS``, the general letters)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from egenmakt.accounts.models import Organisation
from egenmakt.peer import letters
from egenmakt.peer.models import DecisionReason, LetterOutcome, LetterTemplate
from egenmakt.peer.selectors.inherited import organisation_of, origin, rows_up_the_tree

LetterKey = tuple[str, str, str]  # (outcome, reason, language); reason "" is general


@dataclass(frozen=True)
class EffectiveLetter:
    outcome: str
    reason: str
    language: str
    subject: str
    body: str
    # The organisation whose letter this is; None for the shipped text.
    source: Organisation | None
    organisation: Organisation

    @property
    def key(self) -> LetterKey:
        return (self.outcome, self.reason, self.language)

    @property
    def slug(self) -> str:
        """The key as the page's link names it (``?mall=``)."""
        return ".".join(self.key)

    @property
    def origin(self) -> str:
        return origin(self.source, self.organisation)

    def get_outcome_display(self) -> str:
        return str(LetterOutcome(self.outcome).label)

    def get_reason_display(self) -> str:
        return str(DecisionReason(self.reason).label) if self.reason else ""

    def get_language_display(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


def letters_for(organisation: Organisation) -> list[EffectiveLetter]:
    """Every letter that applies to the organisation, in one query (and one more per
    organisation above that lends a letter)."""
    chosen: dict[LetterKey, tuple[int | None, str, str]] = {}
    for (outcome, language), (subject, body) in letters.DEFAULT_LETTERS.items():
        chosen[(str(outcome), "", language)] = (None, subject, body)
    # Farthest first, so a nearer organisation's letter replaces it.
    for pk, rows in reversed(rows_up_the_tree(LetterTemplate.objects.all(), organisation)):
        for row in rows:
            chosen[(row.outcome, row.reason, row.language)] = (pk, row.subject, row.body)
    sources = {pk: organisation_of(pk, organisation) for pk, _s, _b in chosen.values()}
    return sorted(
        (
            EffectiveLetter(*key, subject, body, sources[pk], organisation)
            for key, (pk, subject, body) in chosen.items()
        ),
        key=lambda letter: letter.key,
    )


def letter_by_slug(organisation: Organisation, slug: str) -> EffectiveLetter | None:
    return next((lt for lt in letters_for(organisation) if lt.slug == slug), None)
