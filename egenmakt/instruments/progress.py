"""Expected progress from the intake score, and where each later rating stands against it.

The rule is data: a score's optional ``expected_progress`` block in its definition (see
``FORMAT.md``). From the intake (the first rating) the expected score moves towards
``target`` by the share ``rate`` of the distance left, at every rating after the intake:

    expected(n) = intake + (target - intake) * (1 - (1 - rate) ** n)

clamped to the score's range, where ``n`` counts the ratings after the intake (the ORS is
rated before each meeting). An intake already at or past the target is expected to hold.
The band is ``expected ± band``. Each rating after the intake is then

* **reliably worse** when it is worse than the intake by at least the score's
  ``reliable_change`` (whatever the band says);
* **below expected** when it lies below the band (on the worse side);
* **on track** otherwise (inside the band or better).

Pure functions over a validated definition, like ``scoring``: the same rule draws the
chart's band, colours its dots, fills the tables and raises the alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ProgressKind = Literal["intake", "on_track", "below_expected", "reliably_worse"]

PROGRESS_LABELS: dict[str, StrOrPromise] = {
    "intake": _("intake"),
    "on_track": _("on track"),
    "below_expected": _("below expected"),
    "reliably_worse": _("reliably worse"),
}


@dataclass(frozen=True)
class Expected:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Progress:
    kind: ProgressKind
    expected: Expected | None  # None for the intake itself

    @property
    def label(self) -> StrOrPromise:
        return PROGRESS_LABELS[self.kind]

    @property
    def off_track(self) -> bool:
        return self.kind in ("below_expected", "reliably_worse")


def expected_progress_rule(score: dict[str, Any] | None) -> dict[str, Any] | None:
    """The score's ``expected_progress`` block, or None when it has none."""
    if not score:
        return None
    rule = score.get("expected_progress")
    return rule if isinstance(rule, dict) else None


def expected_at(score: dict[str, Any], intake: float, n: int) -> Expected | None:
    """The expected value and band at the ``n``-th rating after the intake (n ≥ 1)."""
    rule = expected_progress_rule(score)
    if rule is None:
        return None
    low, high = float(score["min"]), float(score["max"])
    higher_is_better = score.get("higher_is_better", True)
    target = float(rule["target"])
    gap = target - intake
    if (gap <= 0 and higher_is_better) or (gap >= 0 and not higher_is_better):
        gap = 0.0  # at or past the target: the intake is expected to hold
    value = intake + gap * (1 - (1 - float(rule["rate"])) ** max(n, 0))
    value = min(max(value, low), high)
    width = float(rule["band"])
    return Expected(
        value=round(value, 2),
        low=round(max(value - width, low), 2),
        high=round(min(value + width, high), 2),
    )


def progress_of(score: dict[str, Any], intake: float, value: float, n: int) -> Progress | None:
    """Where the ``n``-th rating after the intake stands; ``n == 0`` is the intake.

    None when the score has no ``expected_progress`` rule.
    """
    if expected_progress_rule(score) is None:
        return None
    if n <= 0:
        return Progress("intake", None)
    expected = expected_at(score, intake, n)
    assert expected is not None  # noqa: S101 (the rule exists, checked above)
    sign = 1 if score.get("higher_is_better", True) else -1
    threshold = score.get("reliable_change")
    if threshold is not None and sign * (value - intake) <= -float(threshold) + 1e-9:
        return Progress("reliably_worse", expected)
    edge = expected.low if sign > 0 else expected.high
    if sign * (value - edge) < -1e-9:
        return Progress("below_expected", expected)
    return Progress("on_track", expected)


def progress_series(score: dict[str, Any], values: list[float]) -> list[Progress | None]:
    """The progress of each value in a series of ratings, oldest first (the first is the
    intake)."""
    if not values:
        return []
    intake = values[0]
    return [progress_of(score, intake, value, n) for n, value in enumerate(values)]
