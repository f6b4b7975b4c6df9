"""The ethics guidelines that apply to an organisation: its own newest version, else the
nearest organisation's above it, else the shipped default (``DEFAULT_GUIDELINES``); an
organisation whose newest version follows the inherited guidelines has none of its own
from then on; and who of a course's participants has acknowledged them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models import EthicsAcknowledgement, EthicsGuidelines, Participant
from egenmakt.peer.selectors.inherited import rows_up_the_tree

# INFERRED: the handbook lists "Bilaga 3 Etiska riktlinjer" (p. 71) in its contents, but the
# seed holds no text of it. This is our own short text, in plain language, built on what
# the seed does say about the role (pp. 9-13: support from one's own experience, the
# person's own recovery and choices, "ska inte" have views on medication or take a
# therapeutic role, record keeping decided locally, work for the person and not for their
# relatives, close to the user movement, supervision). Each network edits its own copy.
DEFAULT_TEXT_SV = """\
Etiska riktlinjer för peer supportrar

1. Tystnadsplikt. Det någon berättar för dig stannar hos dig. Du för det inte vidare, \
varken på jobbet, i föreningen eller privat. Följ arbetsplatsens regler om sekretess och \
tystnadsplikt; de gäller dig som för all annan personal.

2. Personens egna val. Du stödjer personen på hens väg, inte på din. Hen bestämmer över \
sitt liv, sin återhämtning och vad hen vill berätta. Du har inga synpunkter på medicin \
eller behandling, men du kan hjälpa personen att själv ta upp sina frågor med sina behandlare.

3. Din erfarenhet är till för den andra. Berätta om din egen erfarenhet när det kan ge \
hopp eller verktyg, inte för att lätta ditt eget hjärta. Välj själv vad du delar.

4. Andras berättelser är deras. Dela aldrig någon annans historia, varken en brukares, \
en kollegas eller en anhörigs, så att den går att känna igen.

5. Rollens gränser. Du är personal och en medmänniska med egen erfarenhet, inte \
behandlare, terapeut eller vän på fritiden. Du gör inte annan personals uppgifter. \
Hänvisa vidare när någon behöver annat stöd, och följ gärna med första gången.

6. Om du blir orolig för någon. Om du tror att någon kan skada sig själv eller någon \
annan, eller far illa: säg det till personen och tala samma dag med ansvarig personal \
på arbetsplatsen. Vid fara för liv, ring 112. Du ska aldrig bära en sådan oro ensam.

7. Dokumentation. Skriv bara det arbetsplatsen kräver, på det sätt den har bestämt. \
Skriv aldrig ner en persons namn eller annat som pekar ut hen i dina egna anteckningar.

8. Ta hand om dig. Använd handledningen och din kollega. Säg till i tid om du inte mår \
bra; det är en styrka, inte ett misslyckande.

9. Brukarrörelsen. Du arbetar nära brukarrörelsen och tar med dig det du ser av brister \
i verksamheten till handledningen, inte till enskilda brukare.
"""

DEFAULT_TEXT_EN = """\
Ethics guidelines for peer supporters

1. Confidentiality. What someone tells you stays with you. You do not pass it on, at \
work, in the association or in private. Follow the workplace's rules on secrecy and \
confidentiality; they apply to you as to all other staff.

2. The person's own choices. You support the person on their path, not yours. They \
decide about their life, their recovery and what they want to tell. You give no views on \
medication or treatment, but you can help the person raise their questions with their \
practitioners themselves.

3. Your experience is there for the other person. Tell of your own experience when it \
can give hope or tools, not to ease your own heart. You choose what you share.

4. Other people's stories are theirs. Never share anyone else's story, a user's, a \
colleague's or a relative's, so that it can be recognised.

5. The limits of the role. You are staff and a fellow human with own experience, not a \
practitioner, a therapist or a friend in your free time. You do not do other staff's \
tasks. Refer on when someone needs other support, and go along the first time if it helps.

6. If you are worried about someone. If you think someone may harm themselves or \
someone else, or is being harmed: say so to the person and talk the same day with the \
staff in charge at the workplace. If a life is in danger, call 112. Never carry such a \
worry alone.

7. Records. Write only what the workplace requires, in the way it has decided. Never \
write a person's name or anything that points them out in your own notes.

8. Take care of yourself. Use supervision and your colleague. Say so in time when you \
are not well; that is a strength, not a failure.

9. The user movement. You work close to the user movement and take what you see of \
shortcomings in the service to supervision, not to individual users.
"""


def checksum_of(text_sv: str, text_en: str) -> str:
    return hashlib.sha256(f"{text_sv}\x00{text_en}".encode()).hexdigest()


@dataclass(frozen=True)
class EffectiveGuidelines:
    text_sv: str
    text_en: str
    checksum: str
    # The version in force; None for the shipped default.
    version: EthicsGuidelines | None
    # The organisation whose guidelines these are; None for the shipped default.
    source: Organisation | None

    def text(self, language: str) -> str:
        """The text in ``language``, Swedish where no English text is given."""
        return self.text_en if language == "en" and self.text_en.strip() else self.text_sv


DEFAULT_GUIDELINES = EffectiveGuidelines(
    DEFAULT_TEXT_SV, DEFAULT_TEXT_EN, checksum_of(DEFAULT_TEXT_SV, DEFAULT_TEXT_EN), None, None
)


def guidelines_for(organisation: Organisation) -> EffectiveGuidelines:
    """The newest own version of the nearest organisation (itself first) that has one,
    passing over an organisation whose newest version follows the inherited guidelines
    again."""
    versions = EthicsGuidelines.objects.select_related("organisation", "saved_by").order_by(
        "-version"
    )
    for _pk, rows in rows_up_the_tree(versions, organisation):
        if rows and not rows[0].follows_inherited:
            found = rows[0]
            return EffectiveGuidelines(
                found.text_sv, found.text_en, found.checksum, found, found.organisation
            )
    return DEFAULT_GUIDELINES


def inherited_guidelines(organisation: Organisation) -> EffectiveGuidelines:
    """What the organisation would follow without versions of its own: the guidelines of
    the organisation above it, or the shipped ones at the top of the tree."""
    parent = organisation.parent
    return DEFAULT_GUIDELINES if parent is None else guidelines_for(parent)


def own_versions(organisation: Organisation) -> list[EthicsGuidelines]:
    return list(
        EthicsGuidelines.objects.filter(organisation=organisation)
        .select_related("saved_by")
        .order_by("-version")
    )


def acknowledgement_of(participant: Participant) -> EthicsAcknowledgement | None:
    return EthicsAcknowledgement.objects.filter(participant=participant).first()
