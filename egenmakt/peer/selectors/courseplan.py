"""The course plan that applies to an organisation: its own, else the nearest
organisation's above it, else the shipped default (``DEFAULT_PLAN``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models import COURSE_WEEKS, CoursePlanItem, PlanItemKind
from egenmakt.peer.models.courseplan import WEEKDAYS
from egenmakt.peer.selectors.inherited import nearest_own, organisation_of
from egenmakt.peer.selectors.library import DEFAULT_HOMEWORK, HomeworkEntry, homework_library_for


@dataclass(frozen=True)
class PlanEntry:
    week: int
    weekday: int
    kind: str
    title: str
    instructions: str = ""
    starts: time | None = None
    ends: time | None = None

    @property
    def weekday_label(self) -> str:
        return str(dict(WEEKDAYS)[self.weekday])

    @property
    def is_day(self) -> bool:
        return self.kind == PlanItemKind.DAY

    def on(self, course_start: date) -> date:
        """The date in a course starting ``course_start``: week 1 is the calendar week the
        course starts in (INFERRED)."""
        monday = course_start - timedelta(days=course_start.weekday())
        return monday + timedelta(days=7 * (self.week - 1) + self.weekday - 1)


def _day(week: int, weekday: int, title: str) -> PlanEntry:
    # INFERRED: teaching hours 09:30-15:30.
    return PlanEntry(week, weekday, PlanItemKind.DAY, title, "", time(9, 30), time(15, 30))


def _homework(week: int, title: str, instructions: str) -> PlanEntry:
    # INFERRED: homework is handed in on the Friday of its week.
    return PlanEntry(week, 5, PlanItemKind.HOMEWORK, title, instructions)


# The shipped plan's course days. From the handbook (p. 20): the course is five weeks
# long, with fixed teaching days and homework (p. 26: "Läsa in litteratur och skriva
# hemuppgifter", "Delta i fasta undervisningsdagar"). The seed does not give the
# week-by-week structure: study weeks 1, 3 and 5 with two teaching days each and homework
# weeks 2 and 4, the days, hours and the order of the themes (the handbook's chapter
# headings) are INFERRED.
DEFAULT_DAYS: list[PlanEntry] = [
    _day(1, 1, "Vad är peer support? Brukarrörelsen och brukarinflytande"),
    _day(1, 3, "Återhämtning, egenmakt och känsla av sammanhang"),
    _day(3, 1, "Vad gör en peer supporter? Ska och ska inte"),
    _day(3, 3, "En bärare av egna och andras erfarenheter: spegling"),
    _day(5, 1, "Utmanande situationer: rollspel"),
    _day(5, 3, "Arbetsplatsen, anställningen och avslutning"),
]


def _with_homework(homework: list[HomeworkEntry]) -> list[PlanEntry]:
    """The shipped days with the homework of a library that suits a week of the course
    (an item for any week is left to be set by hand)."""
    plan = list(DEFAULT_DAYS)
    plan += [_homework(h.week, h.title, h.instructions) for h in homework if h.week]
    return sorted(plan, key=lambda e: (e.week, e.weekday, e.starts or time(0)))


# The shipped plan: the shipped days and the shipped homework library's homework.
DEFAULT_PLAN: list[PlanEntry] = _with_homework(DEFAULT_HOMEWORK)


@dataclass(frozen=True)
class EffectivePlan:
    entries: list[PlanEntry]
    # The organisation whose plan this is; None for the shipped default.
    source: Organisation | None

    def weeks(self) -> list[tuple[int, bool, list[PlanEntry]]]:
        """(week, is a study week, entries) for each of the five weeks."""
        rows = []
        for week in range(1, COURSE_WEEKS + 1):
            entries = [e for e in self.entries if e.week == week]
            rows.append((week, any(e.is_day for e in entries), entries))
        return rows


def _entry(item: CoursePlanItem) -> PlanEntry:
    return PlanEntry(
        item.week,
        item.weekday,
        item.kind,
        item.title,
        item.instructions,
        item.starts,
        item.ends,
    )


def plan_for(organisation: Organisation) -> EffectivePlan:
    """The organisation's plan, else the nearest one's above it. Else the shipped plan,
    whose homework is the homework library that applies to the organisation (so a
    region's own homework reaches the plans of the networks below that have none)."""
    rows, source_id = nearest_own(CoursePlanItem.objects.all(), organisation)
    if rows:
        source = organisation_of(source_id, organisation)
        return EffectivePlan([_entry(item) for item in rows], source)
    library = homework_library_for(organisation)
    if library.source is None:
        return EffectivePlan(list(DEFAULT_PLAN), None)
    return EffectivePlan(_with_homework(library.entries), None)


def own_items(organisation: Organisation) -> list[CoursePlanItem]:
    return list(CoursePlanItem.objects.filter(organisation=organisation))
