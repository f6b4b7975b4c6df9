"""The network map (sociogram) as geometry for an SVG the client can read.

The client sits in the middle; four sectors (family, friends and acquaintances,
professionals, others) each take a quarter; three rings show how close a person is. Each
person is a dot with their name beside it, spread evenly within their sector and ring.
The page draws it as inline SVG with a table of the same people for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Closeness, Contact, Sector

WIDTH = 860  # room beside the circle for the sectors' names
HEIGHT = 680
CX = WIDTH / 2
CY = HEIGHT / 2
RING_RADII = {Closeness.CLOSE: 105.0, Closeness.MIDDLE: 185.0, Closeness.DISTANT: 265.0}
OUTER_RADIUS = 300.0
MAX_LABEL = 18

# Quarter of the circle per sector, as (start, end) angles in degrees, clockwise from
# twelve o'clock: family top left, friends top right, professionals bottom right.
SECTOR_ANGLES: dict[str, tuple[float, float]] = {
    Sector.FAMILY: (270.0, 360.0),
    Sector.FRIENDS: (0.0, 90.0),
    Sector.PROFESSIONALS: (90.0, 180.0),
    Sector.OTHERS: (180.0, 270.0),
}
# Soft fills with dark text (contrast well above 4.5:1), and a stronger dot colour.
SECTOR_COLOURS: dict[str, tuple[str, str]] = {
    Sector.FAMILY: ("#fdecef", "#a3324a"),
    Sector.FRIENDS: ("#eaf5ea", "#2f6b34"),
    Sector.PROFESSIONALS: ("#e8f0fb", "#1f4f8f"),
    Sector.OTHERS: ("#f6f0e4", "#7a5a16"),
}


@dataclass(frozen=True)
class Person:
    contact: Contact
    x: float
    y: float
    label: str
    label_x: float
    anchor: str  # text-anchor: "start" right of the dot, "end" left of it
    colour: str


@dataclass(frozen=True)
class SectorShape:
    key: str
    label: str
    path: str  # the quarter's wedge
    fill: str
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class NetworkMap:
    width: int
    height: int
    cx: float
    cy: float
    rings: list[float]
    sectors: list[SectorShape]
    people: list[Person]
    centre_label: str


def _point(angle_degrees: float, radius: float) -> tuple[float, float]:
    """Clockwise from twelve o'clock, as on a clock face."""
    radians = math.radians(angle_degrees)
    return CX + radius * math.sin(radians), CY - radius * math.cos(radians)


def _wedge(start: float, end: float) -> str:
    x1, y1 = _point(start, OUTER_RADIUS)
    x2, y2 = _point(end, OUTER_RADIUS)
    return (
        f"M {CX:.1f} {CY:.1f} L {x1:.1f} {y1:.1f} "
        f"A {OUTER_RADIUS:.0f} {OUTER_RADIUS:.0f} 0 0 1 {x2:.1f} {y2:.1f} Z"
    )


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1].rstrip() + "…"


def build_network_map(contacts: Iterable[Contact], client_name: str = "") -> NetworkMap:
    groups: dict[tuple[str, int], list[Contact]] = {}
    for contact in contacts:
        if contact.on_map and contact.sector in SECTOR_ANGLES:
            groups.setdefault((contact.sector, contact.closeness), []).append(contact)
    people: list[Person] = []
    for (sector, closeness), members in sorted(groups.items()):
        start, end = SECTOR_ANGLES[sector]
        radius = RING_RADII.get(Closeness(closeness), RING_RADII[Closeness.DISTANT])
        margin = 12.0
        span = (end - start) - 2 * margin
        step = span / len(members)
        for index, contact in enumerate(sorted(members, key=lambda c: (c.name, c.pk or 0))):
            # Alternate slightly in and out so neighbours' labels do not collide.
            wobble = 0.0 if len(members) < 3 else (-14.0 if index % 2 else 14.0)
            angle = start + margin + step * (index + 0.5)
            x, y = _point(angle, radius + wobble)
            right = (angle % 360) < 180
            people.append(
                Person(
                    contact=contact,
                    x=round(x, 1),
                    y=round(y, 1),
                    label=_short(contact.name),
                    label_x=round(x + (9 if right else -9), 1),
                    anchor="start" if right else "end",
                    colour=SECTOR_COLOURS[sector][1],
                )
            )
    sectors = []
    for key, label in Sector.choices:
        start, end = SECTOR_ANGLES[key]
        lx, ly = _point((start + end) / 2, OUTER_RADIUS + 10)
        right = ((start + end) / 2) < 180
        sectors.append(
            SectorShape(
                key=key,
                label=str(label),
                path=_wedge(start, end),
                fill=SECTOR_COLOURS[key][0],
                label_x=round(lx, 1),
                label_y=round(ly + (14 if ly > CY else -4), 1),
                anchor="start" if right else "end",
            )
        )
    return NetworkMap(
        width=WIDTH,
        height=HEIGHT,
        cx=CX,
        cy=CY,
        rings=[RING_RADII[c] + 40 for c in (Closeness.CLOSE, Closeness.MIDDLE)] + [OUTER_RADIUS],
        sectors=sectors,
        people=people,
        centre_label=_short((client_name.split() or [""])[0])[:10],
    )
