"""The course plan that applies to an organisation: its own, else the nearest
organisation's above it, else the shipped default (``DEFAULT_PLAN``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from egenmakt.accounts.models import Organisation
from egenmakt.peer.models import COURSE_WEEKS, CoursePlanItem, PlanItemKind
from egenmakt.peer.models.courseplan import WEEKDAYS


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


def _default_plan() -> list[PlanEntry]:
    """The shipped plan. From the handbook (p. 20): the course is five weeks long, with
    fixed teaching days and homework (p. 26: "Läsa in litteratur och skriva hemuppgifter",
    "Delta i fasta undervisningsdagar"). The seed does not give the week-by-week structure:
    study weeks 1, 3 and 5 with two teaching days each and homework weeks 2 and 4, the
    days, hours and the order of the themes (the handbook's chapter headings) are INFERRED,
    and the homework is the shipped homework library's (also INFERRED)."""
    from egenmakt.peer.services.homework import DEFAULT_HOMEWORK

    plan = [
        _day(1, 1, "Vad är peer support? Brukarrörelsen och brukarinflytande"),
        _day(1, 3, "Återhämtning, egenmakt och känsla av sammanhang"),
        _day(3, 1, "Vad gör en peer supporter? Ska och ska inte"),
        _day(3, 3, "En bärare av egna och andras erfarenheter: spegling"),
        _day(5, 1, "Utmanande situationer: rollspel"),
        _day(5, 3, "Arbetsplatsen, anställningen och avslutning"),
    ]
    plan += [_homework(week, title, text) for week, title, text in DEFAULT_HOMEWORK]
    return sorted(plan, key=lambda e: (e.week, e.weekday, e.starts or time(0)))


DEFAULT_PLAN: list[PlanEntry] = _default_plan()


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
    ids = organisation.ancestor_ids()
    items = list(CoursePlanItem.objects.filter(organisation_id__in=ids))
    for organisation_id in ids:
        own = [item for item in items if item.organisation_id == organisation_id]
        if own:
            source = (
                organisation
                if organisation_id == organisation.pk
                else Organisation.objects.get(pk=organisation_id)
            )
            return EffectivePlan([_entry(item) for item in own], source)
    return EffectivePlan(list(DEFAULT_PLAN), None)


def own_items(organisation: Organisation) -> list[CoursePlanItem]:
    return list(CoursePlanItem.objects.filter(organisation=organisation))
