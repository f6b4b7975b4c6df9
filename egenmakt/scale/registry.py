"""The generators ``generate_scale`` runs, in order.

Each is ``generate(context) -> None``, living in its app's ``scale.py``. Later generators
read what earlier ones left on the context's regions (the access log, last, is about the
people every other generator made), so an app joins by writing its generator and adding
its dotted path here, before ``audit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string

from .context import ScaleContext

GENERATORS: list[str] = [
    "egenmakt.accounts.scale.generate",
    "egenmakt.peer.scale.generate",
    "egenmakt.influence.scale.generate",
    "egenmakt.coordination.scale.generate",
    "egenmakt.audit.scale.generate",
]


@dataclass(frozen=True)
class Generator:
    name: str
    run: Callable[[ScaleContext], None]


def generators() -> list[Generator]:
    return [Generator(path.split(".")[1], import_string(path)) for path in GENERATORS]
