"""Decision letters: the built-in texts an organisation starts from, and filling them in.

Coordinators edit their organisation's letters (one per decision, optionally one per
decision and reason, in Swedish and English). Placeholders are plain names in braces,
replaced from a fixed list, so a letter cannot run code or reach other data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .models import DecisionOutcome, LetterOutcome

PLACEHOLDERS = ("name", "round", "course_start", "status_link", "comment", "organisation")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

OUTCOME_LETTER = {
    DecisionOutcome.NOT_NOW: LetterOutcome.NOT_NOW,
    DecisionOutcome.NO: LetterOutcome.NO,
    DecisionOutcome.ADMIT: LetterOutcome.ADMIT,
    DecisionOutcome.RESERVE: LetterOutcome.RESERVE,
    DecisionOutcome.DECLINE: LetterOutcome.DECLINE,
}


def fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


def unknown_placeholders(text: str) -> list[str]:
    return sorted(set(re.findall(r"\{([a-z_]+)\}", text)) - set(PLACEHOLDERS))


_SIGNATURE_SV = "\n\nVänliga hälsningar\n{organisation}\n\nDin ansökan: {status_link}"
_SIGNATURE_EN = "\n\nKind regards\n{organisation}\n\nYour application: {status_link}"

# (outcome, language) -> (subject, body). Our own wording, to be edited by each network.
DEFAULT_LETTERS: dict[tuple[str, str], tuple[str, str]] = {
    (LetterOutcome.ADMIT, "sv"): (
        "Du är antagen till peer support-utbildningen",
        "Hej {name}!\n\nVi är glada att kunna berätta att du är antagen till utbildningen "
        "i {round}. Utbildningen börjar {course_start}. Vi hör av oss med schema och "
        "praktiska detaljer. Utbildningen är också ett urvalssteg, och alla som går den "
        "kan inte erbjudas anställning."
        "\n\n{comment}" + _SIGNATURE_SV,
    ),
    (LetterOutcome.ADMIT, "en"): (
        "You are admitted to the peer support course",
        "Hello {name},\n\nWe are glad to tell you that you are admitted to the course in "
        "{round}. The course starts on {course_start}. We will send you the schedule and "
        "practical details. The course is also a selection step, and not everyone who "
        "takes it can be offered a job.\n\n{comment}" + _SIGNATURE_EN,
    ),
    (LetterOutcome.RESERVE, "sv"): (
        "Du står på reservlistan till peer support-utbildningen",
        "Hej {name}!\n\nTack för intervjun. Du står på reservlistan till utbildningen i "
        "{round}, som börjar {course_start}. Om en plats blir ledig hör vi av oss direkt."
        "\n\n{comment}" + _SIGNATURE_SV,
    ),
    (LetterOutcome.RESERVE, "en"): (
        "You are on the reserve list for the peer support course",
        "Hello {name},\n\nThank you for the interview. You are on the reserve list for the "
        "course in {round}, which starts on {course_start}. If a place becomes free we "
        "will contact you at once.\n\n{comment}" + _SIGNATURE_EN,
    ),
    (LetterOutcome.DECLINE, "sv"): (
        "Besked om peer support-utbildningen",
        "Hej {name}!\n\nTack för att du sökte och för intervjun. Vi kan tyvärr inte "
        "erbjuda dig en plats på utbildningen i {round} den här gången.\n\n{comment}"
        + _SIGNATURE_SV,
    ),
    (LetterOutcome.DECLINE, "en"): (
        "About the peer support course",
        "Hello {name},\n\nThank you for applying and for the interview. Unfortunately we "
        "cannot offer you a place on the course in {round} this time.\n\n{comment}" + _SIGNATURE_EN,
    ),
    (LetterOutcome.NOT_NOW, "sv"): (
        "Besked om din ansökan till peer support-utbildningen",
        "Hej {name}!\n\nTack för din ansökan till {round}. Vi tror att det inte är rätt "
        "tidpunkt för dig just nu, och du är varmt välkommen att söka igen vid ett senare "
        "tillfälle.\n\n{comment}" + _SIGNATURE_SV,
    ),
    (LetterOutcome.NOT_NOW, "en"): (
        "About your application to the peer support course",
        "Hello {name},\n\nThank you for applying to {round}. We do not think this is the "
        "right time for you, and you are very welcome to apply again later.\n\n{comment}"
        + _SIGNATURE_EN,
    ),
    (LetterOutcome.NO, "sv"): (
        "Besked om din ansökan till peer support-utbildningen",
        "Hej {name}!\n\nTack för din ansökan till {round}. Vi kan tyvärr inte gå vidare "
        "med din ansökan den här gången.\n\n{comment}" + _SIGNATURE_SV,
    ),
    (LetterOutcome.NO, "en"): (
        "About your application to the peer support course",
        "Hello {name},\n\nThank you for applying to {round}. Unfortunately we cannot take "
        "your application further this time.\n\n{comment}" + _SIGNATURE_EN,
    ),
}
