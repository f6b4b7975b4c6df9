"""Times the reports' data as the pages really compute it against plain SQL (PostgreSQL).

Issue 25: "the programme report's and the indicators' data within 1.5x the same
aggregate in plain SQL, compared against what the page really runs". For region 1 of the
scale data, each row pairs what the page runs with SQL that computes the same figures:

* indicators, the page's ``dashboard(areas, periods)`` as a warm request sees it (closed
  quarters from the store, ``reports/stored.py``, filled by a first call; the open quarter
  computed live), against SQL for the five indicators SQL states plainly over the same
  eight quarters;
* indicators, the live part alone: ``dashboard_live`` for the open quarter only (every
  indicator), and the five indicators' batches (what ``dashboard_live`` runs for them),
  against the same SQL for that quarter;
* programme report, ``programme_report(network)`` warm (closed months stored), against
  SQL for its funnel per round, its twelve months and its workplaces; and the parts it
  computes on every request: the funnel, and the open month's figures.

Where the app computes more than the SQL (the dashboard's other indicators, the report's
region names) the row says so: the ratio is then on the app's harder side. Each side runs
``REPEAT`` times after a warm-up; the median is reported. The results are compared first
(the five indicators' values, every funnel, month and workplace figure): a timing of two
different answers would mean nothing.

Usage (the bench's environment): ``python bench/aggregates.py --out FILE.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egenmakt.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from egenmakt.accounts.models import Organisation  # noqa: E402
from egenmakt.core.dates import month_end  # noqa: E402
from egenmakt.influence import indicators as ind  # noqa: E402
from egenmakt.influence.indicators import INDICATORS, Units  # noqa: E402
from egenmakt.influence.models import CareArea  # noqa: E402
from egenmakt.reports.programme import (  # noqa: E402
    MONTHS_SHOWN,
    _funnel,
    _month_figures,
    _placements,
    programme_report,
    rounds_in,
)
from egenmakt.reports.stored import Period, is_closed  # noqa: E402
from egenmakt.scale.accounts import ORGANISATIONS  # noqa: E402

REPEAT = 7

FUNNEL_SQL = """
WITH rounds AS (
    SELECT r.id FROM peer_recruitmentround r
    JOIN accounts_organisation o ON o.id = r.organisation_id
    WHERE o.path LIKE %(path)s
), apps AS (
    SELECT round_id, count(*) AS applied,
           count(*) FILTER (WHERE interviewed_at IS NOT NULL) AS interviewed,
           count(*) FILTER (WHERE status = 'admitted') AS admitted
    FROM peer_application WHERE round_id IN (SELECT id FROM rounds) GROUP BY round_id
), done AS (
    SELECT a.round_id, p.user_id,
           (p.completed_at AT TIME ZONE %(tz)s)::date AS done_on
    FROM peer_participant p JOIN peer_application a ON a.id = p.application_id
    WHERE a.round_id IN (SELECT id FROM rounds) AND p.status = 'completed'
), followed AS (
    SELECT d.round_id, d.user_id,
           EXISTS (SELECT 1 FROM peer_placement j
                   WHERE j.peer_supporter_id = d.user_id AND j.starts_on <= %(today)s) AS employed,
           (d.done_on + interval '6 months')::date AS day6,
           (d.done_on + interval '12 months')::date AS day12
    FROM done d
), jobs AS (
    SELECT f.round_id, f.employed,
           f.day6 <= %(today)s AS eligible6,
           f.day6 <= %(today)s AND EXISTS (
               SELECT 1 FROM peer_placement j WHERE j.peer_supporter_id = f.user_id
               AND j.starts_on <= f.day6 AND (j.ends_on IS NULL OR j.ends_on >= f.day6)
           ) AS employed6,
           f.day12 <= %(today)s AS eligible12,
           f.day12 <= %(today)s AND EXISTS (
               SELECT 1 FROM peer_placement j WHERE j.peer_supporter_id = f.user_id
               AND j.starts_on <= f.day12 AND (j.ends_on IS NULL OR j.ends_on >= f.day12)
           ) AS employed12
    FROM followed f
), people AS (
    SELECT round_id, count(*) AS completed, count(*) FILTER (WHERE employed) AS employed,
           count(*) FILTER (WHERE eligible6) AS eligible6,
           count(*) FILTER (WHERE employed6) AS employed6,
           count(*) FILTER (WHERE eligible12) AS eligible12,
           count(*) FILTER (WHERE employed12) AS employed12
    FROM jobs GROUP BY round_id
)
SELECT r.id,
       coalesce(a.applied, 0) + coalesce(e.applied, 0),
       coalesce(a.interviewed, 0) + coalesce(e.interviewed, 0),
       coalesce(a.admitted, 0) + coalesce(e.admitted, 0),
       coalesce(p.completed, 0), coalesce(p.employed, 0),
       coalesce(p.eligible6, 0), coalesce(p.employed6, 0),
       coalesce(p.eligible12, 0), coalesce(p.employed12, 0)
FROM rounds r
LEFT JOIN apps a ON a.round_id = r.id
LEFT JOIN peer_erasedapplications e ON e.round_id = r.id
LEFT JOIN people p ON p.round_id = r.id
ORDER BY r.id
"""

QUARTERS = "SELECT * FROM (VALUES {values}) AS q(start, finish)"

INDICATOR_SQL = {
    "activities": """
        WITH q AS ({quarters})
        SELECT q.start, count(a.id) FROM q
        LEFT JOIN influence_activity a ON a.area_id = ANY(%(areas)s) AND a.status = 'approved'
             AND (a.starts_at AT TIME ZONE %(tz)s)::date BETWEEN q.start AND q.finish
        GROUP BY q.start ORDER BY q.start
    """,
    "user_council": """
        WITH q AS ({quarters}),
        units AS (SELECT DISTINCT organisation_id AS id FROM influence_carearea_units
                  WHERE carearea_id = ANY(%(areas)s))
        SELECT q.start, (100.0 * (
            SELECT count(DISTINCT f.unit_id) FROM influence_forum f
            WHERE f.area_id = ANY(%(areas)s) AND f.kind = 'user_council'
              AND f.unit_id IN (SELECT id FROM units)
              AND (f.started_on IS NULL OR f.started_on <= q.finish)
              AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
        ) / nullif((SELECT count(*) FROM units), 0))
        FROM q ORDER BY q.start
    """,
    "system_forums": """
        WITH q AS ({quarters}), seats AS (
            SELECT q.start, m.forum_id FROM q
            JOIN influence_forum f ON f.area_id = ANY(%(areas)s) AND f.level = 'system'
                 AND (f.started_on IS NULL OR f.started_on <= q.finish)
                 AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
            JOIN influence_forummember m ON m.forum_id = f.id
                 AND m.capacity = 'representative'
                 AND m.since <= q.finish AND (m.until IS NULL OR m.until >= q.finish)
        )
        SELECT q.start, count(DISTINCT s.forum_id) FROM q
        LEFT JOIN seats s ON s.start = q.start GROUP BY q.start ORDER BY q.start
    """,
    "representative_share": """
        WITH q AS ({quarters}), seats AS (
            SELECT q.start, m.capacity FROM q
            JOIN influence_forum f ON f.area_id = ANY(%(areas)s)
                 AND (f.started_on IS NULL OR f.started_on <= q.finish)
                 AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
            JOIN influence_forummember m ON m.forum_id = f.id
                 AND m.since <= q.finish AND (m.until IS NULL OR m.until >= q.finish)
        )
        SELECT q.start,
               100.0 * count(*) FILTER (WHERE s.capacity = 'representative')
               / nullif(count(*) FILTER (
                   WHERE s.capacity IN ('representative', 'own_experience')), 0)
        FROM q LEFT JOIN seats s ON s.start = q.start GROUP BY q.start ORDER BY q.start
    """,
    "peer_supporters_per_workplace": """
        WITH q AS ({quarters}),
        paths AS (SELECT o.path FROM accounts_organisation o
                  WHERE o.id IN (SELECT organisation_id FROM influence_carearea_units
                                 WHERE carearea_id = ANY(%(areas)s))),
        inside AS (SELECT w.id FROM peer_peerworkplace w
                   JOIN accounts_organisation o ON o.id = w.workplace_id
                   WHERE EXISTS (SELECT 1 FROM paths p WHERE o.path LIKE p.path || '%%'))
        SELECT q.start, count(DISTINCT j.peer_supporter_id)::numeric
                        / nullif(count(DISTINCT j.workplace_id), 0)
        FROM q LEFT JOIN peer_placement j ON j.workplace_id IN (SELECT id FROM inside)
             AND j.starts_on <= q.finish AND (j.ends_on IS NULL OR j.ends_on >= q.finish)
        GROUP BY q.start ORDER BY q.start
    """,
}
# The page's own batch functions for those five (what ``dashboard_live`` runs for them).
BATCH: dict[str, Callable[..., Any]] = {
    i.key: i.batch for i in INDICATORS if i.key in INDICATOR_SQL and i.batch is not None
}
TARGET = 1.5  # issue 25: within 1.5x the same aggregate in plain SQL

PLACEMENTS = """
    SELECT j.id, j.peer_supporter_id, j.starts_on, j.ends_on, j.workplace_id
    FROM peer_placement j
    JOIN peer_peerworkplace w ON w.id = j.workplace_id
    JOIN accounts_organisation n ON n.id = w.network_id
    WHERE n.path LIKE %(path)s
"""

MONTHS_SQL = """
WITH m AS ({months}), pl AS ({placements}),
win AS (SELECT min(start) AS lo, max(finish) AS hi FROM m),
people AS (SELECT DISTINCT pl.peer_supporter_id AS id FROM pl, win
           WHERE pl.starts_on <= win.hi AND (pl.ends_on IS NULL OR pl.ends_on >= win.lo)),
-- The attended supervision meetings of the window, grouped by month once (as the page
-- does), not looked for again per month.
att AS MATERIALIZED (SELECT date_trunc('month', s.starts_at AT TIME ZONE %(tz)s)::date AS month,
               count(*) AS n
        FROM peer_supervisionattendance a
        JOIN peer_supervisionmeeting s ON s.id = a.meeting_id, win
        WHERE a.attended AND a.peer_supporter_id IN (SELECT id FROM people)
          AND (s.starts_at AT TIME ZONE %(tz)s)::date BETWEEN win.lo AND win.hi
        GROUP BY 1)
SELECT m.start,
    (SELECT count(DISTINCT pl.peer_supporter_id) FROM pl
     WHERE pl.starts_on <= m.finish AND (pl.ends_on IS NULL OR pl.ends_on >= m.start)),
    coalesce((SELECT att.n FROM att WHERE att.month = m.start), 0),
    (SELECT coalesce(sum(least(k.ends_on, m.finish) - greatest(k.starts_on, m.start) + 1), 0)
     FROM peer_sickleave k
     WHERE k.placement_id IN (SELECT id FROM pl)
       AND k.starts_on <= m.finish AND k.ends_on >= m.start)
FROM m ORDER BY m.start
"""

WORKPLACES_SQL = """
WITH w AS (SELECT w.id, o.path FROM peer_peerworkplace w
           JOIN accounts_organisation o ON o.id = w.workplace_id
           JOIN accounts_organisation n ON n.id = w.network_id
           WHERE n.path LIKE %(path)s),
sick AS (SELECT j.workplace_id, sum(k.ends_on - k.starts_on + 1) AS days
         FROM peer_sickleave k JOIN peer_placement j ON j.id = k.placement_id
         WHERE j.workplace_id IN (SELECT id FROM w) GROUP BY j.workplace_id)
SELECT count(j.id) FILTER (WHERE j.starts_on <= %(today)s
                             AND (j.ends_on IS NULL OR j.ends_on >= %(today)s)),
       count(j.id), count(DISTINCT j.peer_supporter_id), coalesce(max(sick.days), 0)
FROM w LEFT JOIN peer_placement j ON j.workplace_id = w.id
LEFT JOIN sick ON sick.workplace_id = w.id
GROUP BY w.id, w.path ORDER BY w.path
"""


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Median milliseconds over ``REPEAT`` runs, after one warm-up, and the last result."""
    result = function()
    samples = []
    for _n in range(REPEAT):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def sql(statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _number(value: Any) -> float | None:
    """Rounded as the app rounds (Python's round, to one decimal)."""
    return None if value is None else round(float(value), 1)


def _values(periods: list[Any]) -> str:
    return ", ".join(f"(DATE '{p.start}', DATE '{p.end}')" for p in periods)


def _row(orm_ms: float, sql_ms: float, note: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {"orm_ms": orm_ms, "sql_ms": sql_ms, "ratio": orm_ms / sql_ms}
    if note:
        row["note"] = note
    return row


def _indicators(network: Organisation, today: Any, tz: str) -> dict[str, Any]:
    areas = list(CareArea.objects.filter(organisation=network))
    area_ids = [a.pk for a in areas]
    periods = ind.quarters(today)
    open_quarter = [p for p in periods if not is_closed(p, today)]

    def sql_five(quarters: list[Any]) -> dict[str, list[float | None]]:
        table = QUARTERS.format(values=_values(quarters))
        return {
            key: [
                _number(v)
                for _start, v in sql(
                    statement.format(quarters=table), {"areas": area_ids, "tz": tz}
                )
            ]
            for key, statement in INDICATOR_SQL.items()
        }

    def five_of(rows: list[Any]) -> dict[str, list[float | None]]:
        return {
            row.indicator.key: [_number(v) for v in row.values]
            for row in rows
            if row.indicator.key in INDICATOR_SQL
        }

    def batches() -> dict[str, list[float | None]]:
        units = Units.of(areas)
        return {key: [_number(v) for v in BATCH[key](units, open_quarter)] for key in BATCH}

    ind.dashboard(areas, periods)  # a first request fills the store with the closed quarters
    results: dict[str, Any] = {}
    cases = [
        (
            "indicators: the page's dashboard, warm (8 quarters: 7 stored, the open one live)",
            lambda: five_of(ind.dashboard(areas, periods)),
            periods,
            f"all {len(INDICATORS)} indicators against SQL for 5",
        ),
        (
            "indicators: dashboard_live, the open quarter",
            lambda: five_of(ind.dashboard_live(areas, open_quarter)),
            open_quarter,
            f"all {len(INDICATORS)} indicators against SQL for 5",
        ),
        (
            "indicators: the five's batches, the open quarter",
            batches,
            open_quarter,
            "",
        ),
    ]
    for name, app, quarters, note in cases:
        orm_ms, orm_values = timed(app)
        sql_ms, sql_values = timed(lambda q=quarters: sql_five(q))
        if orm_values != sql_values:
            raise SystemExit(f"{name} differs: app {orm_values}, SQL {sql_values}")
        results[name] = _row(orm_ms, sql_ms, note)
    return results


def _programme(network: Organisation, today: Any, tz: str) -> dict[str, Any]:
    rounds = list(rounds_in(network))
    params = {"path": network.path + "%", "today": today, "tz": tz}
    report = programme_report(network)  # fills the store with the closed months
    months = [m.month for m in report.months]
    assert len(months) == MONTHS_SHOWN  # noqa: S101
    month_spans = [Period(m, month_end(m)) for m in months]
    open_month = [p for p in month_spans if not is_closed(p, today)]

    def funnel_rows(rows: list[Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (
                row.round.pk,
                row.applied,
                row.interviewed,
                row.admitted,
                row.completed,
                row.employed,
                row.after_6.eligible,
                row.after_6.employed,
                row.after_12.eligible,
                row.after_12.employed,
            )
            for row in rows
        )

    def months_sql(spans: list[Any]) -> list[tuple[int, int, int]]:
        statement = MONTHS_SQL.format(
            months=QUARTERS.format(values=_values(spans)), placements=PLACEMENTS
        )
        return [(int(w), int(m), int(d)) for _start, w, m, d in sql(statement, params)]

    def whole_app() -> dict[str, Any]:
        r = programme_report(network)
        return {
            "funnel": funnel_rows(r.rounds),
            "months": [(m.working, m.meetings, m.sick_days) for m in r.months],
            "workplaces": [
                (w.active, w.total, w.peer_supporters, w.sick_days) for w in r.workplaces
            ],
        }

    def whole_sql() -> dict[str, Any]:
        return {
            "funnel": [tuple(r) for r in sql(FUNNEL_SQL, params)],
            "months": months_sql(month_spans),
            "workplaces": [tuple(int(v) for v in r) for r in sql(WORKPLACES_SQL, params)],
        }

    def open_app() -> list[tuple[int, int, int]]:
        figures = _month_figures(_placements(network, None), open_month)
        return [(f["working"], f["meetings"], f["sick_days"]) for f in figures]

    cases = [
        (
            "programme report: the page's data, warm (closed months stored)",
            whole_app,
            whole_sql,
            "and the workplaces' region names",
        ),
        (
            "programme report: funnel per round (live)",
            lambda: funnel_rows(_funnel(rounds, today)),
            lambda: [tuple(r) for r in sql(FUNNEL_SQL, params)],
            "",
        ),
        (
            "programme report: the open month (live)",
            open_app,
            lambda: months_sql(open_month),
            "",
        ),
    ]
    results: dict[str, Any] = {}
    for name, app, plain, note in cases:
        orm_ms, orm_values = timed(app)
        sql_ms, sql_values = timed(plain)
        if orm_values != sql_values:
            raise SystemExit(f"{name} differs:\napp {orm_values}\nSQL {sql_values}")
        results[name] = _row(orm_ms, sql_ms, note)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The plain-SQL side is written for PostgreSQL.")
    network = Organisation.objects.get(name=ORGANISATIONS["network"][0].format(n=1), parent=None)
    today = timezone.localdate()
    tz = str(timezone.get_current_timezone())
    results = {**_programme(network, today, tz), **_indicators(network, today, tz)}
    Path(args.out).write_text(json.dumps(results, indent=2))
    for name, row in results.items():
        mark = "" if row["ratio"] <= TARGET else "  (over 1.5x)"
        print(f"  {name:<80} app {row['orm_ms']:.1f} ms, SQL {row['sql_ms']:.1f} ms{mark}")


if __name__ == "__main__":
    main()
