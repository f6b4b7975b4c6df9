"""Test helper: the queries one request runs, and which of them ran from a template."""

from __future__ import annotations

import traceback
from typing import Any

from django.db import connection


def request_queries(browser: Any, url: str) -> list[tuple[str, bool]]:
    """Each query of one GET of ``url``, and whether it ran while a template rendered
    (other than the menu's context processor, which reads the person's roles)."""
    seen: list[tuple[str, bool]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        files = [frame.filename for frame in traceback.extract_stack()]
        rendering = any("/django/template/" in f for f in files)
        menu = any(f.endswith("context_processors.py") for f in files)
        seen.append((sql, rendering and not menu))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert browser.get(url).status_code == 200
    return seen
