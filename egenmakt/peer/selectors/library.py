"""The homework library and the exercise library (role plays and workshops) that apply to
an organisation: its own, else the nearest organisation's above it, else the shipped ones.

The handbook's own homework (Bilaga 6) and role plays and workshops (Bilaga 4 and 5) are
not in our material (domain.md 1.4 and 1.10: NOT FOUND). The shipped items below are
INFERRED suggestions, ours, meant to be edited by each network."""

from __future__ import annotations

from dataclasses import dataclass

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models import Exercise, ExerciseKind, HomeworkTemplate
from egenmakt.peer.selectors.inherited import nearest_own, organisation_of, origin


@dataclass(frozen=True)
class HomeworkEntry:
    title: str
    instructions: str
    # The course week it suits (weeks 2 and 4 are homework weeks); None: any week.
    week: int | None = None

    def sort_key(self) -> tuple[int, str]:
        return (self.week or 0, self.title.casefold())


@dataclass(frozen=True)
class ExerciseEntry:
    kind: str
    title: str
    description: str

    @property
    def kind_label(self) -> str:
        return str(ExerciseKind(self.kind).label) if self.kind in ExerciseKind.values else ""

    def sort_key(self) -> tuple[str, str]:
        return (self.kind, self.title.casefold())


# INFERRED (see the module's docstring): homework for the homework weeks 2 and 4.
DEFAULT_HOMEWORK: list[HomeworkEntry] = sorted(
    [
        HomeworkEntry(
            "Min återhämtningsberättelse",
            "Skriv en till två sidor om din egen återhämtning: vad var svårt, vad hjälpte, "
            "och vilka delar vill du kunna dela med andra i arbetet? Du får också spela in "
            "eller berätta muntligt för kursledaren om skrivandet är svårt.",
            2,
        ),
        HomeworkEntry(
            "Känsla av sammanhang (KASAM)",
            "Läs om begriplighet, hanterbarhet och meningsfullhet. Ge ett exempel ur ditt "
            "eget liv på vart och ett, och på hur du kan spegla dem för någon du stödjer.",
            2,
        ),
        HomeworkEntry(
            "Rollen: ska och ska inte",
            "Gå igenom listan över vad en peer supporter gör och inte gör. Välj två punkter "
            "som du tror blir svåra i praktiken och skriv hur du vill hantera dem.",
            4,
        ),
        HomeworkEntry(
            "Ett svårt möte",
            "Tänk på ett möte där någon var arg eller misstrodde dig. Beskriv vad som hände, "
            "hur det påverkade dig och vad du skulle göra i rollen som peer supporter.",
            4,
        ),
    ],
    key=HomeworkEntry.sort_key,
)

# INFERRED from the interview's scenarios (see the module's docstring).
DEFAULT_EXERCISES: list[ExerciseEntry] = sorted(
    [
        ExerciseEntry(
            ExerciseKind.ROLE_PLAY,
            "Ilska riktad mot dig",
            "En brukare blir arg på dig under ett samtal. Spela scenen två gånger och byt "
            "roller. Samtala efteråt: vad hjälpte, vad skulle du göra annorlunda?",
        ),
        ExerciseEntry(
            ExerciseKind.ROLE_PLAY,
            "Misstro från personalen",
            "En kollega ifrågasätter vad du gör på avdelningen. Öva på att beskriva rollen "
            "lugnt och tydligt, och på att hänvisa till överenskommelsen med verksamheten.",
        ),
        ExerciseEntry(
            ExerciseKind.WORKSHOP,
            "Att dela med sig av egen erfarenhet",
            "I par: välj en del av din berättelse som kan ge hopp. Berätta den på två "
            "minuter. Paret ger återkoppling på vad som var till hjälp och var gränsen gick.",
        ),
    ],
    key=ExerciseEntry.sort_key,
)


@dataclass(frozen=True)
class HomeworkLibrary:
    entries: list[HomeworkEntry]
    # The organisation whose library this is; None for the shipped one.
    source: Organisation | None
    organisation: Organisation

    @property
    def origin(self) -> str:
        return origin(self.source, self.organisation)


@dataclass(frozen=True)
class ExerciseLibrary:
    entries: list[ExerciseEntry]
    source: Organisation | None
    organisation: Organisation

    @property
    def origin(self) -> str:
        return origin(self.source, self.organisation)


def _homework(row: HomeworkTemplate) -> HomeworkEntry:
    return HomeworkEntry(row.title, row.instructions, row.week)


def _exercise(row: Exercise) -> ExerciseEntry:
    return ExerciseEntry(row.kind, row.title, row.description)


def own_homework(organisation: Organisation) -> list[HomeworkTemplate]:
    """The organisation's own rows, in the order the library shows them (positions on
    the page index this list)."""
    rows = HomeworkTemplate.objects.filter(organisation=organisation).order_by("id")
    return sorted(rows, key=lambda r: _homework(r).sort_key())


def own_exercises(organisation: Organisation) -> list[Exercise]:
    rows = Exercise.objects.filter(organisation=organisation).order_by("id")
    return sorted(rows, key=lambda r: _exercise(r).sort_key())


def homework_library_for(organisation: Organisation) -> HomeworkLibrary:
    rows, source_id = nearest_own(HomeworkTemplate.objects.order_by("id"), organisation)
    if not rows:
        return HomeworkLibrary(list(DEFAULT_HOMEWORK), None, organisation)
    entries = sorted((_homework(r) for r in rows), key=HomeworkEntry.sort_key)
    return HomeworkLibrary(entries, organisation_of(source_id, organisation), organisation)


def exercise_library_for(organisation: Organisation) -> ExerciseLibrary:
    rows, source_id = nearest_own(Exercise.objects.order_by("id"), organisation)
    if not rows:
        return ExerciseLibrary(list(DEFAULT_EXERCISES), None, organisation)
    entries = sorted((_exercise(r) for r in rows), key=ExerciseEntry.sort_key)
    return ExerciseLibrary(entries, organisation_of(source_id, organisation), organisation)
