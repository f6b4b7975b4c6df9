"""The downloads on "My data", through the functions other parts of Egenmakt provide.

``egenmakt.coordination.binder.render_binder_pdf(client) -> bytes`` and
``egenmakt.coordination.export.export_json(client) -> dict`` /
``export_fhir_bundle(client) -> dict`` are built elsewhere. This adapter is the only place
that names them, so the portal works (without the downloads) where they are missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from egenmakt.coordination.models import Client


class ExportUnavailableError(Exception):
    """The function behind a download is not installed in this build."""


def _function(module: str, name: str) -> Callable[[Client], Any]:
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise ExportUnavailableError(f"{module}.{name}") from None
    return found


def binder_pdf(client: Client) -> bytes:
    return bytes(_function("egenmakt.coordination.binder", "render_binder_pdf")(client))


def json_export(client: Client) -> dict[str, Any]:
    return dict(_function("egenmakt.coordination.export", "export_json")(client))


def fhir_bundle(client: Client) -> dict[str, Any]:
    return dict(_function("egenmakt.coordination.export", "export_fhir_bundle")(client))


def available() -> dict[str, bool]:
    """Which downloads this build offers: {"pdf": ..., "json": ..., "fhir": ...}."""
    names = {
        "pdf": ("egenmakt.coordination.binder", "render_binder_pdf"),
        "json": ("egenmakt.coordination.export", "export_json"),
        "fhir": ("egenmakt.coordination.export", "export_fhir_bundle"),
    }
    result = {}
    for key, (module, name) in names.items():
        try:
            _function(module, name)
        except ExportUnavailableError:
            result[key] = False
        else:
            result[key] = True
    return result
