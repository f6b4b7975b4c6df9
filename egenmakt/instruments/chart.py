"""The change-over-time chart as SVG from a Django template, like the other charts.

``chart_geometry`` turns the chart data into plain numbers and labels (where each dot,
tick and line goes); ``instruments/chart.svg`` only loops over them and draws. The SVG is
served as an image, so it cannot use the page's stylesheet: it is coloured with SVG
presentation attributes, which the Content-Security-Policy does not treat as inline
style, so it needs no ``<style>``, no nonce and no script. The same data is always shown
as a table or list beside it (``chart.html``, ``portal/chart.html``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .display import ChartData, format_number
from .progress import PROGRESS_LABELS, expected_at

WIDTH = 480  # narrow, so that the text stays readable when a phone shrinks the image
HEIGHT = 364  # room for four rows of legend
PLOT_LEFT = 48
PLOT_RIGHT = WIDTH - 16
PLOT_TOP = 48
PLOT_BOTTOM = 220
INSET = 40  # keeps the first and last dot, and their date labels, inside the image
X_LABEL_Y = PLOT_BOTTOM + 24
LEGEND_LEFT = 16
LEGEND_TOP = X_LABEL_Y + 32
LEGEND_ROW = 24
LEGEND_COLUMN = (WIDTH - LEGEND_LEFT) // 2
MIN_X_LABEL_GAP = 96  # a date label is about 80 units wide at the chart's font size
MAX_Y_TICKS = 6

COLOURS = {
    "score": "#0b5c57",
    "cutoff": "#8a3b12",
    "improved": "#1f5fa0",
    "deteriorated": "#a4161a",
    # Against the expected progress from the intake (``progress``): the dots' colour, with
    # the same words in the dot's title, the legend and the table beside the chart.
    "on_track": "#1e6b34",
    "below_expected": "#9a5b00",
    "reliably_worse": "#a4161a",
    "band": "#cfe3e1",
    "changed": "#5b6770",
}
DOT_RADIUS = 5
MARKED_DOT_RADIUS = 9


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: int
    kind: str  # "score", "improved" or "deteriorated"
    colour: str
    progress: str  # "on_track", "below_expected", "reliably_worse", "intake" or ""
    text: str  # the date and value, read out as the dot's own title


@dataclass(frozen=True)
class LegendEntry:
    x: float
    y: float
    label: str
    colour: str
    dashed: bool
    dot: bool
    area: bool = False


@dataclass
class ChartGeometry:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM
    x_label_y: int = X_LABEL_Y
    centre_x: int = (PLOT_LEFT + PLOT_RIGHT) // 2
    centre_y: int = (PLOT_TOP + PLOT_BOTTOM) // 2
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    cutoff_y: float | None = None
    band_points: str = ""  # the expected-progress band as an SVG polygon's points
    legend: list[LegendEntry] = field(default_factory=list)


def _tick_step(span: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, … that keeps the y axis to a few labels."""
    magnitude = 10 ** math.floor(math.log10(span)) if span > 0 else 1
    for factor in (0.1, 0.2, 0.5, 1, 2, 5, 10):
        step = factor * magnitude
        if span / step <= MAX_Y_TICKS - 1:
            return step
    return 10 * magnitude


def _x_ticks(dates: list[date], x_of: dict[date, float]) -> list[Tick]:
    """The response dates, left to right, leaving out any that would overlap the last one."""
    ticks: list[Tick] = []
    unique = sorted(set(dates))
    for index, day in enumerate(unique):
        x = x_of[day]
        if ticks and x - ticks[-1].position < MIN_X_LABEL_GAP:
            if index != len(unique) - 1:
                continue
            # The newest date always has its label; it takes the place of the one before.
            ticks.pop()
            if ticks and x - ticks[-1].position < MIN_X_LABEL_GAP:
                continue
        ticks.append(Tick(x, day.strftime("%Y-%m-%d")))
    return ticks


def _dot_colour(kind: str, progress: str, *, expected: bool) -> str:
    """With an expected-progress rule the colour says where the rating stands against it
    (the intake in the line's colour) and the size says a reliable change; without one the
    colour says the change."""
    if expected:
        return COLOURS.get(progress, COLOURS["score"])
    return COLOURS[kind]


def chart_geometry(data: ChartData, labels: dict[str, str]) -> ChartGeometry:
    """Where everything goes in a ``WIDTH`` by ``HEIGHT`` view box; numbers rounded to 0.1."""
    geometry = ChartGeometry()
    score = data.score or {"min": 0, "max": 1}
    low, high = float(score["min"]), float(score["max"])
    if high <= low:
        high = low + 1

    def y_of(value: float) -> float:
        return round(PLOT_BOTTOM - (value - low) / (high - low) * (PLOT_BOTTOM - PLOT_TOP), 1)

    step = _tick_step(high - low)
    value = math.ceil(low / step) * step
    while value <= high + 1e-9:
        geometry.y_ticks.append(Tick(y_of(value), format_number(round(value, 6))))
        value += step

    dates = [p.answered_on for p in data.points]
    if dates:
        first, last = min(dates), max(dates)
        if first == last:
            first, last = first - timedelta(days=7), last + timedelta(days=7)
        days = (last - first).days
        inner_left, inner_right = PLOT_LEFT + INSET, PLOT_RIGHT - INSET
        x_of = {
            d: round(inner_left + (d - first).days / days * (inner_right - inner_left), 1)
            for d in dates
        }
        geometry.x_ticks = _x_ticks(dates, x_of)
        marked = data.reliable_change is not None
        for point in data.points:
            kind = point.change_kind if marked and point.change_kind in COLOURS else "score"
            progress = point.progress.kind if point.progress is not None else ""
            text = _("%(date)s: %(value)s") % {
                "date": point.answered_on.strftime("%Y-%m-%d"),
                "value": format_number(point.value),
            }
            if progress:
                text = f"{text} ({PROGRESS_LABELS[progress]})"
            geometry.dots.append(
                Dot(
                    x=x_of[point.answered_on],
                    y=y_of(point.value),
                    r=DOT_RADIUS if kind == "score" else MARKED_DOT_RADIUS,
                    kind=kind,
                    colour=_dot_colour(kind, progress, expected=data.has_expected),
                    progress=progress,
                    text=text,
                )
            )
        if data.has_expected and data.score is not None:
            intake = data.points[0].value
            edges = [
                (x_of[p.answered_on], expected_at(data.score, intake, n))
                for n, p in enumerate(data.points)
            ]
            upper = [f"{x},{y_of(e.high)}" for x, e in edges if e is not None]
            lower = [f"{x},{y_of(e.low)}" for x, e in reversed(edges) if e is not None]
            geometry.band_points = " ".join(upper + lower)
        if data.cutoff is not None:
            geometry.cutoff_y = y_of(float(data.cutoff))

    # The legend explains every mark the chart can draw, two entries to a row.
    entries = [("score", False, False)]
    if data.cutoff is not None:
        entries.append(("cutoff", True, False))
    if data.has_expected:
        entries += [
            ("band", False, False),
            ("on_track", False, True),
            ("below_expected", False, True),
            ("reliably_worse", False, True),
        ]
        if data.reliable_change is not None:
            entries.append(("changed", False, True))
    elif data.reliable_change is not None:
        entries += [("improved", False, True), ("deteriorated", False, True)]
    for index, (kind, dashed, dot) in enumerate(entries):
        geometry.legend.append(
            LegendEntry(
                x=LEGEND_LEFT + (index % 2) * LEGEND_COLUMN,
                y=LEGEND_TOP + (index // 2) * LEGEND_ROW,
                label=labels[kind],
                colour=COLOURS[kind],
                dashed=dashed,
                dot=dot,
                area=kind == "band",
            )
        )
    return geometry


def chart_labels(data: ChartData) -> dict[str, str]:
    return {
        "score": data.label,
        "cutoff": data.cutoff_label,
        "improved": _("Reliable improvement"),
        "deteriorated": _("Reliable deterioration"),
        "band": data.expected_label,
        "on_track": str(PROGRESS_LABELS["on_track"]).capitalize(),
        "below_expected": str(PROGRESS_LABELS["below_expected"]).capitalize(),
        "reliably_worse": str(PROGRESS_LABELS["reliably_worse"]).capitalize(),
        "changed": _("Large dot: reliable change"),
    }


def render_chart(data: ChartData) -> str:
    """The chart as a standalone SVG document, titled and described for screen readers."""
    title = _("%(score)s over time") % {"score": data.label}
    if data.points:
        latest = data.points[-1]
        description = _(
            "Responses: %(count)s, from %(first)s to %(last)s. The latest is %(value)s."
        ) % {
            "count": len(data.points),
            "first": data.points[0].answered_on.strftime("%Y-%m-%d"),
            "last": latest.answered_on.strftime("%Y-%m-%d"),
            "value": format_number(latest.value),
        }
    else:
        description = _("No submitted answers yet")
    return render_to_string(
        "instruments/chart.svg",
        {
            "chart": chart_geometry(data, chart_labels(data)),
            "title": title,
            "description": description,
            "no_data": not data.points,
            "colours": COLOURS,
        },
    )
