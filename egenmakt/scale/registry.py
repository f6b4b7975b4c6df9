"""The generators ``generate_scale`` runs, in order.

Each is ``generate(context) -> None``, in this package's module named after the app whose
tables it fills (``scale/peer/`` for ``egenmakt.peer``), declared as "scale_generators"
in ``ScaleConfig.contributes`` (``egenmakt/core/registry.py``; only this app declares them,
as no domain app may name the tooling). Later generators read what earlier ones left on the
context's regions (the access log, last, is about the people every other generator made),
so an app joins by writing its generator and adding its dotted path there, before
``audit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from egenmakt.core.registry import contributions

from .context import ScaleContext


@dataclass(frozen=True)
class Generator:
    name: str
    run: Callable[[ScaleContext], None]


def generators() -> list[Generator]:
    # Named after the module, which is named after the app it fills.
    return [
        Generator(run.__module__.split(".")[-1], run) for run in contributions("scale_generators")
    ]
