"""Where each bench page's time goes, on a database made by ``generate_scale``: the part
of the request spent waiting for the database, the part rendering templates, and the rest
(middleware, session and second factor, the view's own Python), against the same parts of
the signed-in floor. It is the "what stands in the way" of issue 25's targets, measured.

Signs a throw-away account per bench role in (as ``explain.py`` does, inside a transaction
rolled back at the end, so the database is left as it was), asks for each page of
``egenmakt/scale/pages.py`` a few times to warm up, then ``--requests`` times while it
times every query (``connection.execute_wrapper``) and every top-level template render
(``django.template.backends.django.Template.render``; the includes are inside it). It
runs in one process through Django's test client, with production's middleware and
templates, so a page's total here is below its time over HTTP by about the cost of the
WSGI server; the parts are what matter.

Usage (PostgreSQL)::

    DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver EMAIL_URL=dummy:// \\
      DATABASE_URL=postgres://.../egenmakt_bench .venv/bin/python bench/breakdown.py \\
      [--requests 30] [--json var/bench/breakdown.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egenmakt.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.template.backends import django as django_backend  # noqa: E402
from inprocess import pages_to_ask  # noqa: E402  (bench/, the script's own folder)

from egenmakt.scale.pages import SIGNED_IN_FLOOR  # noqa: E402

WARM_UP = 3


class Clock:
    """Milliseconds spent in SQL (and how many statements) and in template rendering
    during one request."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.statements = 0
        self.render = 0.0
        self._depth = 0

    def query(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            self.sql += (time.perf_counter() - start) * 1000
            self.statements += 1


@contextmanager
def timed_renders(clock_of: Callable[[], Clock]) -> Iterator[None]:
    """Time each top-level template render (SQL run inside it is counted as SQL too:
    the render's share without it is render minus that, worked out below)."""
    original = django_backend.Template.render

    def render(self: Any, context: Any = None, request: Any = None) -> Any:
        clock = clock_of()
        clock._depth += 1
        sql_before = clock.sql
        start = time.perf_counter()
        try:
            return original(self, context, request)
        finally:
            clock._depth -= 1
            if clock._depth == 0:
                took = (time.perf_counter() - start) * 1000
                # Queries run while rendering (context processors, a template's own
                # lookups) are the database's time, not the template's.
                clock.render += took - (clock.sql - sql_before)

    django_backend.Template.render = render  # type: ignore[method-assign]
    try:
        yield
    finally:
        django_backend.Template.render = original  # type: ignore[method-assign]


def measure(ask: Callable[[], int], requests: int) -> dict[str, float]:
    for _ in range(WARM_UP):
        ask()
    totals: list[float] = []
    sqls: list[float] = []
    renders: list[float] = []
    statements: list[int] = []
    current = Clock()
    with timed_renders(lambda: current):
        for _ in range(requests):
            current = Clock()
            with connection.execute_wrapper(current.query):
                start = time.perf_counter()
                status = ask()
                took = (time.perf_counter() - start) * 1000
            if status >= 400:
                raise SystemExit(f"status {status}")
            totals.append(took)
            sqls.append(current.sql)
            renders.append(current.render)
            statements.append(current.statements)
    total = statistics.median(totals)
    sql = statistics.median(sqls)
    render = statistics.median(renders)
    return {
        "total_ms": round(total, 2),
        "sql_ms": round(sql, 2),
        "statements": statistics.median(statements),
        "render_ms": round(render, 2),
        "rest_ms": round(max(total - sql - render, 0.0), 2),
    }


def profile(ask: Callable[[], int], requests: int) -> None:
    """The functions the page spends its time in, by their own time and by the time
    spent under them."""
    import cProfile
    import pstats

    for _ in range(WARM_UP):
        ask()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        ask()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page (cProfile) instead")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with transaction.atomic():
        asks, _skipped = pages_to_ask()
        for page, ask in asks:
            if args.profile:
                if page["name"] == args.profile:
                    profile(ask, args.requests)
                continue
            results[page["name"]] = measure(ask, args.requests)
        transaction.set_rollback(True)
    if args.profile:
        return
    floor = results[SIGNED_IN_FLOOR]
    print(
        "| page | statements | total ms (÷ floor) | SQL ms (+ over floor) "
        "| templates ms (+) | the rest ms (+) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, found in results.items():
        ratio = found["total_ms"] / floor["total_ms"]
        print(
            f"| {name} | {found['statements']:.0f} | {found['total_ms']:.1f} ({ratio:.1f}) "
            f"| {found['sql_ms']:.1f} (+{found['sql_ms'] - floor['sql_ms']:.1f}) "
            f"| {found['render_ms']:.1f} (+{found['render_ms'] - floor['render_ms']:.1f}) "
            f"| {found['rest_ms']:.1f} (+{found['rest_ms'] - floor['rest_ms']:.1f}) |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
