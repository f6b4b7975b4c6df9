"""The generators ``generate_scale`` runs, in order.

Each is ``generate(context) -> None``, in this package's module named after the app whose
tables it fills (``scale/peer/`` for ``egenmakt.peer``). Later generators read what
earlier ones left on the context's regions (the access log, last, is about the people
every other generator made), so an app joins by writing its generator and adding its
dotted path here, before ``audit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string

from .context import ScaleContext

GENERATORS: list[str] = [
    "egenmakt.scale.accounts.generate",
    "egenmakt.scale.peer.generate",
    "egenmakt.scale.influence.generate",
    "egenmakt.scale.coordination.generate",
    "egenmakt.scale.audit.generate",
]


@dataclass(frozen=True)
class Generator:
    name: str
    run: Callable[[ScaleContext], None]


def generators() -> list[Generator]:
    # Named after the module, which is named after the app it fills.
    return [Generator(path.split(".")[-2], import_string(path)) for path in GENERATORS]
