"""The plans of every query the bench pages run, on a database made by ``generate_scale``.

Signs a throw-away account per bench role in (as ``bench_logins`` would, inside a
transaction that is rolled back at the end, so the database is left as it was), asks for
each page of ``egenmakt/scale/pages.py`` once to warm up, then again while capturing its
SQL, and runs ``EXPLAIN (ANALYZE, BUFFERS)`` on each SELECT. Prints, per page and query,
the execution time, the scans used, and flags a sequential scan of a table over
``BIG`` rows: the filters and sorts the pages use should all be served by indexes.

Usage (PostgreSQL only)::

    DEBUG=1 DATABASE_URL=postgres://.../egenmakt_bench10 .venv/bin/python bench/explain.py \\
        [--plans] > var/bench/explain.txt
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egenmakt.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from inprocess import pages_to_ask  # noqa: E402  (bench/, the script's own folder)

BIG = 10_000
SCAN = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: Backward)?(?: using \w+)? on (\w+)"
)
TIME = re.compile(r"Execution Time: ([\d.]+) ms")


def _rows_of(tables: set[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return dict(cursor.fetchall())


def _explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true", help="print whole plans too")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only")
    setup_test_environment()
    flagged = 0
    with transaction.atomic():
        asks, skipped = pages_to_ask()
        for name in skipped:
            print(f"# skipped {name!r}: its URL does not resolve in this build")
        for page, ask in asks:
            ask()
            with CaptureQueriesContext(connection) as captured:
                status = ask()
            print(f"\n## {page['name']} ({page['role']}, {status}, {len(captured)} queries)")
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                plan = _explain(sql)
                scans = [m.groups() for line in plan for m in SCAN.finditer(line)]
                sizes = _rows_of({table for _kind, table in scans})
                took = next((m.group(1) for line in plan if (m := TIME.search(line))), "?")
                seq_big = [t for kind, t in scans if kind == "Seq Scan" and sizes.get(t, 0) > BIG]
                flagged += bool(seq_big)
                used = ", ".join(sorted({f"{kind.split()[0].lower()}:{t}" for kind, t in scans}))
                mark = "  !! seq scan of " + ", ".join(seq_big) if seq_big else ""
                print(f"- {took:>8} ms  {used}{mark}")
                print(f"    {sql[:220]}")
                if args.plans or seq_big:
                    for line in plan:
                        print("      " + line)
        transaction.set_rollback(True)
    print(f"\n{flagged} queries scan a table of over {BIG:,} rows sequentially.")


if __name__ == "__main__":
    main()
