"""The PEER handbook's rules about who leads the work, each with its source.

Source: NSPH, *Metodhandbok för peer support. Riktlinjer för utbildning, implementering och
anställning i Sverige*, 2nd edition (seed 000). Where the handbook says *ska* the rule is a
requirement (``Severity.REQUIRED``): the programme refuses the act it guards with the
rule's text as the written reason. Where it says *bör* the rule is a recommendation
(``Severity.ADVISED``): pages warn, nothing is refused.

The selectors that evaluate the rules are in ``selectors/handbook.py``; the refusal is in
``services/course.complete_course`` (the course certificate says the course was given as
the handbook describes it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    REQUIRED = "ska", _("Required (the handbook says “ska”)")
    ADVISED = "bor", _("Recommended (the handbook says “bör”)")


@dataclass(frozen=True)
class HandbookRule:
    key: str
    title: Promise
    severity: Severity
    # Where the rule is written: page of the handbook and the sentence, in Swedish as
    # written (a quotation, not translated).
    page: int
    quote: str

    @property
    def severity_label(self) -> str:
        return str(self.severity.label)

    @property
    def refuses(self) -> bool:
        return self.severity == Severity.REQUIRED


COURSE_LEADERS = HandbookRule(
    key="course_leaders",
    title=_(
        "A majority of the course leaders represent the user movement and have own "
        "experience of mental ill-health"
    ),
    severity=Severity.REQUIRED,
    page=20,
    quote=(
        "En majoritet av kursledarna ska representera brukarrörelsen och ha egen "
        "erfarenhet av psykisk ohälsa."
    ),
)
LECTURES = HandbookRule(
    key="lectures",
    title=_("A majority of the course days are led by people with own experience"),
    severity=Severity.REQUIRED,
    page=20,
    quote=(
        "Majoriteten av föreläsningarna under utbildningen ska hållas av personer med egen "
        "erfarenhet av psykisk ohälsa, då brukarperspektivet är centralt i utbildningen."
    ),
)
COORDINATOR = HandbookRule(
    key="coordinator",
    title=_(
        "The coordinator represents the user movement and has own experience of mental ill-health"
    ),
    severity=Severity.ADVISED,
    page=21,
    quote=(
        "Samordnaren bör vara en representant för brukarrörelsen med egen erfarenhet av "
        "psykisk ohälsa."
    ),
)
# The handbook states this in the indicative ("hålls"), neither "ska" nor "bör". We read it
# as a recommendation and warn (INFERRED): refusing supervision would leave working peer
# supporters without it.
SUPERVISOR = HandbookRule(
    key="supervisor",
    title=_("The supervisor has own experience of mental ill-health"),
    severity=Severity.ADVISED,
    page=21,
    quote=(
        "Handledningen hålls av en person med egen erfarenhet av psykisk ohälsa, för att ett "
        "förtroendefullt och ett öppet samtalsklimat ska kunna uppnås"
    ),
)

RULES: dict[str, HandbookRule] = {
    rule.key: rule for rule in (COURSE_LEADERS, LECTURES, COORDINATOR, SUPERVISOR)
}


def is_majority(part: int, whole: int) -> bool:
    """More than half: exactly half is not a majority, nor is anything of nobody."""
    return whole > 0 and part * 2 > whole
